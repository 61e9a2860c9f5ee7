// Two passes over the lowered code, one definition (one contiguous range of code) at a time:
//   1. a definition whose code reads nothing but constants, the as-of date and other such
//      definitions moves to the prologue whole;
//   2. in the rest, each side-effect-free instruction whose operands are all record-independent
//      computes into a fresh slot in the prologue, and the body reads that slot instead.
// A slot counts as record-independent when no instruction writes it (constants, the as-of date)
// or when a hoisted computation produced it. The prologue is run at link time; if it fails
// (a working-day count past the calendar, say) the unhoisted code is used, so errors are
// reported per record exactly as before.
#include "compile/hoist.hpp"

#include <algorithm>

namespace catengine::engine {

namespace {

// The slots an instruction reads, as opcodes.def describes its operands. `scratch` holds them;
// the span points into it.
std::span<const Slot> reads(const Instr& i, std::vector<Slot>& scratch) {
  const OpInfo& op = info(i.op);
  scratch.clear();
  if (op.a == Operand::Slot) scratch.push_back(i.a);
  if (op.a == Operand::Run) {
    for (Slot k = 0; k < i.b; ++k) scratch.push_back(i.a + k);
  }
  if (op.b == Operand::Slot) scratch.push_back(i.b);
  if (op.c == Operand::Slot) scratch.push_back(i.c);
  if (op.dst == DstUse::Update) scratch.push_back(i.dst);  // also read what is there already
  return scratch;
}

bool writes(const Instr& i) {
  return info(i.op).dst != DstUse::None;
}

// Makes `i` read slot `to` where it read `from`.
void set_operand(Instr& i, Slot from, Slot to) {
  const OpInfo& op = info(i.op);
  if (i.a == from) i.a = to;
  if (op.b == Operand::Slot && i.b == from) i.b = to;
  if (op.c == Operand::Slot && i.c == from) i.c = to;
}

// Where an old jump target lands in a list that kept `kept[k]` (old indexes, ascending): the
// first kept instruction at or after it.
Slot retarget(const std::vector<std::uint32_t>& kept, Slot old_target) {
  return static_cast<Slot>(std::lower_bound(kept.begin(), kept.end(), old_target) - kept.begin());
}

}  // namespace

void hoist(Program& p) {
  const std::size_t n = p.code.size() - 1;  // the last instruction is Halt
  std::vector<char> written(p.slot_count, 0);
  for (const auto& i : p.code) {
    if (writes(i)) written[i.dst] = 1;
  }
  std::vector<char> is_definition(p.slot_count, 0);
  for (Slot s : p.definition_slots) is_definition[s] = 1;
  for (Slot s : p.rule_slots) {
    if (s != 0) is_definition[s] = 1;
  }
  std::vector<char> is_output(p.slot_count, 0);
  for (Slot s : p.output_slots) is_output[s] = 1;

  // Record-independent slots: never written and not a field.
  std::vector<char> fixed(p.slot_count, 0);
  for (std::size_t s = p.field_count; s < p.slot_count; ++s) fixed[s] = !written[s];

  HoistedCode h;
  std::vector<std::uint32_t> prologue_from, body_from;  // old index of each kept instruction
  std::vector<Slot> scratch;
  std::size_t next_slot = p.slot_count;

  std::size_t begin = 0;
  while (begin < n) {
    std::size_t end = begin;
    while (end < n && p.code_owner[end] == p.code_owner[begin]) ++end;
    const std::uint32_t owner = p.code_owner[begin];

    // How often the range writes each slot: pass 1 asks whether at all, pass 2 whether once.
    std::vector<int> writes_in_range(p.slot_count, 0);
    for (std::size_t k = begin; k < end; ++k) {
      if (writes(p.code[k])) ++writes_in_range[p.code[k].dst];
    }

    // Pass 1: the whole definition, when it reads only fixed slots and its own writes.
    const bool is_definition_range = owner < p.definition_slots.size();
    bool whole = is_definition_range;
    for (std::size_t k = begin; k < end && whole; ++k) {
      for (Slot s : reads(p.code[k], scratch))
        whole = whole && (fixed[s] || writes_in_range[s] > 0);
    }
    if (whole) {
      for (std::size_t k = begin; k < end; ++k) {
        h.prologue.push_back(p.code[k]);
        h.prologue_owner.push_back(owner);
        prologue_from.push_back(static_cast<std::uint32_t>(k));
        // Its value and rule are now the same for every record; its temporaries are not, as
        // other definitions reuse them.
        if (writes(p.code[k]) && is_definition[p.code[k].dst]) fixed[p.code[k].dst] = 1;
      }
      begin = end;
      continue;
    }

    // Pass 2: single instructions. A temporary written once in this range that a hoisted
    // instruction computes is replaced by the hoisted slot wherever the range reads it.
    std::vector<std::pair<Slot, Slot>> alias;  // temporary -> hoisted slot, for this range
    for (std::size_t k = begin; k < end; ++k) {
      Instr ins = p.code[k];
      for (const auto& [from, to] : alias) set_operand(ins, from, to);
      bool hoistable = info(ins.op).pure;
      for (Slot s : reads(ins, scratch)) {
        hoistable = hoistable && s < fixed.size() && fixed[s];
      }
      if (!hoistable) {
        h.body.push_back(ins);
        h.body_owner.push_back(owner);
        body_from.push_back(static_cast<std::uint32_t>(k));
        continue;
      }
      const Slot dst = ins.dst;
      const auto fresh = static_cast<Slot>(next_slot++);
      fixed.push_back(1);
      ins.dst = fresh;
      h.prologue.push_back(ins);
      h.prologue_owner.push_back(owner);
      prologue_from.push_back(static_cast<std::uint32_t>(k));
      const bool temporary = !is_definition[dst] && !is_output[dst];
      if (temporary && writes_in_range[dst] == 1) {
        alias.emplace_back(dst, fresh);  // every read in the range now reads `fresh`
        continue;
      }
      h.body.push_back({OpCode::Move, dst, fresh, 0, 0});
      h.body_owner.push_back(owner);
      body_from.push_back(static_cast<std::uint32_t>(k));
    }
    begin = end;
  }

  h.prologue.push_back({OpCode::Halt});
  h.prologue_owner.push_back(p.code_owner.back());
  h.body.push_back({OpCode::Halt});
  h.body_owner.push_back(p.code_owner.back());

  // Jumps: within the prologue they stay inside one whole definition; in the body they land on
  // the first instruction kept at or after their old target.
  for (auto& i : h.prologue) {
    if (info(i.op).b == Operand::Target) i.b = retarget(prologue_from, i.b);
    if (info(i.op).c == Operand::Target) i.c = retarget(prologue_from, i.c);
  }
  for (auto& i : h.body) {
    if (info(i.op).b == Operand::Target) i.b = retarget(body_from, i.b);
    if (info(i.op).c == Operand::Target) i.c = retarget(body_from, i.c);
  }
  p.slot_count = next_slot;
  p.constants.resize(next_slot, kMissing);
  p.hoisted = std::move(h);
}

}  // namespace catengine::engine
