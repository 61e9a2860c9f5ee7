// Evaluating a lowered program over a bound data set: every record, in parallel where it helps,
// with results in input order whatever the number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "compile/program.hpp"
#include "data/dataset.hpp"
#include "eval/batch_vm.hpp"
#include "eval/vm.hpp"
#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

struct EvaluationOptions {
  Value as_of = kMissing;  // the evaluation date (days since 1970-01-01)
  unsigned threads = 0;    // 0: as many as the machine has, for large inputs
};

struct EvaluationError {
  std::uint32_t row = 0;         // spreadsheet row of the record
  std::uint32_t definition = 0;  // index of the definition being computed (== count: an output)
  EvalFault fault = EvalFault::None;
  int detail = 0;  // see EvalStatus::detail
};

// Leaves new elements uninitialised. The evaluator writes every result; leaving the first touch
// of each page to the thread that writes it spreads the kernel's clearing of fresh pages over
// the threads instead of doing it all up front on one.
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

struct Results {
  std::size_t columns = 0;
  std::vector<Value, UninitialisedAllocator<Value>> values;  // records × columns, input order
  std::vector<EvaluationError> errors;

  const Value* row(std::size_t r) const { return values.data() + r * columns; }
};

// Interns the program's text into the data set's pool and fills in the evaluation date.
LinkedProgram link(const Program& program, TextPool& text, Value as_of);

// A run's records evaluated a block at a time into any row-major destination: evaluate() below
// runs it over every record into one Results; the streamed CSV writer (report/result_writers.hpp)
// runs it a block at a time and formats each block as soon as it is worked out, so that a
// whole run's results are never held.
class BlockEvaluator {
 public:
  // Links the program into the data set's text pool (link() above); `data` must outlive this.
  BlockEvaluator(const Program& program, DataSet& data, Value as_of);
  BlockEvaluator(const BlockEvaluator&) = delete;
  BlockEvaluator& operator=(const BlockEvaluator&) = delete;

  std::size_t columns() const { return linked_.program->output_slots.size(); }
  std::size_t records() const { return data_.size(); }

  // What one thread evaluates with: the batch machine (or one record's slots), set up once and
  // reused for every block that thread evaluates, so a block allocates nothing.
  class Worker {
   public:
    explicit Worker(const LinkedProgram& linked);

   private:
    friend class BlockEvaluator;
    std::unique_ptr<BatchMachine> batches_;  // when the code runs in batches
    std::vector<Value> slots_;               // otherwise: one record's
  };
  Worker worker() const { return Worker(linked_); }

  // Records [begin, end) into `out`, end - begin rows of columns() values each. A record that
  // cannot be evaluated gets kMissing in every column and an error, appended to `errors`, so the
  // errors come out in record order. Blocks may be evaluated side by side, each thread with its
  // own Worker.
  void evaluate(Worker& worker, std::size_t begin, std::size_t end, Value* out,
                std::vector<EvaluationError>& errors) const;

 private:
  const DataSet& data_;
  const LinkedProgram linked_;
};

Results evaluate(const Program& program, DataSet& data, const EvaluationOptions& options);

// Evaluates one record into `slots` (sized slot_count); for explanations and tests.
EvalStatus evaluate_record(const LinkedProgram& linked, const Value* fields,
                           std::vector<Value>& slots);

// The words for an evaluation error met while working out `definition`: describe(fault,
// detail), but a clash in a `by unique match` decision names its two rules.
std::string describe(const lang::CheckedPolicy& policy, std::uint32_t definition, EvalFault fault,
                     int detail);

}  // namespace catengine::engine
