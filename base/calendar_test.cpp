// Tests of base/calendar: hand-worked working-day counts across Christmas, Easter and bank
// holidays, month-end clamping, Easter against the shipped bank-holiday file, terms.
#define BOOST_TEST_MODULE calendar
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/calendar.hpp"
#include "data/holiday_calendar_csv.hpp"
#include "system/atomic_file.hpp"

using namespace catengine;

namespace {

Value d(std::string_view iso) {
  const Value v = date_from_ymd(std::stoi(std::string(iso.substr(0, 4))),
                                static_cast<unsigned>(std::stoi(std::string(iso.substr(5, 2)))),
                                static_cast<unsigned>(std::stoi(std::string(iso.substr(8, 2)))));
  BOOST_REQUIRE_MESSAGE(v != kMissing, "test date " << iso << " is not a date");
  return v;
}

std::string shipped_csv() {
  std::string error;
  auto text = read_file(CATENGINE_SOURCE_DIR "/stdlib/calendars/england-and-wales.csv", error);
  BOOST_REQUIRE_MESSAGE(text, error);
  return *text;
}

const HolidayCalendar& england() {
  static const HolidayCalendar cal = [] {
    std::string error;
    auto parsed = engine::read_holiday_calendar("england-and-wales", shipped_csv(), error);
    BOOST_REQUIRE_MESSAGE(parsed, error);
    return *parsed;
  }();
  return cal;
}

// The date of the n-th working day, as ISO text, so failures print readably.
std::string working(std::string_view from, int n) {
  const WorkingDayResult r = add_working_days(england(), d(from), n);
  BOOST_REQUIRE_EQUAL(r.uncovered_year, 0);
  return format_iso(r.date);
}

std::string months(std::string_view from, int n) {
  return format_iso(add_months(d(from), n));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dates)

BOOST_AUTO_TEST_CASE(format_and_parse_round_trip) {
  BOOST_TEST(format_iso(0) == "1970-01-01");
  BOOST_TEST(format_iso(-1) == "1969-12-31");
  BOOST_TEST(date_from_ymd(1970, 1, 1) == 0);
  BOOST_TEST(format_iso(date_from_ymd(2018, 9, 16)) == "2018-09-16");
  BOOST_TEST(format_iso(date_from_ymd(5, 1, 2)) == "0005-01-02");
  BOOST_TEST(format_iso(kMissing) == "");
  const auto ymd = to_ymd(d("2020-02-29"));
  BOOST_TEST(static_cast<int>(ymd.year()) == 2020);
  BOOST_TEST(static_cast<unsigned>(ymd.month()) == 2u);
  BOOST_TEST(static_cast<unsigned>(ymd.day()) == 29u);
  BOOST_TEST(!to_ymd(kMissing).ok());
}

BOOST_AUTO_TEST_CASE(invalid_dates_are_missing) {
  BOOST_TEST(date_from_ymd(2019, 2, 29) == kMissing);
  BOOST_TEST(date_from_ymd(2100, 2, 29) == kMissing);
  BOOST_TEST(date_from_ymd(2000, 2, 29) != kMissing);
  BOOST_TEST(date_from_ymd(2018, 13, 1) == kMissing);
  BOOST_TEST(date_from_ymd(2018, 0, 1) == kMissing);
  BOOST_TEST(date_from_ymd(2018, 4, 31) == kMissing);
  BOOST_TEST(date_from_ymd(2018, 1, 0) == kMissing);
  BOOST_TEST(date_from_ymd(2018, 1, 300) == kMissing);
  BOOST_TEST(date_from_ymd(100000, 1, 1) == kMissing);
}

BOOST_AUTO_TEST_CASE(days_and_weeks) {
  BOOST_TEST(format_iso(add_days(d("2018-12-31"), 1)) == "2019-01-01");
  BOOST_TEST(format_iso(add_days(d("2020-03-01"), -1)) == "2020-02-29");
  BOOST_TEST(format_iso(add_weeks(d("2018-09-17"), 6)) == "2018-10-29");
  BOOST_TEST(format_iso(add_weeks(d("2018-09-17"), 52)) == "2019-09-16");
  BOOST_TEST(format_iso(add_weeks(d("2018-09-17"), -13)) == "2018-06-18");
  BOOST_TEST(add_days(kMissing, 1) == kMissing);
  BOOST_TEST(add_weeks(kMissing, 1) == kMissing);
}

BOOST_AUTO_TEST_CASE(months_clamp_to_the_last_day) {
  BOOST_TEST(months("2018-08-31", 6) == "2019-02-28");  // the spec's example, non-leap
  BOOST_TEST(months("2019-08-31", 6) == "2020-02-29");  // leap year
  BOOST_TEST(months("2020-01-31", 1) == "2020-02-29");
  BOOST_TEST(months("2019-01-31", 1) == "2019-02-28");
  BOOST_TEST(months("2024-02-29", 12) == "2025-02-28");
  BOOST_TEST(months("2024-02-29", 48) == "2028-02-29");
  BOOST_TEST(months("2018-03-31", 1) == "2018-04-30");
  BOOST_TEST(months("2018-09-16", 12) == "2019-09-16");
  BOOST_TEST(months("2018-11-30", 2) == "2019-01-30");
  BOOST_TEST(months("2018-12-15", 1) == "2019-01-15");
  BOOST_TEST(months("2018-05-31", 0) == "2018-05-31");
}

BOOST_AUTO_TEST_CASE(negative_months) {
  BOOST_TEST(months("2019-03-31", -1) == "2019-02-28");
  BOOST_TEST(months("2020-03-31", -1) == "2020-02-29");
  BOOST_TEST(months("2019-02-28", -6) == "2018-08-28");  // clamping does not undo itself
  BOOST_TEST(months("2018-01-15", -13) == "2016-12-15");
  BOOST_TEST(months("2018-01-31", -2) == "2017-11-30");
  BOOST_TEST(add_months(kMissing, 1) == kMissing);
  BOOST_TEST(add_months(d("2018-01-01"), 2'000'000'000) == kMissing);  // beyond chrono's years
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(easter)

BOOST_AUTO_TEST_CASE(every_good_friday_and_easter_monday_in_the_csv) {
  int good_fridays = 0;
  int easter_mondays = 0;
  for (const Value day : england().holidays()) {
    const int year = static_cast<int>(to_ymd(day).year());
    const std::string title = england().holiday_title(day);
    if (title == "Good Friday") {
      BOOST_TEST(format_iso(good_friday(year)) == format_iso(day));
      ++good_fridays;
    } else if (title == "Easter Monday") {
      BOOST_TEST(format_iso(add_days(easter_sunday(year), 1)) == format_iso(day));
      ++easter_mondays;
    }
  }
  BOOST_TEST(good_fridays == 14);  // 2014 to 2027
  BOOST_TEST(easter_mondays == 14);
}

BOOST_AUTO_TEST_CASE(known_easters_outside_the_csv) {
  BOOST_TEST(format_iso(easter_sunday(2000)) == "2000-04-23");
  BOOST_TEST(format_iso(easter_sunday(2038)) == "2038-04-25");  // latest possible
  BOOST_TEST(format_iso(easter_sunday(2285)) == "2285-03-22");  // earliest possible
  BOOST_TEST(format_iso(easter_sunday(1818)) == "1818-03-22");
  BOOST_TEST(format_iso(good_friday(2016)) == "2016-03-25");
  BOOST_TEST(easter_sunday(1582) == kMissing);  // before the Gregorian calendar
  BOOST_TEST(good_friday(1582) == kMissing);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(holiday_calendar)

BOOST_AUTO_TEST_CASE(shipped_calendar_covers_2014_to_2027) {
  BOOST_TEST(england().name() == "england-and-wales");
  BOOST_TEST(england().first_year() == 2014);
  BOOST_TEST(england().last_year() == 2027);
  BOOST_TEST(england().holidays().size() == 115u);
  BOOST_TEST(england().covers(2014));
  BOOST_TEST(england().covers(2027));
  BOOST_TEST(!england().covers(2013));
  BOOST_TEST(!england().covers(2028));
}

BOOST_AUTO_TEST_CASE(holidays_and_weekends) {
  BOOST_TEST(england().is_holiday(d("2018-12-25")));
  BOOST_TEST(england().holiday_title(d("2018-12-25")) == "Christmas Day");
  BOOST_TEST(england().holiday_title(d("2022-09-19")) ==
             "Bank Holiday for the State Funeral of Queen Elizabeth II");
  BOOST_TEST(england().holiday_title(d("2018-12-24")) == "");
  BOOST_TEST(!england().is_working_day(d("2018-12-25")));
  BOOST_TEST(!england().is_working_day(d("2018-09-15")));  // Saturday
  BOOST_TEST(!england().is_working_day(d("2018-09-16")));  // Sunday
  BOOST_TEST(england().is_working_day(d("2018-12-24")));
  BOOST_TEST(!england().is_working_day(kMissing));
  BOOST_TEST(!england().is_holiday(kMissing));
}

BOOST_AUTO_TEST_CASE(from_days_validates_what_any_reader_hands_it) {
  std::string error;
  auto cal = HolidayCalendar::from_days(
      "t", {{d("2019-12-25"), "Christmas Day", 2}, {d("2018-05-28"), "Spring bank holiday", 3}},
      error);
  BOOST_REQUIRE_MESSAGE(cal, error);
  BOOST_TEST(cal->first_year() == 2018);
  BOOST_TEST(cal->last_year() == 2019);
  BOOST_TEST(format_iso(cal->holidays()[0]) == "2018-05-28");
  BOOST_TEST(!HolidayCalendar::from_days("t", {}, error));
  BOOST_TEST(error == "holiday calendar `t` lists no holidays");
  BOOST_TEST(!HolidayCalendar::from_days(
      "t", {{d("2018-01-01"), "a", 2}, {d("2020-01-01"), "b", 7}}, error));
  BOOST_TEST(error == "holiday calendar `t` lists no holidays in 2019, between 2018 and 2020");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(working_days)

// Fri 14 Dec 2018: 17-21 (5), 24 (6), 25 and 26 holidays, 27-28 (8), 31 (9), 1 Jan holiday,
// 2-4 (12), 7-9 (15).
BOOST_AUTO_TEST_CASE(across_christmas) {
  BOOST_TEST(working("2018-12-14", 15) == "2019-01-09");
  BOOST_TEST(working("2018-12-24", 1) == "2018-12-27");
  BOOST_TEST(working("2018-12-31", 1) == "2019-01-02");
}

// From the Thursday before Good Friday: Good Friday and Easter Monday are skipped, and in 2017,
// 2019 and 2025 the Early May bank holiday too.
BOOST_AUTO_TEST_CASE(across_easter) {
  BOOST_TEST(working("2017-04-13", 1) == "2017-04-18");
  BOOST_TEST(working("2017-04-13", 15) == "2017-05-09");
  BOOST_TEST(working("2018-03-29", 1) == "2018-04-03");
  BOOST_TEST(working("2018-03-29", 15) == "2018-04-23");
  BOOST_TEST(working("2019-04-18", 1) == "2019-04-23");
  BOOST_TEST(working("2019-04-18", 15) == "2019-05-14");
  BOOST_TEST(working("2024-03-28", 1) == "2024-04-02");
  BOOST_TEST(working("2024-03-28", 15) == "2024-04-22");
  BOOST_TEST(working("2025-04-17", 1) == "2025-04-22");
  BOOST_TEST(working("2025-04-17", 15) == "2025-05-13");
}

BOOST_AUTO_TEST_CASE(from_the_day_before_a_bank_holiday) {
  // Fri 24 Aug 2018, before the Summer bank holiday on Mon 27: 28-31 (4), then three weeks.
  BOOST_TEST(working("2018-08-24", 15) == "2018-09-17");
  // Sun 27 May 2018, before the Spring bank holiday on Mon 28.
  BOOST_TEST(working("2018-05-27", 15) == "2018-06-18");
}

BOOST_AUTO_TEST_CASE(from_a_weekend) {
  BOOST_TEST(working("2018-09-15", 1) == "2018-09-17");  // Saturday to Monday
  BOOST_TEST(working("2018-09-15", 15) == "2018-10-05");
  BOOST_TEST(working("2018-09-16", 15) == "2018-10-05");  // Sunday, same answer
}

BOOST_AUTO_TEST_CASE(the_peterborough_notice_periods) {
  BOOST_TEST(working("2018-09-17", 15) == "2018-10-08");  // warning_due
  BOOST_TEST(working("2018-09-17", 20) == "2018-10-15");  // letter_due
}

BOOST_AUTO_TEST_CASE(zero_and_backwards) {
  BOOST_TEST(working("2018-12-25", 0) == "2018-12-25");
  BOOST_TEST(working("2018-12-27", -1) == "2018-12-24");
  BOOST_TEST(working("2014-01-03", -1) == "2014-01-02");
}

BOOST_AUTO_TEST_CASE(never_guesses_past_the_calendar) {
  // 10 Dec 2027: 13-24 (10), 27 and 28 substitute days, 29-31 (13), then 2028.
  WorkingDayResult r = add_working_days(england(), d("2027-12-10"), 15);
  BOOST_TEST(r.uncovered_year == 2028);
  BOOST_TEST(r.date == kMissing);
  BOOST_TEST(working("2027-12-30", 1) == "2027-12-31");
  BOOST_TEST(add_working_days(england(), d("2027-12-30"), 2).uncovered_year == 2028);
  BOOST_TEST(add_working_days(england(), d("2014-01-03"), -2).uncovered_year == 2013);
  BOOST_TEST(add_working_days(england(), d("2030-06-03"), 1).uncovered_year == 2030);
}

BOOST_AUTO_TEST_CASE(missing_start_stays_missing) {
  const WorkingDayResult r = add_working_days(england(), kMissing, 15);
  BOOST_TEST(r.date == kMissing);
  BOOST_TEST(r.uncovered_year == 0);
  BOOST_TEST(first_working_day_on_or_after(england(), kMissing).date == kMissing);
}

// The School Performance Profile send dates (Peterborough section 5).
BOOST_AUTO_TEST_CASE(first_working_day_on_or_after_a_date) {
  auto first = [](std::string_view iso) {
    const WorkingDayResult r = first_working_day_on_or_after(england(), d(iso));
    BOOST_REQUIRE_EQUAL(r.uncovered_year, 0);
    return format_iso(r.date);
  };
  BOOST_TEST(first("2018-09-15") == "2018-09-17");  // Saturday
  BOOST_TEST(first("2018-09-17") == "2018-09-17");  // a working day is itself
  BOOST_TEST(first("2018-12-25") == "2018-12-27");
  BOOST_TEST(first("2019-04-20") == "2019-04-23");  // Easter Saturday
  BOOST_TEST(first_working_day_on_or_after(england(), d("2028-01-10")).uncovered_year == 2028);
  BOOST_TEST(first_working_day_on_or_after(england(), d("2027-12-31")).date == d("2027-12-31"));
  BOOST_TEST(first("2027-12-25") == "2027-12-29");  // Christmas and Boxing Day substitutes
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(academic_year_and_terms)

BOOST_AUTO_TEST_CASE(academic_year) {
  BOOST_TEST(academic_year_start(d("2018-09-16")) == 2018);
  BOOST_TEST(academic_year_start(d("2018-09-01")) == 2018);
  BOOST_TEST(academic_year_start(d("2018-08-31")) == 2017);
  BOOST_TEST(academic_year_start(d("2019-01-01")) == 2018);
  BOOST_TEST(academic_year_start(d("2019-08-31")) == 2018);
  BOOST_CHECK_THROW(academic_year_start(kMissing), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(terms_around_easter) {
  // 2018: Good Friday 30 March.
  BOOST_TEST((term_of(d("2018-01-01")) == Term::Spring));
  BOOST_TEST((term_of(d("2018-03-30")) == Term::Spring));
  BOOST_TEST((term_of(d("2018-03-31")) == Term::Summer));
  // 2019: Good Friday 19 April, so 1 April is still spring.
  BOOST_TEST((term_of(d("2019-04-01")) == Term::Spring));
  BOOST_TEST((term_of(d("2019-04-19")) == Term::Spring));
  BOOST_TEST((term_of(d("2019-04-20")) == Term::Summer));
  // 2024: Good Friday 29 March.
  BOOST_TEST((term_of(d("2024-03-29")) == Term::Spring));
  BOOST_TEST((term_of(d("2024-03-30")) == Term::Summer));
  BOOST_TEST((term_of(d("2018-07-31")) == Term::Summer));
  BOOST_TEST((term_of(d("2018-09-01")) == Term::Autumn));
  BOOST_TEST((term_of(d("2018-12-31")) == Term::Autumn));
  BOOST_CHECK_THROW(term_of(kMissing), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(august_is_the_coming_autumn) {
  BOOST_TEST((term_of(d("2018-08-01")) == Term::Autumn));
  BOOST_TEST((term_of(d("2018-08-31")) == Term::Autumn));
  BOOST_TEST(format_iso(current_term_end(d("2018-08-01"))) == "2018-12-31");
  BOOST_TEST(format_iso(current_term_end(d("2018-08-31"))) == "2018-12-31");
}

BOOST_AUTO_TEST_CASE(current_term_end_is_the_next_end_date) {
  auto end = [](std::string_view iso) { return format_iso(current_term_end(d(iso))); };
  BOOST_TEST(end("2018-01-01") == "2018-03-30");
  BOOST_TEST(end("2018-03-30") == "2018-03-30");  // Good Friday itself
  BOOST_TEST(end("2018-03-31") == "2018-07-31");
  BOOST_TEST(end("2018-07-31") == "2018-07-31");
  BOOST_TEST(end("2018-09-16") == "2018-12-31");
  BOOST_TEST(end("2018-12-31") == "2018-12-31");
  BOOST_TEST(end("2019-01-01") == "2019-04-19");
  BOOST_TEST(end("2019-04-01") == "2019-04-19");
  BOOST_TEST(end("2019-04-20") == "2019-07-31");
  BOOST_TEST(end("2024-03-29") == "2024-03-29");
  BOOST_TEST(end("2024-04-01") == "2024-07-31");
  BOOST_TEST(end("2025-04-18") == "2025-04-18");
  BOOST_TEST(end("2025-04-19") == "2025-07-31");
  BOOST_TEST(current_term_end(kMissing) == kMissing);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(first_on_or_after_sorted_dates) {
  // Peterborough clinic dates for 2018/19.
  const std::vector<Value> clinics{d("2018-09-27"), d("2019-01-31"), d("2019-06-27")};
  BOOST_TEST(first_on_or_after(clinics, d("2018-09-17")) == d("2018-09-27"));
  BOOST_TEST(first_on_or_after(clinics, d("2019-01-31")) == d("2019-01-31"));  // the date itself
  BOOST_TEST(first_on_or_after(clinics, d("2018-09-28")) == d("2019-01-31"));
  BOOST_TEST(first_on_or_after(clinics, d("2019-06-27")) == d("2019-06-27"));
  BOOST_TEST(first_on_or_after(clinics, d("2019-06-28")) == kMissing);  // after the last
  BOOST_TEST(first_on_or_after({}, d("2019-06-28")) == kMissing);
  BOOST_TEST(first_on_or_after(clinics, kMissing) == kMissing);
}
