// The history steps of `catengine evaluate`; see history_steps.hpp.
#include "cli/history_steps.hpp"

#include "base/date.hpp"
#include "history/previous_values.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "history/run_capture.hpp"

namespace catengine::engine {

bool open_evaluate_history(const EvaluateOptions& options, std::optional<HistoryStore>& store,
                           const Console& console) {
  if (options.save && !options.history) {
    print(console.err, "error: `--save` needs `--history FILE`, the store to save the run in\n");
    return false;
  }
  if (options.save && !options.columns.empty()) {
    print(console.err,
          "error: `--save` keeps every output column, so it cannot be used with `--columns`\n");
    return false;
  }
  if (!options.history) return true;
  // A store that does not exist yet is created only when the run is saved, so a run that fails
  // leaves no new file behind.
  std::error_code ec;
  if (options.save && !std::filesystem::exists(*options.history, ec)) return true;
  std::string error;
  store = HistoryStore::open(
      *options.history, options.save ? HistoryStore::Mode::Write : HistoryStore::Mode::Read, error);
  if (!store) {
    print(console.err, fmt::format("error: {}; nothing was written\n", error));
    return false;
  }
  return true;
}

std::optional<HistoryStore> open_history_to_read(const std::string& path, const Console& console) {
  std::string error;
  auto store = HistoryStore::open(path, HistoryStore::Mode::Read, error);
  if (!store) print(console.err, fmt::format("error: {}\n", error));
  return store;
}

bool fill_previous_from_history(std::optional<HistoryStore>& store, const CompiledPolicy& compiled,
                                DataSet& data, Value as_of, const Console& console,
                                std::string& from,
                                const std::vector<std::uint32_t>& absent_fields) {
  if (!store || !reads_previous(compiled)) return true;
  std::string error;
  auto run = store->previous_run(compiled.policy.title, format_iso(as_of), error);
  if (!run) {
    if (error.empty()) return true;  // no earlier run: every `previous` value stays missing
    print(console.err, fmt::format("error: {}; nothing was written\n", error));
    return false;
  }
  const std::vector<std::string> problems = fill_previous(compiled, data, *run, absent_fields);
  if (!problems.empty()) {
    std::string out;
    for (const auto& p : problems) out += "error: " + p + "\n";
    out += "error: the previous run cannot be read by this policy; nothing was written\n";
    print(console.err, out);
    return false;
  }
  from = fmt::format("the run of {} saved {}", run->as_of, run->saved_at);
  return true;
}

bool save_evaluated_run(std::optional<HistoryStore>& store, const std::string& path,
                        const CompiledPolicy& compiled, const DataSet& data, const Results& results,
                        const Provenance& provenance, const Console& console) {
  std::string error;
  auto now = history_now(error);
  auto run = now ? capture_run(compiled, data, results, provenance, *now, error) : std::nullopt;
  if (run && !store) store = HistoryStore::open(path, HistoryStore::Mode::Write, error);
  auto saved = run && store ? store->save(*run, error) : std::nullopt;
  if (!saved) {
    print(console.err,
          fmt::format("error: the run was not saved: {}; nothing was written\n", error));
    return false;
  }
  std::string note = fmt::format("saved the run as of {} to `{}` ({} records", run->as_of,
                                 store->path(), run->rows.size());
  if (saved->replaced) {
    note += fmt::format("; it replaces the run saved earlier for {}, kept in the audit trail",
                        run->as_of);
  }
  print(console.err, note + ")\n");
  return true;
}

}  // namespace catengine::engine
