// The lowered form of a checked policy: flat register code over a per-record array of slots.
// Slot layout: [fields][definitions][decision rule slots][constants][temporaries]. Every
// expression is compiled once; evaluating a record is copying its fields in and running the
// code, with no name lookups, string compares or allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/calendar.hpp"
#include "base/value.hpp"

namespace catengine::engine {

using Slot = std::uint32_t;

// Every list of code ends with Halt, so the machine needs no bounds check per instruction.
enum class OpCode : std::uint8_t {
  Halt,  // stop: the record is done
  Move,  // s[dst] = s[a]
  Add,   // s[dst] = s[a] + s[b]   (missing if either is missing; error on overflow)
  Sub,
  Mul,
  Div,  // error on division by zero
  Neg,  // s[dst] = -s[a]
  Eq,   // s[dst] = s[a] == s[b]  (total: missing equals only missing)
  Ne,
  Lt,  // s[dst] = s[a] < s[b]   (missing if either is missing)
  Le,
  Gt,
  Ge,
  And,  // missing if either is missing
  Or,
  Not,
  IsMissing,  // s[dst] = s[a] is missing
  IsPresent,
  InSet,      // s[dst] = s[a] in sets[b]   (total)
  InMask,     // s[dst] = s[a] in the set with bit mask c:b (members 0-63; enumerations)
  Between,    // s[dst] = s[b] <= s[a] <= s[c]
  IfMissing,  // s[dst] = s[a] missing ? s[b] : s[a]
  Min,        // s[dst] = min(s[a], s[b])   (missing if either is missing)
  Max,
  Select,     // s[dst] = s[a] missing ? missing : s[a] ? s[b] : s[c]   (`if` over two names)
  Branch,     // s[a] missing: s[dst] = missing, jump c;  s[a] == 0: jump b;  else next
  Jump,       // jump c   (a is slot 0, read and ignored)
  RuleTest,   // s[a] true: s[dst] = b (rule index), next;  else jump c
  ParamYear,  // s[dst] = year_params[b] at year s[a]
  ParamDate,  // s[dst] = date_params[b] at date s[a]
  RuleText,   // s[dst] = rule_texts[b + s[a]]   (missing if s[a] is missing)
  StartYear,  // academic year -> its first calendar year
  EndYear,    // academic year -> its second calendar year
  Year,       // date -> calendar year
  AddDays,    // s[dst] = s[a] + s[b] days
  AddWeeks,
  AddMonths,          // day clamped to the month's end
  AddWorkingDays,     // s[dst] = the s[b]-th working day after s[a], in calendars[c]
  FirstWorkingDay,    // s[dst] = the first working day on or after s[a], in calendars[c]
  DateOf,             // s[dst] = the date year s[a], month s[b], day s[c] (error if no such day)
  EarliestOnOrAfter,  // if s[b] >= s[a] and (s[dst] missing or s[b] < s[dst]): s[dst] = s[b]
  EarlierOf,          // s[dst] = the earlier of s[a] and s[b], ignoring a missing one
  FirstKeyOnOrAfter,  // s[dst] = the first date of date_params[b] on or after s[a]
  TermEnd,            // s[dst] = the end of the term s[a] falls in
  GoodFriday,         // s[dst] = Good Friday of year s[a]
  GroundsText,        // s[dst] = ground_texts[c + mask], mask bit i = s[a + i], for i < b
  CountYes,           // s[dst] += 1 when s[a] is yes (missing if either is missing)
};

// Keep in step with OpCode and with the handler table in vm.cpp, which lists them in this order.
inline constexpr unsigned kOpCodeCount = 47;

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
  std::vector<HolidayCalendar> calendars;  // by CalendarInfo index; loaded with the policy
  // `code` with record-independent work hoisted out; used unless the prologue fails for the
  // run's as-of date, when `code` itself runs so each record reports its own error.
  HoistedCode hoisted;
};

}  // namespace catengine::engine
