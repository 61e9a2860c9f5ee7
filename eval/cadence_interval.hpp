// Which interval of a cadence applies to a record ("every 4 weeks when category is 4, else every
// term"): the one rule that next_due, the schedule, explanations and test coverage all follow.
// compile/lower.cpp lowers the same choice to bytecode; the differential tests hold them equal.
#pragma once

#include <cstdint>
#include <optional>

#include "eval/reference_evaluator.hpp"
#include "lang/check/checked_policy.hpp"

namespace catengine::engine {

// The index of the first interval whose condition holds (one without a condition always holds)
// for the record `ev` is on; nullopt when none does. Whether the cadence applies at all, or runs
// from a date the record has, is the caller's question.
std::optional<std::uint32_t> chosen_interval(ReferenceEvaluator& ev, const lang::CadenceInfo& c);

}  // namespace catengine::engine
