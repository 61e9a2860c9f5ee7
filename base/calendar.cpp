// Date arithmetic for notices and cadences, on <chrono> calendar types; see calendar.hpp.
#include "base/calendar.hpp"

#include "base/civil_date.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace catengine {

namespace chr = std::chrono;

namespace {

constexpr int kMinYear = static_cast<int>(chr::year::min());
constexpr int kMaxYear = static_cast<int>(chr::year::max());
// The anonymous Gregorian Easter algorithm is only meaningful once the Gregorian calendar exists.
constexpr int kFirstGregorianYear = 1583;

chr::sys_days to_sys(Value date) {
  return chr::sys_days{chr::days{date}};
}
Value from_sys(chr::sys_days d) {
  return d.time_since_epoch().count();
}

int year_of(Value date) {
  return static_cast<int>(to_ymd(date).year());
}

void require_date(Value date, const char* function) {
  if (date == kMissing) {
    throw std::invalid_argument(fmt::format("{}: the date is missing", function));
  }
}

}  // namespace

Value add_days(Value date, std::int64_t days) {
  Value out = 0;
  if (date == kMissing || __builtin_add_overflow(date, days, &out)) return kMissing;
  return out;
}

Value add_weeks(Value date, std::int64_t weeks) {
  std::int64_t days = 0;
  if (__builtin_mul_overflow(weeks, std::int64_t{7}, &days)) return kMissing;
  return add_days(date, days);
}

Value add_months(Value date, int months) {
  if (date == kMissing) return kMissing;
  // By table when the date and the result lie in its years (1600 to 2399), as nearly all do;
  // the same answer as the general code below, checked day by day in civil_date_test.cpp.
  if (civil::covers_day(date)) {
    const civil::Ymd from = civil::from_days(date);
    const std::int64_t index = std::int64_t{from.year} * 12 + (from.month - 1) + months;
    if (index >= std::int64_t{civil::kFirstYear} * 12 &&
        index < (std::int64_t{civil::kLastYear} + 1) * 12) {
      const int year = static_cast<int>(index / 12);
      const unsigned month = static_cast<unsigned>(index % 12) + 1;
      return civil::to_days(year, month, std::min(from.day, civil::days_in_month(year, month)));
    }
  }
  const chr::year_month_day ymd = to_ymd(date);
  if (!ymd.ok()) return kMissing;
  // Check the target year ourselves: year_month + months wraps silently past chr::year's range.
  const std::int64_t month_index = static_cast<std::int64_t>(static_cast<int>(ymd.year())) * 12 +
                                   static_cast<std::int64_t>(static_cast<unsigned>(ymd.month())) -
                                   1 + months;
  const std::int64_t target_year =
      month_index >= 0 ? month_index / 12 : -((-month_index + 11) / 12);
  if (target_year < kMinYear || target_year > kMaxYear) return kMissing;
  const chr::year_month ym = chr::year_month{ymd.year(), ymd.month()} + chr::months{months};
  const chr::day last = (ym / chr::last).day();
  return from_sys(chr::sys_days{ym / std::min(ymd.day(), last)});
}

Value easter_sunday(int year) {
  if (year < kFirstGregorianYear || year > kMaxYear) return kMissing;
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher); the letters follow the published form
  // so it can be checked line by line.
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return date_from_ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Value good_friday(int year) {
  return add_days(easter_sunday(year), -2);
}

