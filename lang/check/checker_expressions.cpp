// Types expressions: names, literals, unary and binary operators. Calls: checker_calls.cpp.
#include "lang/check/checker_impl.hpp"

#include <fmt/ranges.h>

namespace catengine::lang::checking {

Type Checker::set(ModuleId m, ExprId e, Type t, Resolution r) {
  p_.tables[m].types[e] = t;
  p_.tables[m].resolutions[e] = r;
  return t;
}

std::vector<std::string> Checker::value_names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : values_) out.push_back(name);
  return out;
}

// Looks a literal or bare name up among the members of an enumeration.
std::optional<std::uint32_t> Checker::member_index(std::uint16_t enum_id,
                                                   std::string_view key) const {
  const auto& members = p_.enums[enum_id].members;
  for (std::uint32_t i = 0; i < members.size(); ++i) {
    if (members[i].key == key) return i;
  }
  return std::nullopt;
}

Type Checker::unknown_member(ModuleId m, ExprId e, const Type& expected, std::string_view key) {
  const EnumInfo& en = p_.enums[expected.enum_id];
  std::vector<std::string> keys;
  for (const auto& mem : en.members) keys.push_back(mem.key);
  const std::string listing = fmt::format("`{}`", fmt::join(keys, "`, `"));
  std::string hint = did_you_mean(key, keys);
  error(DiagnosticKind::E0204, p_.modules[m].expr(e).span,
        fmt::format("`{}` is not one of the values of `{}`", key, en.name), "not a member",
        hint.empty() ? fmt::format("`{}` is one of {}", en.name, listing) : hint);
  return set(m, e, kErrorType);
}

