// The one ISO date parser (lang/date.hpp): what it accepts, what it refuses and why, and that it
// agrees with the formatter over the whole range.
#define BOOST_TEST_MODULE date
#include <boost/test/unit_test.hpp>

#include "base/date.hpp"

using namespace catengine;

BOOST_AUTO_TEST_CASE(reads_real_days) {
  BOOST_TEST(parse_iso_date("1970-01-01").value() == 0);
  BOOST_TEST(parse_iso_date("2018-09-17").value() == date_from_ymd(2018, 9, 17));
  BOOST_TEST(parse_iso_date("2020-02-29").value() == date_from_ymd(2020, 2, 29));
  BOOST_TEST(parse_iso_date("0001-01-01").value() == kFirstDate);
  BOOST_TEST(parse_iso_date("9999-12-31").value() == kLastDate);
}

BOOST_AUTO_TEST_CASE(says_why_a_text_is_not_a_date) {
  Value out = 42;
  BOOST_TEST((parse_iso_date("-018-09-17", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("+2018-09-17", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("2018-9-17", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date(" 2018-09-17", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("2018-09-17 ", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("17/09/2018", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("2018-09-1x", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("2018-0a-17", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("", out) == DateProblem::NotIso));
  BOOST_TEST((parse_iso_date("2019-02-29", out) == DateProblem::NoSuchDate));
  BOOST_TEST((parse_iso_date("2018-13-01", out) == DateProblem::NoSuchDate));
  BOOST_TEST((parse_iso_date("2018-00-10", out) == DateProblem::NoSuchDate));
  BOOST_TEST((parse_iso_date("2018-09-00", out) == DateProblem::NoSuchDate));
  BOOST_TEST((parse_iso_date("2018-09-31", out) == DateProblem::NoSuchDate));
  BOOST_TEST((parse_iso_date("0000-01-01", out) == DateProblem::OutOfRange));
  BOOST_TEST((parse_iso_date("0000-12-31", out) == DateProblem::OutOfRange));
  BOOST_TEST(out == 42);  // untouched on every failure
  BOOST_TEST(!parse_iso_date("0000-01-01").has_value());
}

BOOST_AUTO_TEST_CASE(formats_what_it_reads_over_the_whole_range) {
  // Every 97th day from 0001-01-01 to 9999-12-31, and the last day itself.
  for (Value d = kFirstDate; d <= kLastDate; d += 97) {
    const std::string text = format_iso(d);
    BOOST_TEST_REQUIRE(parse_iso_date(text).value() == d, text);
  }
  BOOST_TEST(format_iso(kLastDate) == "9999-12-31");
  BOOST_TEST(format_iso(kMissing).empty());
}
