// The checker: name resolution, types, missing-value rules, narrowing, definition order and
// cycles, decisions, parameters and notices/cadences, each checked on a small policy.
#define BOOST_TEST_MODULE checker
#include <boost/test/unit_test.hpp>

#include <string>

#include "compile/compiled_policy.hpp"
#include "lang/check/checker.hpp"

using namespace catengine;

namespace {

// A policy header, a record and an output around the declarations under test.
std::string policy(const std::string& body, const std::string& output = "column id") {
  return "policy \"t\"\n"
         "scale Grade from best to worst: 1, 2, 3, 4\n"
         "enumeration Phase: primary, secondary\n"
         "record R\n"
         "  field id: integer, key\n"
         "  field phase: Phase\n"
         "  field g: Grade?\n"
         "  field n: number?\n"
         "  field p: percent\n"
         "  field b: boolean, missing means no\n"
         "  field d: date?\n" +
         body + "\noutput\n  " + output + "\n";
}

struct Checked {
  engine::CompileResult result;
  std::string errors;  // rendered diagnostics
  bool ok() const { return result.compiled != nullptr; }
};

Checked check(const std::string& text) {
  Checked c{engine::compile_policy_text("t.policy", text), {}};
  const auto& sources = c.result.compiled ? c.result.compiled->sources : c.result.sources;
  c.errors = lang::render_all(c.result.diagnostics, sources);
  return c;
}

bool has(const Checked& c, const std::string& code) {
  return c.errors.find("[" + code + "]") != std::string::npos;
}

const lang::DefinitionInfo& def(const Checked& c, const std::string& name) {
  for (const auto& d : c.result.compiled->policy.definitions) {
    if (d.name == name) return d;
  }
  throw std::runtime_error("no definition " + name);
}

}  // namespace

BOOST_AUTO_TEST_CASE(valid_policy_checks_cleanly) {
  auto c = check(policy("define x: boolean = phase is primary and p > 50"));
  BOOST_TEST(c.ok());
  BOOST_TEST(c.errors.empty());
}

