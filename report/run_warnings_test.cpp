// Run-time warnings: which records each holds for (missing counts as no, a fault is said), the
// lines printed for them with the file, row and key, and the limit of lines per warning.
#define BOOST_TEST_MODULE run_warnings
#include <boost/test/unit_test.hpp>

#include <string>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "report/run_warnings.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

const Value kAsOf = 17791;  // 2018-09-17

const char* kPolicy = R"(policy "Warnings"
record School
  field urn: integer, key
  field score: number?
  field big: integer
warn high "The score is over 10" when score > 10 cite "s1"
warn huge "Negative square" when big * big < 0
output
  column urn
)";

struct Run {
  std::unique_ptr<CompiledPolicy> compiled;
  DataSet data;
};

Run run(const std::string& csv) {
  Run r;
  CompileResult c = compile_policy_text("w.policy", kPolicy);
  BOOST_REQUIRE(c.compiled);
  r.compiled = std::move(c.compiled);
  BindResult bound = bind_records("w.csv", csv, r.compiled->schema);
  BOOST_REQUIRE(bound.errors.empty());
  r.data = std::move(bound.data);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(missing_is_no_and_a_fault_is_said) {
  // Row 3 has no score: missing, so no warning. Row 4's square overflows.
  Run r = run("urn,score,big\n100001,11,1\n100002,,1\n100003,12,4000000000000\n");
  const auto raised = find_warnings(*r.compiled, r.data, kAsOf);
  BOOST_REQUIRE_EQUAL(raised.size(), 3u);
  BOOST_TEST(raised[0].warning == 0u);
  BOOST_TEST(raised[0].record == 0u);
  BOOST_TEST(raised[1].warning == 0u);
  BOOST_TEST(raised[1].record == 2u);
  BOOST_TEST(raised[2].warning == 1u);
  BOOST_TEST((raised[2].fault == EvalFault::Overflow));
  BOOST_TEST(render_warnings(*r.compiled, r.data, "w.csv", raised) ==
             "w.csv:2:-: warning: [high] The score is over 10 (urn 100001)\n"
             "w.csv:4:-: warning: [high] The score is over 10 (urn 100003)\n"
             "w.csv:4:-: warning: [huge] could not work out whether it holds: " +
                 describe(EvalFault::Overflow) + " (urn 100003)\n");
  // One record only, as `explain` asks.
  const auto one = find_warnings(*r.compiled, r.data, kAsOf, 2, 3);
  BOOST_REQUIRE_EQUAL(one.size(), 2u);
  BOOST_TEST(one[0].record == 2u);
  BOOST_TEST(find_warnings(*r.compiled, r.data, kAsOf, 1, 2).empty());
}

BOOST_AUTO_TEST_CASE(at_most_the_limit_of_lines_each_then_a_count) {
  std::string csv = "urn,score,big\n";
  for (int i = 0; i < 5; ++i) csv += std::to_string(100001 + i) + ",20,1\n";
  Run r = run(csv);
  const auto raised = find_warnings(*r.compiled, r.data, kAsOf);
  BOOST_REQUIRE_EQUAL(raised.size(), 5u);
  BOOST_TEST(render_warnings(*r.compiled, r.data, "w.csv", raised, 3) ==
             "w.csv:2:-: warning: [high] The score is over 10 (urn 100001)\n"
             "w.csv:3:-: warning: [high] The score is over 10 (urn 100002)\n"
             "w.csv:4:-: warning: [high] The score is over 10 (urn 100003)\n"
             "w.csv: warning: [high] ... and 2 more schools\n");
  BOOST_TEST(render_warnings(*r.compiled, r.data, "w.csv", raised, 4)
                 .ends_with("w.csv: warning: [high] ... and 1 more school\n"));
  BOOST_TEST(render_warnings(*r.compiled, r.data, "w.csv", raised, 5).find("more") ==
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_policy_without_warnings_finds_none) {
  CompileResult c = compile_policy_text(
      "p.policy", "policy \"P\"\nrecord R\n  field urn: integer, key\noutput\n  column urn\n");
  BOOST_REQUIRE(c.compiled);
  BindResult bound = bind_records("p.csv", "urn\n100001\n", c.compiled->schema);
  BOOST_REQUIRE(bound.errors.empty());
  BOOST_TEST(find_warnings(*c.compiled, bound.data, kAsOf).empty());
}
