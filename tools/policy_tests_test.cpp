// Tests of engine/policy_tests: fixture discovery and as-of dates, cell comparison with
// explanations, rule coverage, `--update` rewrites, and the JUnit report.
#define BOOST_TEST_MODULE policy_tests
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "system/atomic_file.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/policy_tests.hpp"

using namespace catengine;
using namespace catengine::engine;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = CATENGINE_SOURCE_DIR;
const fs::path kSmall = kSource / "tests/golden/test_failing/policy";

std::string read(const fs::path& p) {
  std::string error;
  auto text = read_file(p, error);
  BOOST_REQUIRE(text);
  return *text;
}

std::unique_ptr<CompiledPolicy> compile(const fs::path& p) {
  CompileResult r = compile_policy(p);
  BOOST_REQUIRE(r.compiled);
  return std::move(r.compiled);
}

}  // namespace

BOOST_AUTO_TEST_CASE(dates_from_names_and_text) {
  BOOST_TEST(as_of_from_name("notices-2018-09-17") == date_from_ymd(2018, 9, 17));
  BOOST_TEST(as_of_from_name("rules") == kMissing);
  BOOST_TEST(as_of_from_name("x2018-09-17") == kMissing);  // needs the dash
  BOOST_TEST(as_of_from_name("a-2018-13-01") == kMissing);
}

BOOST_AUTO_TEST_CASE(discovery_takes_the_as_of_date_from_name_sidecar_or_folder) {
  test::TempDir dir("policy-tests");
  const fs::path t = dir.path / "tests";
  test::write_file(t / "a-2018-09-17.csv", "");
  test::write_file(t / "a-2018-09-17.expected.csv", "");
  test::write_file(t / "b.csv", "");
  test::write_file(t / "b.expected.csv", "");
  test::write_file(t / "b.as-of", "2018-12-14\n");
  test::write_file(t / "c.csv", "");
  test::write_file(t / "c.expected.csv", "");
  test::write_file(t / "d.expected.csv", "");  // no input
  test::write_file(t / "notes.csv", "");       // no expected file: not a fixture
  Discovery d = discover_fixtures(dir.path);
  BOOST_REQUIRE_EQUAL(d.fixtures.size(), 2u);
  BOOST_TEST(d.fixtures[0].name == "a-2018-09-17");
  BOOST_TEST(d.fixtures[0].as_of == date_from_ymd(2018, 9, 17));
  BOOST_TEST(d.fixtures[1].name == "b");
  BOOST_TEST(d.fixtures[1].as_of == date_from_ymd(2018, 12, 14));
  BOOST_TEST(d.fixtures[1].expected_path == (t / "b.expected.csv").string());
  BOOST_REQUIRE_EQUAL(d.errors.size(), 2u);
  BOOST_TEST(d.errors[0].find("fixture `" + (t / "c.csv").string() + "` has no as-of date") == 0u);
  BOOST_TEST(d.errors[1] == "`" + (t / "d.expected.csv").string() +
                                "` has no input file: expected `" + (t / "d.csv").string() +
                                "` beside it");

  test::write_file(t / "as-of", "2019-01-02");  // now c has a date too
  d = discover_fixtures(dir.path);
  BOOST_REQUIRE_EQUAL(d.fixtures.size(), 3u);
  BOOST_TEST(d.fixtures[2].as_of == date_from_ymd(2019, 1, 2));
}

