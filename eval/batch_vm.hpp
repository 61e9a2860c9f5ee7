// The batch machine: runs a program over 64 records at once, the way a vectorised database
// engine runs a query. Each instruction is decoded once per batch and applied to every record
// that reaches it, in a tight loop over one slot's 64 values, so the cost of dispatch is shared
// by the batch and the compiler can use vector instructions. Control flow becomes a mask per
// instruction of the records that reach it; the results, and any error and where it arose, are
// exactly those of run() (vm.hpp) for each record.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "eval/vm.hpp"

namespace catengine::engine {

inline constexpr unsigned kBatchLanes = 64;
using LaneMask = std::uint64_t;  // bit l: record (lane) l of the batch
inline constexpr LaneMask kAllLanes =
    kBatchLanes == 64 ? ~LaneMask{0} : (LaneMask{1} << kBatchLanes) - 1;

// True when the code can run in batches: every jump goes forward, so a single pass in order
// meets each instruction after every path into it, and the code ends with Halt. The lowering
// only emits such code; this checks rather than assumes it.
bool runs_in_batches(std::span<const Instr> code);

// Per instruction of `code` (which satisfies runs_in_batches): whether it may write its result
// into every lane, the lanes it does not reach included, because no record that skips it reads
// the slot's earlier value afterwards: every path that jumps over the instruction writes the slot
// again before reading it (and the slot is not read before it is first written, nor is it an
// output). Those instructions need no blend of new and old values. `outputs` are the slots
// the machine stores after the run; `slot_count` bounds every slot.
std::vector<bool> writes_every_lane(std::span<const Instr> code, std::span<const Slot> outputs,
                                    std::size_t slot_count);

// Which of the machine's compiled loops runs: 0, the default, for the widest the processor
// has; 8 (AVX-512), 4 (AVX2) or 2 (any x86-64) values to a vector, so tests can check each.
// False, changing nothing, when the processor lacks it. Not to be called while batches run.
bool use_vector_width(unsigned lanes);

class BatchMachine {
 public:
  // `linked.code` must satisfy runs_in_batches.
  explicit BatchMachine(const LinkedProgram& linked);

  // Puts the fields of `count` (at most 64) records into lanes 0, 1, ...: record l's fields
  // start at rows + l * stride.
  void load(const Value* rows, std::size_t stride, unsigned count);
  // Field `field`'s lanes, to fill directly (the bound records are stored by column).
  Value* field_lanes(std::size_t field) { return field_columns_[field]; }
  // Writes the output slots of lanes 0 .. count - 1 as rows: lane l's to rows + l * stride.
  void store(Value* rows, std::size_t stride, unsigned count) const;
  // Runs the code for the lanes in `lanes`.
  void run(LaneMask lanes);

  Value value(Slot slot, unsigned lane) const { return slots_[slot * kBatchLanes + lane]; }
  // How lane `lane` ended in the last run: as run() would have for that record alone.
  const EvalStatus& status(unsigned lane) const { return status_[lane]; }

 private:
  const LinkedProgram& linked_;
  std::vector<Value> slots_;     // slot by slot: lane l of slot x is slots_[x * kBatchLanes + l]
  std::vector<LaneMask> reach_;  // per instruction: the lanes that arrive there
  std::vector<LaneMask> write_all_;    // per instruction: kAllLanes where writes_every_lane, or 0
  std::vector<Value*> field_columns_;  // where each field's lanes are
  std::vector<const Value*> output_columns_;  // where each output column's lanes are
  EvalStatus status_[kBatchLanes];
};

}  // namespace catengine::engine
