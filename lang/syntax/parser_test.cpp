#define BOOST_TEST_MODULE parser
#include <boost/test/unit_test.hpp>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "lang/syntax/grammar.hpp"
#include "lang/syntax/parser.hpp"

using namespace catengine::lang;
namespace g = catengine::lang::grammar;
namespace p = tao::pegtl;

namespace {

// ---- Helpers --------------------------------------------------------------------------------

enum class M { full, prefix, fail };

std::ostream& operator<<(std::ostream& os, M m) {
  return os << (m == M::full ? "full" : m == M::prefix ? "prefix" : "fail");
}

// Matches one grammar rule against the start of `s`.
template <typename Rule>
M match(const std::string& s) {
  g::ParseState state;
  state.base = s.data();
  p::memory_input<> in(s, "test");
  try {
    if (!p::parse<Rule, p::nothing, g::control>(in, state)) return M::fail;
  } catch (const g::SyntaxFailure&) {
    return M::fail;
  }
  return in.empty() ? M::full : M::prefix;
}

struct Parsed {
  SourceMap map;
  ParseResult result;
  const Module& module() const { return result.module; }
  std::string text(SourceSpan s) const {
    return map.file(0).text().substr(s.begin, s.end - s.begin);
  }
  std::string rendered() const { return render_all(result.diagnostics, map); }
};

Parsed parse_text(std::string text) {
  Parsed out;
  const FileId id = out.map.add("test.policy", std::move(text));
  out.result = parse(out.map.file(id), id);
  return out;
}

const char* op_name(Op op) {
  switch (op) {
    case Op::Neg:
      return "neg";
    case Op::Not:
      return "not";
    case Op::Add:
      return "+";
    case Op::Sub:
      return "-";
    case Op::Mul:
      return "*";
    case Op::Div:
      return "/";
    case Op::And:
      return "and";
    case Op::Or:
      return "or";
    case Op::Eq:
      return "=";
    case Op::Ne:
      return "!=";
    case Op::Lt:
      return "<";
    case Op::Le:
      return "<=";
    case Op::Gt:
      return ">";
    case Op::Ge:
      return ">=";
    case Op::Worse:
      return "worse";
    case Op::Better:
      return "better";
    case Op::AtLeast:
      return "at-least";
    case Op::AtWorst:
      return "at-worst";
    case Op::None:
      return "none";
  }
  return "?";
}

// An s-expression for an expression tree.
std::string show(const Module& m, ExprId id) {
  const Expr& e = m.expr(id);
  auto args = [&](std::size_t from = 0) {
    std::string out;
    for (std::size_t i = from; i < e.args.size(); ++i) out += " " + show(m, e.args[i]);
    return out;
  };
  switch (e.kind) {
    case ExprKind::Integer:
    case ExprKind::Decimal:
    case ExprKind::Date:
    case ExprKind::Name:
      return e.text;
    case ExprKind::String:
      return "\"" + e.text + "\"";
    case ExprKind::List: {
      std::string out = "[";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        out += (i ? ", " : "") + show(m, e.args[i]);
      }
      return out + "]";
    }
    case ExprKind::Unary:
    case ExprKind::Binary:
      return std::string("(") + op_name(e.op) + args() + ")";
    case ExprKind::In:
      return std::string(e.negated ? "(not-in" : "(in") + args() + ")";
    case ExprKind::IsMissing:
      return std::string(e.negated ? "(not-missing" : "(missing") + args() + ")";
    case ExprKind::Between:
      return "(between" + args() + ")";
    case ExprKind::IfMissing:
      return (e.missing_clause ? "(if-any-missing" : "(if-missing") + args() + ")";
    case ExprKind::If:
      return "(if" + args() + ")";
    case ExprKind::Call:
      return "(call " + e.text + args() + ")";
  }
  return "?";
}

// Parses `define x = <source>` and shows the body.
std::string expr_of(const std::string& source) {
  Parsed parsed = parse_text("define x = " + source);
  BOOST_TEST_INFO("source: " << source);
  BOOST_TEST(parsed.rendered() == "");
  if (parsed.module().decls.size() != 1) return "<no decl>";
  const auto* d = std::get_if<DefineDecl>(&parsed.module().decls[0]);
  if (d == nullptr) return "<not a define>";
  return show(parsed.module(), d->body);
}

// The rendered diagnostics of a source.
std::string errors_of(const std::string& source) {
  return parse_text(source).rendered();
}

}  // namespace

// ---- Grammar rules: a match, a failure and a leftover for each ------------------------------

struct RuleCase {
  const char* rule;
  std::function<M(const std::string&)> run;
  std::string matching;
  std::string failing;
  std::string leftover;  // matches a prefix only; empty when the rule cannot leave any
};

