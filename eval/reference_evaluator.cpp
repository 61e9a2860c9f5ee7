// Tree-walking evaluation with the language's rules for missing values spelled out case by case:
// arithmetic, ordering and `and`/`or`/`not` give missing when an operand is missing; `is`, `in`
// and `is missing` never do; `if` evaluates only the branch it takes, and an `and`/`or` chain
// only the parts before the test for missing that decides it.
#include "eval/reference_evaluator.hpp"

#include <algorithm>

#include "base/calendar.hpp"
#include "compile/lower.hpp"
#include "eval/cadence_interval.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/chains.hpp"

namespace catengine::engine {

using lang::Builtin;
using lang::BuiltinRule;
using lang::ExprKind;
using lang::ExprRef;
using lang::Op;
using Kind = lang::Resolution::Kind;

ReferenceEvaluator::ReferenceEvaluator(const lang::CheckedPolicy& policy,
                                       const std::vector<HolidayCalendar>& calendars,
                                       TextPool& text, Value as_of,
                                       const std::vector<TermCalendar>& terms)
    : p_(policy), calendars_(calendars), terms_(terms), text_(text), as_of_(as_of) {
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

Value ReferenceEvaluator::fail(EvalFault f, int detail) {
  if (fault_ == EvalFault::None) {
    fault_ = f;
    fault_detail_ = detail;
  }
  return kMissing;
}

const lang::AlternativeInfo* ReferenceEvaluator::choose(
    const std::vector<lang::AlternativeInfo>& alts) {
  for (const auto& a : alts) {
    if (a.condition.expr == lang::kNoExpr || eval(a.condition) == 1) return &a;
  }
  return nullptr;
}

Value ReferenceEvaluator::next_due(const lang::CadenceInfo& c) {
  if (c.applies_to.expr != lang::kNoExpr && eval(c.applies_to) != 1) return kMissing;
  Value next = kMissing;
  if (c.dates_param) {
    for (const auto& e : p_.parameters[*c.dates_param].entries) {
      if (e.to >= as_of_) {
        next = std::max(e.from, as_of_);
        break;
      }
    }
  } else {
    const Value from = eval(c.from);
    if (from == kMissing) {
      next = c.if_never.expr != lang::kNoExpr ? eval(c.if_never) : as_of_;
    } else {
      const auto chosen = chosen_interval(*this, c);
      const auto unit = chosen ? c.intervals[*chosen].unit : lang::IntervalUnit::Days;
      if (chosen && (unit == lang::IntervalUnit::Terms || unit == lang::IntervalUnit::HalfTerms)) {
        // Due by the end of the term (half term) after the one it was last done in.
        const auto end = terms_.at(c.intervals[*chosen].term_calendar)
                             .end_of_next(from, unit == lang::IntervalUnit::Terms
                                                    ? TermCalendar::Step::Term
                                                    : TermCalendar::Step::HalfTerm);
        if (!end) return fail(EvalFault::TermsNotCovered, static_cast<int>(from));
        next = *end;
      }
      const Value n = chosen && c.intervals[*chosen].count.expr != lang::kNoExpr
                          ? eval(c.intervals[*chosen].count)
                          : kMissing;
      if (n != kMissing) {
        const Value count = n / decimal::kScale;
        next = unit == lang::IntervalUnit::Days    ? add_days(from, count)
               : unit == lang::IntervalUnit::Weeks ? add_weeks(from, count)
                                                   : add_months(from, static_cast<int>(count));
        if (!is_representable(next)) return fail(EvalFault::DateOutOfRange);
      }
    }
  }
  for (const auto& cap : c.no_later_than) {
    if (cap.condition.expr != lang::kNoExpr && eval(cap.condition) != 1) continue;
    const Value v = eval(cap.value);
    if (v != kMissing && (next == kMissing || v < next)) next = v;
  }
  return next;
}

Value ReferenceEvaluator::hidden_definition(const lang::DefinitionInfo& def) {
  using K = lang::DefinitionInfo::Kind;
  switch (def.kind) {
    case K::NoticeGround: {
      const auto& n = p_.notices[def.owner];
      const Value applies = n.applies_to.expr == lang::kNoExpr ? 1 : eval(n.applies_to);
      return applies == 1 && eval(n.grounds[def.part].condition) == 1;
    }
    case K::NoticeIssued: {
      const auto& n = p_.notices[def.owner];
      bool issued;
      if (n.issued_when_any_ground || n.issued_when.expr == lang::kNoExpr) {
        issued = false;
        for (auto g : n.ground_defs) issued = issued || definition(g) == 1;
      } else {
        issued = eval(n.issued_when) == 1 &&
                 (n.applies_to.expr == lang::kNoExpr || eval(n.applies_to) == 1);
      }
      if (n.unless.expr != lang::kNoExpr && eval(n.unless) == 1) issued = false;
      return issued;
    }
    case K::NoticeGrounds:
    case K::NoticeGroundLetters: {
      const auto& n = p_.notices[def.owner];
      const std::string separator = def.kind == K::NoticeGrounds ? ";" : "";
      std::string text;
      for (std::size_t g = 0; g < n.grounds.size(); ++g) {
        if (definition(n.ground_defs[g]) == 1)
          text += (text.empty() ? "" : separator) + n.grounds[g].id;
      }
      return text_.intern(text);
    }
    case K::NoticeDue: {
      const auto& n = p_.notices[def.owner];
      if (n.respond_by_term_end) {
        if (definition(n.issued_def) != 1) return kMissing;
        const auto end = terms_.at(n.term_calendar).end_of_next(as_of_, TermCalendar::Step::Term);
        return end ? *end : fail(EvalFault::TermsNotCovered, static_cast<int>(as_of_));
      }
      if (n.respond_within.expr == lang::kNoExpr || definition(n.issued_def) != 1) return kMissing;
      const Value days = eval(n.respond_within);
      if (days == kMissing) return kMissing;
      const WorkingDayResult r = add_working_days(calendars_.at(n.calendar), as_of_,
                                                  static_cast<int>(days / decimal::kScale));
      return r.uncovered_year != 0 ? fail(EvalFault::CalendarNotCovered, r.uncovered_year) : r.date;
    }
    case K::CadenceNext:
      return next_due(p_.cadences[def.owner]);
    case K::CadenceOverdue: {
      const Value next = definition(p_.cadences[def.owner].next_def);
      return next != kMissing && next < as_of_;
    }
    default:
      return kMissing;
  }
}

Value ReferenceEvaluator::definition(std::uint32_t index) {
  if (known_[index]) return values_[index];
  const auto& def = p_.definitions[index];
  Value v = kMissing;
  if (def.kind != lang::DefinitionInfo::Kind::Define &&
      def.kind != lang::DefinitionInfo::Kind::Decision) {
    v = hidden_definition(def);
  } else if (!def.is_decision) {
    v = eval(def.body);
  } else if (!def.unique) {
    for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
      const auto& rule = def.rules[k];
      if (rule.condition.expr == lang::kNoExpr || eval(rule.condition) == 1) {
        fired_[index] = k;
        v = eval(rule.value);
        break;
      }
    }
  } else {
    // `by unique match`: every condition first, then the one rule that applies; a second rule
    // that applies too is an error naming both.
    std::vector<Value> holds(def.rules.size(), 0);
    for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
      const auto& c = def.rules[k].condition;
      holds[k] = c.expr == lang::kNoExpr ? 1 : eval(c) == 1;
    }
    for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
      if (holds[k] != 1) continue;
      fired_[index] = k;
      v = eval(def.rules[k].value);
      for (std::uint32_t j = k + 1; j < def.rules.size(); ++j) {
        if (def.rules[k].condition.expr == lang::kNoExpr) break;
        if (def.rules[j].condition.expr != lang::kNoExpr && holds[j] == 1) {
          if (fault_ == EvalFault::None) fault_definition_ = index;
          fail(EvalFault::UniqueClash, static_cast<int>((k << 16) | j));
          break;
        }
      }
      break;
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
    case Kind::Field:
      return fields_[r.index];
    case Kind::Definition:
      return definition(r.index);
    case Kind::AsOf:
      return as_of_;
    case Kind::EnumMember:
      return r.value;
    case Kind::Literal:
      return x.kind == ExprKind::String ? text_.intern(x.text) : r.value;
    case Kind::Parameter:
    case Kind::Builtin:
      return call(e);
    case Kind::None:
      break;
  }
  switch (x.kind) {
    case ExprKind::Unary: {
      Value a = eval(arg(0));
      if (a == kMissing) return kMissing;
      return x.op == Op::Not ? !a : -a;
    }
    case ExprKind::Binary:
      return binary(e);
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
    default:
      return kMissing;
  }
}

