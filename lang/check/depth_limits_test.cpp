// Untrusted policies cannot exhaust the stack: an expression deeper than kMaxExpressionDepth
// (a flat chain of `+`, `and` or `or` counts one level per operator) is E0010, and definitions
// that written out in full would be deeper than kMaxDefinitionDepth are E0011, both reported
// before any recursive walk runs. Inputs just under the limits check, evaluate, explain and
// format. The shapes are generated here, at the sizes that used to crash (exit 139).
#define BOOST_TEST_MODULE depth_limits
#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "eval/evaluator.hpp"
#include "eval/reference_evaluator.hpp"
#include "lang/check/checker.hpp"
#include "lang/format/formatter.hpp"
#include "lang/lint/lints.hpp"
#include "lang/syntax/parser.hpp"
#include "report/explanation.hpp"
#include "report/result_writers.hpp"

using namespace catengine;
using namespace catengine::engine;
using lang::DiagnosticKind;

namespace {

const char* kHead =
    "policy \"t\"\n"
    "enumeration Phase: primary, secondary\n"
    "record School\n"
    "  field urn: integer, key\n"
    "  field phase: Phase\n"
    "  field score: number?\n"
    "  field flag: boolean\n";

std::string policy(const std::string& body) {
  return std::string(kHead) + body + "output\n  column urn\n  column x\n";
}

// `first op first op ... first`, with `operators` operators.
std::string chain(const std::string& first, const std::string& op, int operators) {
  std::string s = first;
  for (int i = 0; i < operators; ++i) s += " " + op + " " + first;
  return s;
}

// `define d0 = d1 + 1`, ... `define dN = BOTTOM` and `define x = d0`: each definition uses the
// one after it in the file (`down`) or, numbered the other way, the one before it.
std::string definition_chain(int n, bool down, const std::string& step = " + 1",
                             const std::string& bottom = "1") {
  std::string s;
  auto name = [&](int i) { return "d" + std::to_string(down ? i : n - i); };
  if (!down) s += "define " + name(n) + " = " + bottom + "\n";
  for (int i = down ? 0 : n - 1; down ? i < n : i >= 0; i += down ? 1 : -1)
    s += "define " + name(i) + " = " + name(i + 1) + step + "\n";
  if (down) s += "define " + name(n) + " = " + bottom + "\n";
  return s + "define x = " + name(0) + "\n";
}

lang::ParseResult parse_text(const std::string& text) {
  lang::SourceFile source("t.policy", text);
  return lang::parse(source, 0);
}

std::vector<DiagnosticKind> kinds(const std::vector<lang::Diagnostic>& ds) {
  std::vector<DiagnosticKind> out;
  for (const auto& d : ds) out.push_back(d.kind);
  return out;
}

bool only(const std::vector<lang::Diagnostic>& ds, DiagnosticKind kind) {
  return ds.size() == 1 && ds[0].kind == kind;
}

// The CSV value of column x for one record, evaluated by the batch machine.
std::string evaluate_x(const CompiledPolicy& c, const std::string& row) {
  BindResult bound = bind_records("t.csv", "urn,phase,score,flag\n" + row, c.schema);
  BOOST_REQUIRE(bound.errors.empty());
  Results results = evaluate(c.program, bound.data, {17791, 1});
  BOOST_REQUIRE(results.errors.empty());
  std::string out = write_csv(c, bound.data, results);
  out = out.substr(out.find('\n') + 1);
  return out.substr(out.find(',') + 1);
}

}  // namespace

BOOST_AUTO_TEST_CASE(limits_are_documented_values) {
  BOOST_TEST(lang::kMaxExpressionDepth == 256);
  BOOST_TEST(lang::kMaxDefinitionDepth == 1024);
}