BOOST_AUTO_TEST_CASE(grammar_rules_match_fail_and_leave_leftovers) {
  const std::vector<RuleCase> cases = {
      {"comment", match<g::comment>, "# a comment", "a comment", "# a\nb"},
      {"skip", match<g::skip>, "  # c\n\t ", "", "  x"},  // skip never fails
      {"ident", match<g::ident>, "ks2_rwm", "when", "abc-def"},
      {"integer_lit", match<g::integer_lit>, "2014", "x1", "12+3"},
      {"decimal_lit", match<g::decimal_lit>, "64.9", "64", "0.3)"},
      {"date_lit", match<g::date_lit>, "2018-09-17", "2018-9-17", "2018-09-17 x"},
      {"string_lit", match<g::string_lit>, R"("a \"b\" \\ c")", "abc", R"("a" b)"},
      {"list_expr", match<g::list_expr>, "[a, b, 3]", "[a,", "[] x"},
      {"paren_expr", match<g::paren_expr>, "(a + b)", "(a", "(a) b"},
      {"name_primary", match<g::name_primary>, "f(a, b)", "when", "f of x y"},
      {"primary", match<g::primary>, "yes", "+", "\"x\" y"},
      {"unary", match<g::unary>, "- - 5", "-", "-5 x"},
      {"product", match<g::product>, "a * b / c", "a *", "a * b c"},
      {"sum", match<g::sum>, "a + b - c * d", "a -", "a + b )"},
      {"comparison", match<g::comparison>, "a is not missing", "a is", "a < b c"},
      {"not_expr", match<g::not_expr>, "not not a", "not", "not a b"},
      {"and_expr", match<g::and_expr>, "a and not b", "a and", "a and b c"},
      {"or_expr", match<g::or_expr>, "a or b and c", "a or", "a or b c"},
      {"missing_expr", match<g::missing_expr>, "a if missing b", "a if missing", "a if b"},
      {"if_expr", match<g::if_expr>, "if a then b else c", "if a then b", "if a then b else c d"},
      {"expr", match<g::expr>, "x between 1 and 3", "x between 1", "x in [a] y"},
      {"cite", match<g::cite>, "cite \"s5\"", "cite s5", "cite \"s5\" x"},
      {"header_decl", match<g::header_decl>, "policy \"P\" cite \"c\"", "policy P",
       "policy \"P\" x"},
      {"use_decl", match<g::use_decl>, "use stdlib.ofsted", "use 3", "use a.b c"},
      {"enum_decl", match<g::enum_decl>, "enumeration Phase: primary, secondary",
       "enumeration Phase primary", "enumeration P: a b"},
      {"scale_decl", match<g::scale_decl>, "scale G from best to worst: 1 \"Good\", 2 \"Bad\"",
       "scale G from worst to best: 1", "scale G from best to worst: a b"},
      {"type_ref", match<g::type_ref>, "academic year?", "?", "percent? x"},
      {"literal", match<g::literal>, "- 5", "-", "none x"},
      {"field_decl", match<g::field_decl>, "field urn: integer, key, between 100000 and 999999",
       "field urn integer", "field a: text b"},
      {"reading_missing", match<g::reading_missing>, "missing values are \"\", \"x\"",
       "missing values \"\"", "missing values are \"\" x"},
      {"reading_yes", match<g::reading_yes>, "yes is written \"y\"", "yes is \"y\"",
       "yes is written \"y\" z"},
      {"reading_dates", match<g::reading_dates>, "dates are written \"D/M/YYYY\"",
       "dates written \"D\"", "dates are written \"D\" z"},
      {"record_decl", match<g::record_decl>, "record S\n  field a: text\n  no is written \"n\"",
       "record", "record S\n field a: text\n z"},
      {"param_entry", match<g::param_entry>, "2016 to 2018: 65 cite \"x\"", "2016 to: 65",
       "2014: 79 x"},
      {"param_decl", match<g::param_decl>, "parameter n: percent by year\n 2014: 79",
       "parameter n: percent by year", "parameter n: percent by date\n 2014-09-01: 1 x"},
      {"define_decl", match<g::define_decl>, "define d: boolean cite \"c\" = a", "define d a",
       "define d = a b"},
      {"rule_decl", match<g::rule_decl>, "rule R1 \"t\" when a then \"4\"",
       "rule R1 \"t\" when a \"4\"", "rule R1 \"t\" otherwise 2 x"},
      {"decide_decl", match<g::decide_decl>,
       "decide c: Category by first match\n rule R1 \"t\" otherwise \"2\"",
       "decide c: Category by first match",
       "decide c: C by first match rule R \"t\" otherwise 1 x"},
      {"column_decl", match<g::column_decl>, "column rule = rule of category", "column = x",
       "column urn x"},
      {"output_decl", match<g::output_decl>,
       "output cite \"s6\"\n column urn\n column \"rag\" = rag", "output cite \"s6\"",
       "output column a x"},
      {"decl", match<g::decl>, "define a = 1", "field a: text", "define a = 1 define"},
      {"file", match<g::file>, "# c\ndefine a = 1\ndefine b = 2\n", "define a = 1 )", ""},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("rule " << c.rule) {
      BOOST_TEST(c.run(c.matching) == M::full, "matching: " << c.matching);
      if (!c.failing.empty()) BOOST_TEST(c.run(c.failing) == M::fail, "failing: " << c.failing);
      if (!c.leftover.empty()) {
        BOOST_TEST(c.run(c.leftover) == M::prefix, "leftover: " << c.leftover);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(keywords_and_names) {
  BOOST_TEST(match<g::ident>("whenever") == M::full);  // a keyword only as a whole word
  BOOST_TEST(match<g::ident>("rule") == M::full);      // `rule` is not reserved
  BOOST_TEST(match<g::ident>("from") == M::full);
  BOOST_TEST(match<g::ident>("yes") == M::fail);
  BOOST_TEST(match<g::ident>("_x1") == M::full);
  BOOST_TEST(match<g::ident>("1x") == M::fail);
  BOOST_TEST(match<g::tok<g::cmp_op>>("<= 3") == M::prefix);  // longer operators first
  BOOST_TEST(match<g::primary>("12abc") == M::fail);          // a number cannot run into a name
}

// ---- AST shapes -----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(precedence) {
  BOOST_TEST(expr_of("a or b and c") == "(or a (and b c))");
  BOOST_TEST(expr_of("a and b or c") == "(or (and a b) c)");
  BOOST_TEST(expr_of("not a is b") == "(not (= a b))");
  BOOST_TEST(expr_of("not not a") == "(not (not a))");
  BOOST_TEST(expr_of("x if missing y") == "(if-missing x y)");
  BOOST_TEST(expr_of("a or b if missing c or d") == "(if-missing (or a b) (or c d))");
  BOOST_TEST(expr_of("if a then b else if c then d else e") == "(if a b (if c d e))");
  BOOST_TEST(expr_of("f of g of x") == "(call f (call g x))");
  BOOST_TEST(expr_of("f of x + 1") == "(+ (call f x) 1)");
  BOOST_TEST(expr_of("x between 1 and 3 and y") == "(and (between x 1 3) y)");
  BOOST_TEST(expr_of("a + b * c - d") == "(- (+ a (* b c)) d)");
  BOOST_TEST(expr_of("a - b - c") == "(- (- a b) c)");
  BOOST_TEST(expr_of("(a + b) * c") == "(* (+ a b) c)");
  BOOST_TEST(expr_of("a < b - 5") == "(< a (- b 5))");
}

// Issue 16: the missing-data clause covers the whole expression before it, whatever the nesting
// of `if` and `else`, where `if missing` alone belongs to the last `else`.
BOOST_AUTO_TEST_CASE(the_missing_data_clause) {
  BOOST_TEST(expr_of("if a then b else if c then d else e, or no if any figure is missing") ==
             "(if-any-missing (if a b (if c d e)) no)");
  BOOST_TEST(expr_of("if a then b else if c then d else e if missing no") ==
             "(if a b (if c d (if-missing e no)))");
  BOOST_TEST(expr_of("a and b, or not c if any figure is missing") ==
             "(if-any-missing (and a b) (not c))");
  BOOST_TEST(expr_of("x if missing y, or (z or w) if any figure is missing") ==
             "(if-any-missing (if-missing x y) (or z w))");
  // In a rule's condition and value.
  Parsed p = parse_text(
      "decide c: C by first match\n  rule R1 \"t\" when a > 1, or no if any figure is missing\n"
      "    then b, or c if any figure is missing\n  rule R2 \"u\" otherwise d\n");
  BOOST_TEST(p.rendered() == "");
  // Never inside brackets, lists or calls, and its value stops at `or`.
  BOOST_TEST(errors_of("define x = [a, or b if any figure is missing]\n") != "");
  BOOST_TEST(errors_of("define x = (a, or b if any figure is missing)\n") != "");
  BOOST_TEST(errors_of("define x = a, or b or c if any figure is missing\n") ==
             "error[E0001]: expected `if any figure is missing` after `, or` and its value, found "
             "`or`\n"
             " --> test.policy:1:20\n"
             "  |\n"
             "1 | define x = a, or b or c if any figure is missing\n"
             "  |                    ^^ expected `if any figure is missing`\n"
             "  = hint: the clause reads `, or VALUE if any figure is missing`; a value with `and` "
             "or `or` in it goes in brackets\n"
             "\n"
             "1 error\n");
  BOOST_TEST(
      errors_of("define x = a, or no if missing\n").find("expected `if any figure is missing`") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(comparisons_and_literals) {
  BOOST_TEST(expr_of("a is missing") == "(missing a)");
  BOOST_TEST(expr_of("a is not missing") == "(not-missing a)");
  BOOST_TEST(expr_of("a is not b") == "(!= a b)");
  BOOST_TEST(expr_of("a in [b, c]") == "(in a [b, c])");
  BOOST_TEST(expr_of("a not in []") == "(not-in a [])");
  BOOST_TEST(expr_of("a worse than b") == "(worse a b)");
  BOOST_TEST(expr_of("a better than b") == "(better a b)");
  BOOST_TEST(expr_of("a at least b") == "(at-least a b)");
  BOOST_TEST(expr_of("a at worst b") == "(at-worst a b)");
  BOOST_TEST(expr_of("a <= 1") == "(<= a 1)");
  BOOST_TEST(expr_of("a >= 1") == "(>= a 1)");
  BOOST_TEST(expr_of("a != 1") == "(!= a 1)");
  BOOST_TEST(expr_of("a = 1") == "(= a 1)");
  BOOST_TEST(expr_of("a > 1") == "(> a 1)");
  BOOST_TEST(expr_of("f(a, b)") == "(call f a b)");
  BOOST_TEST(expr_of("f()") == "(call f)");
  BOOST_TEST(expr_of("-5") == "(neg 5)");
  BOOST_TEST(expr_of("a - -5.5") == "(- a (neg 5.5))");
  BOOST_TEST(expr_of("2018-09-17") == "2018-09-17");
  BOOST_TEST(expr_of("2018 - 09") == "(- 2018 09)");
  BOOST_TEST(expr_of(R"("say \"hi\" \\ ok")") == R"("say "hi" \ ok")");
  BOOST_TEST(expr_of("yes or no") == "(or yes no)");
}

BOOST_AUTO_TEST_CASE(rule_of_category_inside_a_decision) {
  Parsed parsed = parse_text(
      "decide band: Band by first match\n"
      "  rule B1 \"x\" when rule of category is R1 then \"high\"\n"
      "  rule B2 \"y\" otherwise rule of category\n");
  BOOST_TEST(parsed.rendered() == "");
  const auto& d = std::get<DecisionDecl>(parsed.module().decls.at(0));
  BOOST_TEST(d.rules.size() == 2u);
  BOOST_TEST(show(parsed.module(), d.rules[0].condition) == "(= (call rule category) R1)");
  BOOST_TEST(show(parsed.module(), d.rules[0].value) == "\"high\"");
  BOOST_TEST(show(parsed.module(), d.rules[1].value) == "(call rule category)");
  BOOST_TEST(d.rules[1].condition == kNoExpr);
}

BOOST_AUTO_TEST_CASE(negative_literals_in_fields) {
  Parsed parsed = parse_text(
      "record R\n  field t: number, between -5 and 5.5, missing means -1\n"
      "  field n: Grade, missing means none, column \"N\"\n");
  BOOST_TEST(parsed.rendered() == "");
  const auto& r = std::get<RecordDecl>(parsed.module().decls.at(0));
  BOOST_TEST(show(parsed.module(), r.fields[0].low) == "(neg 5)");
  BOOST_TEST(show(parsed.module(), r.fields[0].high) == "5.5");
  BOOST_TEST(show(parsed.module(), r.fields[0].missing_means) == "(neg 1)");
  BOOST_TEST(show(parsed.module(), r.fields[1].missing_means) == "none");
  BOOST_TEST(r.fields[1].column.value() == "N");
}

BOOST_AUTO_TEST_CASE(spans) {
  Parsed parsed = parse_text(
      "define  declining : boolean = (a + b) * c # why\n"
      "decide category: Category by first match\n"
      "  rule R1 \"t\" when f(x) then \"4\"  # note\n"
      "output\n  column rule = rule of category\n");
  BOOST_TEST(parsed.rendered() == "");
  const Module& m = parsed.module();
  const auto& d = std::get<DefineDecl>(m.decls.at(0));
  BOOST_TEST(parsed.text(d.name.span) == "declining");
  BOOST_TEST(parsed.text(d.type->span) == "boolean");
  BOOST_TEST(parsed.text(m.expr(d.body).span) == "(a + b) * c");
  BOOST_TEST(parsed.text(m.expr(m.expr(d.body).args[0]).span) == "(a + b)");
  BOOST_TEST(parsed.text(d.span) == "define  declining : boolean = (a + b) * c");
  const auto& dec = std::get<DecisionDecl>(m.decls.at(1));
  BOOST_TEST(parsed.text(dec.rules[0].id.span) == "R1");
  BOOST_TEST(parsed.text(dec.rules[0].span) == "rule R1 \"t\" when f(x) then \"4\"");
  const Expr& call = m.expr(dec.rules[0].condition);
  BOOST_TEST(parsed.text(call.name_span) == "f");
  BOOST_TEST(parsed.text(call.span) == "f(x)");
  BOOST_TEST(parsed.text(dec.span) ==
             "decide category: Category by first match\n  rule R1 \"t\" when f(x) then \"4\"");
  const auto& out = std::get<OutputDecl>(m.decls.at(2));
  const Expr& rule_call = m.expr(out.columns[0].value);
  BOOST_TEST(parsed.text(rule_call.name_span) == "rule");
  BOOST_TEST(parsed.text(rule_call.span) == "rule of category");
  BOOST_TEST(parsed.text(out.columns[0].span) == "column rule = rule of category");
  BOOST_TEST(m.comments.size() == 2u);
  BOOST_TEST(m.comments[0].text == "# why");
  BOOST_TEST(parsed.text(m.comments[1].span) == "# note");
  for (const Expr& e : m.exprs) BOOST_TEST(e.span.file == 0u);
}

BOOST_AUTO_TEST_CASE(realistic_sample) {
  Parsed parsed = parse_text(R"(# comment
policy "Peterborough school categorisation" cite "Strategy 2013, section 5"
use stdlib.ofsted
use "measures.policy"
enumeration Phase: primary, secondary, special, pru
scale Category from best to worst cite "s3": "1", "2", "3a", "3b", "4"
scale Grade from best to worst: 1 "Outstanding", 2 "Good", 3 "Requires improvement", 4 "Inadequate"
record School cite "section 1"
  missing values are "", "SUPP", "x"
  yes is written "yes", "y"
  dates are written "YYYY-MM-DD", "D/M/YYYY"
  field urn: integer, key, between 100000 and 999999
  field academic_year: academic year
  field ofsted_category: OfstedCategory, missing means none
  field ks2_rwm: percent?, column "KS2 RWM %" cite "x"
parameter national_rwm: percent by year cite "DfE"
  2014: 79 cite "SFR 2014"
  2016 to 2018: 65
define declining: boolean cite "s2" =
  (if phase is primary then ks2_rwm < ks2_rwm_prev - 5 else no) if missing no
decide category: Category by first match cite "s3"
  rule R1 "In an Ofsted category" cite "R1"
    when ofsted_category in [serious_weaknesses, special_measures] then "4"
  rule R14 "Otherwise" otherwise "2"
output cite "section 6"
  column urn
  column rule = rule of category
  column "rag" = rag
)");
  BOOST_TEST(parsed.rendered() == "");
  const Module& m = parsed.module();
  BOOST_TEST(m.decls.size() == 11u);
  BOOST_TEST(m.comments.size() == 1u);

  const auto& h = std::get<PolicyHeader>(m.decls[0]);
  BOOST_TEST(h.title == "Peterborough school categorisation");
  BOOST_TEST(h.cite->text == "Strategy 2013, section 5");

  const auto& u1 = std::get<UseDecl>(m.decls[1]);
  BOOST_TEST(u1.target == "stdlib.ofsted");
  BOOST_TEST(!u1.is_path);
  const auto& u2 = std::get<UseDecl>(m.decls[2]);
  BOOST_TEST(u2.target == "measures.policy");
  BOOST_TEST(u2.is_path);

  const auto& phase = std::get<EnumDecl>(m.decls[3]);
  BOOST_TEST(!phase.ordered);
  BOOST_TEST(phase.members.size() == 4u);
  BOOST_TEST(phase.members[3].key == "pru");

  const auto& cat = std::get<EnumDecl>(m.decls[4]);
  BOOST_TEST(cat.ordered);
  BOOST_TEST(cat.cite->text == "s3");
  BOOST_TEST(cat.members[2].key == "3a");

  const auto& grade = std::get<EnumDecl>(m.decls[5]);
  BOOST_TEST(grade.members[2].key == "3");
  BOOST_TEST(grade.members[2].description == "Requires improvement");
  BOOST_TEST(parsed.text(grade.members[0].span) == "1 \"Outstanding\"");

  const auto& school = std::get<RecordDecl>(m.decls[6]);
  BOOST_TEST(school.name.name == "School");
  BOOST_TEST(school.cite->text == "section 1");
  BOOST_TEST(school.reading.size() == 3u);
  BOOST_TEST((school.reading[0].kind == ReadingRule::Kind::MissingValues));
  BOOST_TEST((school.reading[0].words == std::vector<std::string>{"", "SUPP", "x"}));
  BOOST_TEST((school.reading[1].kind == ReadingRule::Kind::YesWords));
  BOOST_TEST((school.reading[2].kind == ReadingRule::Kind::DateFormats));
  BOOST_TEST(school.fields.size() == 4u);
  BOOST_TEST(school.fields[0].key);
  BOOST_TEST(show(m, school.fields[0].low) == "100000");
  BOOST_TEST(show(m, school.fields[0].high) == "999999");
  BOOST_TEST(school.fields[1].type.name == "academic year");
  BOOST_TEST(parsed.text(school.fields[1].type.span) == "academic year");
  BOOST_TEST(school.fields[2].type.name == "OfstedCategory");
  BOOST_TEST(show(m, school.fields[2].missing_means) == "none");
  BOOST_TEST(school.fields[3].type.name == "percent");
  BOOST_TEST(school.fields[3].type.optional);
  BOOST_TEST(school.fields[3].column.value() == "KS2 RWM %");
  BOOST_TEST(school.fields[3].cite->text == "x");
  BOOST_TEST(parsed.text(school.fields[3].span) ==
             "field ks2_rwm: percent?, column \"KS2 RWM %\" cite \"x\"");

  const auto& param = std::get<ParamDecl>(m.decls[7]);
  BOOST_TEST(!param.by_date);
  BOOST_TEST(param.cite->text == "DfE");
  BOOST_TEST(param.entries.size() == 2u);
  BOOST_TEST(param.entries[0].from == "2014");
  BOOST_TEST(param.entries[0].to == "");
  BOOST_TEST(param.entries[0].cite->text == "SFR 2014");
  BOOST_TEST(param.entries[1].from == "2016");
  BOOST_TEST(param.entries[1].to == "2018");
  BOOST_TEST(show(m, param.entries[1].value) == "65");

  const auto& def = std::get<DefineDecl>(m.decls[8]);
  BOOST_TEST(def.type->name == "boolean");
  BOOST_TEST(def.cite->text == "s2");
  BOOST_TEST(show(m, def.body) ==
             "(if-missing (if (= phase primary) (< ks2_rwm (- ks2_rwm_prev 5)) no) no)");

  const auto& dec = std::get<DecisionDecl>(m.decls[9]);
  BOOST_TEST(dec.type.name == "Category");
  BOOST_TEST(dec.rules.size() == 2u);
  BOOST_TEST(dec.rules[0].title == "In an Ofsted category");
  BOOST_TEST(dec.rules[0].cite->text == "R1");
  BOOST_TEST(show(m, dec.rules[0].condition) ==
             "(in ofsted_category [serious_weaknesses, special_measures])");
  BOOST_TEST(dec.rules[1].id.name == "R14");
  BOOST_TEST(dec.rules[1].condition == kNoExpr);

  const auto& out = std::get<OutputDecl>(m.decls[10]);
  BOOST_TEST(out.columns.size() == 3u);
  BOOST_TEST(out.columns[0].name == "urn");
  BOOST_TEST(show(m, out.columns[0].value) == "urn");
  BOOST_TEST(out.columns[1].name == "rule");
  BOOST_TEST(show(m, out.columns[1].value) == "(call rule category)");
  BOOST_TEST(out.columns[2].name == "rag");
}

BOOST_AUTO_TEST_CASE(crlf_and_tabs) {
  Parsed parsed = parse_text("define\ta = 1\r\n# c\r\ndefine b = a\r\n");
  BOOST_TEST(parsed.rendered() == "");
  BOOST_TEST(parsed.module().decls.size() == 2u);
  BOOST_TEST(parsed.module().comments.at(0).text == "# c");
}

// ---- Errors: the exact text of every kind the parser emits ----------------------------------

BOOST_AUTO_TEST_CASE(error_e0001_syntax) {
  BOOST_TEST(errors_of("decide c: C by first match\n  rule R3 \"t\" when a b then 1\n") ==
             "error[E0001]: expected `then` after the condition of rule `R3`, found `b`\n"
             " --> test.policy:2:22\n"
             "  |\n"
             "2 |   rule R3 \"t\" when a b then 1\n"
             "  |                      ^ expected `then`\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = )\n") ==
             "error[E0001]: expected an expression after `=` in the definition of `x`, found `)`\n"
             " --> test.policy:1:12\n"
             "  |\n"
             "1 | define x = )\n"
             "  |            ^ expected an expression\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define when = 1\n") ==
             "error[E0001]: expected a name after `define`, found `when`\n"
             " --> test.policy:1:8\n"
             "  |\n"
             "1 | define when = 1\n"
             "  |        ^^^^ expected a name\n"
             "  = hint: `when` is a reserved word; choose another name\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("policy \"P\" cite\n") ==
             "error[E0001]: expected a string after `cite`, found the end of the file\n"
             " --> test.policy:1:16\n"
             "  |\n"
             "1 | policy \"P\" cite\n"
             "  |                ^ expected a string\n"
             "  = hint: write the paragraph of the policy in quotes, like `cite \"section 5\"`\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("feild a: text\n") ==
             "error[E0001]: expected a declaration, found `feild`\n"
             " --> test.policy:1:1\n"
             "  |\n"
             "1 | feild a: text\n"
             "  | ^^^^^ expected a declaration\n"
             "  = hint: did you mean `field`?\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = if a then b\n") ==
             "error[E0001]: expected `else` after `if ... then ...`, found the end of the file\n"
             " --> test.policy:1:23\n"
             "  |\n"
             "1 | define x = if a then b\n"
             "  |                       ^ expected `else`\n"
             "  = hint: an `if` expression needs an `else` part: `if c then a else b`\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = a && b\n") ==
             "error[E0001]: expected a declaration, found `&&`\n"
             " --> test.policy:1:14\n"
             "  |\n"
             "1 | define x = a && b\n"
             "  |              ^^ expected a declaration\n"
             "  = hint: write `and`\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = (a b)\n") ==
             "error[E0001]: expected `)` to close the `(` on line 1, found `b`\n"
             " --> test.policy:1:15\n"
             "  |\n"
             "1 | define x = (a b)\n"
             "  |               ^ expected `)`\n"
             "  = hint: close the `(` with `)`\n"
             "  = note: test.policy:1:12: the `(` is opened here\n"
             "\n"
             "1 error\n");
  BOOST_TEST(
      errors_of("define x = \"a\\n\"\n") ==
      "error[E0001]: expected `\\\"` or `\\\\` after `\\` in a string, found `n`\n"
      " --> test.policy:1:15\n"
      "  |\n"
      "1 | define x = \"a\\n\"\n"
      "  |               ^ expected `\\\"` or `\\\\` after `\\` in a string\n"
      "  = hint: a string may contain only the escapes `\\\"` and `\\\\`; write `\\\\` for a "
      "backslash\n"
      "\n"
      "1 error\n");
  // Inside a decision, the next `rule` ends the expression: the value is what is missing.
  BOOST_TEST(errors_of("decide c: C by first match\n  rule R1 \"t\" when a then\n"
                       "  rule R2 \"u\" otherwise 1\n") ==
             "error[E0001]: expected a value after `then` in rule `R1`, but line 2 ends here\n"
             " --> test.policy:2:26\n"
             "  |\n"
             "2 |   rule R1 \"t\" when a then\n"
             "  |                          ^ expected a value\n"
             "  = note: test.policy:3:3: the next line goes on with `rule`\n"
             "\n"
             "1 error\n");
}

