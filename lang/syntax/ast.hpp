// The syntax tree of one policy file. Nodes carry byte spans; expressions live in a per-module
// arena and refer to each other by ExprId, so the tree is cheap to copy and easy to walk. The
// parser builds it and nothing mutates it afterwards: the checker keeps its findings (types,
// resolved names) in side tables keyed by ExprId.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lang/source/source.hpp"

namespace catengine::lang {

using ExprId = std::uint32_t;
inline constexpr ExprId kNoExpr = UINT32_MAX;

struct Identifier {
  std::string name;
  SourceSpan span;
};

// `cite "..."`: the paragraph of the written policy a declaration or rule encodes.
struct Citation {
  std::string text;  // unescaped
  SourceSpan span;
};

enum class ExprKind : std::uint8_t {
  Integer,    // 42          text = lexeme
  Decimal,    // 64.9        text = lexeme
  String,     // "3b"        text = unescaped contents
  Date,       // 2018-09-17  text = lexeme
  Name,       // ks2_rwm, yes, serious_weaknesses   text = identifier
  List,       // [a, b, c]   args = elements
  Unary,      // - a, not a  op, args = {a}
  Binary,     // a op b      op, args = {a, b}
  In,         // a in [..] / a not in [..]   args = {a, list}; negated
  IsMissing,  // a is missing / a is not missing   args = {a}; negated
  Between,    // a between lo and hi (inclusive)   args = {a, lo, hi}
  IfMissing,  // a if missing b   args = {a, b}; missing_clause: `a, or b if any figure is missing`
  If,         // if c then a else b   args = {c, a, b}
  Call,       // f(a, b) or f of a   text = function or parameter name; args; ignoring_missing
};

enum class Op : std::uint8_t {
  None,
  Neg,      // unary -
  Not,      // not
  Add,      // +
  Sub,      // -
  Mul,      // *
  Div,      // /
  And,      // and
  Or,       // or
  Eq,       // is, =
  Ne,       // is not, !=
  Lt,       // <
  Le,       // <=
  Gt,       // >
  Ge,       // >=
  Worse,    // a worse than b   (ordered scales: later in the scale)
  Better,   // a better than b  (earlier in the scale)
  AtLeast,  // a at least b     (as good as b or better: not worse than b)
  AtWorst,  // a at worst b     (the same as `at least`: "at worst good" is good or better)
};

// How an operator is written in a policy (the keyword form: `is`, not `=`).
constexpr std::string_view spelling(Op op) {
  switch (op) {
    case Op::None:
      return "";
    case Op::Neg:
      return "-";
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
      return "is";
    case Op::Ne:
      return "is not";
    case Op::Lt:
      return "<";
    case Op::Le:
      return "<=";
    case Op::Gt:
      return ">";
    case Op::Ge:
      return ">=";
    case Op::Worse:
      return "worse than";
    case Op::Better:
      return "better than";
    case Op::AtLeast:
      return "at least";
    case Op::AtWorst:
      return "at worst";
  }
  return "?";
}

struct Expr {
  ExprKind kind{};
  Op op = Op::None;
  bool negated = false;  // `not in`, `is not missing`; Binary Ne: written `is not`
  SourceSpan span;       // the whole expression
  SourceSpan name_span;  // Call: the function name; otherwise same as span
  std::string text;      // see ExprKind
  std::vector<ExprId> args;
  bool ignoring_missing = false;  // Call: `worst of [...] ignoring missing`
  // IfMissing written as the clause `a, or b if any figure is missing` (the same meaning as
  // `(a) if missing b`; only fmt and messages read it).
  bool missing_clause = false;
};

// A type written in a declaration: `percent?`, `Grade`, `academic year`.
struct TypeRef {
  std::string name;  // "integer" "number" "percent" "boolean" "text" "date" "academic year" or a
                     // declared type
  bool optional = false;  // written with a trailing `?`
  SourceSpan span;
};

// ---- Declarations -------------------------------------------------------------------------

// policy "Title" cite "..."
struct PolicyHeader {
  std::string title;
  std::optional<Citation> cite;
  SourceSpan span;
};

// use stdlib.ofsted      |  use "measures.policy"
struct UseDecl {
  std::string target;    // "stdlib.ofsted" or a relative path
  bool is_path = false;  // true when written as a string
  SourceSpan span;
};

// enumeration Phase: primary, secondary, special, pru
// scale Grade from best to worst: 1 "Outstanding", 2 "Good", 3 "Requires improvement", 4
// "Inadequate"
struct EnumMember {
  std::string key;          // what is read and written: `primary`, `3b`, `provision data`
  std::string description;  // optional words for explanations ("Outstanding")
  SourceSpan span;
};
struct EnumDecl {
  Identifier name;
  bool ordered = false;  // `scale`: members listed from best to worst
  std::vector<EnumMember> members;
  std::optional<Citation> cite;
  SourceSpan span;
};

// Inside a record: how cells are read.
//   missing values are "", "SUPP", "NE"
//   yes is written "yes", "y", "true", "1"
//   no is written "no", "n", "false", "0"
//   dates are written "YYYY-MM-DD", "D/M/YYYY"
struct ReadingRule {
  enum class Kind : std::uint8_t { MissingValues, YesWords, NoWords, DateFormats };
  Kind kind{};
  std::vector<std::string> words;
  SourceSpan span;
};

//   field urn: integer, key, between 100000 and 999999
//   field ofsted_category: OfstedCategory, column "Ofsted category", missing means none
//   field ks2_rwm: percent?
struct FieldDecl {
  Identifier name;
  TypeRef type;
  std::optional<std::string> column;  // header name; defaults to the field name
  ExprId missing_means = kNoExpr;     // a literal; makes the column optional with a default
  bool key = false;                   // unique within a file
  bool shown = false;                 // kept for people reading the data, though no rule reads it
  ExprId low = kNoExpr;               // `between low and high`, both literals
  ExprId high = kNoExpr;
  std::optional<Identifier> source;  // `from gias`: the named source it is read from
  bool may_be_absent = false;        // `may be absent`: the column need not be in the header
  bool required_in_file = false;     // `required in its file`: every row of its source has one
  std::optional<Identifier> absent_previous;  // `if absent then previous X`
  std::optional<Citation> cite;
  SourceSpan span;
};

// One test of which rows of a source count: `"RECTYPE" is 1`, `"Phase" is "Primary" or "Middle"`.
// Values are compared with the cell as text, ignoring case and surrounding spaces.
struct RowTest {
  std::string column;
  std::vector<std::string> values;
  SourceSpan span;
};

// A named file the record's fields are read from, joined on the key:
//   source gias "Get Information About Schools (edubasealldata)" cite "..."
//     key column "URN"
//     encoding is "Windows-1252"
//     missing values are "", "NULL"
//     rows count when "EstablishmentStatus (name)" is "Open" and "LA (code)" is 874
//     may be absent
struct SourceDecl {
  Identifier name;
  std::string title;
  std::optional<Citation> cite;
  std::optional<std::string> key_column;
  std::optional<std::string> encoding;
  SourceSpan encoding_span;
  std::vector<ReadingRule> reading;
  std::vector<RowTest> row_tests;
  std::optional<SourceSpan> may_be_absent;
  std::optional<SourceSpan> optional_columns_may_be_absent;
  SourceSpan span;
};

// record School cite "..."  followed by fields and reading rules.
struct RecordDecl {
  Identifier name;
  std::vector<FieldDecl> fields;
  std::vector<ReadingRule> reading;
  std::optional<SourceSpan> optional_columns_may_be_absent;  // where it is said, if it is
  std::optional<Citation> cite;
  SourceSpan span;
};

// parameter national_rwm: percent by year cite "..."
//   2014: 79 cite "..."
//   2016 to 2018: 65
struct ParamEntry {
  std::string from;  // a year (`2014`) or a date (`2014-09-01`), as written
  std::string to;    // empty when a single key; otherwise the inclusive end
  ExprId value = kNoExpr;
  std::optional<Citation> cite;
  SourceSpan span;
};
struct ParamDecl {
  Identifier name;
  TypeRef type;
  bool by_date = false;  // `by date` rather than `by year`
  std::vector<ParamEntry> entries;
  std::optional<Citation> cite;
  SourceSpan span;
};

// define declining: boolean cite "..." = <expr>
struct DefineDecl {
  Identifier name;
  std::optional<TypeRef> type;  // optional annotation; the checker infers when absent
  ExprId body = kNoExpr;
  std::optional<Citation> cite;
  SourceSpan span;
};

//   rule R1 "In an Ofsted category of concern" cite "..."
//     when <condition> then <value>
//   rule R14 "No cause for concern" otherwise <value>
struct Rule {
  Identifier id;
  std::string title;
  std::optional<Citation> cite;
  ExprId condition = kNoExpr;  // kNoExpr for `otherwise`
  ExprId value = kNoExpr;
  SourceSpan span;
};

// UniqueMatch evaluates as FirstMatch; `catengine check` reports rules that can both apply.
enum class HitPolicy : std::uint8_t { FirstMatch, UniqueMatch };

// decide category: Category by first match cite "..."  followed by rules (or `by unique match`).
struct DecisionDecl {
  Identifier name;
  TypeRef type;
  HitPolicy hit_policy = HitPolicy::FirstMatch;
  std::vector<Rule> rules;
  std::optional<Citation> cite;
  SourceSpan span;
};

//   column urn
//   column rule = rule of category
struct OutputColumn {
  std::string name;        // header written in the output
  ExprId value = kNoExpr;  // a Name expression when written without `=`
  SourceSpan span;
};
// output cite "..."  followed by columns, in the order they are written.
struct OutputDecl {
  std::vector<OutputColumn> columns;
  std::optional<Citation> cite;
  SourceSpan span;
};

// calendar england_and_wales "England and Wales bank holidays" from "calendars/x.csv" cite "..."
// A holiday calendar read from a `date,title` CSV file beside the declaring module; working-day
// functions use it.
struct CalendarDecl {
  bool terms = false;  // `calendar of terms`: an LA's term dates (`term,half,starts,ends`)
  Identifier name;
  std::string title;
  std::string file;  // as written, relative to the declaring file
  std::optional<Citation> cite;
  SourceSpan span;
};

// A value that depends on the record: `VALUE [when CONDITION]`, tried in order; the first whose
// condition holds (or that has none) applies. Used for addressees, intervals and durations.
struct Alternative {
  ExprId value = kNoExpr;
  ExprId condition = kNoExpr;  // kNoExpr: always (the `otherwise` case)
  SourceSpan span;
};

//   ground a "Standards are unacceptably low" when below_floor and not improving cite "..."
struct Ground {
  Identifier id;
  std::string wording;  // the statutory wording
  ExprId condition = kNoExpr;
  std::optional<Citation> cite;
  SourceSpan span;
};

//   step "Appoint additional governors" cite "EIA 2006, s64"
struct EscalationStep {
  std::string text;
  std::optional<Citation> cite;
  SourceSpan span;
};

// notice warning_notice "Formal warning notice" cite "EIA 2006, s60"
//   applies to governance is maintained
//   ground a "..." when ...
//   issued when any ground holds [unless <expr>]   |   issued when <expr>
//   addressed to "the chair of governors" [when <expr>]   (repeatable)
//   copy to "the headteacher" [when <expr>]               (repeatable)
//   respond within 15 working days
//   escalation
//     step "..." cite "..."
struct NoticeDecl {
  Identifier name;
  std::string title;
  std::optional<Citation> cite;
  ExprId applies_to = kNoExpr;  // kNoExpr: every record
  std::vector<Ground> grounds;
  bool issued_when_any_ground = false;
  ExprId issued_when = kNoExpr;  // when not `any ground holds`
  ExprId unless = kNoExpr;       // optional: not issued when this holds
  std::vector<Alternative> addressees;
  std::vector<Alternative> copies;
  ExprId respond_within = kNoExpr;   // an integer count of working days; kNoExpr: no deadline
  bool respond_by_term_end = false;  // `respond by the end of next term` instead
  SourceSpan respond_span;           // of `respond by the end of next term`
  std::vector<EscalationStep> escalation;
  SourceSpan span;
};

// cadence sia_visit "School Improvement Adviser focus visit" cite "..."
//   applies to in_network                       (optional; default every record)
//   every 6 weeks when category is "4"          (repeatable; units days, weeks or months, or
//                                                `every term` / `every half term`)
//   every 52 weeks                              (the last may have no condition)
//   on dates of clinic_focus                    (instead of `every`: a by-date parameter's dates)
//   from last_sia_visit                         (the date the interval runs from)
//   if never, due on as_of                      (when that date is missing; default as_of)
//   no later than term_end(as_of) when concern  (optional cap, repeatable)
//   lasting "1 day" when ...                    (repeatable; for explanations and schedules)
//   reviewers 3 when ...                        (repeatable)
struct Interval {
  ExprId count = kNoExpr;  // integer; kNoExpr for `every term` and `every half term`
  enum class Unit : std::uint8_t { Days, Weeks, Months, Terms, HalfTerms } unit = Unit::Weeks;
  ExprId condition = kNoExpr;
  SourceSpan span;
};
struct CadenceDecl {
  Identifier name;
  std::string title;
  std::optional<Citation> cite;
  ExprId applies_to = kNoExpr;
  std::vector<Interval> intervals;
  std::optional<Identifier> dates_of;  // `on dates of PARAM`
  ExprId from = kNoExpr;               // a date expression, usually a field
  ExprId if_never = kNoExpr;           // kNoExpr: as_of
  std::vector<Alternative> no_later_than;
  std::vector<Alternative> lasting;
  std::vector<Alternative> reviewers;
  SourceSpan span;
};

// warn expired_override "An adviser's override has expired and is ignored"
//   when override_level is not missing and override_until < as_of
//   cite "Specification, section 5"
// Words printed at run time for each record the condition holds for; results are unchanged.
struct WarnDecl {
  Identifier name;
  std::string message;  // unescaped
  ExprId condition = kNoExpr;
  std::optional<Citation> cite;
  SourceSpan span;
};

using Decl =
    std::variant<PolicyHeader, UseDecl, EnumDecl, RecordDecl, ParamDecl, DefineDecl, DecisionDecl,
                 OutputDecl, CalendarDecl, NoticeDecl, CadenceDecl, SourceDecl, WarnDecl>;

// A comment, kept so the formatter can put it back.
struct Comment {
  std::string text;  // from `#` to the end of the line, without the line ending
  SourceSpan span;
};

// One parsed file.
struct Module {
  FileId file = 0;
  std::vector<Decl> decls;  // in source order
  std::vector<Expr> exprs;  // the arena ExprIds index
  std::vector<Comment> comments;

  const Expr& expr(ExprId id) const { return exprs.at(id); }
};

}  // namespace catengine::lang
