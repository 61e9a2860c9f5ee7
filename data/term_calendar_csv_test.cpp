// Reading `term,half,starts,ends` term-date files through the one CSV reader: the shipped example
// file, and each kind of bad file named with its file, row and column.
#define BOOST_TEST_MODULE term_calendar_csv
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "base/date.hpp"
#include "data/term_calendar_csv.hpp"

using namespace catengine;
using namespace catengine::engine;

BOOST_AUTO_TEST_CASE(reads_the_example_term_dates) {
  std::ifstream in(CATENGINE_SOURCE_DIR "/stdlib/calendars/example-term-dates-2024-2027.csv");
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  auto cal = read_term_calendar("example_terms", "example.csv", text.str(), error);
  BOOST_REQUIRE_MESSAGE(cal, error);
  BOOST_TEST(cal->periods(TermCalendar::Step::Term).size() == 9u);
  BOOST_TEST(format_iso(cal->first_day()) == "2024-09-04");
  BOOST_TEST(format_iso(cal->last_day()) == "2027-07-21");
}

BOOST_AUTO_TEST_CASE(reads_crlf_bom_and_quotes) {
  std::string error;
  auto cal = read_term_calendar("t", "t.csv",
                                "\xEF\xBB\xBF"
                                "term,half,starts,ends\r\n\"Autumn, 2024\",1,2024-09-04,2024-10-25"
                                "\r\n\"Autumn, 2024\",2,2024-11-04,2024-12-20\r\n",
                                error);
  BOOST_REQUIRE_MESSAGE(cal, error);
  BOOST_TEST(cal->periods(TermCalendar::Step::Term)[0].label == "Autumn, 2024");
}

BOOST_AUTO_TEST_CASE(names_file_row_and_column) {
  auto message = [](std::string_view text) {
    std::string error;
    BOOST_TEST(!read_term_calendar("t", "terms.csv", text, error));
    return error;
  };
  BOOST_TEST(message("") ==
             "term calendar `t` (terms.csv) is empty; it needs the header `term,half,starts,ends` "
             "and one half term a row");
  BOOST_TEST(message("term,starts,ends\n") ==
             "term calendar `t` (terms.csv), row 1: expected the header `term,half,starts,ends`, "
             "found `term,starts,ends`");
  BOOST_TEST(message("term,half,starts,ends\nAutumn 2024,3,2024-09-04,2024-10-25\n") ==
             "term calendar `t` (terms.csv), row 2, column `half`: expected 1 or 2 (the first or "
             "second half), found `3`");
  BOOST_TEST(message("term,half,starts,ends\nAutumn 2024,1,2024-09-04,25/10/2024\n") ==
             "term calendar `t` (terms.csv), row 2, column `ends`: expected a date as YYYY-MM-DD, "
             "found `25/10/2024`");
  BOOST_TEST(message("term,half,starts,ends\n,1,2024-09-04,2024-10-25\n") ==
             "term calendar `t` (terms.csv), row 2, column `term`: expected the term's name, e.g. "
             "`Autumn 2024`, found ``");
  BOOST_TEST(message("term,half,starts,ends\nAutumn 2024,1,2024-09-04\n") ==
             "term calendar `t` (terms.csv), row 2: expected 4 cells (term,half,starts,ends), "
             "found 3");
  BOOST_TEST(message("term,half,starts,ends\nAutumn 2024,1,2024-09-04,2024-10-25\n") ==
             "term calendar `t` (terms.csv), row 2: `Autumn 2024` has a first half but no second "
             "half after it");
}
