// The built-in functions a policy may call, and their signatures. The checker types calls with
// these; the engine implements them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace catengine::lang {

enum class Builtin : std::uint8_t {
  Rule,            // rule of DECISION            -> text: id of the rule that decided it
  EndYear,         // end_year of ACADEMIC_YEAR   -> integer: 2016/17 -> 2017 (the results year)
  StartYear,       // start_year of ACADEMIC_YEAR -> integer: 2016/17 -> 2016
  Year,            // year of DATE                -> integer
  Worst,           // worst of [SCALE, ...]       -> the worst value (missing if any is missing)
  Best,            // best of [SCALE, ...]        -> the best value (missing if any is missing)
  Min,             // min(NUMBER, ...)            -> the least
  Max,             // max(NUMBER, ...)            -> the greatest
  AddDays,         // add_days(DATE, INTEGER)     -> date
  AddWeeks,        // add_weeks(DATE, INTEGER)    -> date
  AddMonths,       // add_months(DATE, INTEGER)   -> date, day clamped to the month's end
  AddWorkingDays,  // add_working_days(DATE, INTEGER) -> the Nth working day after
  FirstWorkingDayOnOrAfter,  // first_working_day_on_or_after(DATE) -> date
  DateOf,                    // date_of(YEAR, MONTH, DAY) -> date (missing if no such day)
  EarliestOnOrAfter,  // earliest_on_or_after(DATE, [DATE, ...]) -> the first listed date on or
                      // after
  FirstDateOf,  // first_date_of(PARAM, DATE) -> the first key of a by-date parameter on or after
  TermEnd,     // term_end(DATE) -> the end of the term the date is in (31 Dec, Good Friday, 31 Jul)
  GoodFriday,  // good_friday(YEAR) -> date
  Grounds,     // grounds of NOTICE -> text
  Due,         // due of NOTICE -> date
  NextDue,     // next_due of CADENCE -> date
  Overdue,     // overdue of CADENCE -> boolean
  HowMany,     // how_many of [BOOLEAN, ...] -> integer: how many are yes
};

struct BuiltinInfo {
  Builtin id;
  std::string_view name;
  std::string_view signature;  // for messages: "add_days(date, integer)"
};

std::optional<Builtin> find_builtin(std::string_view name);
const BuiltinInfo& info(Builtin b);

}  // namespace catengine::lang
