// `catengine history FILE`: the runs saved in a history store (as-of date, policy, when saved,
// records, schools per level), or with `--school URN` one school's values term by term.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace catengine::engine {

struct HistoryOptions {
  std::string store;
  std::optional<std::string> school;  // the key value (URN)
  std::string count_by = "level";     // the column whose values are counted per run
  std::vector<std::string> columns;   // with --school; default: count_by, rule, override*
  std::optional<std::string> policy;  // only this policy's runs (by name)
  bool audit = false;                 // replaced runs too
  std::string format = "table";       // table | csv | json
};

int run_history(const HistoryOptions& options, const Console& console);

}  // namespace catengine::engine
