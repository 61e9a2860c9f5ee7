// The checker's state and the declarations of its passes, shared by the checker_*.cpp files
// that implement them (one file per section: declarations, definitions, definition order,
// expressions, calls). Internal to lang/check: include lang/check/checker.hpp instead.
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/date.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/chains.hpp"
#include "lang/check/checker.hpp"

namespace catengine::lang::checking {

using Kind = Resolution::Kind;

// Definitions deeper than this written out in full are typed bottom-up (type_bottom_up) rather
// than on demand. Far above what policies reach (the shipped ones: 23), far below the stack.
constexpr int kEagerDepth = 64;

// A literal date `YYYY-MM-DD` as days since 1970-01-01, or kMissing when no such date.
inline Value parse_date_literal(std::string_view s) {
  return parse_iso_date(s).value_or(kMissing);
}

class Checker {
 public:
  Checker(LoadedPolicy loaded, const CheckOptions& options) : options_(options) {
    p_.module_paths = std::move(loaded.paths);
    p_.modules = std::move(loaded.modules);
    p_.main_module = p_.modules.empty() ? 0 : static_cast<ModuleId>(p_.modules.size() - 1);
    p_.tables.resize(p_.modules.size());
    for (std::size_t m = 0; m < p_.modules.size(); ++m) {
      p_.tables[m].types.assign(p_.modules[m].exprs.size(), kErrorType);
      p_.tables[m].resolutions.assign(p_.modules[m].exprs.size(), Resolution{});
    }
  }

  CheckResult run();

 private:
  // ---- Diagnostics ---------------------------------------------------------------------------

  Diagnostic& error(DiagnosticKind kind, SourceSpan span, std::string message, std::string label,
                    std::string hint = {});

  std::string tn(const Type& t) const { return type_name(t, p_.enums); }

  static std::string did_you_mean(std::string_view name, const std::vector<std::string>& options);

  // ---- Declarations --------------------------------------------------------------------------

  struct DefSource {
    ModuleId module;
    const DefineDecl* define = nullptr;
    const DecisionDecl* decide = nullptr;
  };
  // Hidden definitions (results of notices and cadences) have no DefSource body of their own:
  // their expressions are checked once, with the declaration.
  struct DeclSource {
    ModuleId module;
    const NoticeDecl* notice = nullptr;
    const CadenceDecl* cadence = nullptr;
  };

  void declare_value(const std::string& name, SourceSpan span, Kind kind, std::uint32_t index);

  void collect_declarations();

  void collect_enum(const EnumDecl& e);

  void add_definition(const Identifier& name, DefSource source);

  std::uint32_t add_hidden(std::string name, SourceSpan span, Type type, DefinitionInfo::Kind kind,
                           std::uint32_t owner, std::uint32_t part, bool visible,
                           std::optional<Citation> cite);

  void add_notice(const NoticeDecl& n, ModuleId m);

  void add_cadence(const CadenceDecl& c, ModuleId m);

  static bool is_builtin_type(const std::string& n);

  Type resolve_type(const TypeRef& t);

  // ---- Constants (literals in declarations) ----------------------------------------------------

  std::optional<Value> constant(ModuleId m, ExprId e, const Type& expected, std::string_view what);

  void mismatch(SourceSpan span, const Type& expected, const Type& found, std::string_view what);

  std::string article(const Type& t) const;

  // ---- Record --------------------------------------------------------------------------------

  void resolve_record();
  void resolve_sources();
  std::uint32_t source_of_field(const FieldDecl& f);
  ReadingInfo reading_info(const ReadingInfo& base, const std::vector<ReadingRule>& rules);

  // ---- Parameters ----------------------------------------------------------------------------

  void resolve_parameters();

  // ---- Definitions ---------------------------------------------------------------------------

  enum class DefState { Unchecked, InProgress, Typed, BodyChecked };

  Type definition_type(std::uint32_t i);

  void check_definition_body(std::uint32_t i);

  void check_rules(std::uint32_t i, const DefSource& src);

  void check_condition(ModuleId m, ExprId e, const std::string& whose);

  void require_assignable(ModuleId m, ExprId e, const Type& found, const Type& wanted,
                          const std::string& what);

  static bool assignable(const Type& from, const Type& to);

  std::string first_optional_name(ModuleId m, ExprId e) const;

  bool tested_for_missing(ModuleId m, ExprId e, const std::string& name) const;

  static std::string unguarded_hint(const std::string& name, std::string_view otherwise);

  void present_when(ModuleId m, ExprId e, bool value);

  // Checks an expression and returns the definitions it reads.
  template <typename F>
  std::vector<std::uint32_t> reading(F&& f) {
    auto saved = std::move(current_deps_);
    current_deps_.clear();
    f();
    auto deps = std::move(current_deps_);
    current_deps_ = std::move(saved);
    return deps;
  }

  static void merge(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more);

  void check_text(ModuleId m, ExprId e, std::string_view what);

  void check_count(ModuleId m, ExprId e, std::string_view what);

  std::vector<std::uint32_t> check_alternatives(ModuleId m, const std::vector<Alternative>& alts,
                                                std::vector<AlternativeInfo>& out,
                                                const std::string& what, Type* joined,
                                                bool text_only);

  std::optional<std::uint32_t> calendar_for(SourceSpan span, std::string_view what);

  void check_notice(std::uint32_t i);

  void check_cadence(std::uint32_t i);

  void check_warnings();

  // ---- Depth of the definition graph ---------------------------------------------------------

  bool definitions_shallow_enough();

  void type_bottom_up(std::uint32_t start);

  static std::vector<ExprId> notice_exprs(const NoticeDecl& n);

  static std::vector<ExprId> cadence_exprs(const CadenceDecl& c);

