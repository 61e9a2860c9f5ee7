// Evaluation results as an Excel workbook (.xlsx) for analysts, written with libxlsxwriter:
// sheet "Results" (the output columns, typed cells, a frozen header row with filters, scale
// columns coloured by level), sheet "Provenance" (what the JSON writer records), and sheet
// "Warnings" when the run raised any. What each type becomes:
// docs/language.md, "Workbooks".
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

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

class XlsxBook;

// The sheets every catengine workbook ends with, shared with the schedule's
// (write_schedule_xlsx). "Provenance": the policy and each data file with their SHA-256, the
// policy's title, the number of records, the as-of date and `dates` after it (the schedule's
// range), and the catengine version, as provenance_json records them. "Warnings": every warning
// raised, one line each with the school's row and key (standard error shows 20 of each).
void add_provenance_sheet(XlsxBook& book, const CompiledPolicy& compiled,
                          const Provenance& provenance, Value as_of,
                          std::span<const std::pair<std::string, Value>> dates = {});
void add_warnings_sheet(XlsxBook& book, const CompiledPolicy& compiled, const DataSet& data,
                        std::span<const RaisedWarning> warnings);

// Rows an Excel sheet holds under its header row; more is refused with a message that suggests
// CSV (`what` says what would not fit: "records", "events").
bool fits_in_a_sheet(std::size_t rows, std::string_view what, std::string& error);

}  // namespace catengine::engine
