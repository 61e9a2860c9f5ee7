// The meaning of every instruction that is not control flow, for one record, written once and
// shared by the record-at-a-time machine (vm.cpp) and the batch machine (batch_vm.cpp), so the
// two cannot drift apart. `s(slot)` gives a reference to the record's value in that slot.
#pragma once

#include <algorithm>

#include "base/calendar.hpp"
#include "eval/vm.hpp"

namespace catengine::engine::vm_step {

inline bool missing(Value v) {
  return v == kMissing;
}

// The missing-value rule of arithmetic, ordering and and/or: missing in, missing out.
template <typename F>
inline Value strict(Value a, Value b, F f) {
  return (missing(a) || missing(b)) ? kMissing : static_cast<Value>(f(a, b));
}

inline Value lookup(const YearTable& t, Value year) {
  if (missing(year)) return kMissing;
  const Value y = year / decimal::kScale;  // years are integers, held as decimals
  if (year % decimal::kScale != 0 || y < t.first_year) return kMissing;
  const auto i = static_cast<std::size_t>(y - t.first_year);
  return i < t.values.size() ? t.values[i] : kMissing;
}

inline Value lookup(const DateTable& t, Value date) {
  if (missing(date)) return kMissing;
  auto it = std::upper_bound(t.entries.begin(), t.entries.end(), date,
                             [](Value d, const DateTable::Entry& e) { return d < e.from; });
  if (it == t.entries.begin()) return kMissing;
  --it;
  return date <= it->to ? it->value : kMissing;
}

struct StepFault {
  EvalFault fault = EvalFault::None;
  int detail = 0;
};

// Carries out instruction `i` (anything but Halt, Branch, Jump and RuleTest) on one record.
// On a fault the destination is left as it was.
template <typename Slots>
inline StepFault step(const LinkedProgram& linked, const Instr& i, Slots&& s) {
  const Program& p = *linked.program;
  const Value a = s(i.a);
  Value& dst = s(i.dst);
  switch (i.op) {
    case OpCode::Move:
      dst = a;
      break;
    case OpCode::Add:
    case OpCode::Sub:
    case OpCode::Mul:
    case OpCode::Div: {
      const Value b = s(i.b);
      if (missing(a) || missing(b)) {
        dst = kMissing;
        break;
      }
      std::optional<Value> r;
      if (i.op == OpCode::Add) {
        r = decimal::add(a, b);
      } else if (i.op == OpCode::Sub) {
        r = decimal::sub(a, b);
      } else if (i.op == OpCode::Mul) {
        r = decimal::mul(a, b);
      } else {
        if (b == 0) return {EvalFault::DivisionByZero};
        r = decimal::div(a, b);
      }
      if (!r) return {EvalFault::Overflow};
      dst = *r;
      break;
    }
    case OpCode::Neg:
      dst = missing(a) ? kMissing : -a;
      break;
    case OpCode::Eq:
      dst = a == s(i.b);
      break;
    case OpCode::Ne:
      dst = a != s(i.b);
      break;
    case OpCode::Lt:
      dst = strict(a, s(i.b), [](Value x, Value y) { return x < y; });
      break;
    case OpCode::Le:
      dst = strict(a, s(i.b), [](Value x, Value y) { return x <= y; });
      break;
    case OpCode::Gt:
      dst = strict(a, s(i.b), [](Value x, Value y) { return x > y; });
      break;
    case OpCode::Ge:
      dst = strict(a, s(i.b), [](Value x, Value y) { return x >= y; });
      break;
    case OpCode::And:
      dst = strict(a, s(i.b), [](Value x, Value y) { return x != 0 && y != 0; });
      break;
    case OpCode::Or:
      dst = strict(a, s(i.b), [](Value x, Value y) { return x != 0 || y != 0; });
      break;
    case OpCode::Not:
      dst = missing(a) ? kMissing : !a;
      break;
    case OpCode::IsMissing:
      dst = missing(a);
      break;
    case OpCode::IsPresent:
      dst = !missing(a);
      break;
    case OpCode::InSet: {
      const auto& set = p.sets[i.b];
      dst = !missing(a) && std::binary_search(set.begin(), set.end(), a);
      break;
    }
    case OpCode::InMask: {
      const std::uint64_t mask = (std::uint64_t{i.c} << 32) | i.b;
      dst = a >= 0 && a < 64 && ((mask >> a) & 1) != 0;  // kMissing is negative
      break;
    }
    case OpCode::Between: {
      const Value lo = s(i.b), hi = s(i.c);
      dst = (missing(a) || missing(lo) || missing(hi)) ? kMissing : (lo <= a && a <= hi);
      break;
    }
    case OpCode::IfMissing:
      dst = missing(a) ? s(i.b) : a;
      break;
    case OpCode::Min:
    case OpCode::Max: {
      const Value b = s(i.b);
      dst = (missing(a) || missing(b)) ? kMissing
                                       : (i.op == OpCode::Min ? std::min(a, b) : std::max(a, b));
      break;
    }
    case OpCode::Select:
      dst = missing(a) ? kMissing : a ? s(i.b) : s(i.c);
      break;
    case OpCode::ParamYear:
      dst = lookup(p.year_params[i.b], a);
      break;
    case OpCode::ParamDate:
      dst = lookup(p.date_params[i.b], a);
      break;
    case OpCode::RuleText:
      dst = missing(a) ? kMissing : linked.rule_texts[i.b + a];
      break;
    case OpCode::StartYear:
      dst = missing(a) ? kMissing : decimal::from_integer(a);
      break;
    case OpCode::EndYear:
      dst = missing(a) ? kMissing : decimal::from_integer(a + 1);
      break;
    case OpCode::Year:
      dst = missing(a) ? kMissing : decimal::from_integer(static_cast<int>(to_ymd(a).year()));
      break;
    case OpCode::AddDays:
    case OpCode::AddWeeks:
    case OpCode::AddMonths: {
      const Value b = s(i.b);
      if (missing(a) || missing(b)) {
        dst = kMissing;
        break;
      }
      const Value count = b / decimal::kScale;
      const Value r = i.op == OpCode::AddDays    ? add_days(a, count)
                      : i.op == OpCode::AddWeeks ? add_weeks(a, count)
                                                 : add_months(a, static_cast<int>(count));
      if (!is_representable(r)) return {EvalFault::DateOutOfRange};
      dst = r;
      break;
    }
    case OpCode::AddWorkingDays:
    case OpCode::FirstWorkingDay: {
      const Value b = s(i.b);
      if (missing(a) || (i.op == OpCode::AddWorkingDays && missing(b))) {
        dst = kMissing;
        break;
      }
      const auto& cal = p.calendars[i.c];
      const WorkingDayResult r =
          i.op == OpCode::AddWorkingDays
              ? add_working_days(cal, a, static_cast<int>(b / decimal::kScale))
              : first_working_day_on_or_after(cal, a);
      if (r.uncovered_year != 0) return {EvalFault::CalendarNotCovered, r.uncovered_year};
      dst = r.date;
      break;
    }
    case OpCode::EndOfNextTerm: {
      if (missing(a)) {
        dst = kMissing;
        break;
      }
      const auto step = i.b == 0 ? TermCalendar::Step::Term : TermCalendar::Step::HalfTerm;
      const auto r = p.term_calendars[i.c].end_of_next(a, step);
      if (!r) return {EvalFault::TermsNotCovered, static_cast<int>(a)};
      dst = *r;
      break;
    }
    case OpCode::DateOf: {
      const Value m = s(i.b), d = s(i.c);
      if (missing(a) || missing(m) || missing(d)) {
        dst = kMissing;
        break;
      }
      const Value y = a / decimal::kScale, mm = m / decimal::kScale, dd = d / decimal::kScale;
      const Value r = (mm < 1 || mm > 12 || dd < 1 || dd > 31 || y < 1 || y > 9999)
                          ? kMissing
                          : date_from_ymd(static_cast<int>(y), static_cast<unsigned>(mm),
                                          static_cast<unsigned>(dd));
      if (missing(r)) return {EvalFault::DateOutOfRange};
      dst = r;
      break;
    }
    case OpCode::EarliestOnOrAfter: {
      const Value b = s(i.b);
      if (!missing(a) && !missing(b) && b >= a && (missing(dst) || b < dst)) dst = b;
      break;
    }
    case OpCode::EarlierOf: {
      const Value b = s(i.b);
      dst = missing(a) ? b : missing(b) ? a : std::min(a, b);
      break;
    }
    case OpCode::FirstKeyOnOrAfter: {
      const auto& entries = p.date_params[i.b].entries;
      Value r = kMissing;
      if (!missing(a)) {
        auto it = std::lower_bound(entries.begin(), entries.end(), a,
                                   [](const DateTable::Entry& e, Value d) { return e.to < d; });
        if (it != entries.end()) r = std::max(it->from, a);
      }
      dst = r;
      break;
    }
    case OpCode::TermEnd:
      dst = missing(a) ? kMissing : current_term_end(a);
      break;
    case OpCode::GoodFriday: {
      const Value y = missing(a) ? 0 : a / decimal::kScale;
      const Value r = (y < 1583 || y > 9999) ? kMissing : good_friday(static_cast<int>(y));
      if (!missing(a) && missing(r)) return {EvalFault::DateOutOfRange};
      dst = r;
      break;
    }
    case OpCode::UniqueClash:
      if (a == 1) return {EvalFault::UniqueClash, static_cast<int>((i.b << 16) | i.c)};
      break;
    case OpCode::CountYes:
      dst = (missing(a) || missing(dst)) ? kMissing : dst + (a == 1 ? decimal::kScale : 0);
      break;
    case OpCode::GroundsText: {
      std::size_t mask = 0;
      for (Slot k = 0; k < i.b; ++k) mask |= static_cast<std::size_t>(s(i.a + k) == 1) << k;
      dst = linked.ground_texts[i.c + mask];
      break;
    }
    case OpCode::Halt:
    case OpCode::Branch:
    case OpCode::Jump:
    case OpCode::RuleTest:
      break;  // control flow belongs to the machines
  }
  return {};
}

}  // namespace catengine::engine::vm_step
