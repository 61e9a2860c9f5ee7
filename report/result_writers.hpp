// Writers for evaluation results: CSV (the policy's declared columns, spreadsheet-safe), an
// aligned table for the terminal, and JSON with values, reasoning and provenance.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "eval/evaluator.hpp"
#include "report/provenance.hpp"

namespace catengine::engine {

// UTF-8 without BOM, LF line endings, fields quoted only when they hold a comma, quote or line
// break. Text that a spreadsheet would run as a formula gets a leading apostrophe.
// Output handed over a piece at a time; returning false stops the writer (the sink keeps the
// reason).
using ChunkSink = std::function<bool(std::string_view)>;
// `threads` formats blocks of rows side by side (0: as many as the machine has); the bytes are
// the same for any number.
bool write_csv(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
               const ChunkSink& sink, unsigned threads = 0);
std::string write_csv(const CompiledPolicy& compiled, const DataSet& data, const Results& results);

// Evaluates and writes the CSV in one pass, for a file: each block of records is evaluated just
// before it is formatted, into a small buffer that its helper thread reuses, so a whole run's
// results are never held (write_csv above needs them all). While no record fails, the sink gets
// exactly the bytes write_csv would give it. Once one fails, or the sink refuses a piece,
// nothing more is formatted or handed on, but every record is still evaluated, so that every
// error is known: when `errors` is not empty, what the sink was given must be thrown away.
struct StreamedCsv {
  std::vector<EvaluationError> errors;  // every record's, in record order (as evaluate() gives)
  bool written = true;                  // false: the sink refused a piece (it keeps the reason)
};
StreamedCsv write_csv_evaluating(const CompiledPolicy& compiled, DataSet& data, Value as_of,
                                 const ChunkSink& sink, unsigned threads = 0);

// The same, fed as the records are bound (BindOptions::window, on one thread): each window of
// records is evaluated and its rows handed to the sink at once, so that neither the run's
// bound records nor its results are ever held whole, and the records are still in the cache
// when they are evaluated. The sink gets exactly the bytes write_csv_evaluating gives it, and
// finish() the same errors, provided every record was added.
class CsvWindowWriter {
 public:
  CsvWindowWriter(const CompiledPolicy& compiled, Value as_of, ChunkSink sink);
  CsvWindowWriter(const CsvWindowWriter&) = delete;
  CsvWindowWriter& operator=(const CsvWindowWriter&) = delete;
  ~CsvWindowWriter();
  // Records [first, first + count) of `records`, which must be the same table every time (the
  // binder's, which it reuses for each window) and outlive the writer's use of it.
  void add(DataSet& records, std::size_t first, std::size_t count);
  StreamedCsv finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string write_table(const CompiledPolicy& compiled, const DataSet& data, const Results& results,
                        const Provenance& provenance, bool colour);

// The whole document: provenance, then one object per record: its outputs and the reasoning behind
// its decisions, in the one JSON shape of an explanation (report/explanation.hpp).
std::string write_json(const CompiledPolicy& compiled, DataSet& data, const Results& results,
                       const Provenance& provenance, Value as_of);

// The one CSV cell rule, shared with other CSV writers.
void append_csv_cell(std::string& out, std::string_view cell, bool is_text);
// A line of text cells (the schedule, policy diff, the results header), each by that rule.
void append_csv_row(std::string& out, const std::vector<std::string>& cells);

}  // namespace catengine::engine