// A policy with sources takes NAME.SOURCE.csv per source; one that `may be absent` may be left
// out, a required one may not (the error names the source and the file it looked for).
BOOST_AUTO_TEST_CASE(discovery_finds_one_file_per_source) {
  test::TempDir dir("policy-tests-sources");
  const fs::path t = dir.path / "tests";
  test::write_file(t / "as-of", "2026-01-05");
  test::write_file(t / "full.expected.csv", "");
  test::write_file(t / "full.gias.csv", "");
  test::write_file(t / "full.ofsted.csv", "");
  test::write_file(t / "full.overrides.csv", "");
  test::write_file(t / "lean.expected.csv", "");
  test::write_file(t / "lean.gias.csv", "");
  test::write_file(t / "lean.ofsted.csv", "");
  test::write_file(t / "short.expected.csv", "");
  test::write_file(t / "short.gias.csv", "");
  std::vector<SourceSpec> sources(3);
  sources[0].name = "gias";
  sources[0].title = "School list";
  sources[1].name = "ofsted";
  sources[1].title = "Inspections";
  sources[2].name = "overrides";
  sources[2].title = "Overrides";
  sources[2].may_be_absent = true;
  Discovery d = discover_fixtures(dir.path, sources);
  BOOST_REQUIRE_EQUAL(d.fixtures.size(), 2u);
  BOOST_TEST(d.fixtures[0].name == "full");
  BOOST_REQUIRE_EQUAL(d.fixtures[0].source_paths.size(), 3u);
  BOOST_TEST(d.fixtures[0].input_path == (t / "full.gias.csv").string());
  BOOST_TEST(d.fixtures[0].source_paths[2] == (t / "full.overrides.csv").string());
  BOOST_TEST(d.fixtures[1].name == "lean");
  BOOST_TEST(d.fixtures[1].source_paths[1] == (t / "lean.ofsted.csv").string());
  BOOST_TEST(d.fixtures[1].source_paths[2].empty());
  BOOST_REQUIRE_EQUAL(d.errors.size(), 1u);
  BOOST_TEST(d.errors[0] == "`" + (t / "short.expected.csv").string() +
                                "` has no file for source `ofsted` (Inspections): expected `" +
                                (t / "short.ofsted.csv").string() + "` beside it");
}

// The shipped report-card fixtures run through the join and pass.
BOOST_AUTO_TEST_CASE(report_card_fixtures_join_their_sources) {
  const fs::path policy = kSource / "policies/report-cards";
  auto compiled = compile(policy);
  Discovery d = discover_fixtures(policy, compiled->schema.sources);
  BOOST_TEST(d.errors.empty());
  BOOST_REQUIRE(!d.fixtures.empty());
  PolicyTestReport report = run_policy_tests(*compiled, "report-cards", d.fixtures, false);
  for (const auto& f : report.fixtures) {
    BOOST_TEST(f.errors.empty(), f.fixture.name);
    BOOST_TEST(f.failures.empty(), f.fixture.name);
  }
  BOOST_TEST(report.passed());
}

