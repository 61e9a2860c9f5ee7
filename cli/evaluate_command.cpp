// `catengine evaluate` and `catengine explain`: compile the policy, bind the data, evaluate,
// write results. Any error stops before anything is written.
#include <algorithm>
#include <chrono>
#include <optional>

#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "base/calendar.hpp"
#include "cli/commands.hpp"
#include "cli/history_steps.hpp"
#include "cli/verb_steps.hpp"
#include "compile/compiled_policy.hpp"
#include "eval/evaluator.hpp"
#include "report/explanation.hpp"
#include "report/record_lookup.hpp"
#include "report/result_writers.hpp"
#include "report/xlsx_writer.hpp"
#include "system/atomic_file.hpp"
#include "system/parallel.hpp"
#include "system/sha256.hpp"

namespace catengine::engine {

namespace {

bool report_faults(const CompiledPolicy& compiled, const std::string& data_path,
                   const std::vector<EvaluationError>& errors, const Console& console) {
  if (errors.empty()) return false;
  std::string out;
  for (const auto& e : errors) {
    const auto& defs = compiled.policy.definitions;
    std::string what = e.definition < defs.size() ? fmt::format("`{}`", defs[e.definition].name)
                                                  : "an output column";
    out += fmt::format("{}:{}:-: could not work out {}: {}\n", data_path, e.row, what,
                       describe(compiled.policy, e.definition, e.fault, e.detail));
  }
  out += fmt::format("error: {} record{} could not be evaluated; nothing was written\n",
                     errors.size(), errors.size() == 1 ? "" : "s");
  print(console.err, out);
  return true;
}

// Keeps only the named output columns, in the order given.
bool select_columns(CompiledPolicy& compiled, const std::vector<std::string>& names,
                    const Console& console) {
  auto& outputs = compiled.policy.outputs;
  std::vector<lang::OutputColumnInfo> kept;
  std::vector<Slot> slots;
  std::vector<std::string> all;
  for (const auto& o : outputs) all.push_back(o.name);
  for (const auto& name : names) {
    auto it =
        std::find_if(outputs.begin(), outputs.end(), [&](const auto& o) { return o.name == name; });
    if (it == outputs.end()) {
      std::string hint = lang::closest_match(name, all);
      print(console.err,
            fmt::format("error: `--columns`: the policy has no output column `{}`{}\n", name,
                        hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint)));
      return false;
    }
    kept.push_back(*it);
    slots.push_back(compiled.program.output_slots[static_cast<std::size_t>(it - outputs.begin())]);
  }
  outputs = std::move(kept);
  compiled.program.output_slots = std::move(slots);
  return true;
}

// A CSV file has no room for provenance, so it travels in a file beside it that names the
// SHA-256 of the results it describes. The sidecar is put in place first: a run killed between
// the two renames leaves the old results beside a sidecar whose hash says they do not match,
// never new results without their sidecar. A stream (a FIFO, /dev/null) gets no sidecar.
bool finish_csv_file(AtomicFile& file, const std::string& out, const Provenance& provenance,
                     Sha256& results_sha256, std::string& error) {
  return (!file.replaces_file() ||
          write_file_atomically(out + ".provenance.json",
                                provenance_sidecar(provenance, results_sha256.hex()), error)) &&
         file.commit(error);
}

// A results CSV file as it is written: every piece hashed on the way in, for its sidecar.
class HashedCsvFile {
 public:
  explicit HashedCsvFile(AtomicFile file) : file_(std::move(file)) {}
  HashedCsvFile(const HashedCsvFile&) = delete;
  HashedCsvFile& operator=(const HashedCsvFile&) = delete;
  ChunkSink sink() {
    return [this](std::string_view piece) {
      sha256_.update(piece);
      return file_.write(piece, error_);
    };
  }
  // When every row was `written`: the sidecar, then the results (finish_csv_file). Otherwise,
  // or when that fails, the error, and nothing is committed.
  int commit(bool written, const std::string& out, const Provenance& provenance,
             const Console& console) {
    if (written && finish_csv_file(file_, out, provenance, sha256_, error_)) return kExitOk;
    print(console.err, fmt::format("error: {}\n", error_));
    return kExitInputError;
  }

