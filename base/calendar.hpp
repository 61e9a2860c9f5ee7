// Date arithmetic for notices and cadences: calendar months, working days against a bank-holiday
// calendar, Easter, academic years and terms. Dates are `Value`s (days since 1970-01-01, kMissing
// for none); the arithmetic itself is done with <chrono> calendar types.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/value.hpp"

namespace catengine {

// Each returns kMissing when `date` is kMissing (missing stays missing) or on overflow.
Value add_days(Value date, std::int64_t days);
Value add_weeks(Value date, std::int64_t weeks);
// Calendar months; the day of the month is kept, clamped to the target month's last day
// (2018-08-31 + 6 = 2019-02-28). Negative counts go back in time the same way.
Value add_months(Value date, int months);

// Western (Gregorian) Easter; kMissing for years outside std::chrono::year.
Value easter_sunday(int year);
Value good_friday(int year);

// England and Wales style bank holidays for a contiguous run of years. Outside that run the
// calendar knows nothing, so callers that must not guess check covers() first.
class HolidayCalendar {
 public:
  // One listed holiday, and where it was listed (for messages).
  struct Holiday {
    Value day = kMissing;
    std::string title;
    std::size_t line = 0;
  };
  // A calendar of the given holidays, in any order. The covered years are the first to the last
  // year listed; a day listed twice, or a year in between with no holiday at all (a gap in the
  // data), is refused. On failure returns nullopt and sets `error` (naming `name` and the line).
  // Reading one from a `date,title` CSV file is data/holiday_calendar_csv.hpp's job.
  static std::optional<HolidayCalendar> from_days(std::string_view name, std::vector<Holiday> rows,
                                                  std::string& error);

  const std::string& name() const { return name_; }
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  bool covers(int year) const { return year >= first_year_ && year <= last_year_; }
  // Sorted ascending, no duplicates.
  std::span<const Value> holidays() const { return days_; }

  bool is_holiday(Value date) const;
  // Not a Saturday, Sunday or holiday. Outside the covered years this only knows weekends:
  // check covers() when that matters (add_working_days does).
  bool is_working_day(Value date) const;
  // Empty when `date` is not a holiday.
  std::string holiday_title(Value date) const;

 private:
  HolidayCalendar() = default;

  std::string name_;                 // e.g. "england-and-wales", used in messages
  int first_year_ = 0;               // first calendar year covered, inclusive
  int last_year_ = -1;               // last calendar year covered, inclusive
  std::vector<Value> days_;          // holiday dates, sorted ascending, unique
  std::vector<std::string> titles_;  // titles_[i] names days_[i]
};

struct WorkingDayResult {
  Value date = kMissing;   // kMissing when uncovered_year != 0 or the start date was missing
  int uncovered_year = 0;  // 0 if ok; else the first year reached that the calendar lacks
};

// The n-th working day after `from` (`from` itself is not counted; negative n counts backwards,
// n == 0 gives `from`). Every day examined must lie in a covered year: if one does not, the
// result names that year instead of guessing.
WorkingDayResult add_working_days(const HolidayCalendar& cal, Value from, int n);
// `date` itself if it is a working day, else the next one; coverage as for add_working_days.
WorkingDayResult first_working_day_on_or_after(const HolidayCalendar& cal, Value date);

// The calendar year the academic year (1 September to 31 August) starts in: 2018-09-16 gives
// 2018, 2019-08-31 gives 2018. Precondition: date is not kMissing (throws std::invalid_argument).
int academic_year_start(Value date);

enum class Term { Autumn, Spring, Summer };

// Autumn: 1 September to 31 December; spring: 1 January to Good Friday; summer: the day after
// Good Friday to 31 July. August belongs to no term; it is reported as the coming autumn term,
// so that "the current term" during the holiday is the one about to start (which agrees with the
// Gloucestershire rule that the current term's end in August is 31 December).
// Precondition: date is not kMissing (throws std::invalid_argument).
Term term_of(Value date);

// The first of 31 December, Good Friday and 31 July on or after `as_of` (31 December in August):
// the end of term_of(as_of). kMissing for kMissing.
Value current_term_end(Value as_of);

// The first of `sorted_dates` (ascending) that is on or after `date`; kMissing if none or if
// `date` is kMissing.
Value first_on_or_after(std::span<const Value> sorted_dates, Value date);

}  // namespace catengine