Type Checker::check(ModuleId m, ExprId e, const Type* expected) {
  if (e == kNoExpr) return kErrorType;
  const Expr& x = p_.modules[m].expr(e);
  const bool want_enum = expected != nullptr && expected->base == BaseType::Enum;
  switch (x.kind) {
    case ExprKind::Integer:
    case ExprKind::Decimal: {
      if (want_enum) {
        if (auto idx = member_index(expected->enum_id, x.text)) {
          return set(m, e, expected->required(), {Kind::EnumMember, 0, static_cast<Value>(*idx)});
        }
        if (x.kind == ExprKind::Integer) return unknown_member(m, e, *expected, x.text);
      }
      auto v = decimal::parse(x.text);
      if (!v) {
        error(DiagnosticKind::E0404, x.span,
              fmt::format("`{}` is too large or too precise", x.text), "invalid number",
              "numbers have at most 6 digits after the point and 13 before it");
        return set(m, e, kErrorType);
      }
      return set(m, e, x.kind == ExprKind::Integer ? kInteger : kNumber, {Kind::Literal, 0, *v});
    }
    case ExprKind::String:
      if (want_enum) {
        if (auto idx = member_index(expected->enum_id, x.text)) {
          return set(m, e, expected->required(), {Kind::EnumMember, 0, static_cast<Value>(*idx)});
        }
        return unknown_member(m, e, *expected, x.text);
      }
      return set(m, e, kText, {Kind::Literal, 0, kMissing});
    case ExprKind::Date: {
      Value v = parse_date_literal(x.text);
      if (v == kMissing) {
        error(DiagnosticKind::E0405, x.span,
              fmt::format("`{}` is not a date in the calendar", x.text), "no such date");
        return set(m, e, kErrorType);
      }
      return set(m, e, kDate, {Kind::Literal, 0, v});
    }
    case ExprKind::Name:
      return check_name(m, e, x, expected);
    case ExprKind::List: {
      error(DiagnosticKind::E0301, x.span,
            "a list can only follow `in`, or be the argument of `any of`, `all of`, `how many of`, "
            "`worst of`, `best of`, `min` or `max`",
            "unexpected list");
      for (ExprId a : x.args) check(m, a, nullptr);
      return set(m, e, kErrorType);
    }
    case ExprKind::Unary:
      return check_unary(m, e, x, expected);
    case ExprKind::Binary:
      return check_binary(m, e, x, expected);
    case ExprKind::In: {
      Type lhs = check(m, x.args[0], nullptr);
      const Expr& list = p_.modules[m].expr(x.args[1]);
      for (ExprId a : list.args) {
        Type t = check(m, a, lhs.is_error() ? nullptr : &lhs);
        if (!lhs.is_error() && !t.is_error()) comparable(x, lhs, t, "`in`");
      }
      set(m, x.args[1], lhs);
      return set(m, e, kBoolean);
    }
    case ExprKind::IsMissing: {
      Type t = check(m, x.args[0], nullptr);
      if (!t.is_error() && !t.optional) {
        error(DiagnosticKind::W0301, x.span,
              fmt::format("`{}` is never missing, so this test is always {}",
                          source_text(x.args[0], m), x.negated ? "yes" : "no"),
              "never missing", "remove the test");
      }
      return set(m, e, kBoolean);
    }
    case ExprKind::Between: {
      Type a = check(m, x.args[0], nullptr);
      Type lo = check(m, x.args[1], a.is_error() ? nullptr : &a);
      Type hi = check(m, x.args[2], a.is_error() ? nullptr : &a);
      bool ok =
          ordered_comparable(x, a, lo, "`between`") && ordered_comparable(x, a, hi, "`between`");
      return set(m, e, ok ? kBoolean.maybe(a.optional || lo.optional || hi.optional) : kErrorType);
    }
    case ExprKind::IfMissing: {
      // `worst of [...] if missing X` (or the clause `, or X if any figure is missing`): the
      // author has said what a missing value means.
      decided_calls_.insert({m, x.args[0]});
      Type a = check(m, x.args[0], expected);
      if (a.is_error()) {
        check(m, x.args[1], expected);
        return set(m, e, kErrorType);
      }
      if (!a.optional) {
        if (x.missing_clause) {
          error(DiagnosticKind::W0301, x.span,
                fmt::format("`{}` is never missing, so `if any figure is missing` never applies",
                            source_text(x.args[0], m)),
                "never missing", "remove `, or ... if any figure is missing`");
        } else {
          error(DiagnosticKind::W0301, x.span,
                fmt::format("`{}` is never missing, so `if missing` never applies",
                            source_text(x.args[0], m)),
                "never missing", "remove `if missing ...`");
        }
      }
      Type want = a.required();
      Type b = check(m, x.args[1], &want);
      if (b.is_error()) return set(m, e, kErrorType);
      Type joined = join(a.required(), b.required());
      if (joined.is_error()) {
        mismatch(p_.modules[m].expr(x.args[1]).span, want, b, "the value when missing");
        return set(m, e, kErrorType);
      }
      return set(m, e, joined.maybe(b.optional));
    }
    case ExprKind::If: {
      Type c = check(m, x.args[0], &kBoolean);
      if (!c.is_error() && c.base != BaseType::Boolean) {
        error(
            DiagnosticKind::E0305, p_.modules[m].expr(x.args[0]).span,
            fmt::format("the condition after `if` should be yes or no, but this is {}", article(c)),
            "not a condition");
      }
      std::size_t mark = present_.size();
      present_when(m, x.args[0], true);
      Type a = check(m, x.args[1], expected);
      present_.resize(mark);
      present_when(m, x.args[0], false);
      const Type* want_b = expected != nullptr ? expected : (a.is_error() ? nullptr : &a);
      Type b = check(m, x.args[2], want_b);
      present_.resize(mark);
      if (a.is_error() || b.is_error() || c.is_error()) return set(m, e, kErrorType);
      Type joined = join(a.required(), b.required());
      if (joined.is_error()) {
        mismatch(p_.modules[m].expr(x.args[2]).span, a.required(), b, "the `else` value");
        return set(m, e, kErrorType);
      }
      return set(m, e, joined.maybe(a.optional || b.optional || c.optional));
    }
    case ExprKind::Call:
      return check_call(m, e, x, expected);
  }
  return set(m, e, kErrorType);
}

std::string Checker::source_text(ExprId e, ModuleId m) const {
  const Expr& x = p_.modules[m].expr(e);
  return x.kind == ExprKind::Name ? x.text : "this value";
}

Type Checker::join(const Type& a, const Type& b) {
  if (a.base == b.base && (a.base != BaseType::Enum || a.enum_id == b.enum_id)) return a;
  if (a.is_numeric() && b.is_numeric()) {
    return (a.base == BaseType::Integer && b.base == BaseType::Integer) ? kInteger : kNumber;
  }
  return kErrorType;
}

