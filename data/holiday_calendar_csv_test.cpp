// Reading `date,title` holiday files through the one CSV reader: byte-order marks, CRLF, quoted
// titles, any order, and each kind of bad file named with its line.
#define BOOST_TEST_MODULE holiday_calendar_csv
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

#include "base/date.hpp"
#include "data/holiday_calendar_csv.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

Value d(std::string_view iso) {
  return parse_iso_date(iso).value();
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_crlf_bom_quotes_and_any_order) {
  std::string error;
  auto cal = read_holiday_calendar(
      "t",
      "\xEF\xBB\xBF"
      "date,title\r\n2019-12-25,Christmas Day\r\n2018-05-28,\"Spring, bank \"\"holiday\"\"\"\r\n",
      error);
  BOOST_REQUIRE_MESSAGE(cal, error);
  BOOST_TEST(cal->first_year() == 2018);
  BOOST_TEST(cal->last_year() == 2019);
  BOOST_TEST(format_iso(cal->holidays()[0]) == "2018-05-28");
  BOOST_TEST(cal->holiday_title(d("2018-05-28")) == "Spring, bank \"holiday\"");
  BOOST_TEST(cal->holiday_title(d("2019-12-25")) == "Christmas Day");
}

BOOST_AUTO_TEST_CASE(rejects_bad_files_with_the_line) {
  auto message = [](std::string_view text) {
    std::string error;
    auto cal = read_holiday_calendar("t", text, error);
    BOOST_TEST(!cal);
    return error;
  };
  BOOST_TEST(message("day,name\n2018-01-01,x\n") ==
             "holiday calendar `t`, line 1: expected the header `date,title`, found `day,name`");
  BOOST_TEST(message("date,title\n2018-02-30,x\n") ==
             "holiday calendar `t`, line 2: expected a date as YYYY-MM-DD then a comma and a "
             "title, found `2018-02-30,x`");
  BOOST_TEST(message("date,title\n01/01/2018,x\n").find("line 2") != std::string::npos);
  BOOST_TEST(message("date,title\n2018-01-01\n").find("line 2") != std::string::npos);
  BOOST_TEST(message("date,title\n2018-01-01,\n") ==
             "holiday calendar `t`, line 2: the holiday on 2018-01-01 has an empty title");
  BOOST_TEST(message("date,title\n2018-01-01,\"x\n").find("line 2: the line is badly quoted") !=
             std::string::npos);
  BOOST_TEST(message("date,title\n2018-01-01,a,b\n").find("line 2") != std::string::npos);
  BOOST_TEST(message("date,title\n2018-01-01,a\n2018-01-01,b\n") ==
             "holiday calendar `t`, line 3: 2018-01-01 is already listed on line 2");
  BOOST_TEST(message("date,title\n2018-01-01,a\n2020-01-01,b\n") ==
             "holiday calendar `t` lists no holidays in 2019, between 2018 and 2020");
  BOOST_TEST(message("date,title\n") == "holiday calendar `t` lists no holidays");
  BOOST_TEST(message("") == "holiday calendar `t` lists no holidays");
}
