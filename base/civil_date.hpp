// Day numbers (days since 1970-01-01) to and from year, month and day by table, for the years
// 1600 to 2399: the dates that data and policies use. The batch machine adds months to a
// date for every record that reaches a cadence, and std::chrono's conversions (general over
// ±32,767 years, with divisions by 146,097 and 1,461) took more of the evaluation than the
// rest of the instruction. Outside these years callers use std::chrono (calendar.cpp).
#pragma once

#include <array>
#include <cstdint>

#include "base/value.hpp"

namespace catengine::civil {

inline constexpr int kFirstYear = 1600;
inline constexpr int kLastYear = 2399;

struct Ymd {
  int year;
  unsigned month;  // 1 to 12
  unsigned day;    // 1 to 31
};

constexpr bool is_leap(int y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

namespace detail {

// Days before the first of each month, in a common year and a leap year; [12] is the year's
// length.
inline constexpr std::array<std::array<std::int16_t, 13>, 2> kDaysBefore = {{
    {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
    {0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
}};

constexpr std::int64_t kYears = kLastYear - kFirstYear + 1;

// The day number of 1 January of each year, and of the year after the last.
constexpr std::array<std::int32_t, kYears + 1> make_year_starts() {
  std::array<std::int32_t, kYears + 1> starts{};
  // 1 January 1600 is 370 years of 365 days and 90 leap days (1600 to 1968, less 1700, 1800
  // and 1900) before 1 January 1970.
  std::int32_t day = -(370 * 365 + 90);
  for (std::int64_t i = 0; i <= kYears; ++i) {
    starts[static_cast<std::size_t>(i)] = day;
    day += is_leap(kFirstYear + static_cast<int>(i)) ? 366 : 365;
  }
  return starts;
}

inline constexpr std::array<std::int32_t, kYears + 1> kYearStarts = make_year_starts();

}  // namespace detail

inline constexpr Value kFirstDay = detail::kYearStarts.front();  // 1600-01-01
inline constexpr Value kEndDay = detail::kYearStarts.back();     // 2400-01-01, past the last
static_assert(detail::kYearStarts[1970 - kFirstYear] == 0);
static_assert(detail::kYearStarts[2000 - kFirstYear] == 10957);

// Whether a day number lies in 1600-01-01 .. 2399-12-31.
constexpr bool covers_day(Value date) {
  return date >= kFirstDay && date < kEndDay;
}
constexpr bool covers_year(std::int64_t y) {
  return y >= kFirstYear && y <= kLastYear;
}

constexpr unsigned days_in_month(int year, unsigned month) {
  const auto& before = detail::kDaysBefore[is_leap(year)];
  return static_cast<unsigned>(before[month] - before[month - 1]);
}

// Precondition: covers_day(date).
constexpr Ymd from_days(Value date) {
  // A year is at least 365 days, and 800 years hold fewer than 365 leap days, so the estimate
  // is the year or the one after it.
  auto i = static_cast<std::size_t>((date - kFirstDay) / 365);
  if (detail::kYearStarts[i] > date) --i;
  const int year = kFirstYear + static_cast<int>(i);
  const auto day_of_year = static_cast<std::int32_t>(date - detail::kYearStarts[i]);
  const auto& before = detail::kDaysBefore[is_leap(year)];
  // A month is at most 31 days: day_of_year / 31 is the month or the one before it.
  unsigned m = static_cast<unsigned>(day_of_year / 31);  // 0-based
  if (m < 11 && before[m + 1] <= day_of_year) ++m;
  return {year, m + 1, static_cast<unsigned>(day_of_year - before[m] + 1)};
}

// Precondition: covers_year(year), month 1 to 12, day 1 to days_in_month(year, month).
constexpr Value to_days(int year, unsigned month, unsigned day) {
  return Value{detail::kYearStarts[static_cast<std::size_t>(year - kFirstYear)]} +
         detail::kDaysBefore[is_leap(year)][month - 1] + day - 1;
}

}  // namespace catengine::civil