BOOST_AUTO_TEST_CASE(long_flat_chains_are_e0009_not_a_crash) {
  const std::vector<std::pair<std::string, std::string>> shapes = {
      {"1", "+"}, {"1", "-"}, {"1", "*"}, {"2", "/"}, {"flag", "and"}, {"flag", "or"}};
  for (const auto& [operand, op] : shapes) {
    BOOST_TEST_CONTEXT("operator " << op) {
      // At the limit: fine.
      auto at = parse_text("define x = " + chain(operand, op, lang::kMaxExpressionDepth) + "\n");
      BOOST_TEST(at.diagnostics.empty());
      BOOST_TEST(at.module.decls.size() == 1u);
      // One more, and 20,000 (an 80 KB line that used to crash): E0010, and the declaration
      // after it is still read.
      for (int n : {lang::kMaxExpressionDepth + 1, 20000}) {
        auto over = parse_text("define x = " + chain(operand, op, n) + "\ndefine y = 2\n");
        BOOST_TEST(only(over.diagnostics, DiagnosticKind::E0010));
        BOOST_TEST(over.module.decls.size() == 1u);
        BOOST_TEST(std::holds_alternative<lang::DefineDecl>(over.module.decls.at(0)));
        BOOST_TEST(std::get<lang::DefineDecl>(over.module.decls.at(0)).name.name == "y");
        // The dropped declaration leaves no expressions behind.
        BOOST_TEST(over.module.exprs.size() == 1u);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(e0009_points_at_the_operator_that_goes_too_deep) {
  const std::string line = "define x = " + chain("1", "+", 300);
  lang::SourceMap map;
  map.add("t.policy", line + "\n");
  auto r = lang::parse(map.file(0), 0);
  BOOST_REQUIRE(only(r.diagnostics, DiagnosticKind::E0010));
  const auto& d = r.diagnostics[0];
  // `define x = 1` is 12 bytes, then ` + 1` four bytes a time: the 257th `+`.
  BOOST_TEST(d.span.begin == 12u + 256u * 4u + 1u);
  BOOST_TEST(line.substr(d.span.begin, d.span.end - d.span.begin) == "+");
  BOOST_TEST(d.message ==
             "this expression is too deep: more than 256 operators are applied one to the result "
             "of another");
}

BOOST_AUTO_TEST_CASE(depth_counts_every_operator_with_brackets) {
  // Brackets add no level of their own, but what is inside them counts: 230 `+` inside 30
  // brackets inside 30 `-` is 260 levels (the bracket limit alone, E0004, would pass it).
  const std::string deep = std::string(30, '(') + chain("1", "+", 230) + std::string(30, ')');
  std::string negs;
  for (int i = 0; i < 30; ++i) negs += "- ";
  BOOST_TEST(
      only(parse_text("define x = " + negs + deep + "\n").diagnostics, DiagnosticKind::E0010));
  BOOST_TEST(parse_text("define x = " + deep + "\n").diagnostics.empty());
  // A long list or call is wide, not deep.
  BOOST_TEST(parse_text("define x = phase in [" + chain("primary", ",", 20000) + "]\n")
                 .diagnostics.empty());
}

BOOST_AUTO_TEST_CASE(check_reports_e0009_for_a_long_chain) {
  auto r = compile_policy_text("t.policy", policy("define x = " + chain("1", "+", 20000) + "\n"));
  BOOST_TEST(!r.compiled);
  BOOST_TEST(only(r.diagnostics, DiagnosticKind::E0010));
}

BOOST_AUTO_TEST_CASE(chains_of_definitions_are_e0010_not_a_crash) {
  for (bool down : {true, false}) {
    for (int n : {513, 10000, 30000}) {
      BOOST_TEST_CONTEXT((down ? "down " : "up ") << n) {
        auto r = compile_policy_text("t.policy", policy(definition_chain(n, down)));
        BOOST_TEST(!r.compiled);
        BOOST_TEST(only(r.diagnostics, DiagnosticKind::E0011));
      }
    }
  }
  // Plain renamings count one level each.
  auto r = compile_policy_text("t.policy", policy(definition_chain(5000, true, "")));
  BOOST_TEST(only(r.diagnostics, DiagnosticKind::E0011));
}

BOOST_AUTO_TEST_CASE(e0010_names_the_definition_and_the_one_it_uses) {
  auto r = compile_policy_text("t.policy", policy(definition_chain(600, true)));
  BOOST_REQUIRE(only(r.diagnostics, DiagnosticKind::E0011));
  const auto& d = r.diagnostics[0];
  // d_i is 2 * (600 - i) deep: d87 is the first above 1024, and it uses d88 (1024 deep).
  BOOST_TEST(d.message ==
             "`d87` uses definitions too deeply nested to work out: written out in full, it "
             "would be more than 1024 levels deep");
  BOOST_REQUIRE(d.notes.size() == 1u);
  BOOST_TEST(d.notes[0].message == "it uses `d88`, which is 1024 levels deep written out in full");
}

BOOST_AUTO_TEST_CASE(circles_stay_e0207_and_huge_circles_do_not_crash) {
  auto small = compile_policy_text(
      "t.policy", policy("define a: number = b + 1\ndefine b: number = a - 1\ndefine x = a\n"));
  BOOST_TEST((kinds(small.diagnostics) == std::vector<DiagnosticKind>{DiagnosticKind::E0207}));
  std::string circle;
  for (int i = 0; i < 20000; ++i)
    circle += "define c" + std::to_string(i) + " = c" + std::to_string((i + 1) % 20000) + " + 1\n";
  auto huge = compile_policy_text("t.policy", policy(circle + "define x = c0\n"));
  BOOST_TEST(only(huge.diagnostics, DiagnosticKind::E0011));
}

BOOST_AUTO_TEST_CASE(just_under_the_limits_everything_works) {
  // 500 definitions each adding one to the next, down to a sum of 11 fields (1013 levels
  // written out in full, as the output column reads it), and a chain of 256 `+`: checked,
  // linted, evaluated by both evaluators, explained and formatted.
  for (bool down : {true, false}) {
    const std::string text =
        policy(definition_chain(500, down, " + 1", chain("score", "+", 10) + " if missing 0") +
               "define wide = " + chain("1", "+", lang::kMaxExpressionDepth) + "\n");
    auto r = compile_policy_text("t.policy", text);
    BOOST_REQUIRE_MESSAGE(r.compiled, lang::render_all(r.diagnostics, r.sources));
    const CompiledPolicy& c = *r.compiled;
    (void)lang::lint(c.policy);
    BOOST_TEST(evaluate_x(c, "100001,primary,2,yes\n") == "522\n");  // 11 * 2 + 500

    BindResult bound =
        bind_records("t.csv", "urn,phase,score,flag\n100001,primary,2,yes\n", c.schema);
    BOOST_REQUIRE(bound.errors.empty());
    ReferenceEvaluator ref(c.policy, c.program.calendars, bound.data.text, 17791);
    const std::vector<Value> fields = bound.data.row(0);
    ref.reset(fields.data());
    for (std::uint32_t d = 0; d < c.policy.definitions.size(); ++d) {
      if (c.policy.definitions[d].name == "x")
        BOOST_TEST(ref.definition(d) == 522 * decimal::kScale);
      if (c.policy.definitions[d].name == "wide")
        BOOST_TEST(ref.definition(d) == 257 * decimal::kScale);
    }
    const RecordExplanation e = explain_record(c, bound.data, 0, 17791);
    BOOST_TEST(!render_explanation(e, c).empty());

    lang::SourceFile source("t.policy", text);
    const lang::ParseResult parsed = lang::parse(source, 0);
    BOOST_REQUIRE(parsed.diagnostics.empty());
    const std::string formatted = lang::format_module(source, parsed.module);
    BOOST_TEST(lang::same_tokens(formatted, text));
  }
}

BOOST_AUTO_TEST_CASE(deep_chains_are_checked_in_full) {
  // Past 64 levels the checker types definitions bottom-up: an error at the bottom of a chain of
  // 300 is still found, once, and a circle of 200 is still E0207.
  auto r =
      compile_policy_text("t.policy", policy(definition_chain(300, true, " + 1", "phase + 1")));
  BOOST_TEST((kinds(r.diagnostics) == std::vector<DiagnosticKind>{DiagnosticKind::E0307}));
  std::string circle;
  for (int i = 0; i < 200; ++i)
    circle += "define c" + std::to_string(i) + " = c" + std::to_string((i + 1) % 200) + " + 1\n";
  auto c = compile_policy_text("t.policy", policy(circle + "define x = c0\n"));
  BOOST_TEST((kinds(c.diagnostics) == std::vector<DiagnosticKind>{DiagnosticKind::E0207}));
  // Annotated definitions are never worked out on demand; a long chain of them checks too.
  std::string annotated;
  for (int i = 0; i < 400; ++i)
    annotated += "define a" + std::to_string(i) + ": number = a" + std::to_string(i + 1) + " + 1\n";
  auto a = compile_policy_text("t.policy",
                               policy(annotated + "define a400: number = 1\ndefine x = a0\n"));
  BOOST_TEST(a.diagnostics.empty());
}
