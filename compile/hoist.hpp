// Hoisting: splits a Program's code into what depends only on constants and the evaluation date
// (run once per run, when the program is linked) and what depends on the record (run for each
// record). Deadlines counted in working days from the as-of date, the next profile date and the
// next clinic date are the same for every school, so they are worked out once, not 24,000 times.
#pragma once

#include "compile/program.hpp"

namespace catengine::engine {

// Fills in program.hoisted. Runs once per policy, after lowering.
void hoist(Program& program);

}  // namespace catengine::engine
