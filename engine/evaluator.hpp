// Evaluating a lowered program over a bound data set: every record, in parallel where it helps,
// with results in input order whatever the number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/dataset.hpp"
#include "engine/program.hpp"
#include "engine/vm.hpp"

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

struct Results {
  std::size_t columns = 0;
  std::vector<Value> values;  // records × columns, in input order
  std::vector<EvaluationError> errors;

  const Value* row(std::size_t r) const { return values.data() + r * columns; }
};

// Interns the program's text into the data set's pool and fills in the evaluation date.
LinkedProgram link(const Program& program, TextPool& text, Value as_of);

Results evaluate(const Program& program, DataSet& data, const EvaluationOptions& options);

// Evaluates one record into `slots` (sized slot_count); for explanations and tests.
EvalStatus evaluate_record(const LinkedProgram& linked, const Value* fields,
                           std::vector<Value>& slots);

}  // namespace catengine::engine
