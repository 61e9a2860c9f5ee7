// The checker's result: an immutable, fully resolved description of a policy. Types and name
// resolutions live in side tables keyed by (module, ExprId); the AST itself is never changed.
// The engine lowers this into a program; the explainer walks it with the AST.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/text_encoding.hpp"
#include "base/value.hpp"
#include "lang/check/types.hpp"
#include "lang/source/source.hpp"
#include "lang/syntax/ast.hpp"

namespace catengine::lang {

using ModuleId = std::uint32_t;

// A place in the policy sources: which module, which expression.
struct ExprRef {
  ModuleId module = 0;
  ExprId expr = kNoExpr;
};

struct EnumInfo {
  std::string name;
  bool ordered = false;             // a scale: members from best to worst
  std::vector<EnumMember> members;  // index = Value
  std::optional<Citation> cite;
  SourceSpan span;
};

// How cells are read; mirrors the record's reading rules (defaults = the specification's).
struct ReadingInfo {
  std::vector<std::string> missing_values{"", "SUPP", "NE", "NP", "LOWCOV", "NA", "x"};
  std::vector<std::string> yes_words{"yes", "y", "true", "1"};
  std::vector<std::string> no_words{"no", "n", "false", "0"};
  std::vector<std::string> date_formats{"YYYY-MM-DD", "D/M/YYYY"};
};

struct FieldInfo {
  std::string name;
  Type type;                      // optional iff the column may be missing and has no default
  std::string column;             // header name
  std::uint32_t source = 0;       // index in RecordInfo::sources (0 when there are none)
  bool may_be_absent = false;     // the column need not be in the header
  bool required_in_file = false;  // every row of its (joined) source must have a value
  bool shown = false;             // `shown`: kept for people reading the data (profile sheets)
  // Non-empty for the hidden field `previous X`: the output column X of the previous saved run
  // (filled from the history store, never read from a data file).
  std::string previous_of;
  // `if absent then previous X`: the hidden `previous X` field this one takes its values from
  // when the file has no column for it (-1: none).
  std::int32_t absent_previous = -1;
  bool required = true;            // no `?` and no `missing means`
  Value missing_means = kMissing;  // default for a missing cell
  bool key = false;
  Value low = kMissing, high = kMissing;
  std::optional<Citation> cite;
  SourceSpan span;
};

// Which rows of a source count: the cell under `column` is one of `values` (as text, any case).
struct RowTestInfo {
  std::string column;
  std::vector<std::string> values;
};

// A named file the record is read from. The first is the school list: one record per counted
// row; the others are joined to it on the key, and a record absent from one has its fields
// missing there.
struct SourceInfo {
  std::string name;
  std::string title;
  std::string key_column;  // the key field's header in this file
  TextEncoding encoding = TextEncoding::Utf8;
  ReadingInfo reading;  // the record's reading rules, with the source's own lines on top
  std::vector<RowTestInfo> row_tests;
  bool may_be_absent = false;                   // the file need not be given
  bool optional_columns_may_be_absent = false;  // any optional column may be missing from it
  std::optional<Citation> cite;
  SourceSpan span;
};

struct RecordInfo {
  std::string name;
  std::vector<FieldInfo> fields;
  ReadingInfo reading;
  // Empty for a policy that reads one file (the record's fields, headers and reading rules).
  std::vector<SourceInfo> sources;
  bool optional_columns_may_be_absent = false;
  std::optional<Citation> cite;
  SourceSpan span;

  // The index of the field marked `key` (the checker allows one, E0420), or nothing.
  std::optional<std::size_t> key_field() const {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].key) return i;
    }
    return std::nullopt;
  }
};

struct ParamEntryInfo {
  Value from = 0;  // a year, or a date (days since 1970-01-01)
  Value to = 0;    // inclusive
  Value value = kMissing;
  std::optional<Citation> cite;
  SourceSpan span;
};

struct ParamInfo {
  std::string name;
  Type type;  // of each value (never optional)
  bool by_date = false;
  std::vector<ParamEntryInfo> entries;  // sorted by `from`, non-overlapping
  std::optional<Citation> cite;
  SourceSpan span;
};

struct RuleInfo {
  std::string id;
  std::string title;
  std::optional<Citation> cite;  // the rule's own, else the decision's
  ExprRef condition;             // expr == kNoExpr for `otherwise`
  ExprRef value;
  SourceSpan span;
};

struct CalendarInfo {
  std::string name;
  std::string title;
  std::string path;  // the CSV file, resolved against the declaring module
  std::optional<Citation> cite;
  SourceSpan span;
};

// A value chosen by the first alternative whose condition holds (condition kNoExpr: always).
struct AlternativeInfo {
  ExprRef value;
  ExprRef condition;
};

struct GroundInfo {
  std::string id;
  std::string wording;
  ExprRef condition;
  std::optional<Citation> cite;
  SourceSpan span;
};

struct EscalationInfo {
  std::string text;
  std::optional<Citation> cite;
};

struct NoticeInfo {
  std::string name;
  std::string title;
  std::optional<Citation> cite;
  SourceSpan span;
  ExprRef applies_to;  // expr kNoExpr: every record
  std::vector<GroundInfo> grounds;
  bool issued_when_any_ground = false;
  ExprRef issued_when;
  ExprRef unless;
  std::vector<AlternativeInfo> addressees;  // text values
  std::vector<AlternativeInfo> copies;
  ExprRef respond_within;  // working days; expr kNoExpr: no deadline
  // `respond by the end of next term`: the end of the term after the as-of date's, counted over
  // term_calendars[term_calendar] (respond_within is then kNoExpr).
  bool respond_by_term_end = false;
  std::uint32_t term_calendar = 0;
  std::vector<EscalationInfo> escalation;
  std::uint32_t calendar = 0;  // index into calendars, when respond_within is set
  // Definitions that hold its results (see DefinitionInfo::Kind).
  std::uint32_t issued_def = 0, grounds_def = 0, letters_def = 0, due_def = 0;
  std::vector<std::uint32_t> ground_defs;
};

