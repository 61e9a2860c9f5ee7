// The batch machine (see batch_vm.hpp). The common instructions (comparisons, and/or, set
// membership, moves and selections) are loops over the 64 lanes with no branches, computed for
// every lane and kept only where the lane is active; they cannot fail and read no tables, so
// computing an inactive lane is harmless. Everything else runs lane by lane, for active lanes
// only, through the same definitions as the one-record machine (vm_step.hpp).
#include "engine/batch_vm.hpp"

#include <cstring>

#include "engine/vm_step.hpp"

// Function multi-versioning (an ifunc chosen when the program loads) on x86-64; not under
// AddressSanitizer, whose start-up the loader's early call would precede.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CATENGINE_NO_CLONES
#endif
#endif
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(CATENGINE_NO_CLONES)
#define CATENGINE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CATENGINE_VECTOR_CLONES
#endif

namespace catengine::engine {

namespace {

using vm_step::missing;

// Eight lanes as one vector (a GCC and Clang extension): the code below compiles to plain
// 64-bit operations anywhere, and to AVX2 or AVX-512 in the clones of run_lanes.
using Lanes8 = Value __attribute__((vector_size(8 * sizeof(Value))));

// d[l] = f(l) for the active lanes. The results go through a local array first, so the loop
// that computes them (which the compiler vectorises) cannot alias the destination, which may
// also be an operand.
template <typename F>
inline void each_lane(LaneMask active, Value* d, F f) {
  Value t[kBatchLanes];
  for (unsigned l = 0; l < kBatchLanes; ++l) t[l] = f(l);
  if (active == kAllLanes) {
    std::memcpy(d, t, sizeof t);
    return;
  }
  // Blended eight lanes at a time; no vector crosses a function boundary (that would tie the
  // code to one calling convention, -Wpsabi).
  const Lanes8 bit = {1, 2, 4, 8, 16, 32, 64, 128};
  for (unsigned k = 0; k < kBatchLanes / 8; ++k) {
    const Value byte = static_cast<Value>((active >> (8 * k)) & 0xff);
    if (byte == 0) continue;
    const Lanes8 keep = ((Lanes8{} + byte) & bit) != 0;  // all ones in the lanes to write
    Lanes8 fresh, old;
    std::memcpy(&fresh, t + 8 * k, sizeof fresh);
    std::memcpy(&old, d + 8 * k, sizeof old);
    const Lanes8 blended = (fresh & keep) | (old & ~keep);
    std::memcpy(d + 8 * k, &blended, sizeof blended);
  }
}

// The lanes holding `x`: eight lanes compared at a time, each lane's answer placed at its own
// bit, then the eight partial masks folded into one.
inline LaneMask lanes_equal(const Value* a, Value x) {
  const Lanes8 bit = {1, 2, 4, 8, 16, 32, 64, 128};
  Lanes8 bits = {};
  for (unsigned k = 0; k < kBatchLanes / 8; ++k) {
    Lanes8 v;
    std::memcpy(&v, a + 8 * k, sizeof v);
    bits |= (v == x) & (bit << (8 * k));
  }
  bits |= __builtin_shufflevector(bits, bits, 4, 5, 6, 7, 0, 1, 2, 3);
  bits |= __builtin_shufflevector(bits, bits, 2, 3, 0, 1, 6, 7, 4, 5);
  bits |= __builtin_shufflevector(bits, bits, 1, 0, 3, 2, 5, 4, 7, 6);
  return static_cast<LaneMask>(bits[0]);
}

inline unsigned lowest_lane(LaneMask m) {
  return static_cast<unsigned>(__builtin_ctzll(m));
}

}  // namespace

bool runs_in_batches(std::span<const Instr> code) {
  if (code.empty() || code.back().op != OpCode::Halt) return false;
  for (std::size_t pc = 0; pc < code.size(); ++pc) {
    const Instr& i = code[pc];
    auto forward = [&](Slot target) { return target > pc && target < code.size(); };
    switch (i.op) {
      case OpCode::Branch:
        if (!forward(i.b) || !forward(i.c)) return false;
        break;
      case OpCode::Jump:
      case OpCode::RuleTest:
        if (!forward(i.c)) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

namespace {

// Record by record: each row is read in order and its fields go to their columns.
void load_lanes(Value* slots, std::size_t fields, const Value* rows, std::size_t stride,
                unsigned count) {
  for (unsigned l = 0; l < count; ++l) {
    const Value* row = rows + l * stride;
    for (std::size_t f = 0; f < fields; ++f) slots[f * kColumnStride + l] = row[f];
  }
}

}  // namespace

BatchMachine::BatchMachine(const LinkedProgram& linked)
    : linked_(linked), reach_(linked.code.size() + 1) {
  const auto& initial = linked.slot_template;
  slots_.resize(initial.size() * kColumnStride);
  for (std::size_t x = 0; x < initial.size(); ++x)
    std::fill_n(slots_.data() + x * kColumnStride, kColumnStride, initial[x]);
}

void BatchMachine::load(const Value* rows, std::size_t stride, unsigned count) {
  load_lanes(slots_.data(), linked_.program->field_count, rows, stride, count);
}

namespace {

// The machine's loop, compiled three times: for AVX-512, for AVX2 and for any x86-64 (or for
// the target alone elsewhere); the loader picks the best the processor has.
CATENGINE_VECTOR_CLONES
void run_lanes(const LinkedProgram& linked, Value* slots, LaneMask* reach, EvalStatus* status,
               LaneMask lanes) {
  const std::span<const Instr> code = linked.code;
  std::fill_n(reach, code.size() + 1, LaneMask{0});
  reach[0] = lanes;
  for (unsigned l = 0; l < kBatchLanes; ++l) status[l] = {};
  auto column = [slots](Slot x) { return slots + std::size_t{x} * kColumnStride; };
  LaneMask alive = lanes;  // lanes that have not failed
  for (std::uint32_t pc = 0; pc < code.size(); ++pc) {
    const LaneMask active = reach[pc] & alive;
    if (active == 0) continue;
    const Instr& i = code[pc];
    // a and dst are always slots; b and c are slots only for some instructions (elsewhere
    // they are jump targets, rule numbers or mask bits), so they are found where used.
    const Value* a = column(i.a);
    Value* d = column(i.dst);
    switch (i.op) {
      case OpCode::Halt:
        continue;
      case OpCode::Jump:
        reach[i.c] |= active;
        continue;
      case OpCode::Branch: {
        const LaneMask unknown = active & lanes_equal(a, kMissing);
        const LaneMask no = active & lanes_equal(a, 0);
        if (unknown != 0) each_lane(unknown, d, [](unsigned) { return kMissing; });
        reach[i.c] |= unknown;
        reach[i.b] |= no;
        reach[pc + 1] |= active & ~unknown & ~no;
        continue;
      }
      case OpCode::RuleTest: {
        const LaneMask fired = active & lanes_equal(a, 1);
        if (fired != 0) each_lane(fired, d, [&](unsigned) { return Value{i.b}; });
        reach[pc + 1] |= fired;
        reach[i.c] |= active & ~fired;
        continue;
      }
      case OpCode::Move:
        each_lane(active, d, [&](unsigned l) { return a[l]; });
        break;
      case OpCode::Eq: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) { return Value{a[l] == b[l]}; });
        break;
      }
      case OpCode::Ne: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) { return Value{a[l] != b[l]}; });
        break;
      }
      case OpCode::Lt: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x < y; });
        });
        break;
      }
      case OpCode::Le: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x <= y; });
        });
        break;
      }
      case OpCode::Gt: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x > y; });
        });
        break;
      }
      case OpCode::Ge: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x >= y; });
        });
        break;
      }
      case OpCode::And: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x != 0 && y != 0; });
        });
        break;
      }
      case OpCode::Or: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) {
          return vm_step::strict(a[l], b[l], [](Value x, Value y) { return x != 0 || y != 0; });
        });
        break;
      }
      case OpCode::Not:
        each_lane(active, d,
                  [&](unsigned l) { return missing(a[l]) ? kMissing : Value{a[l] == 0}; });
        break;
      case OpCode::IsMissing:
        each_lane(active, d, [&](unsigned l) { return Value{missing(a[l])}; });
        break;
      case OpCode::IsPresent:
        each_lane(active, d, [&](unsigned l) { return Value{!missing(a[l])}; });
        break;
      case OpCode::InMask: {
        const std::uint64_t mask = (std::uint64_t{i.c} << 32) | i.b;
        each_lane(active, d, [&](unsigned l) {
          const Value v = a[l];  // kMissing is negative
          return Value{v >= 0 && v < 64 && ((mask >> (v & 63)) & 1) != 0};
        });
        break;
      }
      case OpCode::Between: {
        const Value *b = column(i.b), *c = column(i.c);
        each_lane(active, d, [&](unsigned l) {
          const Value v = a[l], lo = b[l], hi = c[l];
          return (missing(v) || missing(lo) || missing(hi)) ? kMissing : Value{lo <= v && v <= hi};
        });
        break;
      }
      case OpCode::IfMissing: {
        const Value* b = column(i.b);
        each_lane(active, d, [&](unsigned l) { return missing(a[l]) ? b[l] : a[l]; });
        break;
      }
      case OpCode::Select: {
        const Value *b = column(i.b), *c = column(i.c);
        each_lane(active, d, [&](unsigned l) {
          return missing(a[l]) ? kMissing : a[l] != 0 ? b[l] : c[l];
        });
        break;
      }
      case OpCode::ParamYear: {
        const YearTable& table = linked.program->year_params[i.b];
        for (LaneMask m = active; m != 0; m &= m - 1) {
          const unsigned l = lowest_lane(m);
          d[l] = vm_step::lookup(table, a[l]);
        }
        break;
      }
      default:
        for (LaneMask m = active; m != 0; m &= m - 1) {
          const unsigned l = lowest_lane(m);
          const vm_step::StepFault f = vm_step::step(linked, i, [&](Slot x) -> Value& {
            return slots[std::size_t{x} * kColumnStride + l];
          });
          if (f.fault != EvalFault::None) {
            status[l] = {f.fault, pc, f.detail};
            alive &= ~(LaneMask{1} << l);
          }
        }
        break;
    }
    reach[pc + 1] |= active;
  }
}

}  // namespace

void BatchMachine::run(LaneMask lanes) {
  run_lanes(linked_, slots_.data(), reach_.data(), status_, lanes);
}

}  // namespace catengine::engine
