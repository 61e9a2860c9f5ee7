// Types calls: parameters looked up by key, and built-in functions by the strategy their row in
// builtins.def names: Checker::check_RULE, one per rule of builtin_rules.def (most built-ins are
// Fixed: arity and argument types straight from the row). Nothing here switches on built-ins.
#include "lang/check/checker_impl.hpp"

#include <algorithm>

#include <fmt/ranges.h>

#include "lang/syntax/date_words.hpp"

namespace catengine::lang::checking {

// `ignoring missing` after a call that takes no list of values.
Type Checker::misplaced_ignoring(ModuleId m, ExprId e, const Expr& x) {
  error(DiagnosticKind::E0309, x.span,
        fmt::format("`ignoring missing` goes only after `worst of`, `best of`, `min`, `max`, "
                    "`how many of`, `any of` and `all of`, not after `{}`",
                    x.text),
        "not a list of values",
        "remove `ignoring missing`, or say what a missing value means "
        "with `if missing VALUE`");
  for (ExprId a : x.args) check(m, a, nullptr);
  return set(m, e, kErrorType);
}

namespace {

// How a call is named in messages, and how to write it: as the author wrote it, so that
// `6 months after 7` is not reported as a mistake in `add_months`.
std::string unit_words(std::string_view builtin) {
  const std::string_view unit = unit_of_builtin(builtin);
  return std::string(unit.empty() ? "day" : unit) + "s";
}

std::string spoken_name(const Expr& x, const BuiltinInfo& row) {
  switch (x.spelling) {
    case Spelling::Function:
      return fmt::format("`{}`", row.name);
    case Spelling::After:
    case Spelling::Before:
      return fmt::format("`{} {}`", unit_words(row.name),
                         x.spelling == Spelling::After ? "after" : "before");
    case Spelling::FirstWorkingDay:
      return "`the first working day on or after`";
    case Spelling::Earliest:
      return "`the earliest of`";
    case Spelling::YearOf:
    case Spelling::YearAfter:
    case Spelling::YearBefore:
      return fmt::format("`in the year {}`", year_relation(x.spelling));
  }
  return std::string(row.name);
}

std::string spoken_signature(const Expr& x, const BuiltinInfo& row) {
  switch (x.spelling) {
    case Spelling::Function:
      return std::string(row.signature);
    case Spelling::After:
    case Spelling::Before:
      return fmt::format("COUNT {} {} DATE", unit_words(row.name),
                         x.spelling == Spelling::After ? "after" : "before");
    case Spelling::FirstWorkingDay:
      return "the first working day on or after DATE";
    case Spelling::Earliest:
      return "the earliest of [DATE, ...] on or after DATE";
    default:
      return "15 September in the year of DATE";
  }
}

}  // namespace

// `3 apples after as_of`: the caret under the unit, and the units there are.
bool Checker::unknown_unit(ModuleId m, ExprId e, const Expr& x) {
  if (x.spelling != Spelling::After && x.spelling != Spelling::Before) return false;
  if (!unit_of_builtin(x.text).empty()) return false;
  error(DiagnosticKind::E0315, x.name_span, fmt::format("`{}` is not a unit of time", x.text),
        "unknown unit",
        fmt::format("count in `days`, `weeks`, `months` or `working days`: `15 working days {} "
                    "as_of`",
                    x.spelling == Spelling::After ? "after" : "before"));
  for (ExprId a : x.args) check(m, a, nullptr);
  set(m, e, kErrorType);
  return true;
}

// `31 April in the year of as_of`: a day the month never has (29 February is left to the year).
bool Checker::impossible_day(ModuleId m, const Expr& x) {
  if (x.text != "date_of" || x.spelling == Spelling::Function) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const Expr& day = p_.modules[m].expr(x.args[2]);
  const int month = std::stoi(p_.modules[m].expr(x.args[1]).text);
  const long long d = day.text.size() > 2 ? 99 : std::stoll(day.text);
  if (d >= 1 && d <= kDays[month - 1]) return false;
  error(DiagnosticKind::E0405, x.name_span,
        fmt::format("there is no day {} in {}", day.text, kMonthNames[month - 1]), "no such date",
        fmt::format("{} has {} days", kMonthNames[month - 1], kDays[month - 1]));
  return true;
}

Type Checker::check_call(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
  if (unknown_unit(m, e, x)) return kErrorType;
  if (impossible_day(m, x)) {
    for (ExprId a : x.args) check(m, a, nullptr);
    return set(m, e, kErrorType);
  }
  if (auto it = values_.find(x.text); it != values_.end() && it->second.kind == Kind::Parameter) {
    const ParamInfo& param = p_.parameters[it->second.index];
    if (x.ignoring_missing) return misplaced_ignoring(m, e, x);
    if (x.args.size() != 1) {
      error(DiagnosticKind::E0304, x.span,
            fmt::format("`{}` is looked up by one {}, but this gives {}", x.text,
                        param.by_date ? "date" : "year", x.args.size()),
            "wrong number of arguments");
      return set(m, e, kErrorType);
    }
    Type k = check(m, x.args[0], nullptr);
    if (k.is_error()) return set(m, e, kErrorType);
    const Type want = param.by_date ? kDate : kInteger;
    if (k.base != want.base) {
      mismatch(p_.modules[m].expr(x.args[0]).span, want, k, fmt::format("the key of `{}`", x.text));
      return set(m, e, kErrorType);
    }
    // Missing when the key is missing or the table has no entry for it.
    return set(m, e, param.type.maybe(true), {Kind::Parameter, it->second.index, kMissing});
  }
  auto builtin = find_builtin(x.text);
  if (!builtin) {
    std::vector<std::string> names;
    for (std::size_t b = 0; b < kBuiltinCount; ++b) {
      names.emplace_back(info(static_cast<Builtin>(b)).name);
    }
    for (const auto& pr : p_.parameters) names.push_back(pr.name);
    std::string hint = did_you_mean(x.text, names);
    const bool of_list = x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List;
    if (hint.empty() && of_list)
      hint =
          "for a list of conditions write `any of [...]`, `all of [...]` or `how many of [...]`; "
          "for values on a scale `worst of [...]` or `best of [...]`; for numbers `min(...)` or "
          "`max(...)`";
    error(DiagnosticKind::E0208, x.name_span,
          fmt::format("there is no function or parameter `{}`", x.text), "unknown function", hint);
    // The list's values on their own: the list itself is no error here.
    for (ExprId a : call_args(m, x)) check(m, a, nullptr);
    return set(m, e, kErrorType);
  }
  // The strategy the row's rule names (builtin_rules.def), by the rule's place in that list.
  using Strategy = Type (Checker::*)(const BuiltinCall&);
  static constexpr Strategy kStrategies[] = {
#define BUILTIN_RULE(rule) &Checker::check_##rule,
#include "lang/check/builtin_rules.def"
#undef BUILTIN_RULE
  };
  static_assert(std::size(kStrategies) == kBuiltinRuleCount);
  const BuiltinInfo& row = info(*builtin);
  if (x.ignoring_missing && row.rule != BuiltinRule::Extreme && row.rule != BuiltinRule::HowMany)
    return misplaced_ignoring(m, e, x);
  const BuiltinCall call{m,
                         e,
                         x,
                         expected,
                         row,
                         call_args(m, x),
                         {Kind::Builtin, static_cast<std::uint32_t>(*builtin), kMissing}};
  return (this->*kStrategies[static_cast<std::size_t>(row.rule)])(call);
}

bool Checker::builtin_arity(const BuiltinCall& call, std::size_t n) {
  if (call.args.size() == n) return true;
  error(DiagnosticKind::E0304, call.x.span,
        fmt::format("`{}` takes {} argument{}, but this gives {}", call.row.name, n,
                    n == 1 ? "" : "s", call.args.size()),
        "wrong number of arguments", fmt::format("write `{}`", call.row.signature));
  for (ExprId a : call.args) check(call.m, a, nullptr);
  return false;
}

std::optional<Type> Checker::builtin_arg(const BuiltinCall& call, ExprId a, BaseType base,
                                         std::string_view what) {
  Type t = check(call.m, a, nullptr);
  if (t.is_error()) return std::nullopt;
  if (t.base != base && !(base == BaseType::Number && t.is_numeric())) {
    error(DiagnosticKind::E0301, p_.modules[call.m].expr(a).span,
          fmt::format("{} needs {} here, but this is {}", spoken_name(call.x, call.row), what,
                      article(t)),
          "wrong type", fmt::format("write `{}`", spoken_signature(call.x, call.row)));
    return std::nullopt;
  }
  return t;
}

// For `rule of` and the parts of a notice: the one argument must name a definition that
// `wanted` accepts. Reports what is wrong and returns false otherwise; `t` is the argument's type.
bool Checker::named_definition(const BuiltinCall& call, Type& t,
                               bool (*wanted)(const DefinitionInfo&), std::string message,
                               std::string label) {
  if (!builtin_arity(call, 1)) return false;
  const Expr& a = p_.modules[call.m].expr(call.args[0]);
  t = check(call.m, call.args[0], nullptr);
  const Resolution& r = p_.tables[call.m].resolutions[call.args[0]];
  if (t.is_error()) return false;
  if (a.kind != ExprKind::Name || r.kind != Kind::Definition || !wanted(p_.definitions[r.index])) {
    error(DiagnosticKind::E0308, a.span, std::move(message), std::move(label));
    return false;
  }
  return true;
}

// Arity and argument types from the row's args; missing in, missing out.
Type Checker::check_Fixed(const BuiltinCall& call) {
  const BuiltinInfo& row = call.row;
  if (!builtin_arity(call, row.arity)) return set(call.m, call.e, kErrorType);
  bool optional = false, ok = true;
  for (std::size_t k = 0; k < row.arity; ++k) {
    // `COUNT UNIT before DATE`: the count as written is checked first, so that a wrong one is
    // not reported as a wrong `-` the author never wrote.
    if (call.x.spelling == Spelling::Before && k == 1 &&
        !builtin_arg(call, p_.modules[call.m].expr(call.args[k]).args.at(0), row.args[k].base,
                     row.args[k].what)) {
      ok = false;
      continue;
    }
    auto t = builtin_arg(call, call.args[k], row.args[k].base, row.args[k].what);
    if (!t)
      ok = false;
    else
      optional = optional || t->optional;
  }
  if (row.calendar && !calendar_for(call.x.span, spoken_name(call.x, row)))
    return set(call.m, call.e, kErrorType);
  return ok ? set(call.m, call.e, Type{row.result, 0, false}.maybe(optional), call.res)
            : set(call.m, call.e, kErrorType);
}

// `rule of DECISION`: the text of the rule that fired, missing when none did.
Type Checker::check_Rule(const BuiltinCall& call) {
  Type t;
  if (!named_definition(
          call, t, [](const DefinitionInfo& d) { return d.is_decision; },
          fmt::format("`{} of` needs the name of a decision (a `decide` block)", call.row.name),
          "not a decision"))
    return set(call.m, call.e, kErrorType);
  return set(call.m, call.e, kText.maybe(t.optional), call.res);
}

// A date and a list of dates: the earliest in the list on or after the date.
Type Checker::check_EarliestOnOrAfter(const BuiltinCall& call) {
  const auto& module = p_.modules[call.m];
  const Expr& x = call.x;
  if (x.args.size() != 2 || module.expr(x.args[1]).kind != ExprKind::List) {
    error(DiagnosticKind::E0304, x.span,
          fmt::format("`{}` takes a date and a list of dates", call.row.name), "wrong arguments",
          fmt::format("write `{}`", call.row.signature));
    return set(call.m, call.e, kErrorType);
  }
  auto d = builtin_arg(call, x.args[0], BaseType::Date, "a date");
  bool ok = d.has_value();
  for (ExprId item : module.expr(x.args[1]).args) {
    if (!builtin_arg(call, item, BaseType::Date, "dates in the list")) ok = false;
  }
  set(call.m, x.args[1], kDate);
  return ok ? set(call.m, call.e, kDate.maybe(true), call.res) : set(call.m, call.e, kErrorType);
}

// A parameter `by date` and a date: the first date of the parameter's table on or after it.
Type Checker::check_FirstDateOf(const BuiltinCall& call) {
  if (!builtin_arity(call, 2)) return set(call.m, call.e, kErrorType);
  const Expr& a = p_.modules[call.m].expr(call.args[0]);
  auto it = a.kind == ExprKind::Name ? values_.find(a.text) : values_.end();
  if (it == values_.end() || it->second.kind != Kind::Parameter ||
      !p_.parameters[it->second.index].by_date) {
    error(DiagnosticKind::E0301, a.span,
          fmt::format("`{}` needs the name of a parameter `by date`", call.row.name),
          "not a dated parameter", fmt::format("write `{}`", call.row.signature));
    check(call.m, call.args[1], nullptr);
    return set(call.m, call.e, kErrorType);
  }
  set(call.m, call.args[0], kDate, {Kind::Parameter, it->second.index, kMissing});
  auto d = builtin_arg(call, call.args[1], BaseType::Date, "a date");
  return d ? set(call.m, call.e, kDate.maybe(true), call.res) : set(call.m, call.e, kErrorType);
}

// One or more yes/no values (or one list of them): how many are yes.
Type Checker::check_HowMany(const BuiltinCall& call) {
  const Expr& x = call.x;
  if (call.args.empty()) {
    error(DiagnosticKind::E0304, x.span,
          fmt::format("`{}` needs at least one yes/no value", call.row.name), "nothing to count",
          fmt::format("write `{}`", call.row.signature));
    return set(call.m, call.e, kErrorType);
  }
  bool ok = true, optional = false;
  for (ExprId a : call.args) {
    auto t = builtin_arg(call, a, BaseType::Boolean, "yes/no values");
    if (!t)
      ok = false;
    else
      optional = optional || t->optional;
  }
  if (x.args.size() == 1 && p_.modules[call.m].expr(x.args[0]).kind == ExprKind::List)
    set(call.m, x.args[0], kBoolean);
  if (!ok) return set(call.m, call.e, kErrorType);
  // Ignoring missing values, the count is of the yes values there are: never missing.
  auto t = list_missing(call, kInteger, optional, false);
  return t ? set(call.m, call.e, *t, call.res) : set(call.m, call.e, kErrorType);
}

std::optional<Type> Checker::list_missing(const BuiltinCall& call, Type result, bool any_optional,
                                          bool all_optional) {
  const Expr& x = call.x;
  const bool decided = decided_calls_.count({call.m, call.e}) != 0;
  if (x.ignoring_missing) return result.maybe(all_optional);
  if (!any_optional || decided) return result.maybe(any_optional);
  // Name the first value that may be missing.
  std::string first;
  for (ExprId a : call.args) {
    if (p_.tables[call.m].types[a].optional) {
      first = source_text(a, call.m);
      break;
    }
  }
  // The call as written, shortened when its values are more than names.
  const bool of_list =
      x.args.size() == 1 && p_.modules[call.m].expr(x.args[0]).kind == ExprKind::List;
  std::vector<std::string> items;
  for (ExprId a : call.args) items.push_back(source_text(a, call.m));
  const bool names_only =
      std::find(items.begin(), items.end(), "this value") == items.end() && items.size() <= 4;
  const std::string listed = names_only ? fmt::format("{}", fmt::join(items, ", ")) : "...";
  const std::string whole =
      of_list ? fmt::format("{} of [{}]", x.text, listed) : fmt::format("{}({})", x.text, listed);
  error(DiagnosticKind::E0309, x.name_span,
        fmt::format("`{}` is missing whenever one of its values is, and `{}` may be missing: say "
                    "what a missing value means here",
                    of_list ? x.text + " of" : x.text, first),
        "a value may be missing",
        fmt::format("write `{} ignoring missing` to leave missing values out, or `{} if missing "
                    "VALUE` for VALUE when any is missing",
                    whole, whole));
  return std::nullopt;
}

// `PART of NOTICE`: resolves to the notice's definition of the row's part kind.
Type Checker::check_NoticePart(const BuiltinCall& call) {
  Type t;
  if (!named_definition(
          call, t,
          [](const DefinitionInfo& d) { return d.kind == DefinitionInfo::Kind::NoticeIssued; },
          fmt::format("`{} of` needs the name of a notice", call.row.name), "not a notice"))
    return set(call.m, call.e, kErrorType);
  const Resolution& r = p_.tables[call.m].resolutions[call.args[0]];
  const NoticeInfo& notice = p_.notices[p_.definitions[r.index].owner];
  std::uint32_t def = 0;
  for (std::uint32_t d :
       {notice.issued_def, notice.grounds_def, notice.letters_def, notice.due_def}) {
    if (p_.definitions[d].kind == call.row.part) def = d;
  }
  current_deps_.push_back(def);
  return set(call.m, call.e, p_.definitions[def].type, {Kind::Definition, def, kMissing});
}

// `PART of CADENCE`: resolves to the cadence's definition of the row's part kind.
Type Checker::check_CadencePart(const BuiltinCall& call) {
  if (!builtin_arity(call, 1)) return set(call.m, call.e, kErrorType);
  const Expr& a = p_.modules[call.m].expr(call.args[0]);
  auto it = a.kind == ExprKind::Name ? cadence_names_.find(a.text) : cadence_names_.end();
  if (it == cadence_names_.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : cadence_names_) names.push_back(name);
    error(DiagnosticKind::E0308, a.span,
          fmt::format("`{} of` needs the name of a cadence", call.row.name), "not a cadence",
          did_you_mean(a.text, names));
    return set(call.m, call.e, kErrorType);
  }
  const CadenceInfo& cadence = p_.cadences[it->second];
  std::uint32_t def = 0;
  for (std::uint32_t d : {cadence.next_def, cadence.overdue_def}) {
    if (p_.definitions[d].kind == call.row.part) def = d;
  }
  current_deps_.push_back(def);
  return set(call.m, call.e, p_.definitions[def].type, {Kind::Definition, def, kMissing});
}

