// Tests of lang/decimal: exact parsing, formatting and checked arithmetic of scaled decimals.
#define BOOST_TEST_MODULE decimal
#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>

#include "base/value.hpp"

using namespace catengine;

namespace {

constexpr Value kMax = std::numeric_limits<Value>::max();

Value p(std::string_view text) {
  const std::optional<Value> v = decimal::parse(text);
  BOOST_REQUIRE_MESSAGE(v, "`" << text << "` did not parse");
  return *v;
}

bool rejects(std::string_view text) {
  return !decimal::parse(text).has_value();
}

// The value of a result that must not have overflowed.
Value ok(std::optional<Value> v) {
  BOOST_REQUIRE(v);
  return *v;
}

std::string f(std::optional<Value> v) {
  return decimal::format(ok(v));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parse)

BOOST_AUTO_TEST_CASE(accepts_plain_decimals) {
  BOOST_TEST(p("64.9") == 64'900'000);
  BOOST_TEST(p("5") == 5'000'000);
  BOOST_TEST(p("-0.5") == -500'000);
  BOOST_TEST(p("+3") == 3'000'000);
  BOOST_TEST(p("0.000001") == 1);
  BOOST_TEST(p("1.000000") == 1'000'000);  // six places, trailing zeros allowed
  BOOST_TEST(p("007") == 7'000'000);       // leading zeros are accepted
  BOOST_TEST(p("-0") == 0);                // negative zero is plain zero
}

BOOST_AUTO_TEST_CASE(rejects_what_it_documents) {
  BOOST_TEST(rejects("1e5"));  // no exponent
  BOOST_TEST(rejects("1."));   // a point needs digits after it
  BOOST_TEST(rejects(".5"));   // and before it
  BOOST_TEST(rejects("-.5"));
  BOOST_TEST(rejects(""));
  BOOST_TEST(rejects("-"));
  BOOST_TEST(rejects("+"));
  BOOST_TEST(rejects("1,000"));  // no thousands separators
  BOOST_TEST(rejects(" 1"));     // no spaces
  BOOST_TEST(rejects("1 "));
  BOOST_TEST(rejects("--1"));
  BOOST_TEST(rejects("1.2.3"));
  BOOST_TEST(rejects("0x10"));
  BOOST_TEST(rejects("12%"));
  // More than six places is rejected even when the extra digits are zeros: the parser counts
  // digits rather than rounding, so precision is never lost silently.
  BOOST_TEST(rejects("0.0000001"));
  BOOST_TEST(rejects("1.1000000"));
}

BOOST_AUTO_TEST_CASE(range) {
  BOOST_TEST(p("9223372036854.775807") == kMax);
  BOOST_TEST(p("-9223372036854.775807") == -kMax);
  BOOST_TEST(rejects("9223372036854.775808"));
  BOOST_TEST(rejects("-9223372036854.775808"));  // would be kMissing
  BOOST_TEST(rejects("9223372036855"));
  BOOST_TEST(rejects("99999999999999999999999999999999999999999"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(arithmetic)

BOOST_AUTO_TEST_CASE(add_and_subtract_exactly) {
  BOOST_TEST(ok(decimal::sub(p("64.9"), p("5"))) == p("59.9"));
  BOOST_TEST(f(decimal::sub(p("64.9"), p("5"))) == "59.9");
  BOOST_TEST(ok(decimal::add(p("0.1"), p("0.2"))) == p("0.3"));
  BOOST_TEST(f(decimal::add(p("0.1"), p("0.2"))) == "0.3");
  BOOST_TEST(f(decimal::sub(p("0.5"), p("1"))) == "-0.5");
  BOOST_TEST(f(decimal::add(p("-0.25"), p("0.25"))) == "0");
}

BOOST_AUTO_TEST_CASE(multiply_and_divide_round_half_away_from_zero) {
  BOOST_TEST(f(decimal::mul(p("1.5"), p("2"))) == "3");
  BOOST_TEST(f(decimal::mul(p("0.000001"), p("0.5"))) == "0.000001");
  BOOST_TEST(f(decimal::mul(p("-0.000001"), p("0.5"))) == "-0.000001");
  BOOST_TEST(f(decimal::mul(p("0.000001"), p("0.4"))) == "0");
  BOOST_TEST(f(decimal::div(p("1"), p("3"))) == "0.333333");
  BOOST_TEST(f(decimal::div(p("2"), p("3"))) == "0.666667");
  BOOST_TEST(f(decimal::div(p("-2"), p("3"))) == "-0.666667");
  BOOST_TEST(f(decimal::div(p("2"), p("-3"))) == "-0.666667");
  BOOST_TEST(f(decimal::div(p("59.9"), p("100"))) == "0.599");
}

BOOST_AUTO_TEST_CASE(overflow_and_division_by_zero) {
  BOOST_TEST(!decimal::add(kMax, 1));
  BOOST_TEST(!decimal::sub(-kMax, 1));  // the result would be kMissing's bit pattern
  BOOST_TEST(ok(decimal::sub(-kMax, 0)) == -kMax);
  BOOST_TEST(!decimal::mul(p("10000000"), p("10000000")));
  BOOST_TEST(!decimal::mul(kMax, p("-2")));
  BOOST_TEST(ok(decimal::mul(kMax, p("1"))) == kMax);
  BOOST_TEST(!decimal::div(p("1"), 0));
  BOOST_TEST(!decimal::div(kMax, p("0.5")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(format_shortest_exact_form) {
  BOOST_TEST(decimal::format(p("-0.25")) == "-0.25");
  BOOST_TEST(decimal::format(p("100")) == "100");
  BOOST_TEST(decimal::format(p("0.000001")) == "0.000001");
  BOOST_TEST(decimal::format(p("-0.000001")) == "-0.000001");
  BOOST_TEST(decimal::format(p("59.900000")) == "59.9");
  BOOST_TEST(decimal::format(0) == "0");
  BOOST_TEST(decimal::format(decimal::from_integer(-5)) == "-5");
  BOOST_TEST(decimal::format(kMax) == "9223372036854.775807");
  BOOST_TEST(decimal::format(-kMax) == "-9223372036854.775807");
  BOOST_TEST(decimal::format(kMissing) == "");
}

BOOST_AUTO_TEST_CASE(format_then_parse_round_trips) {
  for (const char* text : {"0", "1", "-1", "59.9", "0.3", "-0.25", "123456.789012", "0.000001"}) {
    BOOST_TEST(decimal::format(p(text)) == text);
  }
}
