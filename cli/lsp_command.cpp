// `catengine lsp`: hands standard input and output to the language server (lsp/server.hpp).
#include "cli/lsp_command.hpp"

#include <unistd.h>
#include <csignal>
#include <cstdio>

#include "lsp/server.hpp"

namespace catengine::engine {

int run_lsp(const Console& console) {
  // An editor that goes away closes the pipe: the write fails and the server ends, rather than
  // the process dying of SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::fflush(console.out);
  return lsp::Server(STDIN_FILENO, STDOUT_FILENO).run();
}

}  // namespace catengine::engine
