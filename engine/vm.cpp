// The register machine. One switch per instruction; values are plain int64 with kMissing as
// the only special pattern, so the common path is a compare and an arithmetic op.
#include "engine/vm.hpp"

#include <algorithm>
#include <chrono>

#include "engine/calendar.hpp"

namespace catengine::engine {

namespace {

inline bool missing(Value v) {
  return v == kMissing;
}

// The missing-value rule of arithmetic, ordering and and/or: missing in, missing out.
template <typename F>
inline Value strict(Value a, Value b, F f) {
  return (missing(a) || missing(b)) ? kMissing : static_cast<Value>(f(a, b));
}

// Day number -> calendar year, without the cost of a full conversion when not needed.
inline Value year_of(Value day) {
  return static_cast<int>(to_ymd(day).year());
}

Value lookup(const YearTable& t, Value year) {
  if (missing(year)) return kMissing;
  const Value y = year / decimal::kScale;  // years are integers, held as decimals
  if (year % decimal::kScale != 0 || y < t.first_year) return kMissing;
  const auto i = static_cast<std::size_t>(y - t.first_year);
  return i < t.values.size() ? t.values[i] : kMissing;
}

Value lookup(const DateTable& t, Value date) {
  if (missing(date)) return kMissing;
  auto it = std::upper_bound(t.entries.begin(), t.entries.end(), date,
                             [](Value d, const DateTable::Entry& e) { return d < e.from; });
  if (it == t.entries.begin()) return kMissing;
  --it;
  return date <= it->to ? it->value : kMissing;
}

}  // namespace

std::string describe(EvalFault fault, int detail) {
  switch (fault) {
    case EvalFault::None:
      return "no error";
    case EvalFault::Overflow:
      return "a number grew too large to hold exactly";
    case EvalFault::DivisionByZero:
      return "division by zero";
    case EvalFault::DateOutOfRange:
      return "a date fell outside the calendar";
    case EvalFault::CalendarNotCovered:
      return "counting working days reached " + std::to_string(detail) +
             ", a year the holiday calendar does not cover; add that year's bank holidays to the "
             "calendar";
  }
  return "error";
}

EvalStatus run(const LinkedProgram& linked, Value* s) {
  return run(linked, linked.code, s);
}

EvalStatus run(const LinkedProgram& linked, std::span<const Instr> instructions, Value* s) {
  const Program& p = *linked.program;
  const Instr* code = instructions.data();
  std::uint32_t pc = 0;
  auto fail = [&](EvalFault f) { return EvalStatus{f, pc, 0}; };
  // Threaded dispatch: each handler jumps straight to the next one through this table (a GNU
  // extension that GCC and Clang share), so the branch predictor learns each opcode's successor
  // instead of sharing one indirect jump; measured faster than the switch it replaced.
  static const void* const handlers[] = {
      &&L_Halt,
      &&L_Move,
      &&L_Add,
      &&L_Sub,
      &&L_Mul,
      &&L_Div,
      &&L_Neg,
      &&L_Eq,
      &&L_Ne,
      &&L_Lt,
      &&L_Le,
      &&L_Gt,
      &&L_Ge,
      &&L_And,
      &&L_Or,
      &&L_Not,
      &&L_IsMissing,
      &&L_IsPresent,
      &&L_InSet,
      &&L_InMask,
      &&L_Between,
      &&L_IfMissing,
      &&L_Min,
      &&L_Max,
      &&L_Select,
      &&L_Branch,
      &&L_Jump,
      &&L_RuleTest,
      &&L_ParamYear,
      &&L_ParamDate,
      &&L_RuleText,
      &&L_StartYear,
      &&L_EndYear,
      &&L_Year,
      &&L_AddDays,
      &&L_AddWeeks,
      &&L_AddMonths,
      &&L_AddWorkingDays,
      &&L_FirstWorkingDay,
      &&L_DateOf,
      &&L_EarliestOnOrAfter,
      &&L_EarlierOf,
      &&L_FirstKeyOnOrAfter,
      &&L_TermEnd,
      &&L_GoodFriday,
      &&L_GroundsText,
      &&L_CountYes,
  };
  static_assert(sizeof handlers / sizeof handlers[0] == kOpCodeCount);
  const Instr* i = code;
  Value a = s[i->a];
#define DISPATCH                                  \
  do {                                            \
    i = code + pc;                                \
    a = s[i->a];                                  \
    goto* handlers[static_cast<unsigned>(i->op)]; \
  } while (0)
#define NEXT  \
  do {        \
    ++pc;     \
    DISPATCH; \
  } while (0)
  DISPATCH;
  {
  L_Halt:
    return {};
  L_Move:
    s[i->dst] = a;
    NEXT;
  L_Add:
  L_Sub:
  L_Mul:
  L_Div : {
    const Value b = s[i->b];
    if (missing(a) || missing(b)) {
      s[i->dst] = kMissing;
      NEXT;
    }
    std::optional<Value> r;
    if (i->op == OpCode::Add) {
      r = decimal::add(a, b);
    } else if (i->op == OpCode::Sub) {
      r = decimal::sub(a, b);
    } else if (i->op == OpCode::Mul) {
      r = decimal::mul(a, b);
    } else {
      if (b == 0) return fail(EvalFault::DivisionByZero);
      r = decimal::div(a, b);
    }
    if (!r) return fail(EvalFault::Overflow);
    s[i->dst] = *r;
    NEXT;
  }
  L_Neg:
    s[i->dst] = missing(a) ? kMissing : -a;
    NEXT;
  L_Eq:
    s[i->dst] = a == s[i->b];
    NEXT;
  L_Ne:
    s[i->dst] = a != s[i->b];
    NEXT;
  // One case per operation: the shared-case form re-dispatched on the opcode inside.
  L_Lt:
    s[i->dst] = strict(a, s[i->b], [](Value x, Value y) { return x < y; });
    NEXT;
  L_Le:
    s[i->dst] = strict(a, s[i->b], [](Value x, Value y) { return x <= y; });
    NEXT;
  L_Gt:
    s[i->dst] = strict(a, s[i->b], [](Value x, Value y) { return x > y; });
    NEXT;
  L_Ge:
    s[i->dst] = strict(a, s[i->b], [](Value x, Value y) { return x >= y; });
    NEXT;
  L_And:
    s[i->dst] = strict(a, s[i->b], [](Value x, Value y) { return x != 0 && y != 0; });
    NEXT;
  L_Or:
    s[i->dst] = strict(a, s[i->b], [](Value x, Value y) { return x != 0 || y != 0; });
    NEXT;
  L_Not:
    s[i->dst] = missing(a) ? kMissing : !a;
    NEXT;
  L_IsMissing:
    s[i->dst] = missing(a);
    NEXT;
  L_IsPresent:
    s[i->dst] = !missing(a);
    NEXT;
  L_InSet : {
    const auto& set = p.sets[i->b];
    s[i->dst] = !missing(a) && std::binary_search(set.begin(), set.end(), a);
    NEXT;
  }
  L_InMask : {
    const std::uint64_t mask = (std::uint64_t{i->c} << 32) | i->b;
    s[i->dst] = a >= 0 && a < 64 && ((mask >> a) & 1) != 0;  // kMissing is negative
    NEXT;
  }
  L_Between : {
    const Value lo = s[i->b], hi = s[i->c];
    s[i->dst] = (missing(a) || missing(lo) || missing(hi)) ? kMissing : (lo <= a && a <= hi);
    NEXT;
  }
  L_IfMissing:
    s[i->dst] = missing(a) ? s[i->b] : a;
    NEXT;
  L_Min:
  L_Max : {
    const Value b = s[i->b];
    s[i->dst] = (missing(a) || missing(b))
                    ? kMissing
                    : (i->op == OpCode::Min ? std::min(a, b) : std::max(a, b));
    NEXT;
  }
  L_Select:
    s[i->dst] = missing(a) ? kMissing : a ? s[i->b] : s[i->c];
    NEXT;
  L_Branch:
    if (missing(a)) {
      s[i->dst] = kMissing;
      pc = i->c;
      DISPATCH;
    }
    if (a == 0) {
      pc = i->b;
      DISPATCH;
    }
    NEXT;
  L_Jump:
    pc = i->c;
    DISPATCH;
  L_RuleTest:
    if (a == 1) {
      s[i->dst] = i->b;
      NEXT;
    }
    pc = i->c;
    DISPATCH;
  L_ParamYear:
    s[i->dst] = lookup(p.year_params[i->b], a);
    NEXT;
  L_ParamDate:
    s[i->dst] = lookup(p.date_params[i->b], a);
    NEXT;
  L_RuleText:
    s[i->dst] = missing(a) ? kMissing : linked.rule_texts[i->b + a];
    NEXT;
  L_StartYear:
    s[i->dst] = missing(a) ? kMissing : decimal::from_integer(a);
    NEXT;
  L_EndYear:
    s[i->dst] = missing(a) ? kMissing : decimal::from_integer(a + 1);
    NEXT;
  L_Year:
    s[i->dst] = missing(a) ? kMissing : decimal::from_integer(year_of(a));
    NEXT;
  L_AddDays:
  L_AddWeeks:
  L_AddMonths : {
    const Value b = s[i->b];
    if (missing(a) || missing(b)) {
      s[i->dst] = kMissing;
      NEXT;
    }
    const Value count = b / decimal::kScale;
    const Value r = i->op == OpCode::AddDays    ? add_days(a, count)
                    : i->op == OpCode::AddWeeks ? add_weeks(a, count)
                                                : add_months(a, static_cast<int>(count));
    if (!is_representable(r)) return fail(EvalFault::DateOutOfRange);
    s[i->dst] = r;
    NEXT;
  }
  L_AddWorkingDays:
  L_FirstWorkingDay : {
    const Value b = s[i->b];
    if (missing(a) || (i->op == OpCode::AddWorkingDays && missing(b))) {
      s[i->dst] = kMissing;
      NEXT;
    }
    const auto& cal = p.calendars[i->c];
    const WorkingDayResult r = i->op == OpCode::AddWorkingDays
                                   ? add_working_days(cal, a, static_cast<int>(b / decimal::kScale))
                                   : first_working_day_on_or_after(cal, a);
    if (r.uncovered_year != 0) return {EvalFault::CalendarNotCovered, pc, r.uncovered_year};
    s[i->dst] = r.date;
    NEXT;
  }
  L_DateOf : {
    const Value m = s[i->b], d = s[i->c];
    if (missing(a) || missing(m) || missing(d)) {
      s[i->dst] = kMissing;
      NEXT;
    }
    const Value y = a / decimal::kScale, mm = m / decimal::kScale, dd = d / decimal::kScale;
    const Value r = (mm < 1 || mm > 12 || dd < 1 || dd > 31 || y < 1 || y > 9999)
                        ? kMissing
                        : date_from_ymd(static_cast<int>(y), static_cast<unsigned>(mm),
                                        static_cast<unsigned>(dd));
    if (missing(r)) return fail(EvalFault::DateOutOfRange);
    s[i->dst] = r;
    NEXT;
  }
  L_EarliestOnOrAfter : {
    const Value b = s[i->b];
    if (!missing(a) && !missing(b) && b >= a && (missing(s[i->dst]) || b < s[i->dst]))
      s[i->dst] = b;
    NEXT;
  }
  L_EarlierOf : {
    const Value b = s[i->b];
    s[i->dst] = missing(a) ? b : missing(b) ? a : std::min(a, b);
    NEXT;
  }
  L_FirstKeyOnOrAfter : {
    const auto& entries = p.date_params[i->b].entries;
    Value r = kMissing;
    if (!missing(a)) {
      auto it = std::lower_bound(entries.begin(), entries.end(), a,
                                 [](const DateTable::Entry& e, Value d) { return e.to < d; });
      if (it != entries.end()) r = std::max(it->from, a);
    }
    s[i->dst] = r;
    NEXT;
  }
  L_TermEnd:
    s[i->dst] = missing(a) ? kMissing : current_term_end(a);
    NEXT;
  L_GoodFriday : {
    const Value y = missing(a) ? 0 : a / decimal::kScale;
    const Value r = (y < 1583 || y > 9999) ? kMissing : good_friday(static_cast<int>(y));
    if (!missing(a) && missing(r)) return fail(EvalFault::DateOutOfRange);
    s[i->dst] = r;
    NEXT;
  }
  L_CountYes:
    s[i->dst] =
        (missing(a) || missing(s[i->dst])) ? kMissing : s[i->dst] + (a == 1 ? decimal::kScale : 0);
    NEXT;
  L_GroundsText : {
    std::size_t mask = 0;
    for (Slot k = 0; k < i->b; ++k) mask |= static_cast<std::size_t>(s[i->a + k] == 1) << k;
    s[i->dst] = linked.ground_texts[i->c + mask];
    NEXT;
  }
  }
#undef NEXT
#undef DISPATCH
}

}  // namespace catengine::engine
