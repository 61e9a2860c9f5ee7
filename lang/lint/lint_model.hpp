// The lint analysis. Each condition is abstracted into a small formula over variables: record
// fields, definitions (opaque values of their declared type), the evaluation date, and opaque
// yes/no atoms for sub-conditions the model cannot see into (arithmetic on two values, calls,
// text). Every variable has a finite domain: the members of an enumeration or scale, yes/no,
// or for numbers and dates one representative per interval that the policy's constants cut the
// line into; `missing` joins the domain when the value may be missing. Within one interval all
// comparisons with those constants agree, so enumerating the domains decides every question
// about the formulas exactly for the model, and the model over-approximates real records
// (definitions and atoms range freely). Claims that something can never happen are therefore
// sound; claims that something can happen come with an example, hedged with "may" when the
// example fixes a definition or atom rather than only record fields.
//
// This header is internal to lang/lint: the model's types and the Linter that owns them. The
// model (building, domains, the solver) is lint_model.cpp; the checks on conditions, decisions
// and lookups are lints.cpp; unused names and imports are lint_unused.cpp.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "lang/check/builtins.hpp"
#include "lang/check/chains.hpp"
#include "lang/lint/lints.hpp"

namespace catengine::lang::lint_detail {

using RKind = Resolution::Kind;

// Yes/no outcomes as a set: a condition evaluates to one of these, or any of several while
// some variables are still unassigned.
constexpr std::uint8_t kNo = 1, kYes = 2, kMiss = 4, kAnyTruth = 7;

constexpr Value kUnassigned = kMissing + 1;  // never a value of the language

inline std::uint8_t truth_of(Value v) {
  return v == kMissing ? kMiss : v != 0 ? kYes : kNo;
}

// An abstract value: known exactly, or (while variables are unassigned) one of `mask` for
// yes/no values and anything at all for other values.
struct Abs {
  bool known = false;
  Value v = kMissing;
  std::uint8_t mask = kAnyTruth;
};

inline Abs exact(Value v) {
  return {true, v, truth_of(v)};
}
inline Abs of_mask(std::uint8_t mask) {
  if (mask == kNo) return exact(0);
  if (mask == kYes) return exact(1);
  if (mask == kMiss) return exact(kMissing);
  return {false, kMissing, mask};
}

struct Var {
  enum class Source : std::uint8_t { Field, Definition, AsOf, Atom } source;
  std::uint32_t index = 0;  // field or definition index
  Type type;
  std::string name;  // as shown in messages: `phase`, or an atom's text
  std::set<Value> constants;
  Value low = kMissing, high = kMissing;  // bounds the data binder enforces (fields)
  std::vector<Value> domain;
  Value below_all = kUnassigned, above_all = kUnassigned;  // representatives of the open ends
};

struct Node {
  enum class K : std::uint8_t {
    Const,
    Var,
    Not,
    And,
    Or,
    Eq,
    In,
    IsMissing,
    Cmp,
    Between,
    IfMissing,
    If,
    ParamMiss,
    VarIs
  } k;
  Op op = Op::None;
  bool negated = false;
  bool boolean = false;
  Value value = kMissing;   // Const, VarIs
  std::uint32_t var = 0;    // Var, ParamMiss, VarIs
  std::uint32_t param = 0;  // ParamMiss
  std::vector<int> kids;
};

struct Constraint {
  int node;
  std::uint8_t want;  // the outcomes allowed
};

enum class Answer : std::uint8_t { Yes, No, Unknown };

// A question put to the model: constraints that must all hold together.
struct Query {
  std::vector<Constraint> constraints;
};

inline std::string format_date(Value days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

class Linter {
 public:
  Linter(const CheckedPolicy& p, const LintOptions& options) : p_(p), options_(options) {
    field_vars_.assign(p_.record.fields.size(), -1);
    def_vars_.assign(p_.definitions.size(), -1);
    for (ModuleId m = 0; m < p_.modules.size(); ++m) {
      for (const Decl& d : p_.modules[m].decls) {
        if (const auto* dc = std::get_if<DecisionDecl>(&d)) decisions_.push_back({m, dc});
        if (const auto* r = std::get_if<RecordDecl>(&d)) record_decl_ = r;
      }
    }
  }

  std::vector<Diagnostic> run() {
    collect();  // builds every formula, so every variable has seen all its constants
    finish_domains();
    for (const auto& job : decisions_to_check_) check_decision(job);
    for (const auto& c : conditions_) check_condition(c);
    for (const auto& l : lookups_) check_lookup(l);
    check_parameter_gaps();
    if (!options_.module) check_unused();
    check_imports();
    std::stable_sort(out_.begin(), out_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      if (a.span.file != b.span.file) return a.span.file < b.span.file;
      if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
      return a.kind < b.kind;
    });
    return std::move(out_);
  }

 private:
  // ---- Building formulas ---------------------------------------------------------------------

  int add(Node n);
  int konst(Value v, bool boolean = false);
  static bool modelled(const Type& t);
  static bool ordered_numeric(const Type& t);
  int var_node(std::uint32_t var);
  int field_var(std::uint32_t f);
  int def_var(std::uint32_t d);
  int as_of_var();

  // An opaque yes/no atom; the same text (and so the same meaning: the language is pure and
  // has one namespace) is the same atom wherever it occurs.
  int atom(ExprRef e);

  bool is_const(int n) const { return n >= 0 && nodes_[n].k == Node::K::Const; }
  bool is_var(int n) const { return n >= 0 && nodes_[n].k == Node::K::Var; }

  // Ordered comparisons of numbers and dates are exact in the model only between one variable
  // and constants; the constants become the variable's interval boundaries.
  bool numeric_operands_ok(const std::vector<int>& kids);

  int child(ExprRef e) { return p_.type(e).base == BaseType::Boolean ? build_bool(e) : build(e); }

  int build_bool(ExprRef e);

  // The formula for an expression, or -1 when the model cannot represent it exactly.
  int build(ExprRef e);
  int build_uncached(ExprRef e);
  const ParamEntryInfo* param_entry(std::uint32_t param, Value key) const;

  // ---- Printing expressions (atoms, messages) ------------------------------------------------

  std::string print(ExprRef e) const;
  std::string show_value(const Var& v, Value value) const;

  // ---- Domains -------------------------------------------------------------------------------

  // A simple value strictly between a and b on the grid `step`, preferring round numbers: the
  // first multiple of the largest power of ten (from `largest` down) that falls inside.
  static std::optional<Value> between(Value a, Value b, Value step, Value largest);
  void finish_domains();

  // ---- Evaluating formulas -------------------------------------------------------------------

  Abs eval(int id, const std::vector<Value>& a) const;
  void vars_of(int id, std::vector<std::uint32_t>& out, std::vector<char>& seen) const;

  // Searches for values of the variables that satisfy every constraint. Backtracking, with each
  // partial assignment pruned as soon as some constraint can no longer hold.
  Answer solve(const Query& q,
               std::vector<std::pair<std::uint32_t, Value>>* witness = nullptr) const;

  // "`phase` is `special` and `below_floor` is `no`", and whether it fixes only record fields.
  std::pair<std::string, bool> describe(
      const std::vector<std::pair<std::uint32_t, Value>>& witness) const;

  // ---- What to check -------------------------------------------------------------------------

  struct DecisionJob {
    std::uint32_t def;
    const DecisionDecl* decl;
    std::vector<int> conditions;  // by rule; -1 for `otherwise`
  };
  struct ConditionJob {
    int node;
    SourceSpan span;
    std::string what;      // "the condition of rule `R3`"
    std::string if_yes;    // consequence when always yes ("" when not worth saying)
    std::string if_never;  // consequence when never yes
  };
  struct LookupJob {
    std::uint32_t param;
    int key;  // a Var node, or a Const
    std::vector<Constraint> path;
    SourceSpan span;
  };

  const DecisionDecl* decision_decl(const DefinitionInfo& def) const;
  void collect();
  void condition(ExprRef e, std::string what, std::string if_yes, std::string if_never);

  // Visits every `if` (its condition is checked) and every parameter lookup (with the
  // conditions that hold wherever it is evaluated).
  void walk(ExprRef e, const std::vector<Constraint>& path);

  // ---- Checks --------------------------------------------------------------------------------

  Diagnostic& report(DiagnosticKind kind, SourceSpan span, std::string message, std::string label,
                     std::string hint = {});

  // A minimal set of the rules before rule k that together take every record rule k matches
  // (rule k being unreachable), in rule order.
  std::vector<std::size_t> covering_rules(const DecisionJob& job, std::size_t k) const;
  void check_decision(const DecisionJob& job);
  void check_condition(const ConditionJob& c);
  std::string key_text(const ParamInfo& param, Value key) const;
  void check_lookup(const LookupJob& l);
  void check_parameter_gaps();

  // A table key as written: a year, or a date.
  static std::string key_text2(const ParamInfo& param, Value key);

  // ---- Unused names --------------------------------------------------------------------------

  void check_unused();

  // The module a `use` loaded: stdlib.a.b ends in a/b.policy; a path is resolved as the
  // loader does, against the importing file.
  std::optional<ModuleId> used_module(const UseDecl& use, ModuleId importer) const;

  // The files whose declarations module `m` names.
  std::set<FileId> files_used_by(ModuleId m) const;
  void check_imports();

  const CheckedPolicy& p_;
  LintOptions options_;
  std::vector<std::pair<ModuleId, const DecisionDecl*>> decisions_;
  const RecordDecl* record_decl_ = nullptr;
  std::vector<Var> vars_;
  std::vector<Node> nodes_;
  std::map<std::pair<ModuleId, ExprId>, int> memo_;
  std::map<std::string, std::uint32_t> atoms_;
  std::vector<int> field_vars_, def_vars_;
  int as_of_var_ = -1;
  std::vector<DecisionJob> decisions_to_check_;
  std::vector<ConditionJob> conditions_;
  std::vector<LookupJob> lookups_;
  std::vector<Diagnostic> out_;
};

}  // namespace catengine::lang::lint_detail
