// Two saved runs compared without evaluating anything (`catengine diff --history FILE --runs A
// B`): which schools' saved outputs differ, and how the level column moved, in the same report
// as a diff of two policies.
#pragma once

#include "history/history_store.hpp"
#include "tools/policy_diff.hpp"

namespace catengine::engine {

// Schools are matched by key; one in only one run is reported with its values against empty.
// The matrix is the `category` or `level` column when both runs saved it (rows and columns in
// the newer run's declared order), over the schools in both runs.
PolicyDiff diff_runs(const StoredRun& old_run, const StoredRun& new_run);

}  // namespace catengine::engine