BOOST_AUTO_TEST_CASE(error_e0002_unterminated_string) {
  BOOST_TEST(errors_of("define x = \"abc\ndefine y = 1\n") ==
             "error[E0002]: this string is never closed\n"
             " --> test.policy:1:12\n"
             "  |\n"
             "1 | define x = \"abc\n"
             "  |            ^ the string starts here\n"
             "  = hint: a string ends on the line it starts; close it with `\"`\n"
             "\n"
             "1 error\n");
}

BOOST_AUTO_TEST_CASE(error_e0003_unclosed_bracket) {
  BOOST_TEST(errors_of("define x = (a + b\ndefine y = 1\n") ==
             "error[E0003]: this `(` on line 1 is never closed\n"
             " --> test.policy:1:12\n"
             "  |\n"
             "1 | define x = (a + b\n"
             "  |            ^ opened here\n"
             "  = hint: add `)` to close it\n"
             "  = note: test.policy:2:1: expected `)` here, found `define`\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = [a, b") ==
             "error[E0003]: this `[` on line 1 is never closed\n"
             " --> test.policy:1:12\n"
             "  |\n"
             "1 | define x = [a, b\n"
             "  |            ^ opened here\n"
             "  = hint: add `]` to close it\n"
             "  = note: test.policy:1:17: expected `]` here, found the end of the file\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = f(a,\n  b\n") ==
             "error[E0003]: this `(` on line 1 is never closed\n"
             " --> test.policy:1:13\n"
             "  |\n"
             "1 | define x = f(a,\n"
             "  |             ^ opened here\n"
             "  = hint: add `)` to close it\n"
             "  = note: test.policy:2:4: expected `)` here, found the end of the file\n"
             "\n"
             "1 error\n");
}

