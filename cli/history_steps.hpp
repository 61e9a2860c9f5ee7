// What `catengine evaluate --history FILE [--save]` adds to a run: the store opened (and checked)
// before any work, and the run saved once it has been evaluated without a fault.
#pragma once

#include <optional>

#include "cli/commands.hpp"
#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "eval/evaluator.hpp"
#include "history/history_store.hpp"
#include "report/provenance.hpp"

namespace catengine::engine {

// Checks the history options (`--save` needs `--history`; `--save` keeps every output column,
// so it does not go with `--columns`) and opens the store, before any work, so that a file that
// is not a usable store stops the run at once: to write with `--save`, else only to read. `store`
// stays empty without `--history`, and with `--save` when the file does not exist yet (it is
// created when the run is saved, so a failed run leaves no new file). Prints the one error and
// returns false when the store cannot be used.
bool open_evaluate_history(const EvaluateOptions& options, std::optional<HistoryStore>& store,
                           const Console& console);

// Saves the evaluated run in one transaction into `store` (opened, and so created, at `path`
// first when empty), replacing (and keeping in the audit trail) a run of the same policy and
// as-of date, and says so on standard error. Prints the error and returns false when it cannot
// be saved; the store is then as it was.
// A store opened only to read (`explain --history`, `diff --history`); prints the error and
// returns nullopt when it cannot be used.
std::optional<HistoryStore> open_history_to_read(const std::string& path, const Console& console);

// Fills the policy's `previous X` values from the latest earlier saved run of the same policy
// in `store` (nothing without a store or without such a run: a first term). Says on standard
// error which run they came from; prints every problem and returns false when a saved value
// cannot be read. `from` gets "the run of AS-OF saved AT", or is left empty.
bool fill_previous_from_history(std::optional<HistoryStore>& store, const CompiledPolicy& compiled,
                                DataSet& data, Value as_of, const Console& console,
                                std::string& from,
                                const std::vector<std::uint32_t>& absent_fields = {});

bool save_evaluated_run(std::optional<HistoryStore>& store, const std::string& path,
                        const CompiledPolicy& compiled, const DataSet& data, const Results& results,
                        const Provenance& provenance, const Console& console);

}  // namespace catengine::engine
