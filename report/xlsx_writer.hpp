// Evaluation results as an Excel workbook (.xlsx) for analysts, written with libxlsxwriter:
// sheet "Results" (the output columns, typed cells, a frozen header row with filters, scale
// columns coloured by level), sheet "Provenance" (what the JSON writer records), and sheet
// "Warnings" when the run raised any. See docs/workbooks.md for what each type becomes.
#pragma once

#include <span>
#include <string>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "eval/evaluator.hpp"
#include "report/provenance.hpp"
#include "report/run_warnings.hpp"

namespace catengine::engine {

// Writes the workbook to `path` (a file libxlsxwriter creates or truncates: the caller gives
// it a temporary path and renames it into place, as AtomicFile does). The bytes depend only on
// the inputs: the document's creation time is the as-of date's midnight (UTC), never the clock.
// On failure returns false with `error` set (a sentence such as "`name` in row 12 of the sheet
// Results is 40000 characters long, ..."); what is at `path` is then of no use.
bool write_xlsx(const std::string& path, const CompiledPolicy& compiled, const DataSet& data,
                const Results& results, const Provenance& provenance,
                std::span<const RaisedWarning> warnings, std::string& error);

}  // namespace catengine::engine