 private:
  AtomicFile file_;
  Sha256 sha256_;
  std::string error_;
};

// The file to evaluate straight into, when the run can be evaluated and written in one pass
// (write_csv_evaluating): CSV to --out, a regular file (or a new one) that the results replace
// only once they are complete and free of errors. Not standard output, a FIFO or a device, which
// would get rows before every error is known, nor a run that --save keeps, which needs every
// result at once: those evaluate first, then write. nullopt too when the file cannot be
// created: that is reported after evaluation, as for the other formats.
std::optional<AtomicFile> file_to_evaluate_into(const EvaluateOptions& options) {
  if (options.format != "csv" || !options.out || options.save) return std::nullopt;
  // A stream is opened only once the results are known.
  if (AtomicFile::names_stream(*options.out)) return std::nullopt;
  std::string error;
  std::optional<AtomicFile> file = AtomicFile::create(*options.out, error);
  if (!file || !file->replaces_file()) return std::nullopt;
  return file;
}

// `evaluate --format csv --out FILE`, evaluated and written in one pass into `file`. What it
// reports is what evaluating first would: every record's errors and nothing written (the
// uncommitted file leaves no trace), else the warnings, then the results and their sidecar.
int evaluate_into_csv_file(AtomicFile target, const EvaluateOptions& options,
                           const CompiledPolicy& compiled, BoundData& loaded, Value as_of,
                           const Console& console) {
  HashedCsvFile file(std::move(target));
  const StreamedCsv streamed =
      write_csv_evaluating(compiled, loaded.data, as_of, file.sink(), options.threads);
  if (report_faults(compiled, loaded.path, streamed.errors, console)) return kExitInputError;
  report_warnings(compiled, loaded, as_of, console);
  return file.commit(streamed.written, *options.out,
                     provenance_of(options.policy, compiled, loaded, as_of), console);
}

// Whether `evaluate` can evaluate and write each window of records as the binder hands it over
// (CsvWindowWriter), rather than bind every record first: on one thread (records bound on
// several threads are bound in pieces first), into a file (file_to_evaluate_into), with no
// history store to take `previous` values from and no run-time warnings, which both read the
// whole run's records.
bool evaluates_while_binding(const EvaluateOptions& options, const CompiledPolicy& compiled,
                             const std::optional<HistoryStore>& history) {
  return thread_count(options.threads) == 1 && !history && compiled.policy.warnings.empty();
}

// `evaluate --format csv --out FILE` on one thread: the records evaluated and written into
// `file` window by window as they are bound. What it reports is what binding first would: the
// data's errors and nothing written, else every record's evaluation errors and nothing
// written, else the results and their sidecar.
int evaluate_while_binding(AtomicFile target, const EvaluateOptions& options,
                           const CompiledPolicy& compiled, Value as_of, const Console& console) {
  HashedCsvFile file(std::move(target));
  CsvWindowWriter writer(compiled, as_of, file.sink());
  const auto loaded =
      bind_and_report(compiled, options.data, console, options.threads, [&](const BoundWindow& w) {
        // Once the data has a problem the run stops after binding.
        if (w.clean) writer.add(w.records, w.first, w.count);
      });
  if (!loaded) return kExitInputError;
  const StreamedCsv streamed = writer.finish();
  if (report_faults(compiled, loaded->path, streamed.errors, console)) return kExitInputError;
  return file.commit(streamed.written, *options.out,
                     provenance_of(options.policy, compiled, *loaded, as_of), console);
}

}  // namespace