BOOST_AUTO_TEST_CASE(unknown_name_with_did_you_mean) {
  auto c = check(policy("define x: boolean = phase is primary and pp > 50"));
  BOOST_TEST(!c.ok());
  BOOST_TEST(has(c, "E0201"));
  BOOST_TEST(c.errors.find("did you mean `p`?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_enumeration_member_lists_the_members) {
  auto c = check(policy("define x: boolean = phase is junior"));
  BOOST_TEST(has(c, "E0204"));
  BOOST_TEST(c.errors.find("`junior` is not one of the values of `Phase`") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(optional_condition_names_the_missing_field) {
  auto c =
      check(policy("decide x: boolean by first match\n  rule A \"a\" when n > 3 then yes\n  rule B "
                   "\"b\" otherwise no"));
  BOOST_TEST(has(c, "E0302"));
  BOOST_TEST(c.errors.find("because `n` may be missing") != std::string::npos);
  BOOST_TEST(c.errors.find("end the condition with `, or no if any figure is missing`") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(if_missing_makes_a_condition_total) {
  auto c =
      check(policy("decide x: boolean by first match\n  rule A \"a\" when (n > 3) if missing no "
                   "then yes\n  rule B \"b\" otherwise no"));
  BOOST_TEST(c.ok());
}

// Issue 16: the missing-data clause makes a condition, a value and a definition total, for the
// whole expression before it; without brackets `if missing` covers the last `else` only.
BOOST_AUTO_TEST_CASE(the_missing_data_clause_makes_the_whole_expression_total) {
  auto c =
      check(policy("define x: boolean =\n  if phase is primary then n > 3\n  else g is 4,\n"
                   "  or no if any figure is missing\n"
                   "decide y: Grade by first match\n"
                   "  rule A \"a\" when n > 3 and b, or no if any figure is missing\n"
                   "    then g, or 4 if any figure is missing\n  rule B \"b\" otherwise 1"));
  BOOST_TEST(c.ok());
  BOOST_TEST(c.errors.empty());
  BOOST_TEST(!def(c, "x").type.optional);
  BOOST_TEST(!def(c, "y").type.optional);
  auto last_else_only =
      check(policy("define x: boolean = if phase is primary then n > 3 else n > 4 if missing no"));
  BOOST_TEST(has(last_else_only, "E0302"));
}

BOOST_AUTO_TEST_CASE(the_missing_data_clause_on_a_value_never_missing_is_w0301) {
  auto c = check(policy("define x: boolean = p > 3, or no if any figure is missing"));
  BOOST_TEST(has(c, "W0301"));
  BOOST_TEST(c.errors.find("so `if any figure is missing` never applies") != std::string::npos);
  BOOST_TEST(c.errors.find("remove `, or ... if any figure is missing`") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(equality_with_a_missing_value_is_total) {
  auto c = check(policy("define x: boolean = g is 4 or g in [1, 2]"));
  BOOST_TEST(c.ok());
  BOOST_TEST(!def(c, "x").type.optional);
}

BOOST_AUTO_TEST_CASE(ordering_propagates_missing) {
  auto c = check(policy("define x = g worse than 2"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(def(c, "x").type.optional);
  BOOST_TEST((def(c, "x").type.base == lang::BaseType::Boolean));
}

BOOST_AUTO_TEST_CASE(narrowing_in_if_and_in_later_rules) {
  auto c =
      check(policy("define x: boolean = if g is missing then no else g worse than 2\n"
                   "decide y: boolean by first match\n"
                   "  rule A \"a\" when g is missing then no\n"
                   "  rule B \"b\" when g at least 2 then yes\n"
                   "  rule C \"c\" otherwise no"));
  BOOST_TEST(c.ok(), c.errors);
}

// The part after a test for missing in an `and` (`or`) chain is read only when the test gave
// yes (no), so there the name it tests is present (lang/check/chains.hpp).
BOOST_AUTO_TEST_CASE(narrowing_through_and_and_or) {
  for (const char* body : {
           "define x: boolean = g is not missing and g worse than 2",
           "define x: boolean = g is missing or g worse than 2",
           "define x: boolean = g is not missing and n is not missing and g worse than 2 and n > 1",
           "define x: boolean = g is missing or n is missing or g worse than 2 or n > 1",
           "define x: boolean = not (g is missing) and (g worse than 2 and n is not missing and "
           "n > 1)",
           "define x: boolean = phase is primary and g is not missing and g worse than 2",
           "define x: boolean = if g is not missing and n is not missing then n > 1 else no",
           "define x: boolean = if g is missing or n is missing then no else n > 1",
           "decide x: boolean by first match\n"
           "  rule A \"a\" when n is not missing and n > 5 then yes\n"
           "  rule B \"b\" when g is missing or n is missing then no\n"
           "  rule C \"c\" when n < 2 and g at least 2 then yes\n"
           "  rule D \"d\" otherwise no",
       }) {
    auto c = check(policy(body));
    BOOST_TEST(c.ok(), body << "\n" << c.errors);
    BOOST_TEST(c.errors.empty(), body << "\n" << c.errors);
  }
}

// No narrowing where the test does not guard the part: another name, the wrong polarity, the
// test after the part, or a test that does not stop the chain it is in.
BOOST_AUTO_TEST_CASE(no_narrowing_where_the_test_does_not_guard) {
  for (const char* body : {
           "define x: boolean = n is not missing and g worse than 2",
           "define x: boolean = g is missing and g worse than 2",
           "define x: boolean = g is not missing or g worse than 2",
           "define x: boolean = g worse than 2 and g is not missing",
           "define x: boolean = (g is not missing or b) and g worse than 2",
           "define x: boolean = not (g is not missing) and g worse than 2",
           "define x: boolean = (g is not missing and b) or g worse than 2",
           "define x: boolean = ((g is not missing) if missing no) and g worse than 2",
       }) {
    auto c = check(policy(body));
    BOOST_TEST(has(c, "E0302"), body << "\n" << c.errors);
  }
  // The message names the name still unguarded.
  auto c = check(policy("define x: boolean = n is not missing and g worse than 2"));
  BOOST_TEST(c.errors.find("because `g` may be missing") != std::string::npos, c.errors);
}

// A narrowed chain is never missing: an `if missing` on it is W0301, as on any such value.
BOOST_AUTO_TEST_CASE(guarded_chain_is_never_missing) {
  auto c = check(policy("define x = g is not missing and g worse than 2"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(!def(c, "x").type.optional);
  auto w = check(policy("define x: boolean = (g is not missing and g worse than 2) if missing no"));
  BOOST_TEST(has(w, "W0301"));
}

BOOST_AUTO_TEST_CASE(scale_comparison_on_an_enumeration_is_an_error) {
  auto c = check(policy("define x: boolean = phase worse than primary"));
  BOOST_TEST(has(c, "E0303"));
}

BOOST_AUTO_TEST_CASE(arithmetic_on_a_date_hints_at_add_days) {
  auto c = check(policy("define x = d + 3"));
  BOOST_TEST(has(c, "E0307"));
  BOOST_TEST(c.errors.find("add_days") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(definitions_in_any_order_and_cycles) {
  auto ok = check(policy("define a: boolean = b2\ndefine b2: boolean = p > 3"));
  BOOST_TEST(ok.ok());
  const auto& order = ok.result.compiled->policy.evaluation_order;
  BOOST_TEST(order.size() == 2u);
  BOOST_TEST(ok.result.compiled->policy.definitions[order[0]].name == "b2");
  auto cyc = check(policy("define a: boolean = c2\ndefine c2: boolean = a"));
  BOOST_TEST(has(cyc, "E0207"));
  BOOST_TEST(cyc.errors.find("depend on each other in a circle") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(decision_without_otherwise_is_optional) {
  auto c = check(policy("decide x: Grade by first match\n  rule A \"a\" when b then 1"));
  BOOST_REQUIRE(c.ok());
  BOOST_TEST(def(c, "x").type.optional);
}

BOOST_AUTO_TEST_CASE(rule_after_otherwise_and_duplicate_rule_ids) {
  auto c = check(policy(
      "decide x: Grade by first match\n  rule A \"a\" otherwise 1\n  rule A \"b\" when b then 2"));
  BOOST_TEST(has(c, "E0206"));
  BOOST_TEST(has(c, "E0407"));
}

BOOST_AUTO_TEST_CASE(parameters_overlap_and_lookup_types) {
  auto over = check(policy("parameter t: number by year\n  2014 to 2016: 1\n  2016: 2"));
  BOOST_TEST(has(over, "E0408"));
  auto bare = check(policy("parameter t: number by year\n  2014: 1\ndefine x = t"));
  BOOST_TEST(has(bare, "E0304"));
  auto good = check(policy("parameter t: number by year\n  2014: 1\ndefine x = t of 2014"));
  BOOST_REQUIRE(good.ok());
  BOOST_TEST(def(good, "x").type.optional);  // a year with no entry is missing
}

BOOST_AUTO_TEST_CASE(literals_take_the_expected_type) {
  auto c =
      check(policy("decide x: Grade by first match\n  rule A \"a\" when b then 4\n  rule B \"b\" "
                   "otherwise \"1\""));
  BOOST_TEST(c.ok(), c.errors);
  auto bad = check(policy(
      "decide x: Grade by first match\n  rule A \"a\" when b then 5\n  rule B \"b\" otherwise 1"));
  BOOST_TEST(has(bad, "E0204"));
}

BOOST_AUTO_TEST_CASE(every_error_reported_once) {
  auto c = check(policy("define x: boolean = zz > 1\ndefine y: boolean = qq and phase is junior"));
  BOOST_TEST(has(c, "E0201"));
  BOOST_TEST(has(c, "E0204"));
  // zz is unknown: no follow-on type error about `zz > 1`.
  BOOST_TEST(c.errors.find("E0306") == std::string::npos);
  BOOST_TEST(c.errors.find("3 errors") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(notices_and_cadences_are_typed) {
  auto c =
      check(policy("use stdlib.calendar\n"
                   "notice w \"Warning\"\n  applies to phase is primary\n"
                   "  ground a \"low\" when p < 10\n  issued when any ground holds\n"
                   "  respond within 15 working days\n"
                   "cadence v \"Visit\"\n  every 6 weeks when b\n  every 52 weeks\n  from d\n",
                   "column id\n  column w\n  column gr = grounds of w\n  column due = due of w\n"
                   "  column next = next_due of v\n  column late = overdue of v"));
  BOOST_TEST(c.ok(), c.errors);
  const auto& outs = c.result.compiled->policy.outputs;
  BOOST_TEST(outs.size() == 6u);
  BOOST_TEST((outs[2].type.base == lang::BaseType::Text));
  BOOST_TEST((outs[3].type.base == lang::BaseType::Date));
  BOOST_TEST(outs[4].type.optional);
  BOOST_TEST((outs[5].type.base == lang::BaseType::Boolean));
}

BOOST_AUTO_TEST_CASE(working_days_need_a_calendar) {
  auto c = check(policy("define x = add_working_days(d, 3)"));
  BOOST_TEST(c.errors.find("needs a holiday calendar") != std::string::npos);
  BOOST_TEST(c.errors.find("use stdlib.calendar") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(warnings_take_a_condition_that_may_be_missing) {
  // `n > 3` may be missing: a warning is then not given, so no `if missing no` is asked for.
  auto c =
      check(policy("warn high \"The score is high\" when n > 3 and phase is primary\n"
                   "  cite \"s5\""));
  BOOST_TEST(c.ok(), c.errors);
  const auto& warnings = c.result.compiled->policy.warnings;
  BOOST_REQUIRE_EQUAL(warnings.size(), 1u);
  BOOST_TEST(warnings[0].name == "high");
  BOOST_TEST(warnings[0].message == "The score is high");
  BOOST_TEST(warnings[0].cite->text == "s5");
  BOOST_TEST(
      (c.result.compiled->policy.type(warnings[0].condition).base == lang::BaseType::Boolean));
}

BOOST_AUTO_TEST_CASE(a_warning_condition_must_be_yes_or_no) {
  auto c = check(policy("warn scored \"There is a score\" when n"));
  BOOST_TEST(!c.ok());
  BOOST_TEST(c.errors ==
             "error[E0305]: the condition of warning `scored` should be yes or no, but this is a "
             "`number` that may be missing\n"
             "  --> t.policy:12:37\n"
             "   |\n"
             "12 | warn scored \"There is a score\" when n\n"
             "   |                                     ^ not a condition\n"
             "   = hint: compare it with something, e.g. `is`, `<`, `in [...]`\n"
             "\n"
             "1 error\n");
}

BOOST_AUTO_TEST_CASE(warnings_have_names_of_their_own) {
  // A warning may share its name with a field; two warnings may not share one.
  auto ok = check(policy("warn n \"No score\" when n is missing"));
  BOOST_TEST(ok.ok(), ok.errors);
  auto c = check(policy("warn w \"One\" when b\nwarn w \"Two\" when not b"));
  BOOST_TEST(has(c, "E0202"));
  BOOST_TEST(c.errors.find("the warning `w` is declared twice") != std::string::npos);
  BOOST_TEST(c.errors.find("first declared here") != std::string::npos);
  // Nothing reads a warning: its name is no value.
  auto read = check(policy("warn w \"One\" when b", "column id\n  column x = w"));
  BOOST_TEST(has(read, "E0201"));
}

// Dates in English (issue 16): typed as the calls they mean, with messages in the author's words.
BOOST_AUTO_TEST_CASE(dates_in_english_are_typed_as_their_calls) {
  auto c = check("policy \"t\"\nuse stdlib.calendar\n" +
                 policy("define due: date = 15 working days after as_of\n"
                        "define back: date? = 2 weeks before d\n"
                        "define send: date = the first working day on or after 15 September in "
                        "the year of as_of\n"
                        "define next: date? = the earliest of [send, 10 January in the year after "
                        "as_of] on or after as_of")
                     .substr(11));
  BOOST_TEST(c.errors == "");
  BOOST_TEST(def(c, "back").type.optional);  // d may be missing, so may the date
  BOOST_TEST(!def(c, "due").type.optional);
}

BOOST_AUTO_TEST_CASE(an_unknown_unit_lists_the_units) {
  auto c = check(policy("define x = 3 apples after as_of"));
  BOOST_TEST(c.errors ==
             "error[E0315]: `apples` is not a unit of time\n"
             "  --> t.policy:12:14\n"
             "   |\n"
             "12 | define x = 3 apples after as_of\n"
             "   |              ^^^^^^ unknown unit\n"
             "   = hint: count in `days`, `weeks`, `months` or `working days`: `15 working days "
             "after as_of`\n\n1 error\n");
}

BOOST_AUTO_TEST_CASE(dates_in_english_report_in_the_authors_words) {
  // Not a date after `after`.
  auto c = check(policy("define x = 6 months after 7"));
  BOOST_TEST(has(c, "E0301"));
  BOOST_TEST(c.errors.find("`months after` needs a date here, but this is") != std::string::npos);
  BOOST_TEST(c.errors.find("write `COUNT months after DATE`") != std::string::npos);
  // Not a whole number before the unit: the count as written, not a `-` the author never wrote.
  c = check(policy("define x = n weeks before as_of"));
  BOOST_TEST(c.errors.find("`weeks before` needs a whole number here") != std::string::npos);
  c = check(policy("define x = 3 days after \"soon\""));
  BOOST_TEST(has(c, "E0301"));
  c = check(policy("define x = 15 September in the year of 2018"));
  BOOST_TEST(c.errors.find("`in the year of` needs a date here") != std::string::npos);
  // A day the month never has.
  c = check(policy("define x = 31 April in the year of as_of"));
  BOOST_TEST(c.errors.find("error[E0405]: there is no day 31 in April") != std::string::npos);
  BOOST_TEST(check(policy("define x = 29 February in the year of as_of")).errors == "");
  // Working days need a calendar, named as written.
  c = check(policy("define x = 2 working days after as_of"));
  BOOST_TEST(c.errors.find("`working days after` needs a holiday calendar") != std::string::npos);
}

// Durations (issue 16): a number and its unit; a bare number or an unknown unit is refused, and
// the old text form is read with a warning that shows the new one.
BOOST_AUTO_TEST_CASE(durations_are_checked) {
  auto cadence = [](const std::string& lasting) {
    return check(
        policy("define days: integer = if b then 2 else 1\n"
               "cadence visit \"Visit\"\n  every 6 weeks\n  from d\n  lasting " +
               lasting + "\n  reviewers 1"));
  };
  BOOST_TEST(cadence("days days").errors == "");
  BOOST_TEST(cadence("half a day when b\n  lasting 2 hours").errors == "");
  BOOST_TEST(cadence("1 hour").errors == "");
  auto c = cadence("days");
  BOOST_TEST(has(c, "E0316"));
  BOOST_TEST(c.errors.find("write `lasting days days` or `lasting days hours`") !=
             std::string::npos);
  c = cadence("2 weeks");
  BOOST_TEST(has(c, "E0315"));
  BOOST_TEST(c.errors.find("^^^^^ unknown unit") != std::string::npos);
  c = cadence("\"soon\" days");
  BOOST_TEST(has(c, "E0301"));
  c = cadence("\"two hours\"");
  BOOST_TEST(c.ok());
  BOOST_TEST(has(c, "W0302"));
  BOOST_TEST(c.errors.find("write `lasting 2 hours`") != std::string::npos);
  c = cadence("\"a while\"");
  BOOST_TEST(has(c, "W0302"));
  BOOST_TEST(c.errors.find("write the duration as a number and a unit") != std::string::npos);
}

// When the name E0302 blames is tested for missing in the condition, but not where the test
// guards it, the hint says where the test goes.
BOOST_AUTO_TEST_CASE(an_unguarding_test_gets_a_hint_on_where_it_goes) {
  auto c = check(policy(
      "decide x: boolean by first match\n  rule A \"a\" when n > 3 and n is not missing then yes\n"
      "  rule B \"b\" otherwise no"));
  BOOST_TEST(has(c, "E0302"));
  BOOST_TEST(
      c.errors.find("hint: `n` is tested for missing, but not before it is used: write "
                    "`n is not missing and` before the parts that use it, or end the "
                    "condition with `, or no if any figure is missing`") != std::string::npos,
      c.errors);
  auto d = check(policy("define x: boolean = g is missing and g worse than 2"));
  BOOST_TEST(
      d.errors.find("write `g is not missing and` before the parts that use it, or end it with "
                    "`, or VALUE if any figure is missing`, or declare the type `boolean?`") !=
          std::string::npos,
      d.errors);
}
