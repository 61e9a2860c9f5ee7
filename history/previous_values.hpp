// `previous X` in a policy: the hidden fields the checker made for it, filled from the previous
// saved run (the latest run of the same policy with an earlier as-of date). Values are read back
// by name from the text the run saved: a level the policy no longer declares is reported, never
// guessed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "history/history_store.hpp"

namespace catengine::engine {

// Whether the policy reads any `previous` value (and so has use for a history store).
bool reads_previous(const CompiledPolicy& compiled);

// Fills every `previous X` field of `data` from `run` (nothing to do without one: they stay
// missing, as in a first term). A school absent from the run keeps them missing. Returns the
// problems (a column the run did not save, a value the policy cannot read any more), each naming
// the run, the school and the value; `data` is then not to be used.
// Then a field written `if absent then previous X` whose column was absent (`absent_fields`,
// from the binding) takes the `previous X` values.
std::vector<std::string> fill_previous(const CompiledPolicy& compiled, DataSet& data,
                                       const StoredRun& run,
                                       const std::vector<std::uint32_t>& absent_fields = {});

}  // namespace catengine::engine