int run_evaluate(const EvaluateOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"table", "csv", "json", "xlsx"}, console))
    return kExitInputError;
  if (options.format == "xlsx" && !out_given_for("xlsx", options.out, "results.xlsx", console))
    return kExitInputError;
  auto as_of = date_option("--as-of", options.as_of, console);
  if (!as_of) return kExitInputError;
  std::optional<HistoryStore> history;  // opened first: a bad store stops the run before any work
  if (!open_evaluate_history(options, history, console)) return kExitInputError;
  auto compiled = compile_and_report(options.policy, console);
  if (!compiled) return kExitInputError;
  if (!options.columns.empty() && !select_columns(*compiled, options.columns, console))
    return kExitInputError;
  std::optional<AtomicFile> one_pass = file_to_evaluate_into(options);
  if (one_pass && evaluates_while_binding(options, *compiled, history))
    return evaluate_while_binding(std::move(*one_pass), options, *compiled, *as_of, console);
  auto loaded = bind_and_report(*compiled, options.data, console, options.threads);
  if (!loaded) return kExitInputError;
  DataSet& data = loaded->data;
  std::string previous_from;
  if (!fill_previous_from_history(history, *compiled, data, *as_of, console, previous_from,
                                  loaded->absent_fields))
    return kExitInputError;
  if (!previous_from.empty()) print(console.err, "previous values: " + previous_from + "\n");
  if (one_pass)
    return evaluate_into_csv_file(std::move(*one_pass), options, *compiled, *loaded, *as_of,
                                  console);
  Results results = evaluate(compiled->program, data, {*as_of, options.threads});
  if (report_faults(*compiled, loaded->path, results.errors, console)) return kExitInputError;
  // Before the CSV writer gives the bound records back; the results are already worked out.
  const std::vector<RaisedWarning> warnings = report_warnings(*compiled, *loaded, *as_of, console);

  const Provenance provenance = provenance_of(options.policy, *compiled, *loaded, *as_of);
  // Saved before any output is written, so a run that cannot be saved writes nothing; see
  // docs/history.md for a write that fails after the save.
  if (options.save &&
      !save_evaluated_run(history, *options.history, *compiled, data, results, provenance, console))
    return kExitInputError;
  if (options.format == "xlsx") {
    // A workbook is written by libxlsxwriter to a file name, so into a temporary file beside
    // the target that replaces it only when complete.
    return write_file_by_name(
        *options.out,
        [&](const std::string& path, std::string& error) {
          return write_xlsx(path, *compiled, data, results, provenance, warnings, error);
        },
        console);
  }
  std::string error;
  if (options.format == "csv") {
    // Streamed: to standard output as it is formatted, or into a temporary file that replaces
    // the target only when complete (a file that is neither saved nor a stream was evaluated
    // and written in one pass above). Only the results and the text they refer to are needed
    // from here, so the bound records are given back first.
    data.release_values();
    if (!options.out) {
      // A failed write (a full disk, a closed pipe) stops the stream; main reports it.
      const bool written = write_csv(
          *compiled, data, results,
          [&](std::string_view piece) { return print(console.out, piece); }, options.threads);
      return written ? kExitOk : kExitOutputError;
    }
    std::optional<AtomicFile> created = AtomicFile::create(*options.out, error);
    if (!created) {
      print(console.err, fmt::format("error: {}\n", error));
      return kExitInputError;
    }
    HashedCsvFile file(std::move(*created));
    return file.commit(write_csv(*compiled, data, results, file.sink(), options.threads),
                       *options.out, provenance, console);
  }
  const std::string text =
      options.format == "json"
          ? write_json(*compiled, data, results, provenance, *as_of)
          : write_table(*compiled, data, results, provenance, !options.out && console.colour_out);
  return write_text(options.out, text, console);
}

int run_explain(const ExplainOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"text", "json"}, console)) return kExitInputError;
  auto as_of = date_option("--as-of", options.as_of, console);
  if (!as_of) return kExitInputError;
  auto compiled = compile_and_report(options.policy, console);
  if (!compiled) return kExitInputError;
  auto loaded = bind_and_report(*compiled, options.data, console);
  if (!loaded) return kExitInputError;
  DataSet& data = loaded->data;
  std::optional<HistoryStore> history;
  if (options.history) {
    history = open_history_to_read(*options.history, console);
    if (!history) return kExitInputError;
  }
  std::string previous_from;
  if (!fill_previous_from_history(history, *compiled, data, *as_of, console, previous_from,
                                  loaded->absent_fields))
    return kExitInputError;
  const auto& fields = compiled->policy.record.fields;
  const std::optional<std::size_t> key = compiled->policy.record.key_field();
  if (!key) {
    print(console.err,
          "error: the policy's record has no `key` field, so schools cannot be looked up\n");
    return kExitInputError;
  }
  const std::optional<std::size_t> found =
      find_record(compiled->policy, data, *key, options.school);
  if (!found) {
    print(console.err, fmt::format("error: no record in `{}` has {} `{}`\n", loaded->path,
                                   fields[*key].name, options.school));
    return kExitInputError;
  }
  // Only this school's warnings: `explain` is about one record, and `evaluate` lists them all.
  report_warnings(*compiled, *loaded, *as_of, console, *found, *found + 1);
  RecordExplanation ex = explain_record(*compiled, data, *found, *as_of);
  const Provenance provenance = provenance_of(options.policy, *compiled, *loaded, *as_of);
  if (options.format == "json") {
    nlohmann::ordered_json doc;
    doc["provenance"] = provenance_json(provenance);
    if (!previous_from.empty()) doc["previous_run"] = previous_from;
    doc["record"] = explanation_json(ex);
    print(console.out, doc.dump(2) + "\n");
  } else {
    std::string head = fmt::format("{} {}, row {} of {}, as of {}\n", fields[*key].name,
                                   options.school, ex.row, loaded->path, provenance.as_of);
    // Where `previous` values came from (the fields say `[column previous run]`).
    if (!previous_from.empty()) head += "previous values from " + previous_from + "\n";
    head += "\n";
    print(console.out, head + render_explanation(ex, *compiled));
  }
  return ex.fault.empty() ? kExitOk : kExitInputError;
}

}  // namespace catengine::engine
