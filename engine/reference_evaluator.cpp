// Tree-walking evaluation with the language's rules for missing values spelled out case by case:
// arithmetic, ordering and `and`/`or`/`not` give missing when an operand is missing; `is`, `in`
// and `is missing` never do; `if` evaluates only the branch it takes.
#include "engine/reference_evaluator.hpp"

#include <algorithm>

#include "engine/calendar.hpp"
#include "lang/builtins.hpp"

namespace catengine::engine {

using lang::Builtin;
using lang::ExprKind;
using lang::ExprRef;
using lang::Op;
using Kind = lang::Resolution::Kind;

ReferenceEvaluator::ReferenceEvaluator(const lang::CheckedPolicy& policy, TextPool& text, Value as_of)
    : p_(policy), text_(text), as_of_(as_of) {
  values_.resize(p_.definitions.size());
  known_.resize(p_.definitions.size());
  fired_.resize(p_.definitions.size());
}

void ReferenceEvaluator::reset(const Value* fields) {
  fields_ = fields;
  std::fill(known_.begin(), known_.end(), 0);
  std::fill(fired_.begin(), fired_.end(), std::nullopt);
  fault_ = EvalFault::None;
}

Value ReferenceEvaluator::fail(EvalFault f) {
  if (fault_ == EvalFault::None) fault_ = f;
  return kMissing;
}

Value ReferenceEvaluator::definition(std::uint32_t index) {
  if (known_[index]) return values_[index];
  const auto& def = p_.definitions[index];
  Value v = kMissing;
  if (!def.is_decision) {
    v = eval(def.body);
  } else {
    for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
      const auto& rule = def.rules[k];
      if (rule.condition.expr == lang::kNoExpr || eval(rule.condition) == 1) {
        fired_[index] = k;
        v = eval(rule.value);
        break;
      }
    }
  }
  values_[index] = v;
  known_[index] = 1;
  return v;
}

std::optional<std::uint32_t> ReferenceEvaluator::fired_rule(std::uint32_t index) {
  definition(index);
  return fired_[index];
}

const lang::ParamEntryInfo* ReferenceEvaluator::param_entry(std::uint32_t param, Value key) const {
  if (key == kMissing) return nullptr;
  const auto& info = p_.parameters[param];
  const Value k = info.by_date ? key : key / decimal::kScale;
  if (!info.by_date && key % decimal::kScale != 0) return nullptr;
  for (const auto& e : info.entries) {
    if (e.from <= k && k <= e.to) return &e;
  }
  return nullptr;
}

Value ReferenceEvaluator::eval(ExprRef e) {
  const auto& x = p_.expr(e);
  const auto& r = p_.resolution(e);
  auto arg = [&](std::size_t i) { return ExprRef{e.module, x.args[i]}; };
  switch (r.kind) {
    case Kind::Field: return fields_[r.index];
    case Kind::Definition: return definition(r.index);
    case Kind::AsOf: return as_of_;
    case Kind::EnumMember: return r.value;
    case Kind::Literal: return x.kind == ExprKind::String ? text_.intern(x.text) : r.value;
    case Kind::Parameter:
    case Kind::Builtin: return call(e);
    case Kind::None: break;
  }
  switch (x.kind) {
    case ExprKind::Unary: {
      Value a = eval(arg(0));
      if (a == kMissing) return kMissing;
      return x.op == Op::Not ? !a : -a;
    }
    case ExprKind::Binary: return binary(e);
    case ExprKind::In: {
      Value a = eval(arg(0));
      bool found = false;
      for (auto m : p_.expr(arg(1)).args) {
        if (eval({e.module, m}) == a) found = true;  // as a chain of `is`
      }
      return x.negated ? !found : found;
    }
    case ExprKind::IsMissing: {
      const bool is_missing = eval(arg(0)) == kMissing;
      return x.negated ? !is_missing : is_missing;
    }
    case ExprKind::Between: {
      Value a = eval(arg(0)), lo = eval(arg(1)), hi = eval(arg(2));
      if (a == kMissing || lo == kMissing || hi == kMissing) return kMissing;
      return lo <= a && a <= hi;
    }
    case ExprKind::IfMissing: {
      Value a = eval(arg(0));
      return a != kMissing ? a : eval(arg(1));
    }
    case ExprKind::If: {
      Value c = eval(arg(0));
      if (c == kMissing) return kMissing;
      return c ? eval(arg(1)) : eval(arg(2));
    }
    default: return kMissing;
  }
}