Type Checker::check_name(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
  const bool want_enum = expected != nullptr && expected->base == BaseType::Enum;
  if (want_enum) {
    // An enumeration's own members win over booleans and names, so `yes` can be a member.
    // A field or definition of the same name wins only when it has this very type.
    auto named = values_.find(x.text);
    const bool value_fits =
        named != values_.end() && named->second.kind != Kind::Parameter &&
        (named->second.kind == Kind::Field
             ? p_.record.fields[named->second.index].type.required() == expected->required()
             : true);
    if (auto idx = member_index(expected->enum_id, x.text); idx && !value_fits) {
      return set(m, e, expected->required(), {Kind::EnumMember, 0, static_cast<Value>(*idx)});
    }
  }
  if (x.text == "yes" || x.text == "no") {
    return set(m, e, kBoolean, {Kind::Literal, 0, x.text == "yes" ? 1 : 0});
  }
  if (x.text.starts_with("previous ")) {
    const auto index = previous_field(x);
    if (!index) return set(m, e, kErrorType);
    Type t = p_.record.fields[*index].type;
    if (is_present(Kind::Field, *index)) t.optional = false;
    return set(m, e, t, {Kind::Field, *index, kMissing});
  }
  if (auto it = values_.find(x.text); it != values_.end()) {
    const Symbol& s = it->second;
    switch (s.kind) {
      case Kind::Field: {
        Type t = p_.record.fields[s.index].type;
        if (is_present(Kind::Field, s.index)) t.optional = false;
        return set(m, e, t, {Kind::Field, s.index, kMissing});
      }
      case Kind::Definition: {
        current_deps_.push_back(s.index);
        if (def_state_[s.index] == DefState::Unchecked && deep_[s.index]) type_bottom_up(s.index);
        Type t = definition_type(s.index);
        if (def_state_[s.index] == DefState::InProgress && !p_.definitions[s.index].is_decision &&
            !def_sources_[s.index].define->type) {
          t = kErrorType;  // inferring a definition that uses itself; reported as a cycle
        }
        if (is_present(Kind::Definition, s.index)) t.optional = false;
        return set(m, e, t, {Kind::Definition, s.index, kMissing});
      }
      case Kind::Parameter: {
        // The hint names no field: `results_year` exists only in policies that define it.
        const bool by_date = p_.parameters[s.index].by_date;
        error(DiagnosticKind::E0304, x.span,
              fmt::format("`{}` is a parameter, so it needs the {} to look up", x.text,
                          by_date ? "date" : "year"),
              "parameter without a key",
              by_date ? fmt::format("write `{} of DATE`, e.g. `{} of as_of`", x.text, x.text)
                      : fmt::format("write `{} of YEAR`, e.g. `{} of 2017`", x.text, x.text));
        return set(m, e, kErrorType);
      }
      default:
        break;
    }
  }
  if (x.text == "as_of") return set(m, e, kDate, {Kind::AsOf, 0, kMissing});
  if (want_enum) return unknown_member(m, e, *expected, x.text);
  // A member of some enumeration, used where no type says which: name the type in the hint.
  std::string hint;
  for (const auto& en : p_.enums) {
    for (const auto& mem : en.members) {
      if (mem.key == x.text) {
        hint = fmt::format(
            "`{}` is a value of `{}`; compare it with something of that type, e.g. `field is {}`",
            x.text, en.name, x.text);
      }
    }
  }
  if (hint.empty()) hint = did_you_mean(x.text, value_names());
  if (auto b = find_builtin(x.text); b && hint.empty()) {
    hint = fmt::format("`{}` is a function: write `{}`", x.text, info(*b).signature);
  }
  error(DiagnosticKind::E0201, x.span,
        record_ != nullptr
            ? fmt::format("`{}` is not a field of `{}` or a name defined in the policy", x.text,
                          p_.record.name)
            : fmt::format("`{}` is not defined", x.text),
        "unknown name", hint);
  return set(m, e, kErrorType);
}

std::optional<std::uint32_t> Checker::previous_field(const Expr& x) {
  const std::string column = x.text.substr(std::string_view("previous ").size());
  for (std::uint32_t f = 0; f < p_.record.fields.size(); ++f) {
    if (p_.record.fields[f].previous_of == column) return f;
  }
  // The column must be one the run writes, naming something whose type is written down (the
  // type of `previous X` cannot wait for X's own checking, which may read `previous X`).
  const OutputColumn* out = nullptr;
  if (output_ != nullptr) {
    for (const OutputColumn& c : output_->columns) {
      if (c.name == column) out = &c;
    }
  }
  std::string named = column;
  if (out != nullptr && out->value != kNoExpr) {
    const Expr& v = p_.modules[output_module_].expr(out->value);
    named = v.kind == ExprKind::Name ? v.text : std::string();
  }
  std::optional<Type> type;
  if (out != nullptr && !named.empty()) {
    if (auto it = values_.find(named); it != values_.end()) {
      if (it->second.kind == Kind::Field) {
        type = p_.record.fields[it->second.index].type;
      } else if (it->second.kind == Kind::Definition && it->second.index < def_sources_.size()) {
        const DefSource& src = def_sources_[it->second.index];
        if (src.decide != nullptr) type = resolve_type(src.decide->type);
        if (src.define != nullptr && src.define->type) type = resolve_type(*src.define->type);
      }
    }
  }
  if (!type) {
    error(
        DiagnosticKind::E0201, x.span,
        out == nullptr
            ? fmt::format("`previous {}` reads the previous run's column `{}`, but the output has "
                          "no such column",
                          column, column)
            : fmt::format("`previous {}` needs the column `{}` to name a field, or a definition "
                          "or decision with its type written down",
                          column, column),
        "previous",
        "`previous` reads a column of the output, such as `previous level`, from "
        "the latest earlier run saved with `--history FILE --save`");
    return std::nullopt;
  }
  if (type->is_error()) return std::nullopt;
  FieldInfo info;
  info.name = "previous " + column;
  info.column = "previous run";
  info.type = type->maybe(true);
  info.required = false;
  info.previous_of = column;
  info.span = x.span;
  p_.record.fields.push_back(std::move(info));
  return static_cast<std::uint32_t>(p_.record.fields.size() - 1);
}

