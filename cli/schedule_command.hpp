// `catengine schedule`: every review, visit, clinic and notice deadline in a date range, as a
// library call like the other verbs in commands.hpp.
#pragma once

#include <optional>
#include <string>

#include "cli/commands.hpp"

namespace catengine::engine {

struct ScheduleOptions {
  std::string policy;
  std::vector<std::string> data;     // `--data`: PATH, or NAME=PATH per source
  std::string from;                  // YYYY-MM-DD, inclusive
  std::string to;                    // YYYY-MM-DD, inclusive; not before `from`
  std::optional<std::string> as_of;  // YYYY-MM-DD; default today
  std::string format = "table";      // table | csv | json | ics | xlsx (needs `out`)
  std::optional<std::string> out;    // write here (atomically) instead of stdout
};

int run_schedule(const ScheduleOptions& options, const Console& console);

}  // namespace catengine::engine
