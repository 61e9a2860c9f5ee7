// Types calls: parameters looked up by key, and built-in functions by the rule their row in
// builtins.def names (most are Fixed: arity and argument types straight from the table).
#include "lang/check/checker_impl.hpp"

namespace catengine::lang::checking {

Type Checker::check_call(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
  if (auto it = values_.find(x.text); it != values_.end() && it->second.kind == Kind::Parameter) {
    const ParamInfo& param = p_.parameters[it->second.index];
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
    error(DiagnosticKind::E0208, x.name_span,
          fmt::format("there is no function or parameter `{}`", x.text), "unknown function", hint);
    for (ExprId a : x.args) check(m, a, nullptr);
    return set(m, e, kErrorType);
  }
  const Resolution res{Kind::Builtin, static_cast<std::uint32_t>(*builtin), kMissing};
  auto args = call_args(m, x);
  auto arity = [&](std::size_t n) {
    if (args.size() == n) return true;
    error(DiagnosticKind::E0304, x.span,
          fmt::format("`{}` takes {} argument{}, but this gives {}", x.text, n, n == 1 ? "" : "s",
                      args.size()),
          "wrong number of arguments", fmt::format("write `{}`", info(*builtin).signature));
    for (ExprId a : args) check(m, a, nullptr);
    return false;
  };
  auto expect_arg = [&](ExprId a, BaseType base, std::string_view what) -> std::optional<Type> {
    Type t = check(m, a, nullptr);
    if (t.is_error()) return std::nullopt;
    if (t.base != base && !(base == BaseType::Number && t.is_numeric())) {
      error(DiagnosticKind::E0301, p_.modules[m].expr(a).span,
            fmt::format("`{}` needs {} here, but this is {}", x.text, what, article(t)),
            "wrong type", fmt::format("write `{}`", info(*builtin).signature));
      return std::nullopt;
    }
    return t;
  };
  // For `rule of` and `grounds of`: the one argument must name a definition that `wanted`
  // accepts. Reports what is wrong and returns false otherwise; `t` is the argument's type.
  auto named_definition = [&](Type& t, auto wanted, std::string message, std::string label) {
    if (!arity(1)) return false;
    const Expr& a = p_.modules[m].expr(args[0]);
    t = check(m, args[0], nullptr);
    const Resolution& r = p_.tables[m].resolutions[args[0]];
    if (t.is_error()) return false;
    if (a.kind != ExprKind::Name || r.kind != Kind::Definition ||
        !wanted(p_.definitions[r.index])) {
      error(DiagnosticKind::E0308, a.span, std::move(message), std::move(label));
      return false;
    }
    return true;
  };
  switch (info(*builtin).rule) {
    case BuiltinRule::Rule: {
      Type t;
      if (!named_definition(
              t, [&](const DefinitionInfo& d) { return d.is_decision; },
              "`rule of` needs the name of a decision (a `decide` block)", "not a decision"))
        return set(m, e, kErrorType);
      return set(m, e, kText.maybe(t.optional), res);
    }
    case BuiltinRule::Fixed: {
      // Arity and argument types from the row in builtins.def; missing in, missing out.
      const BuiltinInfo& row = info(*builtin);
      if (!arity(row.arity)) return set(m, e, kErrorType);
      bool optional = false, ok = true;
      for (std::size_t k = 0; k < row.arity; ++k) {
        auto t = expect_arg(args[k], row.args[k].base, row.args[k].what);
        if (!t)
          ok = false;
        else
          optional = optional || t->optional;
      }
      if (row.calendar && !calendar_for(x.span, fmt::format("`{}`", row.name)))
        return set(m, e, kErrorType);
      return ok ? set(m, e, Type{row.result, 0, false}.maybe(optional), res)
                : set(m, e, kErrorType);
    }
    case BuiltinRule::EarliestOnOrAfter: {
      if (x.args.size() != 2 || p_.modules[m].expr(x.args[1]).kind != ExprKind::List) {
        error(DiagnosticKind::E0304, x.span,
              "`earliest_on_or_after` takes a date and a list of dates", "wrong arguments",
              fmt::format("write `{}`", info(*builtin).signature));
        return set(m, e, kErrorType);
      }
      auto d = expect_arg(x.args[0], BaseType::Date, "a date");
      bool ok = d.has_value();
      for (ExprId item : p_.modules[m].expr(x.args[1]).args) {
        if (!expect_arg(item, BaseType::Date, "dates in the list")) ok = false;
      }
      set(m, x.args[1], kDate);
      return ok ? set(m, e, kDate.maybe(true), res) : set(m, e, kErrorType);
    }
    case BuiltinRule::FirstDateOf: {
      if (!arity(2)) return set(m, e, kErrorType);
      const Expr& a = p_.modules[m].expr(args[0]);
      auto it = a.kind == ExprKind::Name ? values_.find(a.text) : values_.end();
      if (it == values_.end() || it->second.kind != Kind::Parameter ||
          !p_.parameters[it->second.index].by_date) {
        error(DiagnosticKind::E0301, a.span,
              "`first_date_of` needs the name of a parameter `by date`", "not a dated parameter",
              fmt::format("write `{}`", info(*builtin).signature));
        check(m, args[1], nullptr);
        return set(m, e, kErrorType);
      }
      set(m, args[0], kDate, {Kind::Parameter, it->second.index, kMissing});
      auto d = expect_arg(args[1], BaseType::Date, "a date");
      return d ? set(m, e, kDate.maybe(true), res) : set(m, e, kErrorType);
    }
    case BuiltinRule::HowMany: {
      if (args.empty()) {
        error(DiagnosticKind::E0304, x.span, "`how_many` needs at least one yes/no value",
              "nothing to count", fmt::format("write `{}`", info(*builtin).signature));
        return set(m, e, kErrorType);
      }
      bool ok = true, optional = false;
      for (ExprId a : args) {
        auto t = expect_arg(a, BaseType::Boolean, "yes/no values");
        if (!t)
          ok = false;
        else
          optional = optional || t->optional;
      }
      if (x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List)
        set(m, x.args[0], kBoolean);
      return ok ? set(m, e, kInteger.maybe(optional), res) : set(m, e, kErrorType);
    }
    case BuiltinRule::NoticePart: {
      Type t;
      if (!named_definition(
              t,
              [](const DefinitionInfo& d) { return d.kind == DefinitionInfo::Kind::NoticeIssued; },
              fmt::format("`{} of` needs the name of a notice", x.text), "not a notice"))
        return set(m, e, kErrorType);
      const Resolution& r = p_.tables[m].resolutions[args[0]];
      const NoticeInfo& notice = p_.notices[p_.definitions[r.index].owner];
      const std::uint32_t def = *builtin == Builtin::Grounds ? notice.grounds_def : notice.due_def;
      current_deps_.push_back(def);
      return set(m, e, p_.definitions[def].type, {Kind::Definition, def, kMissing});
    }
    case BuiltinRule::CadencePart: {
      if (!arity(1)) return set(m, e, kErrorType);
      const Expr& a = p_.modules[m].expr(args[0]);
      auto it = a.kind == ExprKind::Name ? cadence_names_.find(a.text) : cadence_names_.end();
      if (it == cadence_names_.end()) {
        std::vector<std::string> names;
        for (const auto& [name, _] : cadence_names_) names.push_back(name);
        error(DiagnosticKind::E0308, a.span,
              fmt::format("`{} of` needs the name of a cadence", x.text), "not a cadence",
              did_you_mean(a.text, names));
        return set(m, e, kErrorType);
      }
      const CadenceInfo& cadence = p_.cadences[it->second];
      const std::uint32_t def =
          *builtin == Builtin::NextDue ? cadence.next_def : cadence.overdue_def;
      current_deps_.push_back(def);
      return set(m, e, p_.definitions[def].type, {Kind::Definition, def, kMissing});
    }
    case BuiltinRule::Extreme: {
      const bool scale = info(*builtin).result == BaseType::Enum;  // worst, best
      if (args.empty()) {
        error(DiagnosticKind::E0304, x.span, fmt::format("`{}` needs at least one value", x.text),
              "nothing to compare", fmt::format("write `{}`", info(*builtin).signature));
        return set(m, e, kErrorType);
      }
      const Type* want =
          expected != nullptr && (scale ? expected->base == BaseType::Enum : expected->is_numeric())
              ? expected
              : nullptr;
      Type acc = kErrorType;
      bool optional = false, ok = true;
      Type first = check(m, args[0], want);
      Type want_rest = first.required();
      for (std::size_t i = 0; i < args.size(); ++i) {
        Type t = i == 0 ? first : check(m, args[i], first.is_error() ? want : &want_rest);
        if (t.is_error()) {
          ok = false;
          continue;
        }
        optional = optional || t.optional;
        if (scale && (t.base != BaseType::Enum || !p_.enums[t.enum_id].ordered)) {
          error(
              DiagnosticKind::E0303, p_.modules[m].expr(args[i]).span,
              fmt::format("`{}` picks from values on a scale, but this is {}", x.text, article(t)),
              "not a scale");
          ok = false;
          continue;
        }
        if (!scale && !t.is_numeric()) {
          error(DiagnosticKind::E0307, p_.modules[m].expr(args[i]).span,
                fmt::format("`{}` needs numbers, but this is {}", x.text, article(t)),
                "not a number");
          ok = false;
          continue;
        }
        Type j = i == 0 ? t.required() : join(acc, t.required());
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
      return ok ? set(m, e, acc.maybe(optional), res) : set(m, e, kErrorType);
    }
  }
  return set(m, e, kErrorType);
}

}  // namespace catengine::lang::checking