bool Checker::is_present(Kind k, std::uint32_t index) const {
  return std::find(present_.begin(), present_.end(), std::make_pair(k, index)) != present_.end();
}

Type Checker::check_unary(ModuleId m, ExprId e, const Expr& x, const Type* expected) {
  if (x.op == Op::Not) {
    Type t = check(m, x.args[0], &kBoolean);
    if (t.is_error()) return set(m, e, kErrorType);
    if (t.base != BaseType::Boolean) {
      error(DiagnosticKind::E0305, p_.modules[m].expr(x.args[0]).span,
            fmt::format("`not` needs a yes/no value, but this is {}", article(t)), "not yes/no");
      return set(m, e, kErrorType);
    }
    return set(m, e, t);
  }
  Type t = check(m, x.args[0], expected != nullptr && expected->is_numeric() ? expected : nullptr);
  if (t.is_error()) return set(m, e, kErrorType);
  if (!t.is_numeric()) {
    error(DiagnosticKind::E0307, x.span,
          fmt::format("`-` needs a number, but this is {}", article(t)), "not a number");
    return set(m, e, kErrorType);
  }
  const Resolution& inner = p_.tables[m].resolutions[x.args[0]];
  Resolution r;
  if (inner.kind == Kind::Literal) r = {Kind::Literal, 0, -inner.value};
  return set(m, e, t.base == BaseType::Integer ? t : kNumber.maybe(t.optional), r);
}

bool Checker::comparable(const Expr& at, const Type& a, const Type& b, std::string_view op) {
  if (a.is_error() || b.is_error()) return false;
  if (a.is_numeric() && b.is_numeric()) return true;
  if (a.base == b.base && (a.base != BaseType::Enum || a.enum_id == b.enum_id)) return true;
  error(DiagnosticKind::E0306, at.span,
        fmt::format("{} compares {} with {}, which cannot be compared", op, article(a.required()),
                    article(b.required())),
        "different types");
  return false;
}

bool Checker::ordered_comparable(const Expr& at, const Type& a, const Type& b,
                                 std::string_view op) {
  if (!comparable(at, a, b, op)) return false;
  if (a.base == BaseType::Enum && !p_.enums[a.enum_id].ordered) {
    error(DiagnosticKind::E0303, at.span,
          fmt::format("`{}` is an enumeration, not a scale, so its values have no order",
                      p_.enums[a.enum_id].name),
          "no order",
          "compare with `is` or `in [...]`, or declare it with `scale ... from best to worst`");
    return false;
  }
  if (a.base == BaseType::Boolean || a.base == BaseType::Text) {
    error(DiagnosticKind::E0306, at.span,
          fmt::format("{} needs values with an order, not {}", op, article(a.required())),
          "no order", "compare with `is` instead");
    return false;
  }
  return true;
}

