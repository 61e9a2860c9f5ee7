// The lowered form of a checked policy: flat register code over a per-record array of slots.
// Slot layout: [fields][definitions][decision rule slots][constants][temporaries]. Every
// expression is compiled once; evaluating a record is copying its fields in and running the
// code, with no name lookups, string compares or allocation.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "base/term_calendar.hpp"
#include "base/value.hpp"

namespace catengine::engine {

using Slot = std::uint32_t;

// Every list of code ends with Halt, so the machine needs no bounds check per instruction. The
// instructions, their operands and their meaning are listed once, in compile/opcodes.def.
enum class OpCode : std::uint8_t {
#define OPCODE(name, dst, a, b, c, hoist) name,
#include "compile/opcodes.def"
#undef OPCODE
};

inline constexpr unsigned kOpCodeCount = 0
#define OPCODE(name, dst, a, b, c, hoist) +1
#include "compile/opcodes.def"
#undef OPCODE
    ;

// What an operand of an instruction is (see opcodes.def).
enum class Operand : std::uint8_t { None, Slot, Run, Target, Index };
enum class DstUse : std::uint8_t { None, Write, Update };

struct OpInfo {
  const char* name;
  DstUse dst;
  Operand a, b, c;
  bool pure;  // no effect but writing dst from its operands: hoisting may run it once
};

namespace hoist_column {  // the hoist column's words
inline constexpr bool Pure = true, Stay = false;
}  // namespace hoist_column

inline constexpr OpInfo kOpInfo[] = {
#define OPCODE(name, dst, a, b, c, hoist) \
  {#name, DstUse::dst, Operand::a, Operand::b, Operand::c, hoist_column::hoist},
#include "compile/opcodes.def"
#undef OPCODE
};
static_assert(std::size(kOpInfo) == kOpCodeCount);

constexpr const OpInfo& info(OpCode op) {
  return kOpInfo[static_cast<unsigned>(op)];
}
constexpr const char* op_name(OpCode op) {
  return info(op).name;
}

struct Instr {
  OpCode op;
  Slot dst = 0;
  Slot a = 0;
  Slot b = 0;
  Slot c = 0;
};

// A parameter keyed by year, held densely: values[year - first_year].
struct YearTable {
  std::int64_t first_year = 0;
  std::vector<Value> values;  // kMissing where the table has no entry
};

// A parameter keyed by date ranges, sorted and non-overlapping.
struct DateTable {
  struct Entry {
    Value from, to, value;
  };
  std::vector<Entry> entries;
};

// The code split by hoist() (engine/hoist.hpp). The prologue computes every record-independent
// value into its own slot once per run; the body is the code with that work taken out, run per
// record. Jump targets index their own list.
struct HoistedCode {
  std::vector<Instr> prologue;
  std::vector<Instr> body;
  std::vector<std::uint32_t> prologue_owner;  // per instruction: the definition it belongs to
  std::vector<std::uint32_t> body_owner;
};

struct Program {
  std::vector<Instr> code;
  std::vector<std::uint32_t>
      code_owner;  // per instruction: the definition it computes (for errors)
  std::size_t slot_count = 0;
  std::size_t field_count = 0;         // slots [0, field_count) are the record's fields
  std::vector<Slot> definition_slots;  // by definition index
  std::vector<Slot> rule_slots;  // by definition index; index of the rule that fired (decisions)
  std::vector<Value> constants;  // initial value of every slot (fields and temporaries: missing)
  std::vector<std::pair<Slot, std::string>> text_constants;  // slots to fill with interned text
  Slot as_of_slot = 0;                                       // the evaluation date
  std::vector<std::vector<Value>> sets;                      // for InSet, each sorted
  std::vector<YearTable> year_params;
  std::vector<DateTable> date_params;
  std::vector<std::string> rule_names;  // every decision's rule ids, decision after decision
  std::vector<Slot> output_slots;       // by output column
  // Every combination of each notice's ground ids ("", "a", "b", "a;b", ...), by bit mask.
  std::vector<std::string> ground_texts;
  std::vector<HolidayCalendar> calendars;    // by CalendarInfo index; loaded with the policy
  std::vector<TermCalendar> term_calendars;  // by term_calendars index; loaded with the policy
  // `code` with record-independent work hoisted out; used unless the prologue fails for the
  // run's as-of date, when `code` itself runs so each record reports its own error.
  HoistedCode hoisted;
};

}  // namespace catengine::engine
