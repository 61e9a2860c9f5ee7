// The verbs of the command line as library calls: each takes parsed options and the streams to
// write to, and returns the exit status (0 success, 1 a check failed, 2 usage or input error).
// main.cpp only parses arguments; tests call these directly.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/value.hpp"

namespace catengine::engine {

enum ExitStatus : int {
  kExitOk = 0,
  kExitCheckFailed = 1,
  kExitInputError = 2,
  kExitInternalError = 70,
  kExitOutputError = 74,  // standard output could not be written (sysexits' EX_IOERR)
  kExitClosedPipe = 141,  // the reader of standard output went away (as a shell reports SIGPIPE)
};

struct Console {
  std::FILE* out = stdout;
  std::FILE* err = stderr;
  bool colour_out = false;  // stdout is a terminal and NO_COLOR is unset
  bool colour_err = false;
};

struct EvaluateOptions {
  std::string policy;
  std::vector<std::string> data;     // `--data`: PATH, or NAME=PATH per source
  std::optional<std::string> as_of;  // YYYY-MM-DD; default today
  std::string format = "table";      // table | csv | json | xlsx (needs `out`)
  std::optional<std::string> out;    // write here (atomically) instead of stdout
  std::vector<std::string> columns;  // write only these output columns, in this order
  unsigned threads = 0;
  std::optional<std::string> history;  // `--history FILE`: the store of earlier runs
  bool save = false;                   // `--save`: save this run in it (docs/history.md)
};

struct ExplainOptions {
  std::string policy;
  std::vector<std::string> data;  // `--data`: PATH, or NAME=PATH per source
  std::string school;             // the key value (URN)
  std::optional<std::string> as_of;
  std::string format = "text";         // text | json
  std::optional<std::string> history;  // the store `previous` values are read from
};

int run_evaluate(const EvaluateOptions& options, const Console& console);
int run_explain(const ExplainOptions& options, const Console& console);

// The date a command-line option names, YYYY-MM-DD (the one ISO parser, lang/date.hpp), or
// today's date (UTC) when the option was not given. On a bad date, prints a message naming the
// option and returns nullopt.
std::optional<Value> date_option(std::string_view option, const std::optional<std::string>& text,
                                 const Console& console);

// Writes `s` to `f` (standard output or error). A failed write is remembered for
// finish_output; returns false when this write failed, so streaming output can stop early.
bool print(std::FILE* f, std::string_view s);

// Flushes `f` and returns 0, or the errno of the first write to it that failed (ENOSPC for a
// full disk, EPIPE for a closed pipe). main calls it once, after the verb has run.
int finish_output(std::FILE* f);

// Detects colour for a stream: a terminal, and NO_COLOR unset (https://no-color.org).
bool wants_colour(std::FILE* stream);

}  // namespace catengine::engine
