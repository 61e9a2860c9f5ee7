// `catengine lsp`: the language server, over standard input and output, for editors.
#pragma once

#include "cli/commands.hpp"

namespace catengine::engine {

// Serves until the editor sends `exit` (or closes standard input); 0 after `shutdown`, else 1.
int run_lsp(const Console& console);

}  // namespace catengine::engine