BOOST_AUTO_TEST_CASE(error_e0004_nesting_too_deep) {
  const std::string deep = "define x = " + std::string(70, '(') + "1" + std::string(70, ')');
  BOOST_TEST(errors_of(deep) ==
             "error[E0004]: this expression is nested too deeply (more than 64 levels of "
             "brackets, `if`, `not` or `-`)\n"
             " --> test.policy:1:76\n"
             "  |\n"
             "1 | " +
                 deep +
                 "\n"
                 "  |                                                                            ^ "
                 "too deep\n"
                 "  = hint: split the expression into smaller `define`s\n"
                 "\n"
                 "1 error\n");
  // 64 levels are fine.
  BOOST_TEST(errors_of("define x = " + std::string(64, '(') + "1" + std::string(64, ')')) == "");
  // Very deep input is an error, not a crash.
  for (const std::string& opener :
       {std::string("("), std::string("["), std::string("not "), std::string("- "),
        std::string("f of "), std::string("if a then b else ")}) {
    std::string text = "define x = ";
    for (int i = 0; i < 10000; ++i) text += opener;
    text += "1\ndefine y = 2\n";
    Parsed parsed = parse_text(text);
    BOOST_TEST_CONTEXT("opener " << opener) {
      BOOST_TEST(parsed.result.diagnostics.size() == 1u);
      BOOST_TEST((parsed.result.diagnostics.at(0).kind == DiagnosticKind::E0004));
      BOOST_TEST(parsed.module().decls.size() == 1u);  // `define y` is still read
    }
  }
}

