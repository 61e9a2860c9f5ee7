// The table-driven date conversion (civil_date.hpp) against std::chrono's, on every day from
// 1900 to 2200 and at the ends of the table, and add_months (which uses it) against the
// general std::chrono computation it replaced as the fast path.
#define BOOST_TEST_MODULE civil_date
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>

#include "base/calendar.hpp"
#include "base/civil_date.hpp"
#include "base/date.hpp"

using namespace catengine;
namespace chr = std::chrono;

namespace {

Value civil_day(int y, unsigned m, unsigned d) {
  return chr::sys_days{chr::year{y} / chr::month{m} / chr::day{d}}.time_since_epoch().count();
}

// add_months as calendar.cpp computed it before the table, all in std::chrono.
Value add_months_by_chrono(Value date, int months) {
  const chr::year_month_day ymd{chr::sys_days{chr::days{date}}};
  const std::int64_t index = std::int64_t{static_cast<int>(ymd.year())} * 12 +
                             static_cast<unsigned>(ymd.month()) - 1 + months;
  const std::int64_t year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  if (year < static_cast<int>(chr::year::min()) || year > static_cast<int>(chr::year::max()))
    return kMissing;
  const chr::year_month ym = chr::year_month{ymd.year(), ymd.month()} + chr::months{months};
  const chr::day last = (ym / chr::last).day();
  return chr::sys_days{ym / std::min(ymd.day(), last)}.time_since_epoch().count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(civil_days_match_chrono_every_day_from_1900_to_2200) {
  std::size_t wrong = 0, days = 0;
  for (Value day = civil_day(1900, 1, 1); day <= civil_day(2200, 12, 31); ++day, ++days) {
    const chr::year_month_day want{chr::sys_days{chr::days{day}}};
    const civil::Ymd got = civil::from_days(day);
    const bool same = got.year == static_cast<int>(want.year()) &&
                      got.month == static_cast<unsigned>(want.month()) &&
                      got.day == static_cast<unsigned>(want.day()) &&
                      civil::to_days(got.year, got.month, got.day) == day &&
                      civil::days_in_month(got.year, got.month) ==
                          static_cast<unsigned>((want.year() / want.month() / chr::last).day());
    if (!same && ++wrong <= 5) BOOST_TEST(same, "day " << day << " (" << format_iso(day) << ")");
  }
  BOOST_TEST(wrong == 0u);
  BOOST_TEST(days == 109'938u);  // 301 years, 73 of them leap
}

BOOST_AUTO_TEST_CASE(civil_table_ends) {
  BOOST_TEST(civil::kFirstDay == civil_day(1600, 1, 1));
  BOOST_TEST(civil::kEndDay == civil_day(2400, 1, 1));
  BOOST_TEST(civil::covers_day(civil_day(1600, 1, 1)));
  BOOST_TEST(civil::covers_day(civil_day(2399, 12, 31)));
  BOOST_TEST(!civil::covers_day(civil_day(1599, 12, 31)));
  BOOST_TEST(!civil::covers_day(civil_day(2400, 1, 1)));
  for (const Value day :
       {civil_day(1600, 1, 1), civil_day(1600, 2, 29), civil_day(1700, 3, 1),
        civil_day(2399, 12, 31), civil_day(2000, 2, 29), civil_day(2100, 2, 28)}) {
    const chr::year_month_day want{chr::sys_days{chr::days{day}}};
    const civil::Ymd got = civil::from_days(day);
    BOOST_TEST(got.year == static_cast<int>(want.year()));
    BOOST_TEST(got.month == static_cast<unsigned>(want.month()));
    BOOST_TEST(got.day == static_cast<unsigned>(want.day()));
  }
}

BOOST_AUTO_TEST_CASE(add_months_matches_chrono) {
  std::size_t wrong = 0;
  auto check = [&](Value day, int months) {
    const Value got = add_months(day, months), want = add_months_by_chrono(day, months);
    if (got != want && ++wrong <= 5)
      BOOST_TEST(got == want, format_iso(day) << " + " << months << " months");
  };
  for (Value day = civil_day(1900, 1, 1); day <= civil_day(2200, 12, 31); ++day) {
    for (const int months : {-1201, -25, -13, -12, -11, -1, 0, 1, 2, 6, 11, 12, 13, 24, 1200})
      check(day, months);
  }
  // Across the table's ends, where the general code takes over.
  for (const Value day : {civil_day(1600, 1, 31), civil_day(1601, 3, 31), civil_day(2399, 12, 31),
                          civil_day(2398, 10, 31), civil_day(1, 1, 1), civil_day(9999, 12, 31)}) {
    for (int months = -30; months <= 30; ++months) check(day, months);
    for (const int months : {-120000, -9600, 9600, 120000, 2'000'000'000, -2'000'000'000})
      check(day, months);
  }
  BOOST_TEST(wrong == 0u);
  BOOST_TEST(add_months(kMissing, 3) == kMissing);
  BOOST_TEST(add_months(civil_day(2018, 8, 31), 6) == civil_day(2019, 2, 28));
}
