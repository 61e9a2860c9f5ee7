// A finished evaluation as a StoredRun: every output value of every record as the text the CSV
// writer writes (before quoting), keyed by the record's key field, with the run's provenance.
#pragma once

#include <optional>
#include <string>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "eval/evaluator.hpp"
#include "history/history_store.hpp"
#include "report/provenance.hpp"

namespace catengine::engine {

// nullopt (with `error`) when the policy's record has no `key` field: a saved school must be
// found again next term by its key.
std::optional<StoredRun> capture_run(const CompiledPolicy& compiled, const DataSet& data,
                                     const Results& results, const Provenance& provenance,
                                     std::string saved_at, std::string& error);

}  // namespace catengine::engine