BOOST_AUTO_TEST_CASE(error_e0005_file_too_large) {
  std::string big(kMaxSourceBytes + 1, ' ');
  BOOST_TEST(errors_of(big) ==
             "error[E0005]: this file is 4194305 bytes long; the limit is 4194304 bytes (4 MiB)\n"
             "  --> test.policy\n"
             "   = hint: split the policy into several files joined with `use`\n"
             "\n"
             "1 error\n");
}

BOOST_AUTO_TEST_CASE(error_e0007_invalid_character) {
  BOOST_TEST(errors_of("define x = a $ b\n") ==
             "error[E0007]: invalid character `$`\n"
             " --> test.policy:1:14\n"
             "  |\n"
             "1 | define x = a $ b\n"
             "  |              ^ not allowed here\n"
             "  = hint: this character may appear only in strings and comments\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = caf\xC3\xA9\n") ==
             "error[E0007]: invalid character `\xC3\xA9` (U+00E9)\n"
             " --> test.policy:1:15\n"
             "  |\n"
             "1 | define x = caf\xC3\xA9\n"
             "  |               ^ not allowed here\n"
             "  = hint: names use only ASCII letters, digits and `_`; other characters may "
             "appear only in strings and comments\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("define x = a & b\n") ==
             "error[E0007]: invalid character `&`\n"
             " --> test.policy:1:14\n"
             "  |\n"
             "1 | define x = a & b\n"
             "  |              ^ not allowed here\n"
             "  = hint: write `and`\n"
             "\n"
             "1 error\n");
  // Allowed in strings and comments.
  BOOST_TEST(errors_of("define x = \"caf\xC3\xA9 $\" # \xC3\xA9 $\n") == "");
}