Value ReferenceEvaluator::binary(ExprRef e) {
  const auto& x = p_.expr(e);
  Value a = eval({e.module, x.args[0]});
  Value b = eval({e.module, x.args[1]});
  if (x.op == Op::Eq) return a == b;
  if (x.op == Op::Ne) return a != b;
  if (a == kMissing || b == kMissing) return kMissing;
  std::optional<Value> out;
  switch (x.op) {
    case Op::Add: out = decimal::add(a, b); break;
    case Op::Sub: out = decimal::sub(a, b); break;
    case Op::Mul: out = decimal::mul(a, b); break;
    case Op::Div:
      if (b == 0) return fail(EvalFault::DivisionByZero);
      out = decimal::div(a, b);
      break;
    case Op::And: return a && b;
    case Op::Or: return a || b;
    case Op::Lt:
    case Op::Better: return a < b;
    case Op::Le:
    case Op::AtLeast: return a <= b;
    case Op::Gt:
    case Op::Worse: return a > b;
    case Op::Ge:
    case Op::AtWorst: return a >= b;
    default: return kMissing;
  }
  return out ? *out : fail(EvalFault::Overflow);
}

Value ReferenceEvaluator::call(ExprRef e) {
  const auto& x = p_.expr(e);
  const auto& r = p_.resolution(e);
  if (r.kind == Kind::Parameter) {
    const lang::ParamEntryInfo* entry = param_entry(r.index, eval({e.module, x.args[0]}));
    return entry ? entry->value : kMissing;
  }
  std::vector<ExprRef> args;
  if (x.args.size() == 1 && p_.expr({e.module, x.args[0]}).kind == ExprKind::List) {
    for (auto a : p_.expr({e.module, x.args[0]}).args) args.push_back({e.module, a});
  } else {
    for (auto a : x.args) args.push_back({e.module, a});
  }
  switch (static_cast<Builtin>(r.index)) {
    case Builtin::Rule: {
      const auto def = p_.resolution(args[0]).index;
      auto k = fired_rule(def);
      return k ? text_.intern(p_.definitions[def].rules[*k].id) : kMissing;
    }
    case Builtin::StartYear:
    case Builtin::EndYear: {
      Value a = eval(args[0]);
      if (a == kMissing) return kMissing;
      return decimal::from_integer(static_cast<Builtin>(r.index) == Builtin::EndYear ? a + 1 : a);
    }
    case Builtin::Year: {
      Value a = eval(args[0]);
      return a == kMissing ? kMissing : decimal::from_integer(static_cast<int>(to_ymd(a).year()));
    }
    case Builtin::AddDays:
    case Builtin::AddWeeks:
    case Builtin::AddMonths: {
      Value d = eval(args[0]), n = eval(args[1]);
      if (d == kMissing || n == kMissing) return kMissing;
      const Value count = n / decimal::kScale;
      const auto b = static_cast<Builtin>(r.index);
      Value out = b == Builtin::AddDays    ? add_days(d, count)
                  : b == Builtin::AddWeeks ? add_weeks(d, count)
                                           : add_months(d, static_cast<int>(count));
      return out == kMissing ? fail(EvalFault::DateOutOfRange) : out;
    }
    case Builtin::Worst:
    case Builtin::Best:
    case Builtin::Min:
    case Builtin::Max: {
      const auto b = static_cast<Builtin>(r.index);
      const bool largest = b == Builtin::Worst || b == Builtin::Max;
      Value acc = kMissing;
      bool any_missing = false;
      for (std::size_t i = 0; i < args.size(); ++i) {
        Value v = eval(args[i]);
        if (v == kMissing) {
          any_missing = true;
          continue;
        }
        acc = (i == 0 || acc == kMissing) ? v : (largest ? std::max(acc, v) : std::min(acc, v));
      }
      return any_missing ? kMissing : acc;
    }
  }
  return kMissing;
}

}  // namespace catengine::engine
