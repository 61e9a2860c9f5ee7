// Tests of report/explanation: the one explanation model for one Peterborough school (Westwood
// Vale Primary Academy, URN 140233, as of 2018-09-17), worked by hand from its row of
// examples/peterborough/schools.csv and the policy's rules, and the text and JSON renderings of it.
#define BOOST_TEST_MODULE explanation
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "base/calendar.hpp"
#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/cadence_interval.hpp"
#include "eval/reference_evaluator.hpp"
#include "report/explanation.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = CATENGINE_SOURCE_DIR;

struct Westwood {
  std::unique_ptr<CompiledPolicy> compiled;
  DataSet data;
  std::size_t record = 0;
  RecordExplanation e;

  // Another school of the same file, by URN, where a test needs other figures.
  explicit Westwood(std::int64_t school = 140233) {
    CompileResult r = compile_policy(kSource / "policies/peterborough/peterborough.policy");
    BOOST_REQUIRE_MESSAGE(r.compiled, lang::render_all(r.diagnostics, r.sources));
    compiled = std::move(r.compiled);
    const std::string csv = test::slurp(kSource / "examples/peterborough/schools.csv");
    BindResult bound = bind_records("schools.csv", csv, compiled->schema);
    BOOST_REQUIRE(bound.errors.empty());
    data = std::move(bound.data);
    const auto& fields = compiled->policy.record.fields;
    const auto urn = static_cast<std::size_t>(
        std::ranges::find(fields, std::string("urn"), &lang::FieldInfo::name) - fields.begin());
    while (record < data.size() && data.row(record)[urn] != school * decimal::kScale) ++record;
    BOOST_REQUIRE(record < data.size());
    e = explain_record(*compiled, data, record, date_from_ymd(2018, 9, 17));
  }

  const DefinitionExplanation& definition(const std::string& name) const {
    const auto d = std::ranges::find(e.definitions, name, &DefinitionExplanation::name);
    BOOST_REQUIRE_MESSAGE(d != e.definitions.end(), "no definition `" << name << "`");
    return *d;
  }
};

std::string output(const RecordExplanation& e, const std::string& column) {
  for (const auto& [name, value] : e.outputs) {
    if (name == column) return value;
  }
  BOOST_FAIL("no output column `" << column << "`");
  return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_model_says_which_rule_fired_and_what_it_read) {
  const Westwood w;
  // Row 12 of the spreadsheet: the header is row 1, and this school is the eleventh record.
  BOOST_TEST(w.e.row == 12u);
  BOOST_TEST(w.e.fault.empty());
  BOOST_TEST(output(w.e, "category") == "3b");
  BOOST_TEST(output(w.e, "rule") == "R6");
  BOOST_TEST(output(w.e, "warning_due") == "");  // missing is written empty

  // Ofsted judged it 3 (requires improvement); la_leadership 4 makes leadership weak, so R6
  // ("requires improvement, with a further cause for concern") gives 3b. R1 to R5 were tried first.
  const auto& category = w.definition("category");
  BOOST_TEST(category.is_decision);
  BOOST_TEST(category.value == "3b (Requires improvement, school causing concern)");
  BOOST_REQUIRE(category.rules.size() == 6u);
  for (std::size_t k = 0; k < 5; ++k) {
    BOOST_TEST(category.rules[k].id == "R" + std::to_string(k + 1));
    BOOST_TEST(!category.rules[k].fired);
  }
  const auto& r6 = category.rules[5];
  BOOST_TEST(r6.id == "R6");
  BOOST_TEST(r6.fired);
  BOOST_TEST(r6.cite == "Specification, section 3, R6");
  BOOST_REQUIRE(r6.parts.size() == 2u);
  BOOST_TEST(r6.parts[0].text == "ofsted_overall is 3");
  BOOST_TEST(r6.parts[0].value == "yes");
  auto read = [&](const std::string& name) {
    const auto it = std::ranges::find(r6.reads, name, &ValueRead::name);
    BOOST_REQUIRE_MESSAGE(it != r6.reads.end(), "R6 did not read `" << name << "`");
    return *it;
  };
  BOOST_TEST(read("ofsted_overall").value == "3 (Requires improvement)");
  BOOST_TEST(read("ofsted_overall").source == "column ofsted_overall");
  BOOST_TEST(read("weak_leadership").value == "yes");
  BOOST_TEST(read("weak_leadership").source == "definition");
  BOOST_TEST(read("below_floor").value == "no");

  // R4 needs all three of below_floor, declining and weak_leadership: the first two fail.
  const auto& r4 = category.rules[3];
  BOOST_REQUIRE(r4.parts.size() == 3u);
  BOOST_TEST(r4.parts[0].value == "no");
  BOOST_TEST(r4.parts[1].value == "no");
  BOOST_TEST(r4.parts[2].value == "yes");

  // A `define`: its formula and the one column it read.
  const auto& year = w.definition("results_year");
  BOOST_TEST(!year.is_decision);
  BOOST_TEST(year.value == "2018");
  BOOST_TEST(year.expression == "end_year of academic_year");
  BOOST_REQUIRE(year.reads.size() == 1u);
  BOOST_TEST(year.reads[0].value == "2017/18");
}