BOOST_AUTO_TEST_CASE(error_e0008_too_many_errors) {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "define = 1\n";
  Parsed parsed = parse_text(text);
  const auto& ds = parsed.result.diagnostics;
  BOOST_TEST(ds.size() == static_cast<std::size_t>(kMaxDiagnostics) + 1);
  BOOST_TEST((ds.back().kind == DiagnosticKind::E0008));
  SourceMap map;
  map.add("test.policy", text);
  BOOST_TEST(render(ds.back(), map) ==
             "error[E0008]: too many errors; stopping after 50\n"
             "  --> test.policy\n"
             "   = hint: fix these errors and run again\n");
}

// ---- Recovery -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(recovery_reports_each_error_once) {
  Parsed parsed = parse_text(
      "record R\n"
      "  field a integer\n"  // error 1
      "  field b: text\n"    // skipped: same declaration
      "  field c d\n"        // skipped: same mistake's declaration
      "define ok = 1\n"
      "define y = = 2\n"   // error 2
      "  and more junk\n"  // skipped
      "decide c: C by first match\n"
      "  rule R1 \"t\" otherwise 1\n");
  const auto& ds = parsed.result.diagnostics;
  BOOST_TEST(ds.size() == 2u);
  BOOST_TEST(ds.at(0).message == "expected `:` after the field name `a`, found `integer`");
  BOOST_TEST(ds.at(1).message ==
             "expected an expression after `=` in the definition of `y`, found `=`");
  // The good declarations around the errors are kept.
  BOOST_TEST(parsed.module().decls.size() == 2u);
  BOOST_TEST(std::holds_alternative<DefineDecl>(parsed.module().decls.at(0)));
  BOOST_TEST(std::holds_alternative<DecisionDecl>(parsed.module().decls.at(1)));
}

