// `catengine diff OLD NEW --data FILE`: which schools two versions of a policy treat
// differently, and why. OLD and NEW are paths, or `REV:PATH` read from git.
#pragma once

#include <optional>
#include <string>

#include "cli/commands.hpp"

namespace catengine::engine {

struct DiffOptions {
  std::string old_policy;  // a path, or REV:PATH
  std::string new_policy;
  std::vector<std::string> data;       // `--data`: PATH, or NAME=PATH per source
  std::optional<std::string> as_of;    // YYYY-MM-DD; default today
  std::string format = "text";         // text | csv | json | markdown
  bool fail_on_change = false;         // exit 1 when any school's outputs differ
  std::string repo_dir = ".";          // where git runs, for REV:PATH
  std::optional<std::string> history;  // with `runs`: compare two saved runs instead
  std::vector<std::string> runs;       // the two as-of dates, older first
};

int run_diff(const DiffOptions& options, const Console& console);

}  // namespace catengine::engine
