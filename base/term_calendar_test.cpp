// Term calendars: the periods a term and a half term cover, counting "every term" from a date in
// term or in a holiday, and each kind of badly ordered list refused with its row.
#define BOOST_TEST_MODULE term_calendar
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "base/date.hpp"
#include "base/term_calendar.hpp"

using namespace catengine;

namespace {

Value term_day(std::string_view iso) {
  return parse_iso_date(iso).value();
}

std::vector<TermCalendar::HalfTerm> one_year() {
  return {{"Autumn 2024", 1, term_day("2024-09-04"), term_day("2024-10-25"), 2},
          {"Autumn 2024", 2, term_day("2024-11-04"), term_day("2024-12-20"), 3},
          {"Spring 2025", 1, term_day("2025-01-06"), term_day("2025-02-14"), 4},
          {"Spring 2025", 2, term_day("2025-02-24"), term_day("2025-04-04"), 5},
          {"Summer 2025", 1, term_day("2025-04-22"), term_day("2025-05-23"), 6},
          {"Summer 2025", 2, term_day("2025-06-02"), term_day("2025-07-22"), 7}};
}

std::string next_end(const TermCalendar& cal, std::string_view from, TermCalendar::Step step) {
  const auto r = cal.end_of_next(term_day(from), step);
  return r ? format_iso(*r) : "not covered";
}

}  // namespace

BOOST_AUTO_TEST_CASE(terms_join_their_halves) {
  std::string error;
  auto cal = TermCalendar::from_half_terms("t", one_year(), error);
  BOOST_REQUIRE_MESSAGE(cal, error);
  BOOST_TEST(cal->periods(TermCalendar::Step::Term).size() == 3u);
  BOOST_TEST(cal->periods(TermCalendar::Step::HalfTerm).size() == 6u);
  BOOST_TEST(cal->periods(TermCalendar::Step::Term)[1].label == "Spring 2025");
  BOOST_TEST(format_iso(cal->periods(TermCalendar::Step::Term)[1].ends) == "2025-04-04");
  BOOST_TEST(cal->periods(TermCalendar::Step::HalfTerm)[1].label == "Autumn 2024, second half");
}

BOOST_AUTO_TEST_CASE(every_term_is_due_by_the_end_of_the_next) {
  std::string error;
  auto cal = TermCalendar::from_half_terms("t", one_year(), error);
  BOOST_REQUIRE(cal);
  using S = TermCalendar::Step;
  BOOST_TEST(next_end(*cal, "2024-09-04", S::Term) == "2025-04-04");
  BOOST_TEST(next_end(*cal, "2024-12-20", S::Term) == "2025-04-04");
  // In the Christmas holiday: the term that ended last was autumn, so spring comes next.
  BOOST_TEST(next_end(*cal, "2024-12-27", S::Term) == "2025-04-04");
  BOOST_TEST(next_end(*cal, "2024-10-30", S::HalfTerm) == "2024-12-20");
  BOOST_TEST(next_end(*cal, "2025-02-24", S::HalfTerm) == "2025-05-23");
  // No term after summer 2025 is listed, and nothing before autumn 2024: never a guess.
  BOOST_TEST(next_end(*cal, "2025-05-01", S::Term) == "not covered");
  BOOST_TEST(next_end(*cal, "2025-06-02", S::HalfTerm) == "not covered");
  BOOST_TEST(next_end(*cal, "2024-09-03", S::HalfTerm) == "not covered");
  BOOST_TEST(*cal->end_of_next(kMissing, S::Term) == kMissing);
}

BOOST_AUTO_TEST_CASE(refuses_lists_out_of_order_with_the_row) {
  auto message = [](std::vector<TermCalendar::HalfTerm> rows) {
    std::string error;
    BOOST_TEST(!TermCalendar::from_half_terms("t", std::move(rows), error));
    return error;
  };
  BOOST_TEST(message({}) == "term calendar `t` lists no terms");
  auto rows = one_year();
  std::swap(rows[2].starts, rows[2].ends);
  BOOST_TEST(message(rows) ==
             "term calendar `t`, row 4: `Spring 2025` ends on 2025-01-06, before it starts on "
             "2025-02-14");
  rows = one_year();
  rows[3].starts = term_day("2025-02-14");
  BOOST_TEST(
      message(rows).starts_with("term calendar `t`, row 5: `Spring 2025` starts on "
                                "2025-02-14, not after the half term listed before"));
  rows = one_year();
  rows.pop_back();
  BOOST_TEST(
      message(rows) ==
      "term calendar `t`, row 6: `Summer 2025` has a first half but no second half after it");
  rows = one_year();
  rows[1].term = "Winter 2024";
  BOOST_TEST(
      message(rows) ==
      "term calendar `t`, row 2: `Autumn 2024` has a first half but no second half after it");
  rows = one_year();
  rows[4].term = rows[5].term = "Autumn 2024";
  BOOST_TEST(message(rows) == "term calendar `t`, row 6: `Autumn 2024` is listed twice");
}