BOOST_AUTO_TEST_CASE(warnings) {
  Parsed parsed = parse_text(
      "warn expired \"An override has \\\"expired\\\"\"\n"
      "  when level is not missing and until < as_of\n"
      "  cite \"Specification, section 5\"\n"
      "warn plain \"No cite\" when flagged\n");
  BOOST_TEST(parsed.result.diagnostics.empty(), parsed.rendered());
  BOOST_REQUIRE_EQUAL(parsed.module().decls.size(), 2u);
  const auto& w = std::get<WarnDecl>(parsed.module().decls.at(0));
  BOOST_TEST(w.name.name == "expired");
  BOOST_TEST(w.message == "An override has \"expired\"");
  BOOST_TEST(parsed.text(parsed.module().expr(w.condition).span) ==
             "level is not missing and until < as_of");
  BOOST_TEST(w.cite->text == "Specification, section 5");
  BOOST_TEST(parsed.text(w.span).starts_with("warn expired"));
  BOOST_TEST(parsed.text(w.span).ends_with("section 5\""));
  const auto& plain = std::get<WarnDecl>(parsed.module().decls.at(1));
  BOOST_TEST(!plain.cite.has_value());
  // `warn` is reserved and starts a declaration: an error before it is recovered from there.
  BOOST_TEST(errors_of("define warn = 1\n") ==
             "error[E0001]: expected a name after `define`, found `warn`\n"
             " --> test.policy:1:8\n"
             "  |\n"
             "1 | define warn = 1\n"
             "  |        ^^^^ expected a name\n"
             "  = hint: `warn` is a reserved word; choose another name\n"
             "\n"
             "1 error\n");
  BOOST_TEST(errors_of("warn w \"Words\" flagged\n") ==
             "error[E0001]: expected `when` after the words of warning `w`, found `flagged`\n"
             " --> test.policy:1:16\n"
             "  |\n"
             "1 | warn w \"Words\" flagged\n"
             "  |                ^^^^^^^ expected `when`\n"
             "  = hint: write `warn name \"words\" when <condition>`\n"
             "\n"
             "1 error\n");
  Parsed recovered = parse_text("define y = = 2\nwarn w \"Words\" when flagged\n");
  BOOST_TEST(recovered.result.diagnostics.size() == 1u);
  BOOST_REQUIRE_EQUAL(recovered.module().decls.size(), 1u);
  BOOST_TEST(std::holds_alternative<WarnDecl>(recovered.module().decls.at(0)));
}

