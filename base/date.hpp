// The one date representation and the one ISO 8601 date parser and formatter. A date is a
// `Value`: days since 1970-01-01 (kMissing for none). Every place that reads a YYYY-MM-DD date —
// policy literals, data cells, holiday calendars, command-line options, fixture names — reads it
// here, so they all agree on what a date is: exactly ten characters, a real day, in the years
// 0001 to 9999.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/value.hpp"

namespace catengine {

// kMissing when y/m/d is not a real date (2019-02-29, month 13) or y is outside std::chrono::year.
Value date_from_ymd(int y, unsigned m, unsigned d);

// Precondition: date is not kMissing; for kMissing the result is year 0/month 0/day 0, which is
// not ok(), rather than a plausible-looking date.
std::chrono::year_month_day to_ymd(Value date);

// The range dates are read and written in: 1 January 1 to 31 December 9999, as day numbers.
inline constexpr Value kFirstDate =
    std::chrono::sys_days{std::chrono::year{1} / 1 / 1}.time_since_epoch().count();
inline constexpr Value kLastDate =
    std::chrono::sys_days{std::chrono::year{9999} / 12 / 31}.time_since_epoch().count();

// Whether a date lies in that range.
bool is_representable(Value date);

// Why a text is not an ISO date, so each caller can word its own message.
enum class DateProblem : std::uint8_t {
  None,
  NotIso,      // not ten characters of the shape YYYY-MM-DD (digits and two dashes)
  NoSuchDate,  // the shape, but no such day (2019-02-29, 2018-13-01, 2018-09-00)
  OutOfRange,  // a real day outside 0001-01-01 .. 9999-12-31 (year 0000)
};

// Strict YYYY-MM-DD: no sign, no spaces, no time. Sets `out` only when the result is None.
DateProblem parse_iso_date(std::string_view text, Value& out);
// The same, for callers that only need to know whether it is a date.
std::optional<Value> parse_iso_date(std::string_view text);

// Today's date (UTC), the as-of date when none is given.
Value today();

// YYYY-MM-DD; empty for kMissing.
std::string format_iso(Value date);
void append_iso(std::string& out, Value date);

}  // namespace catengine
