// The canonical layout (`catengine fmt`): idempotent on every shipped policy, keeps every
// comment in order, changes no results, and lays out small messy inputs exactly as expected.
#define BOOST_TEST_MODULE formatter
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/fmt_command.hpp"
#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/evaluator.hpp"
#include "lang/format/formatter.hpp"
#include "lang/syntax/parser.hpp"
#include "report/result_writers.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;
namespace fs = std::filesystem;

using catengine::test::slurp;

namespace {

const std::string kRoot = CATENGINE_SOURCE_DIR;

void spill(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

struct Parsed {
  lang::ParseResult result;
  std::string errors;  // the first error's message, or empty
};

Parsed parse_text(const std::string& path, const std::string& text) {
  lang::SourceFile source(path, text);
  Parsed p{lang::parse(source, 0), {}};
  if (!p.result.diagnostics.empty()) p.errors = p.result.diagnostics.front().message;
  return p;
}

// Formats `text`, which must parse without errors.
std::string format_text(const std::string& text, const std::string& path = "test.policy") {
  lang::SourceFile source(path, text);
  lang::ParseResult r = lang::parse(source, 0);
  // Boost builds the message even when the check passes, so it must not touch front() then.
  BOOST_REQUIRE_MESSAGE(
      r.diagnostics.empty(),
      path << ": " << (r.diagnostics.empty() ? "" : r.diagnostics.front().message));
  return lang::format_module(source, r.module);
}

// `fmt --modernise` of `text`, which must parse without errors.
std::string modernise_text(const std::string& text, const std::string& path = "test.policy") {
  lang::SourceFile source(path, text);
  lang::ParseResult r = lang::parse(source, 0);
  BOOST_REQUIRE(r.diagnostics.empty());
  return lang::format_module(source, r.module, {.modernise = true});
}

std::vector<std::string> comment_texts(const lang::Module& m) {
  std::vector<std::string> out;
  for (const auto& c : m.comments) {
    std::string t = c.text;
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    out.push_back(t);
  }
  return out;
}

std::vector<fs::path> shipped_policies() {
  std::vector<fs::path> out;
  for (const char* folder : {"policies", "stdlib"}) {
    for (const auto& e : fs::recursive_directory_iterator(kRoot + "/" + folder)) {
      if (e.is_regular_file() && e.path().extension() == ".policy") out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

const Value kAsOf = 17791;  // 2018-09-17

// The Peterborough results on its example schools, as CSV, with the stdlib from `stdlib`.
std::string peterborough_csv(const fs::path& policy, const fs::path& stdlib) {
  ::setenv("CATENGINE_STDLIB", stdlib.c_str(), 1);
  auto r = compile_policy(policy);
  BOOST_REQUIRE_MESSAGE(r.compiled, policy << " does not compile");
  const std::string data_path = kRoot + "/examples/peterborough/schools.csv";
  BindResult bound = bind_records(data_path, slurp(data_path), r.compiled->schema);
  BOOST_REQUIRE(bound.errors.empty());
  BOOST_REQUIRE_GT(bound.data.size(), 40u);
  EvaluationOptions options;
  options.as_of = kAsOf;
  Results results = evaluate(r.compiled->program, bound.data, options);
  BOOST_REQUIRE(results.errors.empty());
  return write_csv(*r.compiled, bound.data, results);
}

}  // namespace

// ---- (a) idempotence and (b) comments, over every shipped file ------------------------------

BOOST_AUTO_TEST_CASE(every_shipped_file_formats_idempotently_and_keeps_its_comments) {
  const auto files = shipped_policies();
  BOOST_REQUIRE_GE(files.size(), 4u);
  for (const auto& path : files) {
    BOOST_TEST_CONTEXT(path.string()) {
      const std::string original = slurp(path);
      const Parsed before = parse_text(path.string(), original);
      BOOST_REQUIRE(before.errors.empty());
      const std::string once = format_text(original, path.string());
      const Parsed after = parse_text(path.string(), once);
      BOOST_REQUIRE_MESSAGE(after.errors.empty(),
                            "formatted text does not parse: " << after.errors);
      BOOST_TEST(format_text(once, path.string()) == once);
      BOOST_TEST(lang::same_tokens(original, once));
      BOOST_TEST(comment_texts(after.result.module) == comment_texts(before.result.module),
                 boost::test_tools::per_element());
      BOOST_TEST(after.result.module.decls.size() == before.result.module.decls.size());
      BOOST_TEST(after.result.module.exprs.size() == before.result.module.exprs.size());
      // --modernise: the same meaning, idempotent, and canonical for plain fmt too.
      const std::string modern = modernise_text(original, path.string());
      const Parsed reparsed = parse_text(path.string(), modern);
      BOOST_REQUIRE(reparsed.errors.empty());
      BOOST_TEST(lang::same_meaning(before.result.module, reparsed.result.module));
      BOOST_TEST(modernise_text(modern, path.string()) == modern);
      BOOST_TEST(format_text(modern, path.string()) == modern);
    }
  }
}

// ---- (c) meaning: the formatted Peterborough policy gives byte-identical results -------------

BOOST_AUTO_TEST_CASE(formatted_peterborough_gives_identical_results) {
  const fs::path tmp =
      fs::temp_directory_path() / ("catengine_fmt_test_" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp / "policy");
  fs::create_directories(tmp / "stdlib");
  fs::copy(kRoot + "/stdlib/calendars", tmp / "stdlib" / "calendars", fs::copy_options::recursive);
  for (const auto& e : fs::directory_iterator(kRoot + "/stdlib")) {
    if (e.path().extension() == ".policy") {
      spill(tmp / "stdlib" / e.path().filename(), format_text(slurp(e.path()), e.path().string()));
    }
  }
  const fs::path main_file = kRoot + "/policies/peterborough/peterborough.policy";
  const std::string formatted = format_text(slurp(main_file), main_file.string());
  spill(tmp / "policy" / "peterborough.policy", formatted);

  const std::string expected = peterborough_csv(main_file, kRoot + "/stdlib");
  const std::string actual =
      peterborough_csv(tmp / "policy" / "peterborough.policy", tmp / "stdlib");
  ::setenv("CATENGINE_STDLIB", (kRoot + "/stdlib").c_str(), 1);
  BOOST_TEST(actual.size() > 1000u);
  BOOST_TEST(actual == expected);
  fs::remove_all(tmp);
}

// ---- (d) small messy inputs and their exact canonical layout -------------------------------

BOOST_AUTO_TEST_CASE(messy_header_uses_and_enumerations) {
  const std::string messy =
      "# Title comment\n"
      "policy   \"Test\"    cite \"Strategy\"\n"
      "use   stdlib . ofsted\n"
      "use \"local.policy\"\n\n\n"
      "enumeration Phase:primary,secondary   # the phases\n"
      "scale Cat from best to worst cite \"s5\": \"1\" \"One\", \"2\"\n";
  const std::string expected =
      "# Title comment\n"
      "policy \"Test\" cite \"Strategy\"\n"
      "use stdlib.ofsted\n"
      "use \"local.policy\"\n"
      "\n"
      "enumeration Phase: primary, secondary  # the phases\n"
      "scale Cat from best to worst cite \"s5\": \"1\" \"One\", \"2\"\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(ignoring_missing_is_kept_after_a_call) {
  const std::string messy =
      "define w = worst of [a,  b]   ignoring   missing is 3\n"
      "define m = max(a, b) ignoring missing\n";
  const std::string expected =
      "define w =\n"
      "  worst of [a, b] ignoring missing is 3\n"
      "\n"
      "define m =\n"
      "  max(a, b) ignoring missing\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(messy_decision_keeps_brackets_and_breaks_long_conditions) {
  const std::string messy =
      "decide d:integer by first match\n"
      "rule A \"a\" when ((x)) and y then 1 rule B \"b\" otherwise 2\n"
      "decide e: integer by first match cite \"c\"\n"
      "  # about the long rule\n"
      "  rule L \"long\" when first_long_condition_name is 3 and (second_long_condition or "
      "third_long_condition) and fourth_condition_here then \"x\\\"y\"\n"
      "  rule M \"m\" otherwise -1\n";
  const std::string expected =
      "decide d: integer by first match\n"
      "  rule A \"a\" when ((x)) and y then 1\n"
      "  rule B \"b\" otherwise 2\n"
      "\n"
      "decide e: integer by first match cite \"c\"\n"
      "  # about the long rule\n"
      "  rule L \"long\"\n"
      "    when first_long_condition_name is 3\n"
      "         and (second_long_condition or third_long_condition)\n"
      "         and fourth_condition_here\n"
      "    then \"x\\\"y\"\n"
      "  rule M \"m\"\n"
      "    otherwise -1\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(messy_record_define_and_output) {
  const std::string messy =
      "record School cite \"input\"\n"
      "missing values are \"\",\"x\"\n"
      "\n"
      "field urn:integer,key,between 100000 and 999999\n"
      "field p : percent? , missing means -5 cite \"p\"  # trailing\n"
      "define total : number = if a then b else if c then d else e   if missing 0\n"
      "output column urn column \"Total\" = total column t = year of as_of + 1\n";
  const std::string expected =
      "record School cite \"input\"\n"
      "  missing values are \"\", \"x\"\n"
      "\n"
      "  field urn: integer, key, between 100000 and 999999\n"
      "  field p: percent?, missing means -5 cite \"p\"  # trailing\n"
      "\n"
      "define total: number =\n"
      "  if a then b else if c then d else e if missing 0\n"
      "\n"
      "output\n"
      "  column urn\n"
      "  column \"Total\" = total\n"
      "  column t = year of as_of + 1\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(messy_notice_cadence_calendar_and_parameter) {
  const std::string messy =
      "calendar ew \"Bank holidays\" from \"calendars/x.csv\"\n"
      "parameter p: percent by year 2014: 65 2016 to 2018: 70 cite \"later\"\n"
      "notice n \"Notice\" applies to governance is maintained ground a \"low\" when below "
      "issued when any ground holds unless exempt addressed to \"the chair\" when x copy to "
      "\"the head\" respond within 15 working days escalation step \"one\" step \"two\" cite "
      "\"s\"\n"
      "cadence c \"Visits\" applies to in_network every 6 weeks when category is \"4\" every 1 "
      "month from last_visit if never, due on as_of no later than term_end(as_of) when "
      "concern lasting \"1 day\" reviewers 3 when big\n"
      "cadence k \"Clinic\" on dates of clinic_focus\n";
  const std::string expected =
      "calendar ew \"Bank holidays\" from \"calendars/x.csv\"\n"
      "\n"
      "parameter p: percent by year\n"
      "  2014: 65\n"
      "  2016 to 2018: 70 cite \"later\"\n"
      "\n"
      "notice n \"Notice\"\n"
      "  applies to governance is maintained\n"
      "  ground a \"low\" when below\n"
      "  issued when any ground holds unless exempt\n"
      "  addressed to \"the chair\" when x\n"
      "  copy to \"the head\"\n"
      "  respond within 15 working days\n"
      "  escalation\n"
      "    step \"one\"\n"
      "    step \"two\" cite \"s\"\n"
      "\n"
      "cadence c \"Visits\"\n"
      "  applies to in_network\n"
      "  every 6 weeks when category is \"4\"\n"
      "  every 1 month\n"
      "  from last_visit\n"
      "  if never, due on as_of\n"
      "  no later than term_end(as_of) when concern\n"
      "  lasting \"1 day\"\n"
      "  reviewers 3 when big\n"
      "\n"
      "cadence k \"Clinic\"\n"
      "  on dates of clinic_focus\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(messy_warnings_keep_their_comments) {
  const std::string messy =
      "warn   short \"Short\"when flagged   # why\n"
      "# the long one\n"
      "warn expired_override \"An adviser's override has expired and is ignored\" when "
      "override_level is not missing and\n"
      "      override_until < as_of cite \"Specification, section 5\"\n"
      "warn fits \"Fits\" when a cite \"s\"\n";
  const std::string expected =
      "warn short \"Short\" when flagged  # why\n"
      "\n"
      "# the long one\n"
      "warn expired_override \"An adviser's override has expired and is ignored\"\n"
      "  when override_level is not missing and override_until < as_of\n"
      "  cite \"Specification, section 5\"\n"
      "\n"
      "warn fits \"Fits\" when a cite \"s\"\n";
  const std::string once = format_text(messy);
  BOOST_TEST(once == expected);
  BOOST_TEST(format_text(once) == once);
  BOOST_TEST(lang::same_tokens(messy, once));
  BOOST_TEST(comment_texts(parse_text("x", once).result.module) ==
                 comment_texts(parse_text("x", messy).result.module),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(long_lists_and_calls_go_one_item_a_line) {
  const std::string messy =
      "define next: date? = earliest_on_or_after(as_of, "
      "[first_working_day_on_or_after(date_of(year "
      "of as_of, 1, 10)), first_working_day_on_or_after(date_of(year of as_of, 4, 20))])\n";
  const std::string expected =
      "define next: date? =\n"
      "  earliest_on_or_after(as_of,\n"
      "                       [first_working_day_on_or_after(date_of(year of as_of, 1, 10)),\n"
      "                        first_working_day_on_or_after(date_of(year of as_of, 4, 20))])\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(comments_inside_expressions_stay_in_order) {
  const std::string messy =
      "define x: boolean =\n"
      "  a and  # first\n"
      "  # second\n"
      "  b  # third\n"
      "# last words\n";
  const std::string expected =
      "define x: boolean =\n"
      "  a and b  # first\n"
      "# second\n"
      "# third\n"
      "# last words\n";
  const std::string once = format_text(messy);
  BOOST_TEST(format_text(once) == once);
  BOOST_TEST(comment_texts(parse_text("x", once).result.module) ==
                 comment_texts(parse_text("x", messy).result.module),
             boost::test_tools::per_element());
  BOOST_TEST(once == expected);
}

// ---- The --check diff ----------------------------------------------------------------------

// ---- (e) the missing-data clause and `fmt --modernise` (issue 16) ---------------------------

BOOST_AUTO_TEST_CASE(the_missing_data_clause_is_laid_out_in_order) {
  const std::string messy =
      "define d: boolean =\n  if phase is primary then a < b - 5 else if phase is secondary then c "
      "< e - 0.3 else no, or no if any figure is missing\n"
      "define s: boolean = a < b,   or no\n   if any figure is missing\n"
      "define t: boolean =\n  if phase is primary then a < b - 5 else if phase is secondary then c "
      "< e - 0.3 else if phase is special then f else no, or no if any figure is missing\n";
  const std::string expected =
      "define d: boolean =\n"
      "  if phase is primary then a < b - 5 else if phase is secondary then c < e - 0.3 else no,\n"
      "  or no if any figure is missing\n"
      "\n"
      "define s: boolean =\n"
      "  a < b, or no if any figure is missing\n"
      "\n"
      "define t: boolean =\n"
      "  if phase is primary then a < b - 5\n"
      "  else if phase is secondary then c < e - 0.3\n"
      "  else if phase is special then f\n"
      "  else no,\n"
      "  or no if any figure is missing\n";
  BOOST_TEST(format_text(messy) == expected);
  BOOST_TEST(format_text(expected) == expected);
  // Plain fmt keeps the old form; --modernise leaves the clause as it is.
  const std::string old = "define d: boolean =\n  (a < b) if missing no\n";
  BOOST_TEST(format_text(old) == old);
  BOOST_TEST(modernise_text(expected) == expected);
}

BOOST_AUTO_TEST_CASE(modernise_rewrites_only_the_whole_bracketed_idiom) {
  const std::string old = slurp(kRoot + "/tests/golden/fmt_modernise_missing_clause/old.policy");
  const std::string modern = modernise_text(old);
  // Rewritten: three clauses and one `how many of`.
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  BOOST_TEST(count(old, "if any figure is missing") == 0u);
  BOOST_TEST(count(modern, "if any figure is missing") == 3u);
  BOOST_TEST(count(modern, "how many of [declining, fell]") == 1u);
  // Kept: not in brackets, inside another expression, the last `else` only, a loose value.
  for (const char* kept :
       {"ks2_rwm < ks2_rwm_prev if missing no", "1 + (ks2_rwm - ks2_rwm_prev if missing 0)",
        "else ks4_p8 > 0 if missing no", "(ks4_p8 > ks4_p8_prev) if missing leader or declining"}) {
    BOOST_TEST_CONTEXT(kept) {
      BOOST_TEST(count(old, kept) == 1u);
      BOOST_TEST(count(modern, kept) == 1u);
    }
  }
  BOOST_TEST(count(modern, "# KS4") == 1u);  // the comment inside the rewritten `if` stays
  const Parsed a = parse_text("old.policy", old);
  const Parsed b = parse_text("new.policy", modern);
  BOOST_REQUIRE(b.errors.empty());
  BOOST_TEST(lang::same_meaning(a.result.module, b.result.module));
  BOOST_TEST(modernise_text(modern) == modern);
  BOOST_TEST(format_text(modern) == modern);
  // same_meaning is no rubber stamp.
  std::string changed = modern;
  changed.replace(changed.find("or no if any figure is missing"), 5, "or yes");
  const Parsed c = parse_text("changed.policy", changed);
  BOOST_REQUIRE(c.errors.empty());
  BOOST_TEST(!lang::same_meaning(a.result.module, c.result.module));
}

// Format, then evaluate: the modernised policy gives byte-identical results, on schools with
// every figure, and without the ones each branch reads.
BOOST_AUTO_TEST_CASE(modernised_policy_gives_identical_results) {
  const std::string old = slurp(kRoot + "/tests/golden/fmt_modernise_missing_clause/old.policy");
  const std::string modern = modernise_text(old);
  const std::string csv =
      "urn,phase,ks2_rwm,ks2_rwm_prev,ks4_p8,ks4_p8_prev,leader\n"
      "100001,primary,60,70,,,\n"
      "100002,primary,,70,,,yes\n"
      "100003,primary,70,60,,,\n"
      "100004,secondary,,,0.6,0.1,yes\n"
      "100005,secondary,,,,0.1,yes\n"
      "100006,secondary,,,0.2,0.9,no\n"
      "100007,secondary,,,0.6,,\n";
  auto results = [&](const std::string& text) {
    auto r = compile_policy_text("t.policy", text);
    BOOST_REQUIRE(r.compiled);
    BindResult bound = bind_records("t.csv", csv, r.compiled->schema);
    BOOST_REQUIRE(bound.errors.empty());
    EvaluationOptions options;
    options.as_of = kAsOf;
    Results out = evaluate(r.compiled->program, bound.data, options);
    BOOST_REQUIRE(out.errors.empty());
    return write_csv(*r.compiled, bound.data, out);
  };
  const std::string expected = results(old);
  BOOST_TEST(expected ==
             "urn,floor,declining,fell,gap,last_else,loose,counted\n"
             "100001,below,yes,yes,-9,no,,2\n"
             "100002,not_assessed,no,no,1,,yes,0\n"
             "100003,above,no,no,11,yes,,0\n"
             "100004,above,no,no,1,yes,yes,0\n"
             "100005,not_assessed,no,no,1,no,yes,0\n"
             "100006,not_assessed,yes,no,1,yes,no,1\n"
             "100007,not_assessed,no,no,1,yes,,0\n");
  BOOST_TEST(results(modern) == expected);
}

BOOST_AUTO_TEST_CASE(unified_diff_shows_changed_lines_with_context) {
  const std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  const std::string b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\neleven\n";
  const std::string expected =
      "--- a\n+++ a (formatted)\n"
      "@@ -2,9 +2,10 @@\n"
      " 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n 10\n+eleven\n";
  BOOST_TEST(unified_diff(a, b, "a", "a (formatted)") == expected);
  BOOST_TEST(unified_diff(a, a, "a", "b").empty());
  BOOST_TEST(unified_diff("x", "x\n", "a", "b") ==
             "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x\n");
}