BOOST_AUTO_TEST_CASE(the_cadence_interval_is_the_first_whose_condition_holds) {
  Westwood w;  // the reference evaluator interns the policy's text into the data set
  // Category 3b: the second interval, every 8 weeks; 2017-06-02 plus 56 days is 2017-07-28.
  const auto& visit = w.definition("sia_visit");
  BOOST_TEST(visit.value == "2017-07-28");
  const auto interval = std::ranges::find(visit.details, std::string("interval"),
                                          &std::pair<std::string, std::string>::first);
  BOOST_REQUIRE(interval != visit.details.end());
  BOOST_TEST(interval->second == "every 8 weeks, because category is \"3b\"");

  const auto& p = w.compiled->policy;
  ReferenceEvaluator ev(p, w.compiled->program.calendars, w.data.text, date_from_ymd(2018, 9, 17));
  const std::vector<Value> fields = w.data.row(w.record);
  ev.reset(fields.data());
  const auto& cadence =
      *std::ranges::find(p.cadences, std::string("sia_visit"), &lang::CadenceInfo::name);
  const auto chosen = chosen_interval(ev, cadence);
  BOOST_REQUIRE(chosen.has_value());
  BOOST_TEST(*chosen == 1u);
}

BOOST_AUTO_TEST_CASE(the_text_renderer_lays_out_both_layouts) {
  const Westwood w;
  std::string text;
  render_definition(text, w.definition("results_year"), ExplanationLayout::Explain);
  BOOST_TEST(text ==
             "\nresults_year = 2018\n"
             "  cite: Specification, section 1, academic_year\n"
             "  because: end_year of academic_year\n"
             "    academic_year = 2017/18   [column academic_year]\n");

  // A decision made by hand: one rule that did not apply (its failing part listed only by
  // `explain`) and the rule that fired, with its citation on its own line or after its title.
  DefinitionExplanation d;
  d.name = "band";
  d.value = "high";
  d.cite = "Section 2";
  d.is_decision = true;
  d.rules.push_back({"B1", "Both", "", "a and b", false, {{"a", "yes"}, {"b", "no"}}, {}});
  d.rules.push_back(
      {"B2", "Either", "Section 2.2", "a or b", true, {}, {{"a", "yes", "column a"}}});
  std::string explain;
  render_definition(explain, d, ExplanationLayout::Explain);
  BOOST_TEST(explain ==
             "\nband = high\n"
             "  cite: Section 2\n"
             "  decided by rule B2 \"Either\"\n"
             "    cite: Section 2.2\n"
             "    when: a or b\n"
             "    a = yes   [column a]\n"
             "  rules that did not apply:\n"
             "    B1 \"Both\": a and b -> no\n"
             "      b -> no\n");
  std::string failure;
  render_definition(failure, d, ExplanationLayout::TestFailure);
  BOOST_TEST(failure ==
             "    band = high\n"
             "      decided by rule B2 \"Either\" [Section 2.2]\n"
             "      when: a or b\n"
             "        a = yes   [column a]\n"
             "      rules that did not apply:\n"
             "        B1 \"Both\": a and b -> no\n");

  const std::string whole = render_explanation(w.e, *w.compiled);
  BOOST_TEST(whole.starts_with("Peterborough school categorisation\n"));
  BOOST_TEST(whole.find("\nResults\n  urn              140233\n") != std::string::npos);
  BOOST_TEST(whole.find("  warning_due      (empty)\n") != std::string::npos);
}

