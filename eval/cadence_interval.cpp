// The cadence-interval choice: first match wins, so a policy lists its special cases first and
// its usual interval last, as the policy documents read.
#include "eval/cadence_interval.hpp"

namespace catengine::engine {

std::optional<std::uint32_t> chosen_interval(ReferenceEvaluator& ev, const lang::CadenceInfo& c) {
  for (std::uint32_t i = 0; i < c.intervals.size(); ++i) {
    const auto& condition = c.intervals[i].condition;
    if (condition.expr == lang::kNoExpr || ev.eval(condition) == 1) return i;
  }
  return std::nullopt;
}

}  // namespace catengine::engine
