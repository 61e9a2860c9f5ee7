// `catengine fmt [--check] [--modernise] PATH...`: rewrites policy files in the canonical layout,
// or with --check reports (as a unified diff) the files that are not in it. --modernise also
// writes older idioms in the newer words of the language, with the same meaning.
#pragma once

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace catengine::engine {

struct FmtOptions {
  std::vector<std::string> paths;  // files, or folders searched for .policy files recursively
  bool check = false;              // report what would change, write nothing
  // Also rewrite `(EXPR) if missing X` as `EXPR, or X if any figure is missing` and `how_many of`
  // as `how many of` (lang::FormatOptions). Off by default, so that a newer catengine never
  // fails the `fmt --check` of a policy nobody has changed.
  bool modernise = false;
};

// 0: every file is (now) in the canonical layout; 1: --check found a file that is not; 2: a
// path is missing or unreadable, or a file does not parse (such files are never rewritten).
int run_fmt(const FmtOptions& options, const Console& console);

// A unified diff of two texts, line by line, with three lines of context; empty when equal.
std::string unified_diff(const std::string& before, const std::string& after,
                         const std::string& before_label, const std::string& after_label);

}  // namespace catengine::engine
