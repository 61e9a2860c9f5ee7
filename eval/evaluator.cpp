// Runs the program over blocks of records. evaluate() splits the records into contiguous blocks,
// one per thread; each thread runs its block 64 records at a time through the batch machine
// (batch_vm.hpp), which it sets up once, so the loop allocates nothing per record.
#include "eval/evaluator.hpp"

#include "eval/batch_vm.hpp"
#include "system/parallel.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <cstring>

namespace catengine::engine {

LinkedProgram link(const Program& program, TextPool& text, Value as_of) {
  LinkedProgram linked;
  linked.program = &program;
  linked.slot_template = program.constants;
  linked.slot_template[program.as_of_slot] = as_of;
  for (const auto& [slot, s] : program.text_constants) linked.slot_template[slot] = text.intern(s);
  for (const auto& name : program.rule_names) linked.rule_texts.push_back(text.intern(name));
  for (const auto& t : program.ground_texts) linked.ground_texts.push_back(text.intern(t));
  // Record-independent values, once for the run. Should any fail for this as-of date, every
  // record runs the whole code instead and reports the failure where it arises.
  std::vector<Value> fixed = linked.slot_template;
  const EvalStatus prologue = run(linked, program.hoisted.prologue, fixed.data());
  if (prologue.fault == EvalFault::None) {
    linked.slot_template = std::move(fixed);
    linked.code = program.hoisted.body;
    linked.code_owner = program.hoisted.body_owner;
  } else {
    linked.code = program.code;
    linked.code_owner = program.code_owner;
  }
  return linked;
}

EvalStatus evaluate_record(const LinkedProgram& linked, const Value* fields,
                           std::vector<Value>& slots) {
  slots = linked.slot_template;
  std::copy_n(fields, linked.program->field_count, slots.begin());
  return run(linked, slots.data());
}

namespace {

// One record at a time: for code the batch machine cannot take. `slots` keeps the constants
// between records (and blocks): only the fields change, and definitions and temporaries are
// always written before they are read, so they need no reset.
void evaluate_block_by_record(const LinkedProgram& linked, const DataSet& data, std::size_t begin,
                              std::size_t end, std::vector<Value>& slots, Value* out,
                              std::vector<EvaluationError>& errors) {
  const Program& p = *linked.program;
  const std::size_t columns = p.output_slots.size();
  for (std::size_t r = begin; r < end; ++r) {
    data.row_into(r, slots.data());
    EvalStatus status = run(linked, slots.data());
    Value* dst = out + (r - begin) * columns;
    if (status.fault != EvalFault::None) {
      errors.push_back(
          {data.source_row[r], linked.code_owner[status.pc], status.fault, status.detail});
      std::fill_n(dst, columns, kMissing);
      continue;
    }
    for (std::size_t c = 0; c < columns; ++c) dst[c] = slots[p.output_slots[c]];
  }
}

// 64 records at a time through the batch machine; errors come out in record order, as above.
void evaluate_block_in_batches(const LinkedProgram& linked, const DataSet& data, std::size_t begin,
                               std::size_t end, BatchMachine& machine, Value* out,
                               std::vector<EvaluationError>& errors) {
  const std::size_t columns = linked.program->output_slots.size();
  for (std::size_t first = begin; first < end; first += kBatchLanes) {
    const auto count = static_cast<unsigned>(std::min<std::size_t>(kBatchLanes, end - first));
    // Each field's values for these records lie together in its column: straight into the
    // field's lanes, widened from four bytes where the column is narrow.
    for (std::size_t f = 0; f < data.field_count; ++f)
      data.column_into(f, first, count, machine.field_lanes(f));
    machine.run(count == kBatchLanes ? kAllLanes : (LaneMask{1} << count) - 1);
    Value* dst = out + (first - begin) * columns;
    machine.store(dst, columns, count);
    for (unsigned l = 0; l < count; ++l) {
      const EvalStatus& status = machine.status(l);
      if (status.fault == EvalFault::None) continue;
      errors.push_back(
          {data.source_row[first + l], linked.code_owner[status.pc], status.fault, status.detail});
      std::fill_n(dst + l * columns, columns, kMissing);
    }
  }
}

}  // namespace

// Which machine is decided once, here: the code is the same for every block.
BlockEvaluator::Worker::Worker(const LinkedProgram& linked) {
  if (runs_in_batches(linked.code)) {
    batches_ = std::make_unique<BatchMachine>(linked);
  } else {
    slots_ = linked.slot_template;
  }
}

BlockEvaluator::BlockEvaluator(const Program& program, DataSet& data, Value as_of)
    : data_(data), linked_(link(program, data.text, as_of)) {}

void BlockEvaluator::evaluate(Worker& worker, std::size_t begin, std::size_t end, Value* out,
                              std::vector<EvaluationError>& errors) const {
  if (worker.batches_) {
    evaluate_block_in_batches(linked_, data_, begin, end, *worker.batches_, out, errors);
  } else {
    evaluate_block_by_record(linked_, data_, begin, end, worker.slots_, out, errors);
  }
}

Results evaluate(const Program& program, DataSet& data, const EvaluationOptions& options) {
  const BlockEvaluator evaluator(program, data, options.as_of);
  Results out;
  out.columns = evaluator.columns();
  out.values.reserve(data.size() * out.columns);
  out.values.resize(data.size() * out.columns);  // every row is written below
  // Threads pay off only when there is enough work to share: starting one costs about as much
  // as evaluating a few hundred records.
  constexpr std::size_t kRecordsPerThread = 4096;
  unsigned threads = thread_count(options.threads);
  threads = static_cast<unsigned>(std::clamp<std::size_t>(data.size() / kRecordsPerThread, 1,
                                                          static_cast<std::size_t>(threads)));
  if (options.threads != 0)
    threads = std::min<unsigned>(thread_count(options.threads),
                                 static_cast<unsigned>(std::max<std::size_t>(1, data.size())));
  // One contiguous block a thread.
  std::vector<std::vector<EvaluationError>> errors(threads);
  const std::size_t per = (data.size() + threads - 1) / threads;
  auto evaluate_block = [&](std::size_t t) {
    const std::size_t begin = std::min(data.size(), t * per);
    const std::size_t end = std::min(data.size(), begin + per);
    BlockEvaluator::Worker worker = evaluator.worker();
    evaluator.evaluate(worker, begin, end, out.values.data() + begin * out.columns, errors[t]);
  };
  if (threads <= 1) {
    evaluate_block(0);
  } else {
    run_in_parallel(threads, evaluate_block);
  }
  for (auto& e : errors) out.errors.insert(out.errors.end(), e.begin(), e.end());
  return out;
}

std::string describe(const lang::CheckedPolicy& policy, std::uint32_t definition, EvalFault fault,
                     int detail) {
  if (fault != EvalFault::UniqueClash || definition >= policy.definitions.size())
    return describe(fault, detail);
  const auto& def = policy.definitions[definition];
  const auto first = static_cast<std::size_t>(detail >> 16);
  const auto second = static_cast<std::size_t>(detail & 0xffff);
  if (first >= def.rules.size() || second >= def.rules.size()) return describe(fault, detail);
  return fmt::format(
      "rules `{}` and `{}` both apply, but `{}` is decided by unique match; make their "
      "conditions exclude each other, or decide it `by first match`",
      def.rules[first].id, def.rules[second].id, def.name);
}

}  // namespace catengine::engine
