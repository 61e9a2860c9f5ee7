// The batch machine (see batch_vm.hpp). The common instructions (comparisons, and/or, set
// membership, moves, selections, short year tables) are loops over the 64 lanes with no
// branches, computed for every lane and kept only where the lane is active; they cannot fail
// and index nothing by a lane's value, so computing an inactive lane is harmless. Addition and
// subtraction also run on every lane, and hand the lanes that would overflow to the shared
// definitions. Everything else runs lane by lane, for active lanes only, through the same
// definitions as the one-record machine (vm_step.hpp), which also report every failure.
// Where no record that skips an instruction reads its slot afterwards (writes_every_lane), the
// result is written to every lane without a blend; an instruction only a few lanes reach runs
// lane by lane.
#include "eval/batch_vm.hpp"

#include <atomic>
#include <cstring>
#include <optional>

#include "base/calendar.hpp"
#include "base/vector_clones.hpp"
#include "eval/vm_step.hpp"

namespace catengine::engine {

namespace {

using vm_step::missing;

// W lanes as one vector (a GCC and Clang extension). The machine's loop is compiled for
// AVX-512 with W = 8, for AVX2 with W = 4 and for any x86-64 with W = 2 (see run_lanes below):
// a vector wider than the target's registers is split by the compiler, and its comparisons
// and blends then become scalar code. The transposes use Lanes8 in each of their
// CATENGINE_VECTOR_CLONES.
template <unsigned W>
struct VectorOf;
template <>
struct VectorOf<8> {
  using Signed = Value __attribute__((vector_size(64)));
  using Unsigned = std::uint64_t __attribute__((vector_size(64)));
};
template <>
struct VectorOf<4> {
  using Signed = Value __attribute__((vector_size(32)));
  using Unsigned = std::uint64_t __attribute__((vector_size(32)));
};
template <>
struct VectorOf<2> {
  using Signed = Value __attribute__((vector_size(16)));
  using Unsigned = std::uint64_t __attribute__((vector_size(16)));
};
template <unsigned W>
using Lanes = typename VectorOf<W>::Signed;
template <unsigned W>
using LanesU = typename VectorOf<W>::Unsigned;
using Lanes8 = Lanes<8>;

// {1, 2, 4, ...}: lane j's bit of a mask of W lanes (through a reference: no vector crosses a
// function boundary, -Wpsabi). The helpers below are always inlined into the loop's versions,
// so that each compiles them for its own target.
template <unsigned W>
[[gnu::always_inline]] inline void set_lane_bits(Lanes<W>& bit) {
  for (unsigned j = 0; j < W; ++j) bit[j] = Value{1} << j;
}

// Year tables up to this long are looked up by comparing with every key, longer ones by
// dividing; policies' tables hold a handful of years.
constexpr std::size_t kScannedYears = 16;

// d[l] = f(l) for every lane; `d` is none of the operands f reads, so the compiler may
// vectorise without checking for overlap.
template <typename F>
[[gnu::always_inline]] inline void every_lane(Value* __restrict d, F f) {
  for (unsigned l = 0; l < kBatchLanes; ++l) d[l] = f(l);
}

// At most this many active lanes: an instruction is carried out lane by lane, a few scalar
// instructions each, rather than over all 64 lanes and a blend (a hundred or more vector
// instructions). Many instructions reach only a handful of records: a decision's answers past
// its first rules, a notice's text for the records it is issued to.
constexpr int kFewLanes = 8;

inline bool few_lanes(LaneMask active) {
  return __builtin_popcountll(active) <= kFewLanes;
}

inline unsigned lowest_lane(LaneMask m) {
  return static_cast<unsigned>(__builtin_ctzll(m));
}

// d[l] = t[l] for the active lanes, W lanes at a time. No vector crosses a function
// boundary (that would tie the code to one calling convention, -Wpsabi).
template <unsigned W>
[[gnu::always_inline]] inline void write_lanes(LaneMask active, Value* d, const Value* t) {
  if (active == kAllLanes) {
    std::memcpy(d, t, kBatchLanes * sizeof(Value));
    return;
  }
  if (few_lanes(active)) {
    for (LaneMask m = active; m != 0; m &= m - 1) d[lowest_lane(m)] = t[lowest_lane(m)];
    return;
  }
  Lanes<W> bit;
  set_lane_bits<W>(bit);
  for (unsigned k = 0; k < kBatchLanes / W; ++k) {
    const Value part = static_cast<Value>((active >> (W * k)) & ((LaneMask{1} << W) - 1));
    if (part == 0) continue;
    Lanes<W> fresh, old;
    std::memcpy(&fresh, t + W * k, sizeof fresh);
    std::memcpy(&old, d + W * k, sizeof old);
    const Lanes<W> blended = ((Lanes<W>{} + part) & bit) != 0 ? fresh : old;
    std::memcpy(d + W * k, &blended, sizeof blended);
  }
}

// d[l] = f(l) for the active lanes. `distinct`: d is none of the operands. Otherwise the
// results go through a local array first, so the loop that computes them (which the compiler
// vectorises) cannot alias the destination.
template <unsigned W, typename F>
[[gnu::always_inline]] inline void each_lane(LaneMask active, bool distinct, Value* d, F f) {
  if (active == kAllLanes && distinct) {
    every_lane(d, f);
    return;
  }
  // Lane by lane: f(l) reads only lane l of its operands, so writing d[l] before computing
  // the next lane is safe even when d is one of them.
  if (few_lanes(active)) {
    for (LaneMask m = active; m != 0; m &= m - 1) {
      const unsigned l = lowest_lane(m);
      d[l] = f(l);
    }
    return;
  }
  Value t[kBatchLanes];
  for (unsigned l = 0; l < kBatchLanes; ++l) t[l] = f(l);
  write_lanes<W>(active, d, t);
}

// The lanes holding `x`: W lanes compared at a time, each lane's answer placed at its own
// bit, then the W partial masks folded into one.
template <unsigned W>
[[gnu::always_inline]] inline LaneMask lanes_equal(const Value* a, Value x) {
  Lanes<W> bit;
  set_lane_bits<W>(bit);
  Lanes<W> bits = {};
  for (unsigned k = 0; k < kBatchLanes / W; ++k) {
    Lanes<W> v;
    std::memcpy(&v, a + W * k, sizeof v);
    bits |= (v == x) & (bit << (W * k));
  }
  LaneMask m = 0;
  for (unsigned j = 0; j < W; ++j) m |= static_cast<LaneMask>(bits[j]);
  return m;
}

// The most days a date in the calendar's range can move and stay within it.
constexpr Value kDaySpan = kLastDate - kFirstDate;

}  // namespace

bool runs_in_batches(std::span<const Instr> code) {
  if (code.empty() || code.back().op != OpCode::Halt) return false;
  for (std::size_t pc = 0; pc < code.size(); ++pc) {
    const Instr& i = code[pc];
    auto forward = [&](Slot target) { return target > pc && target < code.size(); };
    const OpInfo& op = info(i.op);
    if (op.b == Operand::Target && !forward(i.b)) return false;
    if (op.c == Operand::Target && !forward(i.c)) return false;
  }
  return true;
}

std::vector<bool> writes_every_lane(std::span<const Instr> code, std::span<const Slot> outputs,
                                    std::size_t slot_count) {
  // Slot sets as bit sets; liveness backwards in one pass, since every jump goes forward.
  const std::size_t words = (slot_count + 63) / 64;
  using Set = std::vector<std::uint64_t>;
  auto add = [](Set& s, Slot x) { s[x / 64] |= std::uint64_t{1} << (x % 64); };
  auto has = [](const Set& s, Slot x) { return (s[x / 64] >> (x % 64) & 1) != 0; };
  auto merge = [](Set& into, const Set& from) {
    for (std::size_t w = 0; w < into.size(); ++w) into[w] |= from[w];
  };
  auto jump_targets = [](const Instr& i, Slot targets[2]) {
    const OpInfo& op = info(i.op);
    unsigned n = 0;
    if (op.b == Operand::Target) targets[n++] = i.b;
    if (op.c == Operand::Target) targets[n++] = i.c;
    return n;
  };
  std::vector<Set> live_in(code.size() + 1, Set(words, 0));  // + 1: past the end, nothing
  for (std::size_t pc = code.size(); pc-- > 0;) {
    const Instr& i = code[pc];
    const OpInfo& op = info(i.op);
    Set live(words, 0);
    Slot targets[2];
    const unsigned n = jump_targets(i, targets);
    for (unsigned t = 0; t < n; ++t) merge(live, live_in[targets[t]]);
    if (i.op != OpCode::Jump && i.op != OpCode::Halt) merge(live, live_in[pc + 1]);
    // A write kills the slot's earlier value, except where only some of the lanes that reach
    // the instruction are written (a branch on a missing value, a rule that fires).
    if (op.dst == DstUse::Write && i.op != OpCode::Branch && i.op != OpCode::RuleTest)
      live[i.dst / 64] &= ~(std::uint64_t{1} << (i.dst % 64));
    if (op.dst == DstUse::Update) add(live, i.dst);
    if (op.a == Operand::Slot) add(live, i.a);
    if (op.a == Operand::Run)
      for (Slot k = 0; k < i.b; ++k) add(live, i.a + k);
    if (op.b == Operand::Slot) add(live, i.b);
    if (op.c == Operand::Slot) add(live, i.c);
    if (i.op == OpCode::Halt)
      for (const Slot s : outputs) add(live, s);
    live_in[pc] = std::move(live);
  }
  // The slots live where a jump lands, for every instruction the jump passes over.
  std::vector<Set> skipped(code.size(), Set(words, 0));
  for (std::size_t p = 0; p < code.size(); ++p) {
    Slot targets[2];
    const unsigned n = jump_targets(code[p], targets);
    for (unsigned t = 0; t < n; ++t)
      for (std::size_t pc = p + 1; pc < targets[t]; ++pc) merge(skipped[pc], live_in[targets[t]]);
  }
  std::vector<bool> every(code.size(), false);
  for (std::size_t pc = 0; pc < code.size(); ++pc) {
    const Instr& i = code[pc];
    if (info(i.op).dst != DstUse::Write || i.op == OpCode::Branch || i.op == OpCode::RuleTest)
      continue;
    every[pc] = !has(skipped[pc], i.dst) && !has(live_in[0], i.dst);
  }
  return every;
}

namespace {

// Moves an 8 × 8 block of values: from[j][k] to to[k][j]. Three rounds of two-input shuffles,
// each pairing rows at a distance of 1, 2 and 4.
[[gnu::always_inline]] inline void transpose8(const Value* const from[8], Value* const to[8]) {
  Lanes8 r[8], t[8];
  for (unsigned j = 0; j < 8; ++j) std::memcpy(&r[j], from[j], sizeof r[j]);
  for (unsigned j = 0; j < 8; j += 2) {
    t[j] = __builtin_shufflevector(r[j], r[j + 1], 0, 8, 2, 10, 4, 12, 6, 14);
    t[j + 1] = __builtin_shufflevector(r[j], r[j + 1], 1, 9, 3, 11, 5, 13, 7, 15);
  }
  for (unsigned j = 0; j < 8; j += 4) {
    for (unsigned o = 0; o < 2; ++o) {
      r[j + o] = __builtin_shufflevector(t[j + o], t[j + o + 2], 0, 1, 8, 9, 4, 5, 12, 13);
      r[j + o + 2] = __builtin_shufflevector(t[j + o], t[j + o + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    }
  }
  for (unsigned o = 0; o < 4; ++o) {
    t[o] = __builtin_shufflevector(r[o], r[o + 4], 0, 1, 2, 3, 8, 9, 10, 11);
    t[o + 4] = __builtin_shufflevector(r[o], r[o + 4], 4, 5, 6, 7, 12, 13, 14, 15);
  }
  for (unsigned k = 0; k < 8; ++k) std::memcpy(to[k], &t[k], sizeof t[k]);
}

// Moves a height × width matrix across: element (r, c), at src_row(r)[c], goes to
// dst_row(c)[r]. Blocks of 8 × 8 go through transpose8; what is left over at the edges moves
// one value at a time. Always inlined: a template instance of its own is compiled once, for
// plain x86-64, not in the callers' vector clones.
template <typename Src, typename Dst>
[[gnu::always_inline]] inline void transpose(std::size_t height, std::size_t width, Src src_row,
                                             Dst dst_row) {
  std::size_t r = 0;
  for (; r + 8 <= height; r += 8) {
    std::size_t c = 0;
    for (; c + 8 <= width; c += 8) {
      const Value* from[8];
      Value* to[8];
      for (unsigned j = 0; j < 8; ++j) from[j] = src_row(r + j) + c;
      for (unsigned k = 0; k < 8; ++k) to[k] = dst_row(c + k) + r;
      transpose8(from, to);
    }
    for (; c < width; ++c)
      for (unsigned j = 0; j < 8; ++j) dst_row(c)[r + j] = src_row(r + j)[c];
  }
  for (; r < height; ++r)
    for (std::size_t c = 0; c < width; ++c) dst_row(c)[r] = src_row(r)[c];
}

// Records (rows of the bound table) into the machine's columns, and output columns back out
// as rows of results.
CATENGINE_VECTOR_CLONES
void rows_to_lanes(const Value* rows, std::size_t stride, std::size_t width, unsigned count,
                   Value* const* columns) {
  transpose(
      count, width, [&](std::size_t l) { return rows + l * stride; },
      [&](std::size_t f) { return columns[f]; });
}

CATENGINE_VECTOR_CLONES
void lanes_to_rows(const Value* const* columns, std::size_t width, unsigned count, Value* rows,
                   std::size_t stride) {
  transpose(
      width, count, [&](std::size_t f) { return columns[f]; },
      [&](std::size_t l) { return rows + l * stride; });
}

}  // namespace

BatchMachine::BatchMachine(const LinkedProgram& linked)
    : linked_(linked), reach_(linked.code.size() + 1), write_all_(linked.code.size(), 0) {
  const std::vector<bool> every =
      writes_every_lane(linked.code, linked.program->output_slots, linked.slot_template.size());
  for (std::size_t pc = 0; pc < every.size(); ++pc)
    if (every[pc]) write_all_[pc] = kAllLanes;
  const auto& initial = linked.slot_template;
  slots_.resize(initial.size() * kBatchLanes);
  for (std::size_t x = 0; x < initial.size(); ++x)
    std::fill_n(slots_.data() + x * kBatchLanes, kBatchLanes, initial[x]);
  for (std::size_t f = 0; f < linked.program->field_count; ++f)
    field_columns_.push_back(slots_.data() + f * kBatchLanes);
  for (const Slot s : linked.program->output_slots)
    output_columns_.push_back(slots_.data() + std::size_t{s} * kBatchLanes);
}

void BatchMachine::load(const Value* rows, std::size_t stride, unsigned count) {
  rows_to_lanes(rows, stride, field_columns_.size(), count, field_columns_.data());
}

void BatchMachine::store(Value* rows, std::size_t stride, unsigned count) const {
  lanes_to_rows(output_columns_.data(), output_columns_.size(), count, rows, stride);
}

namespace {

// The machine's loop, W lanes to a vector; compiled three times below.
template <unsigned W>
[[gnu::always_inline]] inline void run_lanes(const LinkedProgram& linked, const LaneMask* write_all,
                                             Value* slots, LaneMask* reach, EvalStatus* status,
                                             LaneMask lanes) {
  const std::span<const Instr> code = linked.code;
  std::fill_n(reach, code.size() + 1, LaneMask{0});
  reach[0] = lanes;
  for (unsigned l = 0; l < kBatchLanes; ++l) status[l] = {};
  auto column = [slots](Slot x) { return slots + std::size_t{x} * kBatchLanes; };
  LaneMask alive = lanes;  // lanes that have not failed
  for (std::uint32_t pc = 0; pc < code.size(); ++pc) {
    const LaneMask active = reach[pc] & alive;
    if (active == 0) continue;
    const Instr& i = code[pc];
    // a and dst are always slots; b and c are slots only for some instructions (elsewhere
    // they are jump targets, rule numbers or mask bits), so they are found where used.
    const Value* a = column(i.a);
    Value* d = column(i.dst);
    const bool distinct = i.dst != i.a && i.dst != i.b && i.dst != i.c;
    // The lanes the result is written to: every lane where no record that skips this
    // instruction reads the slot's old value (writes_every_lane), which saves the blend.
    const LaneMask written = active | write_all[pc];
    // Lane by lane through the shared definitions; a lane that fails stops here.
    auto step_lanes = [&](LaneMask lanes_to_step) {
      for (LaneMask m = lanes_to_step; m != 0; m &= m - 1) {
        const unsigned l = lowest_lane(m);
        const vm_step::StepFault f = vm_step::step(
            linked, i, [&](Slot x) -> Value& { return slots[std::size_t{x} * kBatchLanes + l]; });
        if (f.fault != EvalFault::None) {
          status[l] = {f.fault, pc, f.detail};
          alive &= ~(LaneMask{1} << l);
        }
      }
    };
    // The date instructions, lane by lane (the division by the decimal scale does not
    // vectorise): missing where either operand is, `date_of(date, count)` where it gives a date
    // on the calendar, and vm_step, which reports the date out of range, for any other lane.
    auto date_lanes = [&](auto date_of) {
      const Value* b = column(i.b);
      LaneMask slow = 0;
      for (LaneMask m = active; m != 0; m &= m - 1) {
        const unsigned l = lowest_lane(m);
        if (missing(a[l]) || missing(b[l])) {
          d[l] = kMissing;
        } else if (const std::optional<Value> r = date_of(a[l], b[l] / decimal::kScale)) {
          d[l] = *r;
        } else {
          slow |= LaneMask{1} << l;
        }
      }
      if (slow != 0) step_lanes(slow);
    };
    switch (i.op) {
      case OpCode::Halt:
        continue;
      case OpCode::Jump:
        reach[i.c] |= active;
        continue;
      case OpCode::Branch: {
        const LaneMask unknown = active & lanes_equal<W>(a, kMissing);
        const LaneMask no = active & lanes_equal<W>(a, 0);
        if (unknown != 0) each_lane<W>(unknown, true, d, [](unsigned) { return kMissing; });
        reach[i.c] |= unknown;
        reach[i.b] |= no;
        reach[pc + 1] |= active & ~unknown & ~no;
        continue;
      }
      case OpCode::RuleTest: {
        const LaneMask fired = active & lanes_equal<W>(a, 1);
        if (fired != 0) each_lane<W>(fired, true, d, [&](unsigned) { return Value{i.b}; });
        reach[pc + 1] |= fired;
        reach[i.c] |= active & ~fired;
        continue;
      }
      case OpCode::Move:
        each_lane<W>(written, distinct, d, [&](unsigned l) { return a[l]; });
        break;
      case OpCode::Eq: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) { return Value{a[l] == b[l]}; });
        break;
      }
      case OpCode::Ne: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) { return Value{a[l] != b[l]}; });
        break;
      }
      case OpCode::Lt: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x < y; });
        });
        break;
      }
      case OpCode::Le: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x <= y; });
        });
        break;
      }
      case OpCode::Gt: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x > y; });
        });
        break;
      }
      case OpCode::Ge: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x >= y; });
        });
        break;
      }
      case OpCode::And: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x != 0 && y != 0; });
        });
        break;
      }
      case OpCode::Or: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x != 0 || y != 0; });
        });
        break;
      }
      case OpCode::Not:
        each_lane<W>(written, distinct, d,
                     [&](unsigned l) { return missing(a[l]) ? kMissing : Value{a[l] == 0}; });
        break;
      case OpCode::IsMissing:
        each_lane<W>(written, distinct, d, [&](unsigned l) { return Value{missing(a[l])}; });
        break;
      case OpCode::IsPresent:
        each_lane<W>(written, distinct, d, [&](unsigned l) { return Value{!missing(a[l])}; });
        break;
      case OpCode::InMask: {
        // Eight lanes at a time, each shifting the member mask by its own value (written with
        // vectors: the compiler does not vectorise a shift by a per-lane amount on its own).
        // Members are 0 to 63; kMissing, being negative, is far above 63 unsigned.
        const std::uint64_t mask = (std::uint64_t{i.c} << 32) | i.b;
        Value t[kBatchLanes];
        for (unsigned k = 0; k < kBatchLanes / W; ++k) {
          LanesU<W> v;
          std::memcpy(&v, a + W * k, sizeof v);
          const LanesU<W> member = ((LanesU<W>{} + mask) >> (v & 63)) & (LanesU<W>)(v < 64) & 1;
          std::memcpy(t + W * k, &member, sizeof member);
        }
        write_lanes<W>(written, d, t);
        break;
      }
      case OpCode::Between: {
        const Value *b = column(i.b), *c = column(i.c);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          const Value v = a[l], lo = b[l], hi = c[l];
          return (missing(v) || missing(lo) || missing(hi)) ? kMissing : Value{lo <= v && v <= hi};
        });
        break;
      }
      case OpCode::IfMissing: {
        const Value* b = column(i.b);
        each_lane<W>(written, distinct, d, [&](unsigned l) { return missing(a[l]) ? b[l] : a[l]; });
        break;
      }
      case OpCode::Select: {
        const Value *b = column(i.b), *c = column(i.c);
        each_lane<W>(written, distinct, d, [&](unsigned l) {
          return missing(a[l]) ? kMissing : a[l] != 0 ? b[l] : c[l];
        });
        break;
      }
      case OpCode::ParamYear: {
        const YearTable& table = linked.program->year_params[i.b];
        // Few lanes, or a long table: lane by lane.
        if (table.values.size() > kScannedYears ||
            static_cast<unsigned>(__builtin_popcountll(active)) * 2 < table.values.size() * 8) {
          for (LaneMask m = active; m != 0; m &= m - 1) {
            const unsigned l = lowest_lane(m);
            d[l] = vm_step::lookup(table, a[l]);
          }
          break;
        }
        // A short table: each lane compared with every year's key (the year as a decimal),
        // which needs no division and vectorises. A lane matching no key, including a
        // fractional or missing year, gets missing, as lookup() gives.
        Value t[kBatchLanes];
        std::fill_n(t, kBatchLanes, kMissing);
        for (std::size_t y = 0; y < table.values.size(); ++y) {
          const Value key = decimal::from_integer(table.first_year + static_cast<Value>(y));
          const Value value = table.values[y];
          for (unsigned l = 0; l < kBatchLanes; ++l) t[l] = a[l] == key ? value : t[l];
        }
        write_lanes<W>(written, d, t);
        break;
      }
      case OpCode::Add:
      case OpCode::Sub: {
        // Wrapping arithmetic on every lane, with the lanes whose exact result would not fit
        // (or would be the missing pattern) left to vm_step, which reports the overflow.
        const Value* b = column(i.b);
        const bool add = i.op == OpCode::Add;
        Value t[kBatchLanes], overflowed[kBatchLanes];
        for (unsigned l = 0; l < kBatchLanes; ++l) {
          const auto x = static_cast<std::uint64_t>(a[l]), y = static_cast<std::uint64_t>(b[l]);
          const std::uint64_t r = add ? x + y : x - y;
          const std::uint64_t sign = add ? ((x ^ r) & (y ^ r)) : ((x ^ y) & (x ^ r));
          const bool unknown = missing(a[l]) || missing(b[l]);
          t[l] = unknown ? kMissing : static_cast<Value>(r);
          overflowed[l] = !unknown && ((sign >> 63) != 0 || missing(static_cast<Value>(r)));
        }
        const LaneMask slow = active & lanes_equal<W>(overflowed, 1);
        write_lanes<W>(active & ~slow, d, t);
        if (slow != 0) step_lanes(slow);
        break;
      }
      case OpCode::AddDays:
      case OpCode::AddWeeks: {
        // Inline while the date and the result lie well inside the calendar.
        const Value per = i.op == OpCode::AddWeeks ? 7 : 1;
        date_lanes([per](Value date, Value count) -> std::optional<Value> {
          if (date < kFirstDate || date > kLastDate || count < -kDaySpan || count > kDaySpan)
            return std::nullopt;
          const Value r = date + count * per;
          if (r < kFirstDate || r > kLastDate) return std::nullopt;
          return r;
        });
        break;
      }
      case OpCode::AddMonths:
        // Through the same add_months as vm_step (a table lookup for the dates policies use,
        // base/civil_date.hpp), without a call of step() for each lane.
        date_lanes([](Value date, Value count) -> std::optional<Value> {
          const Value r = add_months(date, static_cast<int>(count));
          if (!is_representable(r)) return std::nullopt;
          return r;
        });
        break;
      case OpCode::GroundsText: {
        // Each lane's mask of the grounds that hold, built a ground at a time over all lanes,
        // then the text for it; every mask indexes the notice's 2^b texts, so computing an
        // inactive lane is harmless.
        Value mask[kBatchLanes] = {};
        for (Slot k = 0; k < i.b; ++k) {
          const Value* ground = column(i.a + k);
          for (unsigned l = 0; l < kBatchLanes; ++l) mask[l] |= Value{ground[l] == 1} << k;
        }
        Value t[kBatchLanes];
        for (unsigned l = 0; l < kBatchLanes; ++l)
          t[l] = linked.ground_texts[i.c + static_cast<std::size_t>(mask[l])];
        write_lanes<W>(written, d, t);
        break;
      }
      case OpCode::ParamDate: {
        const DateTable& table = linked.program->date_params[i.b];
        for (LaneMask m = active; m != 0; m &= m - 1) {
          const unsigned l = lowest_lane(m);
          d[l] = vm_step::lookup(table, a[l]);
        }
        break;
      }
      case OpCode::RuleText:
        for (LaneMask m = active; m != 0; m &= m - 1) {
          const unsigned l = lowest_lane(m);
          d[l] = missing(a[l]) ? kMissing : linked.rule_texts[i.b + a[l]];
        }
        break;
      default:
        step_lanes(active);
        break;
    }
    reach[pc + 1] |= active;
  }
}

