// `catengine fmt [--check] PATH...`: rewrites policy files in the canonical layout, or with
// --check reports (as a unified diff) the files that are not in it.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace catengine::engine {

struct FmtOptions {
  std::vector<std::string> paths;  // files, or folders searched for .policy files recursively
  bool check = false;              // report what would change, write nothing
};

// 0: every file is (now) in the canonical layout; 1: --check found a file that is not; 2: a
// path is missing or unreadable, or a file does not parse (such files are never rewritten).
int run_fmt(const FmtOptions& options, const Console& console);

// A unified diff of two texts, line by line, with three lines of context; empty when equal.
std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_label, const std::string& after_label);

}  // namespace catengine::engine