  std::optional<std::uint32_t> definition_named(const Expr& x) const;

  void named_definitions(ExprRef root, std::vector<std::uint32_t>& out) const;

  int written_out_depth(ExprRef root, const std::vector<std::uint32_t>& component,
                        const std::vector<int>& depth, std::uint32_t self) const;

  static std::vector<std::uint32_t> components(const std::vector<std::vector<std::uint32_t>>& uses);

  void too_deep(std::uint32_t i, const std::vector<std::uint32_t>& uses,
                const std::vector<int>& depth);

  void order_definitions();

  void check_outputs();

  // ---- Expressions ---------------------------------------------------------------------------

  Type set(ModuleId m, ExprId e, Type t, Resolution r = {});

  std::vector<std::string> value_names() const;

  std::optional<std::uint32_t> member_index(std::uint16_t enum_id, std::string_view key) const;

  Type unknown_member(ModuleId m, ExprId e, const Type& expected, std::string_view key);

  Type check(ModuleId m, ExprId e, const Type* expected);

  std::string source_text(ExprId e, ModuleId m) const;

  static Type join(const Type& a, const Type& b);

  Type check_name(ModuleId m, ExprId e, const Expr& x, const Type* expected);
  // The hidden field `previous X` reads (made on first use), or nothing after an error.
  std::optional<std::uint32_t> previous_field(const Expr& x);

  bool is_present(Kind k, std::uint32_t index) const;

  Type check_unary(ModuleId m, ExprId e, const Expr& x, const Type* expected);

  bool comparable(const Expr& at, const Type& a, const Type& b, std::string_view op);

  bool ordered_comparable(const Expr& at, const Type& a, const Type& b, std::string_view op);

  static std::string op_text(Op op) { return fmt::format("`{}`", spelling(op)); }

  Type check_binary(ModuleId m, ExprId e, const Expr& x, const Type* /*expected*/);

  std::vector<ExprId> call_args(ModuleId m, const Expr& x);

  Type check_call(ModuleId m, ExprId e, const Expr& x, const Type* expected);

  // ---- Calls of built-in functions (checker_calls.cpp) ---------------------------------------

  // A call of a built-in being checked, for the strategy its row's rule names.
  struct BuiltinCall {
    ModuleId m;
    ExprId e;
    const Expr& x;
    const Type* expected;
    const BuiltinInfo& row;
    std::vector<ExprId> args;  // the arguments, or the items of a single list argument
    Resolution res;            // the call's resolution to the built-in
  };

  // One strategy per rule (builtin_rules.def): types the call and records its resolution.
#define BUILTIN_RULE(rule) Type check_##rule(const BuiltinCall& call);
#include "lang/check/builtin_rules.def"
#undef BUILTIN_RULE

  bool builtin_arity(const BuiltinCall& call, std::size_t n);
  bool ambiguous_is_not(ModuleId m, const Expr& x, const Type& a);
  Type misplaced_ignoring(ModuleId m, ExprId e, const Expr& x);
  // For worst, best, min, max and how_many: the call's result type, having made sure the author
  // said what a missing value in the list means (`ignoring missing`, or `if missing` right after
  // the call). `any_optional`/`all_optional`: whether any or every value may be missing.
  std::optional<Type> list_missing(const BuiltinCall& call, Type result, bool any_optional,
                                   bool all_optional);
  // The expressions just under an `if missing`: added by IfMissing, read by list_missing.
  std::set<std::pair<ModuleId, ExprId>> decided_calls_;

  std::optional<Type> builtin_arg(const BuiltinCall& call, ExprId a, BaseType base,
                                  std::string_view what);
  // Dates in English (Spelling): a unit that is no unit, and a day the month does not have.
  bool unknown_unit(ModuleId m, ExprId e, const Expr& x);
  bool impossible_day(ModuleId m, const Expr& x);
  void check_durations(ModuleId m, const std::vector<Alternative>& alts,
                       std::vector<AlternativeInfo>& out, Type& joined);

  bool named_definition(const BuiltinCall& call, Type& t, bool (*wanted)(const DefinitionInfo&),
                        std::string message, std::string label);

  struct Symbol {
    Kind kind;
    std::uint32_t index;
    SourceSpan span;
  };

  CheckOptions options_;
  CheckedPolicy p_;
  std::vector<Diagnostic> diags_;
  std::map<std::string, Symbol> values_;             // fields, definitions, parameters
  std::map<std::string, std::uint16_t> type_names_;  // enumerations and scales
  std::vector<const SourceDecl*> source_decls_;
  const RecordDecl* record_ = nullptr;
  ModuleId record_module_ = 0;
  const OutputDecl* output_ = nullptr;
  ModuleId output_module_ = 0;
  std::vector<std::pair<ModuleId, const ParamDecl*>> param_sources_;
  std::vector<DefSource> def_sources_;
  std::vector<DeclSource> notice_sources_;   // by notice
  std::vector<DeclSource> cadence_sources_;  // by cadence
  std::map<std::string, std::uint32_t> cadence_names_;
  std::vector<std::pair<ModuleId, const WarnDecl*>> warn_sources_;  // in declaration order
  std::vector<DefState> def_state_;
  // From definitions_shallow_enough(), by definition: the definitions each names, its strongly
  // connected component (numbered bottom-up), and whether it is deeper than kEagerDepth.
  std::vector<std::vector<std::uint32_t>> uses_;
  std::vector<std::uint32_t> component_;
  std::vector<char> deep_;
  std::vector<std::uint32_t> current_deps_;  // definitions read by the body being checked
  std::vector<std::pair<Kind, std::uint32_t>> present_;  // names known not to be missing here
};

}  // namespace catengine::lang::checking
