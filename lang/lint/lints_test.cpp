// Lints: one small policy per lint with the exact findings expected, clean results on the shipped
// policies, and soundness: a rule the lint calls unreachable never fires, and a condition it
// calls never (or always) yes never is (or always is), on the examples and on random records.
#define BOOST_TEST_MODULE lints
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/check_command.hpp"
#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/reference_evaluator.hpp"
#include "lang/lint/lints.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;

using catengine::test::Random;
using catengine::test::slurp;

namespace {

// "W0101 12:8 message" for each lint of a policy given as text.
std::vector<std::string> lints_of(const std::string& text) {
  CompileResult r = compile_policy_text("test.policy", text);
  for (const auto& d : r.diagnostics) BOOST_TEST_MESSAGE(d.message);
  BOOST_REQUIRE(r.compiled);
  std::vector<std::string> out;
  for (const auto& d : lang::lint(r.compiled->policy)) {
    const auto at = r.compiled->sources.file(d.span.file).locate(d.span.begin);
    out.push_back(
        fmt::format("{} {}:{} {}", lang::info(d.kind).code, at.line, at.column, d.message));
  }
  return out;
}

const char* kHead = R"(policy "Lint test"
use stdlib.ofsted
enumeration Phase: primary, secondary, special
record School
  field urn: integer, key
  field phase: Phase
  field ofsted_overall: Grade?
  field attainment: percent
  field flagged: boolean
  field results_year: integer
)";

std::string policy(const std::string& body, const std::string& columns) {
  return std::string(kHead) + body + "output\n  column urn\n" + columns;
}

using Lines = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(unreachable_rule_names_the_rules_that_cover_it) {
  const auto found = lints_of(policy(
      R"(decide band: integer by first match
  rule B1 "Inadequate" when ofsted_overall is 4 then 3
  rule B2 "Weak" when ofsted_overall in [3, 4] then 2
  rule B3 "Also inadequate" when ofsted_overall is 4 and flagged then 3
  rule B4 "Rest" otherwise 1
)",
      "  column band\n  column x = phase is primary and attainment > 1 and results_year > 1\n"));
  BOOST_TEST(found == (Lines{"W0101 14:8 rule `B3` of `band` can never apply: every record it "
                             "matches is taken by an "
                             "earlier rule (`B1`)"}),
             boost::test_tools::per_element());
}

// Of several earlier rules that can match some of its records, W0101 names only a minimal set
// that takes all of them: the earliest ones that suffice, not every rule before it.
BOOST_AUTO_TEST_CASE(unreachable_rule_names_only_a_minimal_cover) {
  const auto found = lints_of(policy(
      R"(decide band: integer by first match
  rule C1 "Flagged" when flagged then 1
  rule C2 "Primary" when phase is primary then 2
  rule C3 "Inadequate" when ofsted_overall is 4 then 3
  rule C4 "Not flagged" when not flagged then 4
  rule C5 "Rest" otherwise 0
decide kind: integer by first match
  rule K1 "Primary" when phase is primary then 1
  rule K2 "Inadequate" when ofsted_overall is 4 then 2
  rule K3 "Flagged" when flagged then 3
  rule K4 "Secondary" when phase is secondary then 4
  rule K5 "Flagged secondary" when phase is secondary and flagged then 5
  rule K6 "Rest" otherwise 0
)",
      "  column band\n  column kind\n  column x = attainment > 1 and results_year > 1\n"));
  BOOST_TEST(found == (Lines{"W0101 16:8 rule `C5` of `band` can never apply: every record is "
                             "taken by an earlier rule (`C1` and `C4`)",
                             "W0101 22:8 rule `K5` of `kind` can never apply: every record it "
                             "matches is taken by an earlier rule (`K3`)"}),
             boost::test_tools::per_element());
}