BOOST_AUTO_TEST_CASE(empty_and_comment_only_files) {
  BOOST_TEST(parse_text("").result.diagnostics.empty());
  Parsed parsed = parse_text("# only a comment\n\n   \n# another");
  BOOST_TEST(parsed.result.diagnostics.empty());
  BOOST_TEST(parsed.module().comments.size() == 2u);
}

// ---- Fuzzing --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(random_input_never_throws) {
  std::mt19937 rng(20240611);
  const std::vector<std::string> pieces = {"define ",
                                           "decide ",
                                           "rule ",
                                           "R1 ",
                                           "\"t\" ",
                                           "when ",
                                           "then ",
                                           "otherwise ",
                                           "(",
                                           ")",
                                           "[",
                                           "]",
                                           ", ",
                                           "x ",
                                           "1 ",
                                           "2.5 ",
                                           "2018-09-17 ",
                                           "is ",
                                           "not ",
                                           "missing ",
                                           "if ",
                                           "else ",
                                           "of ",
                                           "- ",
                                           "+ ",
                                           "= ",
                                           ": ",
                                           "record ",
                                           "field ",
                                           "cite ",
                                           "\"",
                                           "\n",
                                           "#",
                                           "between ",
                                           "and ",
                                           "or ",
                                           "scale ",
                                           "from best to worst",
                                           "output ",
                                           "column ",
                                           "\\",
                                           "parameter ",
                                           "by year ",
                                           "2014 ",
                                           "to ",
                                           "in ",
                                           "\xC3\xA9",
                                           "$",
                                           "\t",
                                           "\r\n",
                                           "?"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 60);
    for (int i = 0; i < length; ++i) {
      if (rng() % 4 == 0) {
        text += static_cast<char>(rng() % 256);
      } else {
        text += pieces[rng() % pieces.size()];
      }
    }
    BOOST_TEST_CONTEXT("round " << round) {
      Parsed parsed;
      BOOST_CHECK_NO_THROW(parsed = parse_text(text));
      for (const Diagnostic& d : parsed.result.diagnostics) {
        BOOST_TEST(d.span.end <= text.size());
        BOOST_TEST(d.span.begin <= d.span.end);
        BOOST_CHECK_NO_THROW((void)render(d, parsed.map));
      }
      for (const Expr& e : parsed.module().exprs) BOOST_TEST(e.span.end <= text.size());
    }
  }
}

BOOST_AUTO_TEST_CASE(large_inputs_stay_linear) {
  std::string many;
  for (int i = 0; i < 3000; ++i) many += "define d" + std::to_string(i) + " = a + b * c # note\n";
  Parsed parsed = parse_text(many);
  BOOST_TEST(parsed.result.diagnostics.empty());
  BOOST_TEST(parsed.module().decls.size() == 3000u);
  // A chain of 10,000 `+` is read in linear time, then rejected as 10,000 levels deep (E0010:
  // every later walk would recurse once per `+`); a list of 10,000 items is wide, not deep.
  std::string wide = "define x = a";
  for (int i = 0; i < 10000; ++i) wide += " + a";
  const auto chained = parse_text(wide).result.diagnostics;
  BOOST_TEST(chained.size() == 1u);
  BOOST_TEST((chained.at(0).kind == DiagnosticKind::E0010));
  std::string list = "define x = [a";
  for (int i = 0; i < 10000; ++i) list += ", a";
  BOOST_TEST(parse_text(list + "]").result.diagnostics.empty());
  std::string junk(200000, 'x');
  junk += " define\n";
  for (int i = 0; i < 10000; ++i) junk += "x y z\n";
  BOOST_TEST(parse_text(junk).result.diagnostics.size() == 1u);
}