// One or more values (or one list of them), all on one scale (result Enum: worst, best) or all
// numbers (min, max): their join, missing when any is missing.
Type Checker::check_Extreme(const BuiltinCall& call) {
  const ModuleId m = call.m;
  const Expr& x = call.x;
  const Type* expected = call.expected;
  const auto& args = call.args;
  const bool scale = call.row.result == BaseType::Enum;       // worst, best
  const bool boolean = call.row.result == BaseType::Boolean;  // any, all
  if (args.empty()) {
    error(DiagnosticKind::E0304, x.span, fmt::format("`{}` needs at least one value", x.text),
          "nothing to compare", fmt::format("write `{}`", call.row.signature));
    return set(m, call.e, kErrorType);
  }
  const Type* want =
      boolean ? &kBoolean
      : expected != nullptr && (scale ? expected->base == BaseType::Enum : expected->is_numeric())
          ? expected
          : nullptr;
  Type acc = kErrorType;
  bool optional = false, all_optional = true, ok = true;
  Type first = check(m, args[0], want);
  Type want_rest = first.required();
  for (std::size_t i = 0; i < args.size(); ++i) {
    Type t = i == 0 ? first : check(m, args[i], first.is_error() ? want : &want_rest);
    if (t.is_error()) {
      ok = false;
      continue;
    }
    optional = optional || t.optional;
    all_optional = all_optional && t.optional;
    if (scale && (t.base != BaseType::Enum || !p_.enums[t.enum_id].ordered)) {
      error(DiagnosticKind::E0303, p_.modules[m].expr(args[i]).span,
            fmt::format("`{}` picks from values on a scale, but this is {}", x.text, article(t)),
            "not a scale");
      ok = false;
      continue;
    }
    if (boolean && t.base != BaseType::Boolean) {
      error(DiagnosticKind::E0305, p_.modules[m].expr(args[i]).span,
            fmt::format("`{} of` needs conditions (yes/no values), but this is {}", x.text,
                        article(t)),
            "not yes/no", "compare it with something first, e.g. `phase is primary`");
      ok = false;
      continue;
    }
    if (!scale && !boolean && !t.is_numeric()) {
      error(DiagnosticKind::E0307, p_.modules[m].expr(args[i]).span,
            fmt::format("`{}` needs numbers, but this is {}", x.text, article(t)), "not a number");
      ok = false;
      continue;
    }
    // After an element that failed, the next good one sets the type (no second error).
    Type j = i == 0 || acc.is_error() ? t.required() : join(acc, t.required());
    if (j.is_error()) {
      mismatch(p_.modules[m].expr(args[i]).span, acc, t,
               fmt::format("every value in `{}`", x.text));
      ok = false;
      continue;
    }
    acc = j;
  }
  if (x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List) {
    set(m, x.args[0], acc);
  }
  if (!ok) return set(m, call.e, kErrorType);
  auto t = list_missing(call, acc, optional, all_optional);
  return t ? set(m, call.e, *t, call.res) : set(m, call.e, kErrorType);
}

}  // namespace catengine::lang::checking