BOOST_AUTO_TEST_CASE(a_wrong_expectation_is_reported_with_its_explanation) {
  auto compiled = compile(kSmall);
  Discovery d = discover_fixtures(kSmall);
  BOOST_REQUIRE_EQUAL(d.fixtures.size(), 1u);
  PolicyTestReport report = run_policy_tests(*compiled, "small", d.fixtures, false);
  BOOST_REQUIRE_EQUAL(report.fixtures.size(), 1u);
  const FixtureResult& f = report.fixtures[0];
  BOOST_TEST(f.errors.empty());
  BOOST_TEST(f.records == 3u);
  BOOST_TEST(f.cells_checked == 15u);
  BOOST_REQUIRE_EQUAL(f.failures.size(), 1u);
  const CellFailure& c = f.failures[0];
  BOOST_TEST(c.record == 2u);
  BOOST_TEST(c.row == 4u);
  BOOST_TEST(c.key == "urn 1003");
  BOOST_TEST(c.column == "band");
  BOOST_TEST(c.expected == "medium");
  BOOST_TEST(c.actual == "low");
  BOOST_TEST(c.explanation.find("decided by rule B4 \"Low concern\"") != std::string::npos);
  BOOST_TEST(!report.passed());

  // Coverage: every rule but B3 (no record lacks a score) and both cadence intervals.
  BOOST_REQUIRE_EQUAL(report.coverage.size(), 6u);
  BOOST_TEST(report.reached() == 5u);
  BOOST_TEST(report.coverage_percent() == 500.0 / 6.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(report.coverage[2].label == "rule B3 \"No score\" of `band`");
  BOOST_TEST(!report.coverage[2].reached);
  BOOST_TEST(report.coverage[2].location == (kSmall / "small.policy").string() + ":18");
  BOOST_TEST(report.coverage[4].label ==
             "interval `every 4 weeks when band is high` of cadence `visit`");
  BOOST_TEST(report.coverage[4].reached);
}

BOOST_AUTO_TEST_CASE(numbers_compare_by_value) {
  test::TempDir dir("policy-tests");
  fs::copy(kSmall, dir.path, fs::copy_options::recursive);
  test::write_file(dir.path / "tests/small-2018-09-17.expected.csv",
                   "urn,band\n1001.0,high\n1002,medium\n1003,low\n");
  auto compiled = compile(dir.path);
  PolicyTestReport report =
      run_policy_tests(*compiled, "small", discover_fixtures(dir.path).fixtures, false);
  BOOST_TEST(report.fixtures[0].failures.empty());
  BOOST_TEST(report.fixtures[0].cells_checked == 6u);
  BOOST_TEST(report.passed());
}

BOOST_AUTO_TEST_CASE(unknown_columns_and_row_counts_are_input_errors) {
  test::TempDir dir("policy-tests");
  fs::copy(kSmall, dir.path, fs::copy_options::recursive);
  const fs::path expected = dir.path / "tests/small-2018-09-17.expected.csv";
  test::write_file(expected, "urn,bnad\n1001,high\n1002,medium\n1003,low\n");
  auto compiled = compile(dir.path);
  PolicyTestReport report =
      run_policy_tests(*compiled, "small", discover_fixtures(dir.path).fixtures, false);
  BOOST_REQUIRE_EQUAL(report.fixtures[0].errors.size(), 1u);
  BOOST_TEST(report.fixtures[0].errors[0] ==
             expected.string() +
                 ":1:bnad: the policy has no output column `bnad`; did you mean `band`?");
  test::write_file(expected, "urn,band\n1001,high\n");
  report = run_policy_tests(*compiled, "small", discover_fixtures(dir.path).fixtures, false);
  BOOST_REQUIRE_EQUAL(report.fixtures[0].errors.size(), 1u);
  BOOST_TEST(report.fixtures[0].errors[0].find("has 1 row of expected outputs but") !=
             std::string::npos);
  BOOST_TEST(!report.passed());
}

BOOST_AUTO_TEST_CASE(update_rewrites_expected_files_and_says_what_changed) {
  test::TempDir dir("policy-tests");
  fs::copy(kSmall, dir.path, fs::copy_options::recursive);
  const fs::path expected = dir.path / "tests/small-2018-09-17.expected.csv";
  auto compiled = compile(dir.path);
  PolicyTestReport report =
      run_policy_tests(*compiled, "small", discover_fixtures(dir.path).fixtures, true);
  const FixtureResult& f = report.fixtures[0];
  BOOST_TEST(f.rewritten);
  BOOST_TEST(f.failures.empty());
  BOOST_REQUIRE_EQUAL(f.changes.size(), 1u);
  BOOST_TEST(f.changes[0].key == "urn 1003");
  BOOST_TEST(f.changes[0].column == "band");
  BOOST_TEST(f.changes[0].old_value == "medium");
  BOOST_TEST(f.changes[0].new_value == "low");
  BOOST_TEST(report.passed());
  BOOST_TEST(read(expected) ==
             "urn,name,band,rule,next_visit\n"
             "1001,Alder School,high,B1,2018-10-01\n"
             "1002,Birch School,medium,B2,2018-09-17\n"
             "1003,Cedar School,low,B4,2018-08-24\n");
  // Now it passes, and a second update changes nothing.
  report = run_policy_tests(*compiled, "small", discover_fixtures(dir.path).fixtures, true);
  BOOST_TEST(report.fixtures[0].changes.empty());
  BOOST_TEST(!report.fixtures[0].rewritten);
}

BOOST_AUTO_TEST_CASE(junit_has_a_test_case_per_record) {
  auto compiled = compile(kSmall);
  PolicyTestReport report =
      run_policy_tests(*compiled, "small", discover_fixtures(kSmall).fixtures, false);
  const std::string xml = render_test_junit({report}, 90.0);
  BOOST_TEST(
      xml.find("<testsuites name=\"catengine test\" tests=\"4\" failures=\"2\" errors=\"0\">") !=
      std::string::npos);
  BOOST_TEST(xml.find("<testcase classname=\"small.small-2018-09-17\" name=\"urn 1001\"/>") !=
             std::string::npos);
  BOOST_TEST(
      xml.find("<failure message=\"urn 1003, column `band`: expected `medium`, found `low`\">") !=
      std::string::npos);
  BOOST_TEST(xml.find("<failure message=\"coverage 83.3% is below the threshold 90.0%\">") !=
             std::string::npos);
  const std::string text = render_test_text({report}, std::nullopt);
  BOOST_TEST(text.find("failed: 1 failed of 3 records\n") != std::string::npos);
}
