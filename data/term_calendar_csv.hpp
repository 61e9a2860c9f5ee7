// Reading a school term calendar (`term,half,starts,ends`, one half term a row, as an LA
// publishes its term dates) through the one CSV reader, so quoting, byte-order marks, line
// endings and row numbers follow the same rules as every other CSV file catengine reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/term_calendar.hpp"

namespace catengine::engine {

// The calendar in `csv_text`, named `name` and read from `file` in messages; nullopt with `error`
// set (naming the calendar, the file, the row and the column) when it is not such a calendar.
std::optional<TermCalendar> read_term_calendar(std::string_view name, std::string_view file,
                                               std::string_view csv_text, std::string& error);

}  // namespace catengine::engine
