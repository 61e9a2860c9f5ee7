// Tests of report/value_format: how each type is written as text, described for explanations,
// and typed for JSON, with expectations worked by hand (decimals are fixed-point, 6 places).
#define BOOST_TEST_MODULE value_format
#include <boost/test/unit_test.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "report/value_format.hpp"
#include "tests/support/policy_fixture.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

const char* const kPolicy = R"(policy "Formats"

enumeration Phase: primary, secondary
scale Grade from best to worst: "1" "Outstanding", "2" "Good", "3" "Requires improvement"

record School
  field urn: integer, key
  field phase: Phase
  field grade: Grade?
  field share: percent?
  field year: academic year

output
  column urn
  column phase
  column grade
  column share
  column year
)";

struct Fixture {
  std::unique_ptr<CompiledPolicy> compiled = test::compile_or_fail("formats.policy", kPolicy);
  TextPool text;
  ValueFormatter format() const { return {compiled->policy, text}; }
  // The type of output column `c`, as the writers see it.
  const lang::Type& type(std::size_t c) const { return compiled->policy.outputs.at(c).type; }
};

Value dec(std::string_view s) {
  return *decimal::parse(s);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(decimals_are_written_exactly_without_trailing_zeros, Fixture) {
  const auto f = format();
  BOOST_TEST(f.format(dec("2.50"), lang::kNumber) == "2.5");
  BOOST_TEST(f.format(dec("-0.25"), lang::kNumber) == "-0.25");
  BOOST_TEST(f.format(dec("100.000"), lang::kInteger) == "100");
  BOOST_TEST(f.format(dec("0.000001"), lang::kNumber) == "0.000001");
  // A percentage is the number of percent: 62.5 means 62.5%, with no sign written.
  BOOST_TEST(f.format(dec("62.5"), type(3)) == "62.5");
  BOOST_TEST((type(3).base == lang::BaseType::Percent));
}

BOOST_FIXTURE_TEST_CASE(decimals_in_json_are_numbers_only_when_no_digit_is_lost, Fixture) {
  const auto f = format();
  // Whole numbers are JSON integers; 2.5 and 0.1 print back exactly as doubles.
  BOOST_TEST(f.json(dec("100"), lang::kInteger).dump() == "100");
  BOOST_TEST(f.json(dec("-3"), lang::kNumber).dump() == "-3");
  BOOST_TEST(f.json(dec("2.5"), lang::kNumber).dump() == "2.5");
  BOOST_TEST(f.json(dec("0.1"), lang::kNumber).dump() == "0.1");
  // 0.000001 prints as 1e-06 as a double, so it stays text; so do the 19 digits of the largest.
  BOOST_TEST(f.json(dec("0.000001"), lang::kNumber).dump() == "\"0.000001\"");
  BOOST_TEST(f.json(dec("9223372036854.775807"), lang::kNumber).dump() ==
             "\"9223372036854.775807\"");
}

BOOST_FIXTURE_TEST_CASE(dates_and_academic_years, Fixture) {
  const auto f = format();
  BOOST_TEST(f.format(date_from_ymd(2018, 9, 7), lang::kDate) == "2018-09-07");
  BOOST_TEST(f.format(date_from_ymd(2020, 2, 29), lang::kDate) == "2020-02-29");
  BOOST_TEST(f.json(date_from_ymd(2018, 9, 7), lang::kDate).dump() == "\"2018-09-07\"");
  // An academic year is stored as the year it starts; the end is written with two digits.
  BOOST_TEST(f.format(2017, type(4)) == "2017/18");
  BOOST_TEST(f.format(1999, type(4)) == "1999/00");
  BOOST_TEST(f.format(2009, type(4)) == "2009/10");
}

BOOST_FIXTURE_TEST_CASE(missing_values, Fixture) {
  const auto f = format();
  // Written empty (a CSV cell with nothing in it), null in JSON, `missing` in explanations.
  for (const auto& t : {lang::kNumber, lang::kDate, lang::kText, lang::kBoolean, type(2)}) {
    BOOST_TEST(f.format(kMissing, t) == "");
    BOOST_TEST(f.json(kMissing, t).is_null());
    BOOST_TEST(f.describe(kMissing, t) == "missing");
  }
}

BOOST_FIXTURE_TEST_CASE(booleans_text_and_enumerations, Fixture) {
  auto f = format();
  BOOST_TEST(f.format(1, lang::kBoolean) == "yes");
  BOOST_TEST(f.format(0, lang::kBoolean) == "no");
  BOOST_TEST(f.json(1, lang::kBoolean).dump() == "true");
  const Value name = text.intern("St Mary's, \"Upper\"");
  BOOST_TEST(f.format(name, lang::kText) == "St Mary's, \"Upper\"");
  BOOST_TEST(f.json(name, lang::kText).dump() == R"("St Mary's, \"Upper\"")");
  // Members are written by key, in declaration order; a description is added only to describe.
  BOOST_TEST(f.format(1, type(1)) == "secondary");
  BOOST_TEST(f.describe(1, type(1)) == "secondary");
  BOOST_TEST(f.format(1, type(2)) == "2");
  BOOST_TEST(f.describe(1, type(2)) == "2 (Good)");
  BOOST_TEST(f.json(2, type(2)).dump() == "\"3\"");  // a key, not a number, though it looks one
  std::string out = "grade ";
  f.append(out, 0, type(2));
  BOOST_TEST(out == "grade 1");
}

// Durations (issue 16): one canonical form wherever they are printed.
BOOST_FIXTURE_TEST_CASE(durations_have_one_canonical_form, Fixture) {
  const auto f = format();
  using lang::DurationUnit;
  BOOST_TEST(f.duration(dec("0.5"), lang::kNumber, DurationUnit::Days) == "half a day");
  BOOST_TEST(f.duration(dec("1"), lang::kInteger, DurationUnit::Days) == "1 day");
  BOOST_TEST(f.duration(dec("2"), lang::kInteger, DurationUnit::Days) == "2 days");
  BOOST_TEST(f.duration(dec("1.5"), lang::kNumber, DurationUnit::Days) == "1.5 days");
  BOOST_TEST(f.duration(dec("1"), lang::kNumber, DurationUnit::Hours) == "1 hour");
  BOOST_TEST(f.duration(dec("2"), lang::kInteger, DurationUnit::Hours) == "2 hours");
  BOOST_TEST(f.duration(dec("0"), lang::kInteger, DurationUnit::Days) == "0 days");
  BOOST_TEST(f.duration(kMissing, lang::kInteger, DurationUnit::Days) == "");
  // No unit: the old text form, or any value, as format() writes it.
  BOOST_TEST(f.duration(dec("2"), lang::kInteger, DurationUnit::None) == "2");
}