using RunLanes = void (*)(const LinkedProgram&, const LaneMask*, Value*, LaneMask*, EvalStatus*,
                          LaneMask);

#if defined(__x86_64__)
// The loop for AVX-512, AVX2 and any x86-64, each with vectors as wide as its registers,
// chosen once by what the processor has.
__attribute__((target("avx512f"))) void run_lanes_avx512(const LinkedProgram& linked,
                                                         const LaneMask* write_all, Value* slots,
                                                         LaneMask* reach, EvalStatus* status,
                                                         LaneMask lanes) {
  run_lanes<8>(linked, write_all, slots, reach, status, lanes);
}
__attribute__((target("avx2"))) void run_lanes_avx2(const LinkedProgram& linked,
                                                    const LaneMask* write_all, Value* slots,
                                                    LaneMask* reach, EvalStatus* status,
                                                    LaneMask lanes) {
  run_lanes<4>(linked, write_all, slots, reach, status, lanes);
}
void run_lanes_plain(const LinkedProgram& linked, const LaneMask* write_all, Value* slots,
                     LaneMask* reach, EvalStatus* status, LaneMask lanes) {
  run_lanes<2>(linked, write_all, slots, reach, status, lanes);
}
RunLanes run_lanes_for(unsigned lanes) {
  __builtin_cpu_init();
  const bool avx512 = __builtin_cpu_supports("avx512f"), avx2 = __builtin_cpu_supports("avx2");
  switch (lanes) {
    case 0:
      return avx512 ? run_lanes_avx512 : avx2 ? run_lanes_avx2 : run_lanes_plain;
    case 8:
      return avx512 ? run_lanes_avx512 : nullptr;
    case 4:
      return avx2 ? run_lanes_avx2 : nullptr;
    case 2:
      return run_lanes_plain;
    default:
      return nullptr;
  }
}
#else
RunLanes run_lanes_for(unsigned lanes) {
  return lanes == 0 || lanes == 8 ? run_lanes<8> : nullptr;
}
#endif

// The loop in use: chosen when the first batch runs, or by use_vector_width.
std::atomic<RunLanes> chosen_run_lanes{nullptr};

}  // namespace

bool use_vector_width(unsigned lanes) {
  const RunLanes f = run_lanes_for(lanes);
  if (f != nullptr) chosen_run_lanes.store(f, std::memory_order_relaxed);
  return f != nullptr;
}

void BatchMachine::run(LaneMask lanes) {
  RunLanes f = chosen_run_lanes.load(std::memory_order_relaxed);
  if (f == nullptr) {
    f = run_lanes_for(0);
    chosen_run_lanes.store(f, std::memory_order_relaxed);
  }
  f(linked_, write_all_.data(), slots_.data(), reach_.data(), status_, lanes);
}

}  // namespace catengine::engine
