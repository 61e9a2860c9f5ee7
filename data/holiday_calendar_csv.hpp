// Reading a bank-holiday calendar (`date,title`, one holiday a row, as GOV.UK publishes them)
// through the one CSV reader, so quoting, byte-order marks, line endings and row numbers follow
// the same rules as every other CSV file catengine reads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/calendar.hpp"

namespace catengine::engine {

// The calendar in `csv_text`, named `name` in messages; nullopt with `error` set (naming the
// calendar and the row) when the file is not such a calendar.
std::optional<HolidayCalendar> read_holiday_calendar(std::string_view name,
                                                     std::string_view csv_text, std::string& error);

}  // namespace catengine::engine