Type Checker::check_binary(ModuleId m, ExprId e, const Expr& x, const Type* /*expected*/) {
  const ExprId l = x.args[0], r = x.args[1];
  switch (x.op) {
    case Op::And:
    case Op::Or: {
      Type a = check(m, l, &kBoolean);
      // The right is read only when no test for missing in the left's chain stopped it (see
      // lang/check/chains.hpp): there the names those tests test are present.
      const std::size_t mark = present_.size();
      std::vector<ExprId> parts;
      chain_parts(p_.modules[m], l, x.op, parts);
      for (ExprId part : parts) {
        if (stops_chain(p_.modules[m], part, x.op)) present_when(m, part, x.op == Op::And);
      }
      Type b = check(m, r, &kBoolean);
      present_.resize(mark);
      bool ok = true;
      for (auto [t, id] : {std::pair{a, l}, std::pair{b, r}}) {
        if (!t.is_error() && t.base != BaseType::Boolean) {
          error(DiagnosticKind::E0305, p_.modules[m].expr(id).span,
                fmt::format("{} joins yes/no values, but this is {}", op_text(x.op), article(t)),
                "not yes/no", "compare it with something first, e.g. `phase is primary`");
          ok = false;
        }
      }
      if (a.is_error() || b.is_error() || !ok) return set(m, e, kErrorType);
      return set(m, e, kBoolean.maybe(a.optional || b.optional));
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div: {
      Type a = check(m, l, nullptr);
      Type b = check(m, r, nullptr);
      if (a.is_error() || b.is_error()) return set(m, e, kErrorType);
      for (auto [t, id] : {std::pair{a, l}, std::pair{b, r}}) {
        if (!t.is_numeric()) {
          std::string hint = t.base == BaseType::Date
                                 ? "for dates, write `7 days after as_of` or `add_days(as_of, 7)` "
                                   "(or weeks, months, working days; `before` counts back)"
                                 : std::string{};
          error(DiagnosticKind::E0307, p_.modules[m].expr(id).span,
                fmt::format("{} needs numbers, but this is {}", op_text(x.op), article(t)),
                "not a number", hint);
          return set(m, e, kErrorType);
        }
      }
      Type out = (a.base == BaseType::Integer && b.base == BaseType::Integer && x.op != Op::Div)
                     ? kInteger
                     : kNumber;
      return set(m, e, out.maybe(a.optional || b.optional));
    }
    case Op::Eq:
    case Op::Ne: {
      Type a = check(m, l, nullptr);
      Type want = a.required();
      Type b = check(m, r, a.is_error() ? nullptr : &want);
      if (!comparable(x, a, b, op_text(x.op))) return set(m, e, kErrorType);
      if (x.op == Op::Ne && x.negated && !ambiguous_is_not(m, x, a)) return set(m, e, kErrorType);
      return set(m, e, kBoolean);  // a missing value is simply not equal to a present one
    }
    default: {
      Type a = check(m, l, nullptr);
      Type want = a.required();
      Type b = check(m, r, a.is_error() ? nullptr : &want);
      const bool scale_only =
          x.op == Op::Worse || x.op == Op::Better || x.op == Op::AtLeast || x.op == Op::AtWorst;
      if (!ordered_comparable(x, a, b, op_text(x.op))) return set(m, e, kErrorType);
      if (scale_only && a.base != BaseType::Enum) {
        error(DiagnosticKind::E0303, x.span,
              fmt::format("{} compares values on a scale, but these are {}", op_text(x.op),
                          article(a.required())),
              "not a scale", "for numbers and dates use `<`, `<=`, `>` or `>=`");
        return set(m, e, kErrorType);
      }
      return set(m, e, kBoolean.maybe(a.optional || b.optional));
    }
  }
}

// `safeguarding is not met` when `Safeguarding` has members `met` and `"not met"`: it could mean
// "is not `met`" (true for a school with no judgement at all) or "is `not met`". Neither reading
// is safe to guess, so the author must write the one they mean. Returns false after reporting.
bool Checker::ambiguous_is_not(ModuleId m, const Expr& x, const Type& a) {
  const Expr& rhs = p_.modules[m].expr(x.args[1]);
  if (a.base != BaseType::Enum || rhs.kind != ExprKind::Name) return true;
  const std::string both = "not " + rhs.text;
  if (!member_index(a.enum_id, both)) return true;
  const std::string left = source_text(x.args[0], m);
  error(DiagnosticKind::E0310, x.span,
        fmt::format("`is not {}` can be read two ways: `{}` has a value \"{}\"", rhs.text,
                    p_.enums[a.enum_id].name, both),
        "ambiguous",
        fmt::format("for the value \"{}\" write `{} is \"{}\"`; for any value but `{}` (a missing "
                    "one too) write `{} is not \"{}\"`",
                    both, left, both, rhs.text, left, rhs.text));
  return false;
}

// Arguments of a call, with a single list argument spread out: `worst of [a, b]`.
std::vector<ExprId> Checker::call_args(ModuleId m, const Expr& x) {
  if (x.args.size() == 1 && p_.modules[m].expr(x.args[0]).kind == ExprKind::List) {
    return p_.modules[m].expr(x.args[0]).args;
  }
  return x.args;
}

}  // namespace catengine::lang::checking
