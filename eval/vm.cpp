// The register machine, one record at a time: the hot instructions handled inline, the rest
// through the shared definitions in vm_step.hpp. Values are plain int64 with kMissing as the
// only special pattern, so the common path is a compare and an arithmetic op. The evaluator's
// main loop runs batch_vm.cpp instead; this machine runs the prologue, single records
// (explanations, tests) and any code the batch machine cannot take.
#include "eval/vm.hpp"

#include "base/calendar.hpp"
#include "eval/vm_step.hpp"

namespace catengine::engine {

using vm_step::lookup;
using vm_step::missing;
using vm_step::strict;

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
  // Threaded dispatch: each handler jumps straight to the next one through this table (a GNU
  // extension that GCC and Clang share), so the branch predictor learns each opcode's successor
  // instead of sharing one indirect jump; measured faster than the switch it replaced.
  // The table follows opcodes.def: instructions marked Fast have a handler below, the rest
  // go through L_Step.
#define CATENGINE_HANDLER_Fast(name) &&L_##name,
#define CATENGINE_HANDLER_Step(name) &&L_Step,
#define OPCODE(name, dst, a, b, c, hoist, vm) CATENGINE_HANDLER_##vm(name)
  static const void* const handlers[] = {
#include "compile/opcodes.def"
  };
#undef OPCODE
#undef CATENGINE_HANDLER_Step
#undef CATENGINE_HANDLER_Fast
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
  L_Step : {
    // Everything else: rarer or heavier work, in the shared definitions of engine/vm_step.hpp.
    const vm_step::StepFault f = vm_step::step(linked, *i, [s](Slot x) -> Value& { return s[x]; });
    if (f.fault != EvalFault::None) return {f.fault, pc, f.detail};
    NEXT;
  }
  }
#undef NEXT
#undef DISPATCH
}

}  // namespace catengine::engine