// An `and`/`or` chain (lang/check/chains.hpp): strict over the parts it reads, read from left
// to right until a test for missing decides it.
Value ReferenceEvaluator::chain(ExprRef e) {
  const auto& x = p_.expr(e);
  const auto& module = p_.modules[e.module];
  const bool is_and = x.op == Op::And;
  bool any_missing = false;
  bool decided = false;  // a part was no (`and`) or yes (`or`)
  lang::visit_chain(module, e.expr, x.op, [&](lang::ExprId part) {
    const Value v = eval({e.module, part});
    if (v == kMissing) {
      any_missing = true;
      return true;
    }
    if ((v != 0) == is_and) return true;
    decided = true;
    return !lang::stops_chain(module, part, x.op);  // a test for missing ends the chain
  });
  if (any_missing) return kMissing;
  return is_and ? !decided : decided;
}

Value ReferenceEvaluator::binary(ExprRef e) {
  const auto& x = p_.expr(e);
  if (x.op == Op::And || x.op == Op::Or) return chain(e);
  Value a = eval({e.module, x.args[0]});
  Value b = eval({e.module, x.args[1]});
  if (x.op == Op::Eq) return a == b;
  if (x.op == Op::Ne) return a != b;
  if (a == kMissing || b == kMissing) return kMissing;
  std::optional<Value> out;
  switch (x.op) {
    case Op::Add:
      out = decimal::add(a, b);
      break;
    case Op::Sub:
      out = decimal::sub(a, b);
      break;
    case Op::Mul:
      out = decimal::mul(a, b);
      break;
    case Op::Div:
      if (b == 0) return fail(EvalFault::DivisionByZero);
      out = decimal::div(a, b);
      break;
    case Op::Lt:
    case Op::Better:
      return a < b;
    case Op::Le:
    case Op::AtLeast:
    case Op::AtWorst:
      return a <= b;  // "at worst good" is good or better
    case Op::Gt:
    case Op::Worse:
      return a > b;
    case Op::Ge:
      return a >= b;
    default:
      return kMissing;
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
  const auto b = static_cast<Builtin>(r.index);
  // By the row's rule (lang/check/builtin_rules.def): each rule but Fixed has one meaning for
  // all its rows.
  switch (lang::info(b).rule) {
    case BuiltinRule::Fixed:
      return fixed_call(b, args);
    case BuiltinRule::Rule: {
      const auto def = p_.resolution(args[0]).index;
      auto k = fired_rule(def);
      return k ? text_.intern(p_.definitions[def].rules[*k].id) : kMissing;
    }
    case BuiltinRule::EarliestOnOrAfter: {
      const Value d = eval({e.module, x.args[0]});
      Value best = kMissing;
      for (auto item : p_.expr({e.module, x.args[1]}).args) {
        const Value v = eval({e.module, item});
        if (d != kMissing && v != kMissing && v >= d && (best == kMissing || v < best)) best = v;
      }
      return best;
    }
    case BuiltinRule::FirstDateOf: {
      const Value d = eval(args[1]);
      if (d == kMissing) return kMissing;
      for (const auto& entry : p_.parameters[p_.resolution(args[0]).index].entries) {
        if (entry.to >= d) return std::max(entry.from, d);
      }
      return kMissing;
    }
    case BuiltinRule::HowMany: {
      Value count = 0;
      bool any_missing = false;
      for (const auto& a : args) {
        const Value v = eval(a);
        if (v == kMissing)
          any_missing = true;
        else if (v == 1)
          count += decimal::kScale;
      }
      return any_missing && !x.ignoring_missing ? kMissing : count;
    }
    case BuiltinRule::NoticePart:
    case BuiltinRule::CadencePart:
      return kMissing;  // resolved to definitions by the checker
    case BuiltinRule::Extreme: {
      // The row says which end: Max (worst, the greatest position on a scale; max) or Min.
      const bool largest = builtin_op(b) == OpCode::Max;
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
      // Ignoring missing values: the extreme of those there are (missing when none are).
      return any_missing && !x.ignoring_missing ? kMissing : acc;
    }
  }
  return kMissing;
}

// The meaning of each Fixed built-in, written out here rather than taken from its instruction,
// so that the differential tests compare two implementations.
Value ReferenceEvaluator::fixed_call(Builtin b, const std::vector<ExprRef>& args) {
  switch (b) {
    case Builtin::StartYear:
    case Builtin::EndYear: {
      Value a = eval(args[0]);
      if (a == kMissing) return kMissing;
      return decimal::from_integer(b == Builtin::EndYear ? a + 1 : a);
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
      Value out = b == Builtin::AddDays    ? add_days(d, count)
                  : b == Builtin::AddWeeks ? add_weeks(d, count)
                                           : add_months(d, static_cast<int>(count));
      return is_representable(out) ? out : fail(EvalFault::DateOutOfRange);
    }
    case Builtin::AddWorkingDays:
    case Builtin::FirstWorkingDayOnOrAfter: {
      const Value d = eval(args[0]);
      const Value n = args.size() > 1 ? eval(args[1]) : 0;
      if (d == kMissing || n == kMissing) return kMissing;
      const WorkingDayResult r =
          args.size() > 1 ? add_working_days(calendar(), d, static_cast<int>(n / decimal::kScale))
                          : first_working_day_on_or_after(calendar(), d);
      return r.uncovered_year != 0 ? fail(EvalFault::CalendarNotCovered, r.uncovered_year) : r.date;
    }
    case Builtin::DateOf: {
      const Value y = eval(args[0]), mo = eval(args[1]), d = eval(args[2]);
      if (y == kMissing || mo == kMissing || d == kMissing) return kMissing;
      const Value yy = y / decimal::kScale, mm = mo / decimal::kScale, dd = d / decimal::kScale;
      const Value out = (mm < 1 || mm > 12 || dd < 1 || dd > 31 || yy < 1 || yy > 9999)
                            ? kMissing
                            : date_from_ymd(static_cast<int>(yy), static_cast<unsigned>(mm),
                                            static_cast<unsigned>(dd));
      return out == kMissing ? fail(EvalFault::DateOutOfRange) : out;
    }
    case Builtin::TermEnd: {
      const Value d = eval(args[0]);
      return d == kMissing ? kMissing : current_term_end(d);
    }
    case Builtin::GoodFriday: {
      const Value y = eval(args[0]);
      if (y == kMissing) return kMissing;
      const Value yy = y / decimal::kScale;
      const Value out = (yy < 1583 || yy > 9999) ? kMissing : good_friday(static_cast<int>(yy));
      return out == kMissing ? fail(EvalFault::DateOutOfRange) : out;
    }
    default:
      // Not Fixed, or a Fixed row without a meaning here: lang/check/builtins_test.cpp fails.
      return kMissing;
  }
}

}  // namespace catengine::engine
