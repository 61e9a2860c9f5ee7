// The evaluator's inner loop: runs a Program's code over one record's slots.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "compile/program.hpp"

namespace catengine::engine {

// A Program joined to one data set: text constants and rule ids interned into its TextPool, the
// evaluation date filled in. Built once per run; read-only while evaluating, so threads share it.
struct LinkedProgram {
  const Program* program = nullptr;
  std::vector<Value> slot_template;  // initial slots: constants filled in, everything else missing
  std::vector<Value> rule_texts;     // Program::rule_names, interned
  std::vector<Value> ground_texts;   // Program::ground_texts, interned
  // What runs per record: the hoisted body, or the whole code when the prologue failed.
  std::span<const Instr> code;
  std::span<const std::uint32_t> code_owner;
};

enum class EvalFault : std::uint8_t {
  None,
  Overflow,
  DivisionByZero,
  DateOutOfRange,
  CalendarNotCovered,
  TermsNotCovered,  // a term cadence ran past the term calendar; detail: the date it ran from
  UniqueClash       // detail: the two rules' indices, (first << 16) | second
};

struct EvalStatus {
  EvalFault fault = EvalFault::None;
  std::uint32_t pc = 0;  // the instruction that failed
  int detail = 0;        // CalendarNotCovered: the year the calendar does not cover;
                         // TermsNotCovered: the date (days since 1970-01-01) counted from;
                         // UniqueClash: the rules, (first << 16) | second
};

// Runs the whole program. `slots` starts as a copy of slot_template with the record's fields in
// [0, field_count); on return it holds every definition's value.
EvalStatus run(const LinkedProgram& linked, Value* slots);
// Runs other code over the same slots (the prologue, at link time).
EvalStatus run(const LinkedProgram& linked, std::span<const Instr> code, Value* slots);

std::string describe(EvalFault fault, int detail = 0);

}  // namespace catengine::engine
