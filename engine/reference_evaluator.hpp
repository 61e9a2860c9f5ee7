// The reference semantics: a direct walk over the checked syntax tree, one record at a time,
// with definitions computed on demand and remembered. Slow and obvious on purpose. Explanations
// are built with it, and tests check that the compiled evaluator always agrees with it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/dataset.hpp"
#include "engine/vm.hpp"
#include "lang/checked_policy.hpp"

namespace catengine::engine {

class ReferenceEvaluator {
 public:
  ReferenceEvaluator(const lang::CheckedPolicy& policy, TextPool& text, Value as_of);

  // Starts a new record; `fields` holds one Value per record field.
  void reset(const Value* fields);

  Value eval(lang::ExprRef e);
  Value definition(std::uint32_t index);
  // For a decision: the index of the rule that fired, or nullopt when none did.
  std::optional<std::uint32_t> fired_rule(std::uint32_t index);
  // The parameter entry a lookup used, for citing it; nullptr when the table had none.
  const lang::ParamEntryInfo* param_entry(std::uint32_t param, Value key) const;

  // The first fault met since reset() (overflow, division by zero, date out of range).
  EvalFault fault() const { return fault_; }

 private:
  Value call(lang::ExprRef e);
  Value binary(lang::ExprRef e);
  Value fail(EvalFault f);

  const lang::CheckedPolicy& p_;
  TextPool& text_;
  Value as_of_;
  const Value* fields_ = nullptr;
  std::vector<Value> values_;                        // by definition; valid when known_
  std::vector<char> known_;
  std::vector<std::optional<std::uint32_t>> fired_;  // by definition (decisions)
  EvalFault fault_ = EvalFault::None;
};

}  // namespace catengine::engine