enum class IntervalUnit : std::uint8_t { Days, Weeks, Months, Terms, HalfTerms };

struct IntervalInfo {
  ExprRef count;  // integer; expr kNoExpr for Terms and HalfTerms (always one)
  IntervalUnit unit = IntervalUnit::Weeks;
  ExprRef condition;
  std::uint32_t term_calendar = 0;  // index into term_calendars, for Terms and HalfTerms
  SourceSpan span;                  // the whole `every ...` line
};

struct CadenceInfo {
  std::string name;
  std::string title;
  std::optional<Citation> cite;
  SourceSpan span;
  ExprRef applies_to;
  std::vector<IntervalInfo> intervals;
  std::optional<std::uint32_t> dates_param;  // `on dates of PARAM`
  ExprRef from;
  ExprRef if_never;  // expr kNoExpr: the as-of date
  std::vector<AlternativeInfo> no_later_than;
  std::vector<AlternativeInfo> lasting;
  Type lasting_type = kErrorType;
  std::vector<AlternativeInfo> reviewers;
  Type reviewers_type = kErrorType;
  std::uint32_t next_def = 0, overdue_def = 0;
};

// `warn NAME "MESSAGE" when CONDITION`: words for a person running the policy, given for each
// record the condition is yes for (missing counts as no). Not a definition: nothing reads it,
// and it changes no result.
struct WarningInfo {
  std::string name;
  std::string message;
  ExprRef condition;  // boolean, may be missing
  std::optional<Citation> cite;
  SourceSpan span;  // the name
};

// A named value computed per record: a `define`, a `decide`, or one result of a notice or
// cadence (which the engine computes by the declaration's own rules).
struct DefinitionInfo {
  enum class Kind : std::uint8_t {
    Define,
    Decision,
    NoticeGround,   // owner = notice, part = ground index: the record is in scope and the ground
                    // holds
    NoticeIssued,   // owner = notice
    NoticeGrounds,  // owner = notice: text, the ids of the grounds that hold joined by `;`
    NoticeGroundLetters,  // owner = notice: text, the same ids run together (`ac`)
    NoticeDue,            // owner = notice: the response deadline, when issued
    CadenceNext,          // owner = cadence: next due date, when it applies
    CadenceOverdue,       // owner = cadence
  };
  std::string name;
  Type type;
  Kind kind = Kind::Define;
  std::uint32_t owner = 0;
  std::uint32_t part = 0;
  bool is_decision = false;
  bool unique = false;          // `by unique match`: two rules applying is an evaluation error
  ExprRef body;                 // `define` only
  std::vector<RuleInfo> rules;  // `decide` only, in order
  std::optional<Citation> cite;
  SourceSpan span;
  std::vector<std::uint32_t> depends_on;  // definitions it reads directly
};

struct OutputColumnInfo {
  std::string name;
  ExprRef value;
  Type type;
  SourceSpan span;
};

// What a name or literal in an expression turned out to be.
struct Resolution {
  enum class Kind : std::uint8_t {
    None,        // not a name (an operator, or an error)
    Literal,     // a number, date, boolean or text constant: see `value`
    EnumMember,  // `value` is the member index of type.enum_id
    Field,       // `index` into record.fields
    Definition,  // `index` into definitions
    Parameter,   // a call of a parameter: `index` into parameters
    Builtin,     // a call of a built-in function: `index` is a Builtin
    AsOf,        // the evaluation date
  };
  Kind kind = Kind::None;
  std::uint32_t index = 0;
  Value value = kMissing;
};

struct ModuleTables {
  std::vector<Type> types;              // by ExprId
  std::vector<Resolution> resolutions;  // by ExprId
};

struct CheckedPolicy {
  std::vector<std::string> module_paths;  // by ModuleId (file path)
  std::vector<Module> modules;            // by ModuleId; modules[main_module] has the header
  ModuleId main_module = 0;
  std::vector<ModuleTables> tables;  // by ModuleId

  std::string title;
  std::optional<Citation> cite;
  std::vector<EnumInfo> enums;
  RecordInfo record;
  std::vector<ParamInfo> parameters;
  std::vector<DefinitionInfo> definitions;      // in declaration order
  std::vector<std::uint32_t> evaluation_order;  // definitions, dependencies first
  std::vector<OutputColumnInfo> outputs;
  std::optional<Citation> output_cite;
  std::vector<CalendarInfo> calendars;
  std::vector<CalendarInfo> term_calendars;  // `calendar of terms`, in declaration order
  std::vector<NoticeInfo> notices;
  std::vector<CadenceInfo> cadences;
  std::vector<WarningInfo> warnings;  // in declaration order

  const Expr& expr(ExprRef r) const { return modules.at(r.module).expr(r.expr); }
  const Type& type(ExprRef r) const { return tables.at(r.module).types.at(r.expr); }
  const Resolution& resolution(ExprRef r) const {
    return tables.at(r.module).resolutions.at(r.expr);
  }
};

}  // namespace catengine::lang
