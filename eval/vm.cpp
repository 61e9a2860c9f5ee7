// The register machine, one record at a time: control flow here, every other instruction
// through the shared definitions in vm_step.hpp. Values are plain int64 with kMissing as the
// only special pattern, so the common path is a compare and an arithmetic op. The evaluator's
// main loop runs batch_vm.cpp instead; this machine runs the prologue, single records
// (explanations, tests) and any code the batch machine cannot take.
#include "eval/vm.hpp"

#include "base/calendar.hpp"
#include "eval/vm_step.hpp"

namespace catengine::engine {

using vm_step::missing;

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
    case EvalFault::TermsNotCovered:
      return "counting terms from " + format_iso(detail) +
             " ran past the term calendar (the term after it is not listed, or the date is before "
             "the first term); add the local authority's published term dates to the calendar's "
             "file";
    case EvalFault::UniqueClash:
      return "two rules of a decision by unique match apply";
  }
  return "error";
}

EvalStatus run(const LinkedProgram& linked, Value* s) {
  return run(linked, linked.code, s);
}

EvalStatus run(const LinkedProgram& linked, std::span<const Instr> instructions, Value* s) {
  const Instr* code = instructions.data();
  auto slot = [s](Slot x) -> Value& { return s[x]; };
  // A plain switch: control flow here, every other instruction in the shared definitions of
  // vm_step.hpp. Per-record evaluation runs the batch machine; this one runs the prologue once
  // per run, single records and the rare fallback, where dispatch cost does not show.
  for (std::uint32_t pc = 0;;) {
    const Instr& i = code[pc];
    switch (i.op) {
      case OpCode::Halt:
        return {};
      case OpCode::Branch:
        if (missing(s[i.a])) {
          s[i.dst] = kMissing;
          pc = i.c;
        } else {
          pc = s[i.a] == 0 ? i.b : pc + 1;
        }
        break;
      case OpCode::Jump:
        pc = i.c;
        break;
      case OpCode::RuleTest:
        if (s[i.a] == 1) {
          s[i.dst] = i.b;
          ++pc;
        } else {
          pc = i.c;
        }
        break;
      default: {
        const vm_step::StepFault f = vm_step::step(linked, i, slot);
        if (f.fault != EvalFault::None) return {f.fault, pc, f.detail};
        ++pc;
      }
    }
  }
}

}  // namespace catengine::engine