// `all of [...]` and `any of [...]` read as chains of `and` and `or`: the lints see into them.
BOOST_AUTO_TEST_CASE(any_of_and_all_of_are_in_the_lints_domain) {
  const auto found = lints_of(policy(
      R"(decide band: integer by first match
  rule B1 "Inadequate or flagged" when any of [ofsted_overall is 4, flagged] then 3
  rule B2 "Inadequate and flagged" when all of [flagged, ofsted_overall is 4] then 2
  rule B3 "Rest" otherwise 1
)",
      "  column band\n  column x = phase is primary and attainment > 1 and results_year > 1\n"));
  BOOST_TEST(found == (Lines{"W0101 13:8 rule `B2` of `band` can never apply: every record it "
                             "matches is taken by an earlier rule (`B1`)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(overlap_in_a_unique_match_decision_gives_an_example) {
  const auto found = lints_of(policy(R"(decide size: integer by unique match
  rule S1 "Low" when attainment < 50 then 1
  rule S2 "Middle" when attainment between 40 and 70 then 2
  rule S3 "High" when attainment > 70 then 3
  rule S4 "Rest" otherwise 0
)",
                                     "  column size\n  column x = phase is primary and "
                                     "ofsted_overall is 1 and flagged and results_year > 1\n"));
  BOOST_TEST(
      found ==
          (Lines{
              "W0102 13:8 rules `S1` and `S2` of `size` can both apply, but it is decided by "
              "unique "
              "match: for example when `attainment` is `40`",
              "W0101 15:8 rule `S4` of `size` can never apply: every record is taken by an earlier "
              "rule (`S1`, `S2` and `S3`)"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gap_without_otherwise_gives_an_example_record) {
  const auto found = lints_of(
      policy(R"(decide label: integer by first match
  rule L1 "Primary" when phase is primary then 1
  rule L2 "Secondary and good" when phase is secondary and (ofsted_overall at least 2) if missing no then 2
)",
             "  column label\n  column x = attainment > 1 and flagged and results_year > 1\n"));
  BOOST_TEST(
      found == (Lines{"W0103 11:8 `label` leaves some records with no outcome: no rule applies "
                      "when `phase` "
                      "is `secondary` and `ofsted_overall` is `3`, and there is no `otherwise`"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_gap_that_depends_on_a_definition_is_only_possible) {
  const auto found = lints_of(policy(R"(define weak: boolean = attainment < 50
decide label: integer by first match
  rule L1 "Weak" when weak then 1
)",
                                     "  column label\n  column x = phase is primary and "
                                     "ofsted_overall is 1 and flagged and results_year > 1\n"));
  BOOST_TEST(
      found ==
          (Lines{"W0103 12:8 `label` may leave some records with no outcome: no rule applies when "
                 "`weak` is `no`, and there is no `otherwise`"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(parameter_gaps_and_lookups_that_can_miss) {
  const auto found = lints_of(policy(R"(parameter floor: percent by year
  2014 to 2015: 65
  2017: 60
define below: boolean =
  if results_year between 2014 and 2016 then attainment < floor of results_year if missing no else no
define later: boolean = attainment < floor of 2019 if missing no
)",
                                     "  column below\n  column later\n  column x = phase is "
                                     "primary and ofsted_overall is 1 and flagged\n"));
  BOOST_TEST(
      found ==
          (Lines{"W0108 13:3 `floor` has no value for 2016, between its entries for 2015 and 2017",
                 "W0109 15:59 `floor` has no value for 2016, but this lookup can be reached when "
                 "`results_year` is `2016`",
                 "W0109 16:38 `floor` has no value for 2019, so this lookup is always missing"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_lookup_its_guard_keeps_inside_the_table_is_clean) {
  const auto found = lints_of(policy(R"(parameter floor: percent by year
  2014: 65
  2015: 65
define below: boolean =
  if results_year between 2014 and 2015 then attainment < floor of results_year if missing no else no
define open: boolean = attainment < floor of results_year if missing no
)",
                                     "  column below\n  column open\n  column x = phase is primary "
                                     "and ofsted_overall is 1 and flagged\n"));
  BOOST_TEST(found.empty(), found.size()
                                << " findings, first: " << (found.empty() ? "" : found[0]));
}

BOOST_AUTO_TEST_CASE(unused_names) {
  const auto found = lints_of(R"(policy "Unused"
use stdlib.ofsted
use stdlib.calendar
record School
  field urn: integer, key
  field note: text
  field kept: text, shown
  field grade: Grade?
parameter rate: number by year
  2014: 1
define spare: boolean = grade is 1
output
  column urn
)");
  BOOST_TEST(
      found ==
          (Lines{
              "W0106 3:1 nothing from `stdlib.calendar` is used",
              "W0107 6:9 the field `note` of `School` is read from the data, but no rule or output "
              "column uses it",
              "W0105 9:11 the parameter `rate` is never looked up",
              "W0104 11:8 `spare` is defined but nothing reads it"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(what_only_a_warning_reads_is_used) {
  // `note` and `spare` are read by nothing but the warning: neither W0107 nor W0104 fires.
  const auto found = lints_of(R"(policy "Warned"
record School
  field urn: integer, key
  field note: text?
  field score: number?
define spare: boolean = score > 10 if missing no
warn unexplained "A high score without a note" when spare and note is missing
output
  column urn
)");
  BOOST_TEST(found == Lines{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_warning_that_is_never_or_always_given) {
  const auto found =
      lints_of(policy(R"(warn never "Never" when attainment > 100
warn always "Always" when flagged or not flagged
)",
                      "  column phase\n  column ofsted_overall\n  column results_year\n"));
  BOOST_TEST(
      found == (Lines{"W0111 11:25 the condition of warning `never` is never yes, so the "
                      "warning is never given",
                      "W0110 12:27 the condition of warning `always` is yes for every record, so "
                      "it is given for every school"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(conditions_always_or_never_yes) {
  const auto found = lints_of(policy(R"(decide kind: integer by first match
  rule K1 "Any phase" when phase in [primary, secondary] or phase is special then 1
  rule K2 "Rest" otherwise 0
define impossible: boolean = if attainment > 100 then flagged else no
)",
                                     "  column kind\n  column impossible\n  column x = "
                                     "ofsted_overall is 1 and results_year > 1\n"));
  BOOST_TEST(
      found ==
          (Lines{
              "W0110 12:28 the condition of rule `K1` is yes for every record, so the rules after "
              "it "
              "never apply",
              "W0101 13:8 rule `K2` of `kind` can never apply: every record is taken by an earlier "
              "rule (`K1`)",
              "W0111 14:33 this `if` condition is never yes, so the `then` value is never used"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_values_follow_the_language) {
  // `and` with a missing operand is missing, but `if missing no` catches it; `is` never gives
  // missing, so after `is 4` and `is not 4` nothing is left for R5.
  const auto found = lints_of(policy(
      R"(decide a: integer by first match
  rule R1 "Bad" when (ofsted_overall is 4 and flagged) if missing no then 1
  rule R2 "Rest" when flagged then 2
  rule R3 "Four" when ofsted_overall is 4 then 3
  rule R4 "Not four" when ofsted_overall is not 4 then 4
  rule R5 "Never" otherwise 0
)",
      "  column a\n  column x = phase is primary and attainment > 1 and results_year > 1\n"));
  BOOST_TEST(found == (Lines{"W0101 16:8 rule `R5` of `a` can never apply: every record is taken "
                             "by an earlier rule "
                             "(`R3` and `R4`)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(shipped_policies_and_modules_are_clean) {
  for (const char* p : {"/policies/peterborough", "/policies/gloucestershire"}) {
    auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + p);
    BOOST_REQUIRE(r.compiled);
    std::vector<std::string> messages;
    for (const auto& d : lang::lint(r.compiled->policy)) {
      // Gloucestershire keeps `phase` and `group` for people reading the data; see docs/check.md.
      if (std::string(p) == "/policies/gloucestershire" && d.kind == lang::DiagnosticKind::W0107)
        continue;
      messages.push_back(d.message);
    }
    BOOST_TEST(messages.empty(), p << ": " << (messages.empty() ? "" : messages[0]));
  }
}

// ---- Soundness --------------------------------------------------------------------------------

namespace {

std::vector<Value> random_record(const lang::CheckedPolicy& p, Random& rnd, TextPool& text) {
  std::vector<Value> row;
  for (const auto& f : p.record.fields) {
    if (!f.required && f.missing_means == kMissing && rnd.chance(20)) {
      row.push_back(kMissing);
      continue;
    }
    switch (f.type.base) {
      case lang::BaseType::Integer:
        row.push_back(decimal::from_integer(rnd.chance(50) ? 2010 + rnd.below(12)
                                                           : 100000 + rnd.below(900000)));
        break;
      case lang::BaseType::Number:
        row.push_back((rnd.below(4001) - 2000) * 1000);
        break;
      case lang::BaseType::Percent:
        row.push_back(rnd.below(1001) * 100000);
        break;
      case lang::BaseType::Boolean:
        row.push_back(rnd.below(2));
        break;
      case lang::BaseType::Text:
        row.push_back(text.intern(fmt::format("school {}", rnd.below(50))));
        break;
      case lang::BaseType::Date:
        row.push_back(16000 + rnd.below(3000));
        break;
      case lang::BaseType::AcademicYear:
        row.push_back(2012 + rnd.below(8));
        break;
      case lang::BaseType::Enum:
        row.push_back(rnd.below(static_cast<int>(p.enums[f.type.enum_id].members.size())));
        break;
      default:
        row.push_back(kMissing);
    }
  }
  return row;
}

// What the lint claims about rules: never fires, or its condition is always/never yes.
struct Claims {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> never_fires;  // (decision, rule)
  std::vector<std::pair<std::uint32_t, std::uint32_t>> always_yes;
  std::size_t count = 0;
};

Claims claims_of(const lang::CheckedPolicy& p) {
  Claims c;
  const std::regex unreachable("rule `([^`]+)` of `([^`]+)` can never apply.*");
  const std::regex condition(
      "the condition of rule `([^`]+)` is (never yes|yes for every record).*");
  auto find_rule = [&](const std::string& id,
                       const std::string* decision) -> std::pair<std::uint32_t, std::uint32_t> {
    for (std::uint32_t d = 0; d < p.definitions.size(); ++d) {
      if (decision != nullptr && p.definitions[d].name != *decision) continue;
      for (std::uint32_t k = 0; k < p.definitions[d].rules.size(); ++k) {
        if (p.definitions[d].rules[k].id == id) return {d, k};
      }
    }
    BOOST_FAIL("no rule " << id);
    return {0, 0};
  };
  for (const auto& d : lang::lint(p)) {
    std::smatch m;
    if (d.kind == lang::DiagnosticKind::W0101 && std::regex_match(d.message, m, unreachable)) {
      const std::string decision = m[2];
      c.never_fires.push_back(find_rule(m[1], &decision));
      ++c.count;
    } else if ((d.kind == lang::DiagnosticKind::W0110 || d.kind == lang::DiagnosticKind::W0111) &&
               std::regex_match(d.message, m, condition)) {
      auto rule = find_rule(m[1], nullptr);
      if (m[2] == "never yes")
        c.never_fires.push_back(rule);
      else
        c.always_yes.push_back(rule);
      ++c.count;
    }
  }
  return c;
}

void check_claims(const CompiledPolicy& c, const Claims& claims, DataSet& data,
                  std::size_t random_records) {
  const Value as_of = 17791;  // 2018-09-17
  ReferenceEvaluator ref(c.policy, c.program.calendars, data.text, as_of);
  Random rnd{42};
  auto check_one = [&](const Value* fields, const std::string& label) {
    ref.reset(fields);
    for (auto [d, k] : claims.never_fires) {
      auto fired = ref.fired_rule(d);
      if (ref.fault() != EvalFault::None) return;
      BOOST_CHECK_MESSAGE(!fired || *fired != k, label << ": rule "
                                                       << c.policy.definitions[d].rules[k].id
                                                       << " said never to apply, but it did");
    }
    for (auto [d, k] : claims.always_yes) {
      const Value v = ref.eval(c.policy.definitions[d].rules[k].condition);
      if (ref.fault() != EvalFault::None) return;
      BOOST_CHECK_MESSAGE(v == 1, label << ": the condition of "
                                        << c.policy.definitions[d].rules[k].id
                                        << " said always yes, but it was not");
    }
  };
  for (std::size_t i = 0; i < data.size(); ++i)
    check_one(data.row(i).data(), fmt::format("row {}", data.source_row[i]));
  for (std::size_t i = 0; i < random_records; ++i) {
    auto row = random_record(c.policy, rnd, data.text);
    check_one(row.data(), fmt::format("random record {}", i));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(claims_hold_on_the_shipped_policies) {
  struct Case {
    const char* policy;
    std::vector<const char*> data;
  };
  for (const Case& k :
       {Case{"/policies/peterborough",
             {"/examples/peterborough/schools.csv", "/policies/peterborough/tests/rules.csv"}},
        Case{"/policies/gloucestershire", {"/examples/gloucestershire/schools.csv"}}}) {
    auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + k.policy);
    BOOST_REQUIRE(r.compiled);
    const Claims claims = claims_of(r.compiled->policy);
    for (const char* file : k.data) {
      const std::string path = std::string(CATENGINE_SOURCE_DIR) + file;
      BindResult bound = bind_records(path, slurp(path), r.compiled->schema);
      BOOST_REQUIRE(bound.errors.empty());
      check_claims(*r.compiled, claims, bound.data, 20000);
    }
  }
}

BOOST_AUTO_TEST_CASE(claims_hold_on_a_policy_full_of_them) {
  auto r = compile_policy_text("test.policy", policy(R"(decide a: integer by first match
  rule R1 "Bad" when (ofsted_overall is 4 and flagged) if missing no then 1
  rule R2 "Flagged" when flagged then 2
  rule R3 "Four" when ofsted_overall is 4 then 3
  rule R4 "Three or four" when ofsted_overall in [3, 4] and not flagged then 4
  rule R5 "Primary" when phase is primary or ofsted_overall is missing then 5
  rule R6 "Not four" when ofsted_overall is not 4 then 6
  rule R7 "Never" otherwise 0
decide b: integer by first match
  rule B1 "High" when attainment > 60 and results_year between 2014 and 2016 then 1
  rule B2 "Low" when attainment <= 60 then 2
  rule B3 "Too high" when attainment > 100 then 3
  rule B4 "Covered" when attainment > 60 and results_year between 2015 and 2015 then 4
  rule B5 "Any" when phase in [primary, secondary, special] then 5
  rule B6 "Never" otherwise 0
)",
                                                     "  column a\n  column b\n"));
  BOOST_REQUIRE(r.compiled);
  const Claims claims = claims_of(r.compiled->policy);
  // R7; B3 (never yes); B4 (covered by B1); B5 (always yes); B6 (after B5).
  BOOST_TEST(claims.count == 5u);
  DataSet data;
  check_claims(*r.compiled, claims, data, 20000);
}

// ---- SARIF ------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sarif_has_the_properties_2_1_0_requires) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  BOOST_REQUIRE(out != nullptr && err != nullptr);
  CheckOptions options;
  options.paths = {
      std::string(CATENGINE_SOURCE_DIR) + "/tests/golden/check_unreachable_rule/policy.policy",
      std::string(CATENGINE_SOURCE_DIR) + "/tests/golden/check_parameter_hole/policy.policy"};
  options.format = "sarif";
  BOOST_TEST(run_check(options, Console{out, err, false, false}) == 0);
  std::rewind(out);
  std::string text;
  for (int c; (c = std::fgetc(out)) != EOF;) text += static_cast<char>(c);
  std::fclose(out);
  std::fclose(err);
  const auto doc = nlohmann::json::parse(text);
  BOOST_TEST(doc.at("version") == "2.1.0");
  BOOST_TEST(doc.at("$schema") == "https://json.schemastore.org/sarif-2.1.0.json");
  BOOST_REQUIRE(doc.at("runs").size() == 1u);
  const auto& run = doc.at("runs")[0];
  BOOST_TEST(run.at("tool").at("driver").at("name") == "catengine");
  std::set<std::string> rule_ids;
  for (const auto& rule : run.at("tool").at("driver").at("rules"))
    rule_ids.insert(rule.at("id").get<std::string>());
  BOOST_TEST((rule_ids == std::set<std::string>{"W0101", "W0108", "W0109"}));
  BOOST_REQUIRE(run.at("results").size() == 3u);
  for (const auto& r : run.at("results")) {
    BOOST_TEST(rule_ids.count(r.at("ruleId").get<std::string>()) == 1u);
    BOOST_TEST(r.at("level") == "warning");
    BOOST_TEST(!r.at("message").at("text").get<std::string>().empty());
    const auto& loc = r.at("locations").at(0).at("physicalLocation");
    BOOST_TEST(
        loc.at("artifactLocation").at("uri").get<std::string>().find("tests/golden/check_") !=
        std::string::npos);
    BOOST_TEST(loc.at("region").at("startLine").get<int>() >= 1);
    BOOST_TEST(loc.at("region").at("startColumn").get<int>() >= 1);
  }
  const auto& first =
      run.at("results")[0].at("locations").at(0).at("physicalLocation").at("region");
  BOOST_TEST(first.at("startLine") == 13);
  BOOST_TEST(first.at("startColumn") == 8);
  BOOST_TEST(first.at("endColumn") == 10);
}

// Issue 16: a test for missing that ends its chain (lang/check/chains.hpp) is in the lints'
// domain. With no grade, R1's chain is no (not missing), so `not` of it is yes and R1 takes
// every record R2 matches; a strict `and` would have left R1 missing there and R2 reachable.
// The claim holds on random records, and R3 (grade 4) is reachable.
BOOST_AUTO_TEST_CASE(a_test_for_missing_that_ends_a_chain_is_in_the_lints_domain) {
  const std::string text = policy(
      R"(decide a: integer by first match
  rule R1 "Not clearly inadequate" when not (ofsted_overall is not missing and ofsted_overall is 4)
    then 1
  rule R2 "No grade" when ofsted_overall is missing then 2
  rule R3 "Rest" otherwise 0
)",
      "  column a\n  column x = phase is primary and attainment > 1 and flagged and "
      "results_year > 1\n");
  BOOST_TEST(lints_of(text) == (Lines{"W0101 14:8 rule `R2` of `a` can never apply: every record "
                                      "it matches is taken by an earlier rule (`R1`)"}),
             boost::test_tools::per_element());
  auto r = compile_policy_text("test.policy", text);
  BOOST_REQUIRE(r.compiled);
  const Claims claims = claims_of(r.compiled->policy);
  BOOST_TEST(claims.count == 1u);
  DataSet data;
  check_claims(*r.compiled, claims, data, 5000);
}