// Issue 16: when the missing-data clause gives a definition its value, the explanation says
// which figure was missing (Stanground Reach Primary Academy has no KS2 result for last year).
BOOST_AUTO_TEST_CASE(the_explanation_says_when_the_missing_data_clause_applied) {
  const Westwood stanground(144230);
  const auto& d = stanground.definition("declining");
  BOOST_TEST(d.value == "no");
  BOOST_TEST(d.missing_clause == "or no if any figure is missing");
  std::string text;
  render_definition(text, d, ExplanationLayout::Explain);
  BOOST_TEST(text.find("    `ks2_rwm_prev` is missing, so: or no if any figure is missing\n") !=
             std::string::npos);
  BOOST_TEST(explanation_json(stanground.e)["reasoning"].dump().find(
                 R"("missing_clause":"or no if any figure is missing")") != std::string::npos);
  // Westwood has every figure: no such line, and its JSON keeps the shape it had.
  const Westwood westwood;
  BOOST_TEST(westwood.definition("declining").missing_clause.empty());
  BOOST_TEST(explanation_json(westwood.e).dump().find("missing_clause") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_json_renderer_gives_the_one_shape) {
  const Westwood w;
  const auto j = explanation_json(w.e);
  BOOST_TEST(j["row"] == 12);
  // Typed values: a number stays a number, yes/no a boolean, missing null, a scale key text.
  BOOST_TEST(j["outputs"]["urn"] == 140233);
  BOOST_TEST(j["outputs"]["priority"] == 3);
  BOOST_TEST(j["outputs"]["clinic"] == true);
  BOOST_TEST(j["outputs"]["warning_due"].is_null());
  BOOST_TEST(j["outputs"]["category"] == "3b");
  BOOST_TEST(!j.contains("fault"));
  const auto& reasoning = j["reasoning"];
  const auto category =
      std::ranges::find_if(reasoning, [](const auto& d) { return d["name"] == "category"; });
  BOOST_REQUIRE(category != reasoning.end());
  BOOST_TEST((*category)["rules"].size() == 6u);
  BOOST_TEST((*category)["rules"][5]["rule"] == "R6");
  BOOST_TEST((*category)["rules"][5]["fired"] == true);

  // What the fired rule read, and a cadence's reasoning lines, in the same shape.
  const auto& fired = (*category)["rules"][5];
  const auto read = std::ranges::find_if(
      fired["reads"], [](const auto& r) { return r["name"] == "weak_leadership"; });
  BOOST_REQUIRE(read != fired["reads"].end());
  BOOST_TEST((*read)["value"] == "yes");
  const auto visit =
      std::ranges::find_if(reasoning, [](const auto& d) { return d["name"] == "sia_visit"; });
  BOOST_REQUIRE(visit != reasoning.end());
  BOOST_TEST((*visit)["value"] == "2017-07-28");
  BOOST_TEST((*visit)["details"][0]["label"] == "cadence");

  // Cut to the decisions (each record of `evaluate --format json`): the same keys, no `define`,
  // and the rules that did not apply without what they read.
  const auto cut = explanation_json(w.e, ExplanationScope::Decisions);
  BOOST_TEST(cut["outputs"] == j["outputs"]);
  BOOST_TEST(std::ranges::none_of(cut["reasoning"],
                                  [](const auto& d) { return d["name"] == "results_year"; }));
  const auto cut_category =
      std::ranges::find_if(cut["reasoning"], [](const auto& d) { return d["name"] == "category"; });
  BOOST_REQUIRE(cut_category != cut["reasoning"].end());
  BOOST_TEST((*cut_category)["rules"][5] == (*category)["rules"][5]);
  BOOST_TEST(!(*cut_category)["rules"][0].contains("reads"));
  BOOST_TEST((*cut_category)["rules"][0]["condition"] == (*category)["rules"][0]["condition"]);
}

// Issue 16: in an `and` chain stopped by a test for missing, the parts after the test were not
// read: the explanation marks them `not needed` and does not list their figures as read.
BOOST_AUTO_TEST_CASE(parts_after_a_test_for_missing_that_stopped_its_chain_are_not_needed) {
  CompileResult r = compile_policy_text(
      "t.policy",
      "policy \"t\"\nrecord R\n  field id: integer, key\n  field score: number?\n"
      "  field bar: number?\n  field extra: boolean, missing means no\n"
      "define high: boolean = score is not missing and score > bar if missing no\n"
      "decide band: text by first match\n"
      "  rule B1 \"High\" when score is not missing and ((score > bar) if missing no) and extra\n"
      "    then \"high\"\n"
      "  rule B2 \"Other\" otherwise \"low\"\n"
      "output\n  column id\n  column band\n");
  BOOST_REQUIRE_MESSAGE(r.compiled, lang::render_all(r.diagnostics, r.sources));
  BindResult bound = bind_records("t.csv", "id,score,bar,extra\n1,,3,yes\n", r.compiled->schema);
  BOOST_REQUIRE(bound.errors.empty());
  const RecordExplanation e =
      explain_record(*r.compiled, bound.data, 0, date_from_ymd(2018, 9, 17));
  BOOST_TEST(e.fault.empty());
  BOOST_TEST(output(e, "band") == "low");
  const auto band = std::ranges::find(e.definitions, "band", &DefinitionExplanation::name);
  BOOST_REQUIRE(band != e.definitions.end());
  const RuleOutcome& b1 = band->rules.at(0);
  BOOST_TEST(!b1.fired);
  BOOST_REQUIRE(b1.parts.size() == 3u);
  BOOST_TEST(b1.parts[0].value == "no");
  BOOST_TEST(b1.parts[1].value == "not needed");
  BOOST_TEST(b1.parts[2].value == "not needed");
  // Only the score was read: not `bar`, nor `extra`.
  BOOST_REQUIRE(b1.reads.size() == 1u);
  BOOST_TEST(b1.reads[0].name == "score");
  BOOST_TEST(b1.reads[0].value == "missing");
  const auto high = std::ranges::find(e.definitions, "high", &DefinitionExplanation::name);
  BOOST_REQUIRE(high != e.definitions.end());
  BOOST_TEST(high->value == "no");
  BOOST_REQUIRE(high->reads.size() == 1u);
  BOOST_TEST(high->reads[0].name == "score");
  const std::string text = render_explanation(e, *r.compiled);
  BOOST_TEST(text.find("      ((score > bar) if missing no) -> not needed\n") != std::string::npos,
             text);
}
