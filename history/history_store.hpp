// The history store: one SQLite file an LA keeps beside its policy, holding every saved run of
// `catengine evaluate --save` (the policy's name and SHA-256, the as-of date, every source's
// SHA-256, the catengine version, when it was saved, and every output value of every school), so
// a later run can read the previous term's values (docs/history.md).
//
// Layout (schema version 1; why it is so is in history_store.cpp):
//   runs         one row per saved run; a replaced run keeps its row, with replaced_at and
//                replaced_by set (the audit trail), and its values stay where they were
//   run_sources  the files each run read, with their SHA-256
//   run_columns  each run's output columns in order, with their type and, for an enumeration
//                or scale, its members in declared order (so levels are read back by name)
//   run_rows     one row per school per run: the key as text, and the values as a JSON array
//                of strings (WITHOUT ROWID, keyed by run and key)
//   run_values   a view with one row per value (run, key, column, value) for analysts' SQL
//   audit        a view of the replaced runs
// Values are the text the CSV writer writes before quoting: "yes", "2026-01-05", level names;
// "" is missing.
//
// Every failure the user can cause (a file that is not a history, a store written by a newer
// catengine, a store locked beyond the timeout, a damaged file) comes back as one sentence in
// `error`, naming the file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report/provenance.hpp"

namespace catengine::engine {

// The version of the layout this catengine writes. Each migration in history_store.cpp takes a
// store from one version to the next; a store of a higher version is refused.
inline constexpr int kHistorySchemaVersion = 1;

// One output column of a saved run.
struct StoredColumn {
  std::string name;                  // "level"
  std::string type;                  // as `catengine check` names it: "Level", "integer?", ...
  std::vector<std::string> members;  // an enumeration's or scale's members, in declared order
};

// One saved run, whole.
struct StoredRun {
  std::int64_t id = 0;      // given by the store; 0 before saving
  std::string policy_name;  // the policy's title: runs of one policy are found by it
  std::string policy_sha256;
  std::string as_of;     // YYYY-MM-DD
  std::string saved_at;  // UTC, YYYY-MM-DDTHH:MM:SSZ
  std::string catengine_version;
  std::vector<SourceProvenance> sources;  // every file the run read (one for a single-file policy)
  std::string key_column;                 // the record's key field, "urn"
  std::vector<StoredColumn> columns;
  // rows[i][0] is the key, then one value per column, in the columns' order; "" is missing.
  // Read back in key order (as text); saved in any order.
  std::vector<std::vector<std::string>> rows;
};

// One saved run without its values, for listings.
struct RunSummary {
  std::int64_t id = 0;
  std::string policy_name;
  std::string policy_sha256;
  std::string as_of;
  std::string saved_at;
  std::string catengine_version;
  std::int64_t records = 0;
  std::string replaced_at;  // "" while the run is current
  std::int64_t replaced_by = 0;
};

// One school in one run: what `catengine history --school` shows term by term.
struct SchoolTerm {
  RunSummary run;
  std::vector<std::string> columns;  // the run's column names
  std::vector<std::string> values;   // one per column
};

struct SaveOutcome {
  std::int64_t id = 0;
  std::int64_t replaced = 0;  // the run it replaced (same policy name and as-of date), or 0
};

class HistoryStore {
 public:
  enum class Mode {
    Read,   // the file must exist and be a history; nothing is written, not even a migration
    Write,  // created (with the current schema) when absent or empty; migrated when older
  };
  struct Options {
    // How long to wait for another run's save to finish before giving up with "locked".
    int busy_timeout_ms = 5000;
  };

  static std::optional<HistoryStore> open(const std::string& path, Mode mode, std::string& error);
  static std::optional<HistoryStore> open(const std::string& path, Mode mode,
                                          const Options& options, std::string& error);
  HistoryStore(HistoryStore&&) noexcept;
  HistoryStore& operator=(HistoryStore&&) noexcept;
  ~HistoryStore();

  const std::string& path() const;

  // Saves `run` in one transaction: a run killed while saving leaves the store as it was. A
  // current run of the same policy name and as-of date is replaced: it stays in the store,
  // marked replaced (when, and by which run), with its values and its inputs' SHA-256.
  // Waits for another saver up to the busy timeout. Every row must have 1 + columns values.
  std::optional<SaveOutcome> save(const StoredRun& run, std::string& error);

  // The latest current run of `policy_name` with an as-of date strictly before `as_of`, whole.
  // nullopt with `error` empty when there is none.
  std::optional<StoredRun> previous_run(std::string_view policy_name, std::string_view as_of,
                                        std::string& error);
  // A run by id (current or replaced), whole; nullopt with `error` empty when there is none.
  std::optional<StoredRun> run(std::int64_t id, std::string& error);

  // Every run, oldest as-of first within each policy (policies by name); replaced runs only
  // when `include_replaced`. nullopt on error.
  std::optional<std::vector<RunSummary>> runs(bool include_replaced, std::string& error);
  // How many schools of a run have each value of `column`, in the column's declared member
  // order (then any other value, then "" for missing); empty when the run has no such column.
  std::optional<std::vector<std::pair<std::string, std::int64_t>>> value_counts(
      std::int64_t run, std::string_view column, std::string& error);
  // The files a run read, with their SHA-256 (for the audit trail).
  std::optional<std::vector<SourceProvenance>> run_sources(std::int64_t run, std::string& error);
  // The school whose key is `key` in every current run that holds it, by policy then as-of.
  std::optional<std::vector<SchoolTerm>> school(std::string_view key, std::string& error);

  // The schema version of the open store (after any migration).
  int schema_version() const;

 private:
  struct Impl;
  explicit HistoryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The time to record as saved-at: now, in UTC, as YYYY-MM-DDTHH:MM:SSZ; or CATENGINE_NOW when
// that is set (for tests and reproducible examples), which must then be in that form.
std::optional<std::string> history_now(std::string& error);

}  // namespace catengine::engine