std::optional<HolidayCalendar> HolidayCalendar::from_days(std::string_view name,
                                                          std::vector<Holiday> rows,
                                                          std::string& error) {
  if (rows.empty()) {
    error = fmt::format("holiday calendar `{}` lists no holidays", name);
    return std::nullopt;
  }

  std::stable_sort(rows.begin(), rows.end(),
                   [](const Holiday& x, const Holiday& y) { return x.day < y.day; });
  HolidayCalendar cal;
  cal.name_ = std::string(name);
  cal.first_year_ = year_of(rows.front().day);
  cal.last_year_ = year_of(rows.back().day);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].day == rows[i - 1].day) {
      error = fmt::format("holiday calendar `{}`, line {}: {} is already listed on line {}", name,
                          rows[i].line, format_iso(rows[i].day), rows[i - 1].line);
      return std::nullopt;
    }
    // A year with no holiday at all means missing data, and counting across it would be a
    // silent guess.
    const int previous_year = i == 0 ? cal.first_year_ : year_of(rows[i - 1].day);
    if (year_of(rows[i].day) > previous_year + 1) {
      error = fmt::format("holiday calendar `{}` lists no holidays in {}, between {} and {}", name,
                          previous_year + 1, cal.first_year_, cal.last_year_);
      return std::nullopt;
    }
    cal.days_.push_back(rows[i].day);
    cal.titles_.push_back(std::move(rows[i].title));
  }
  return cal;
}

bool HolidayCalendar::is_holiday(Value date) const {
  return date != kMissing && std::binary_search(days_.begin(), days_.end(), date);
}

bool HolidayCalendar::is_working_day(Value date) const {
  if (date == kMissing) return false;
  const chr::weekday wd{to_sys(date)};
  return wd != chr::Saturday && wd != chr::Sunday && !is_holiday(date);
}

std::string HolidayCalendar::holiday_title(Value date) const {
  const auto it = std::lower_bound(days_.begin(), days_.end(), date);
  if (it == days_.end() || *it != date) return {};
  return titles_[static_cast<std::size_t>(it - days_.begin())];
}

WorkingDayResult add_working_days(const HolidayCalendar& cal, Value from, int n) {
  if (from == kMissing) return {};
  const std::int64_t step = n < 0 ? -1 : 1;
  std::int64_t remaining = std::abs(static_cast<std::int64_t>(n));
  Value day = from;
  // Terminates: the covered years are finite and every step leaves them or finds a working day
  // within a week.
  while (remaining > 0) {
    day = add_days(day, step);
    if (day == kMissing) return {};
    const int year = year_of(day);
    if (!cal.covers(year)) return {kMissing, year};
    if (cal.is_working_day(day)) --remaining;
  }
  return {day, 0};
}

WorkingDayResult first_working_day_on_or_after(const HolidayCalendar& cal, Value date) {
  if (date == kMissing) return {};
  const int year = year_of(date);
  if (!cal.covers(year)) return {kMissing, year};
  if (cal.is_working_day(date)) return {date, 0};
  return add_working_days(cal, date, 1);
}

int academic_year_start(Value date) {
  require_date(date, "academic_year_start");
  const chr::year_month_day ymd = to_ymd(date);
  const int year = static_cast<int>(ymd.year());
  return ymd.month() >= chr::September ? year : year - 1;
}

Term term_of(Value date) {
  require_date(date, "term_of");
  const chr::year_month_day ymd = to_ymd(date);
  // August is the summer holiday: no term, so report the autumn term about to start.
  if (ymd.month() >= chr::August) return Term::Autumn;
  if (ymd.month() == chr::July) return Term::Summer;
  return date <= good_friday(static_cast<int>(ymd.year())) ? Term::Spring : Term::Summer;
}

Value current_term_end(Value as_of) {
  if (as_of == kMissing) return kMissing;
  const int year = static_cast<int>(to_ymd(as_of).year());
  switch (term_of(as_of)) {
    case Term::Autumn:
      return date_from_ymd(year, 12, 31);
    case Term::Spring:
      return good_friday(year);
    case Term::Summer:
      return date_from_ymd(year, 7, 31);
  }
  return kMissing;  // unreachable: every Term is handled above
}

Value first_on_or_after(std::span<const Value> sorted_dates, Value date) {
  if (date == kMissing) return kMissing;
  const auto it = std::lower_bound(sorted_dates.begin(), sorted_dates.end(), date);
  return it == sorted_dates.end() ? kMissing : *it;
}

}  // namespace catengine
