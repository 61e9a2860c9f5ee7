// `catengine check PATH...`: parses and type-checks policies and modules and reports lints, as
// text, JSON or SARIF 2.1.0. Exit 0 clean, 1 findings at or above the threshold (errors; with
// `--deny-warnings` also warnings), 2 usage or input errors. See docs/check.md.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace catengine::engine {

struct CheckOptions {
  std::vector<std::string> paths;  // files, or folders: every .policy file in them, recursively
  std::string format = "text";     // text | json | sarif
  bool deny_warnings = false;      // warnings fail the check too
};

int run_check(const CheckOptions& options, const Console& console);

}  // namespace catengine::engine
