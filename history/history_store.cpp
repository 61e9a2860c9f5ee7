// The history store over SQLite; see history_store.hpp.
//
// Why this layout. A run of all of England is about 24,000 to 29,000 schools × 16 columns. One
// row per value (run, key, column, value) would be 460,000 rows a run, each repeating the run,
// the key and the column name: slow to insert (a B-tree entry per value) and, over 30 runs, well
// over the 200 MB an LA should have to keep. One row per school holds the values as a JSON array
// of strings in column order, in a WITHOUT ROWID table keyed by (run, key), so a school's row is
// stored once, in key order, and a whole run is read back with one range scan. JSON rather than
// a private packing so that an analyst can still query the store with SQL (the `run_values`
// view unpacks it with SQLite's json_each). Column names, types and members are stored once per
// run. A replaced run is not copied anywhere: its rows stay, and the run is marked replaced
// (the `audit` view lists them), which keeps a replacement as cheap as a first save.
//
// Safety. The journal is a write-ahead log with synchronous=FULL: a save is one transaction,
// begun IMMEDIATE so that a second saver waits (up to the busy timeout) for the write lock
// instead of failing halfway, and a process killed mid-save leaves the store as it was. The file
// is marked with an application id, so another SQLite database is told apart from a history.
#include "history/history_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <numeric>

#include <fmt/format.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "base/version.hpp"
#include "history/sqlite.hpp"

namespace catengine::engine {

using history::Database;
using history::Statement;
using history::Status;
using history::Transaction;

namespace {

// "CATH" in the database header's application id field (offset 68): marks a catengine history.
constexpr std::int32_t kApplicationId = 0x43415448;

// The migrations, in order: kMigrations[i] takes a store from version i to version i + 1.
// A new version appends one entry (and bumps kHistorySchemaVersion); entries are never changed.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the first layout.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  policy_name TEXT NOT NULL,
  policy_sha256 TEXT NOT NULL,
  as_of TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  catengine_version TEXT NOT NULL,
  key_column TEXT NOT NULL,
  record_count INTEGER NOT NULL,
  replaced_at TEXT,
  replaced_by INTEGER REFERENCES runs(id)
);
CREATE UNIQUE INDEX runs_current ON runs(policy_name, as_of) WHERE replaced_at IS NULL;
CREATE TABLE run_sources (
  run INTEGER NOT NULL REFERENCES runs(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run, position)
) WITHOUT ROWID;
CREATE TABLE run_columns (
  run INTEGER NOT NULL REFERENCES runs(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  members TEXT,
  PRIMARY KEY (run, position)
) WITHOUT ROWID;
CREATE TABLE run_rows (
  run INTEGER NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  vals TEXT NOT NULL,
  PRIMARY KEY (run, key)
) WITHOUT ROWID;
CREATE VIEW run_values AS
  SELECT r.run AS run, r.key AS key, c.name AS column_name, j.value AS value
  FROM run_rows r JOIN json_each(r.vals) j
  JOIN run_columns c ON c.run = r.run AND c.position = j.key;
CREATE VIEW audit AS
  SELECT id AS run, policy_name, as_of, saved_at, replaced_at, replaced_by
  FROM runs WHERE replaced_at IS NOT NULL;
)sql",
};
static_assert(std::size(kMigrations) == kHistorySchemaVersion);

// ---- JSON arrays of strings: the packed values of one school --------------------------------

// nlohmann-json writes and reads them; invalid UTF-8 (never in a bound text, which is checked or
// converted on reading) would be replaced rather than throw.
std::string json_array(const std::vector<std::string>& items, std::size_t from = 0) {
  nlohmann::json array = nlohmann::json::array();
  for (std::size_t i = from; i < items.size(); ++i) array.push_back(items[i]);
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Appends the strings of a JSON array of strings to `out`; false when the text is not one (a
// row edited by hand, or damaged).
bool parse_json_strings(std::string_view s, std::vector<std::string>& out) {
  const nlohmann::json j = nlohmann::json::parse(s, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return false;
  for (const auto& e : j) {
    if (!e.is_string()) return false;
    out.push_back(e.get<std::string>());
  }
  return true;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

}  // namespace

struct HistoryStore::Impl {
  Database db;
  std::string path;
  Options options;
  int version = 0;

  // One sentence for a failed SQLite call, by what the user can do about it.
  std::string describe(const Status& s) const {
    switch (s.code) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
        return fmt::format(
            "history store `{}` is locked: another run has been saving to it for more than {} "
            "seconds; try again when it has finished",
            path, (options.busy_timeout_ms + 999) / 1000);
      case SQLITE_NOTADB:
        return fmt::format("`{}` is not a catengine history store (it is not an SQLite database)",
                           path);
      case SQLITE_CORRUPT:
        return fmt::format("history store `{}` is damaged (SQLite: {}); restore it from a backup",
                           path, s.message);
      case SQLITE_READONLY:
        return fmt::format("history store `{}` cannot be written ({})", path, s.message);
      case SQLITE_FULL:
        return fmt::format("history store `{}` cannot be written: the disk is full", path);
      default:
        return fmt::format("history store `{}`: {}", path, s.message);
    }
  }

  std::string damaged(std::string_view what) const {
    return fmt::format("history store `{}` is damaged ({}); restore it from a backup", path, what);
  }

  // The header fields that say what the file is: application id, schema version, and whether
  // it holds any table at all.
  struct Header {
    std::int64_t application_id = 0;
    int version = 0;
    std::int64_t objects = 0;
  };
  std::optional<Header> header(std::string& error) {
    Header h;
    Status s;
    auto q = db.prepare(
        "SELECT (SELECT application_id FROM pragma_application_id), "
        "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)",
        s);
    if (!q) {
      error = describe(s);
      return std::nullopt;
    }
    if (!q->step(s)) {
      error = describe(s.ok() ? Status{SQLITE_CORRUPT, "no header"} : s);
      return std::nullopt;
    }
    h.application_id = q->integer(0);
    h.version = static_cast<int>(q->integer(1));
    h.objects = q->integer(2);
    return h;
  }

  std::string newer_message(int version) {
    // The catengine that last migrated the store wrote its version into `meta`.
    std::string by = "a newer catengine";
    Status s;
    if (auto q = db.prepare("SELECT value FROM meta WHERE key = 'schema_written_by'", s)) {
      if (q->step(s)) by = "catengine " + q->text(0);
    }
    return fmt::format(
        "history store `{}` was written by {} (history schema version {}); this is catengine "
        "{}, which reads schema versions up to {}: use a newer catengine",
        path, by, version, catengine_version(), kHistorySchemaVersion);
  }

  // Brings the store to kHistorySchemaVersion inside one transaction. Another process may be
  // doing the same: the version is read again once the write lock is held.
  bool migrate(std::string& error) {
    Status s;
    Transaction t(db, s);
    if (!s.ok()) return error = describe(s), false;
    auto h = header(error);
    if (!h) return false;
    if (h->version > kHistorySchemaVersion) return error = newer_message(h->version), false;
    if (h->application_id != kApplicationId && h->objects != 0) {
      error = fmt::format("`{}` is an SQLite database but not a catengine history store", path);
      return false;
    }
    for (int v = h->version; v < kHistorySchemaVersion; ++v) {
      s = db.exec(kMigrations[v]);
      if (!s.ok()) return error = describe(s), false;
    }
    s = db.exec(
        fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};"
                    "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_written_by', '{}')",
                    kApplicationId, kHistorySchemaVersion, catengine_version()));
    if (s.ok()) s = t.commit();
    if (!s.ok()) return error = describe(s), false;
    version = kHistorySchemaVersion;
    return true;
  }

  bool summary_from(const Statement& q, RunSummary& r) {
    r.id = q.integer(0);
    r.policy_name = q.text(1);
    r.policy_sha256 = q.text(2);
    r.as_of = q.text(3);
    r.saved_at = q.text(4);
    r.catengine_version = q.text(5);
    r.records = q.integer(6);
    r.replaced_at = q.text(7);
    r.replaced_by = q.integer(8);
    return true;
  }
};

namespace {
constexpr const char* kSummaryColumns =
    "id, policy_name, policy_sha256, as_of, saved_at, catengine_version, record_count, "
    "replaced_at, replaced_by";
}  // namespace

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;
HistoryStore::~HistoryStore() = default;

const std::string& HistoryStore::path() const {
  return impl_->path;
}
int HistoryStore::schema_version() const {
  return impl_->version;
}

std::optional<HistoryStore> HistoryStore::open(const std::string& path, Mode mode,
                                               std::string& error) {
  return open(path, mode, Options{}, error);
}

std::optional<HistoryStore> HistoryStore::open(const std::string& path, Mode mode,
                                               const Options& options, std::string& error) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  const bool exists = std::filesystem::exists(status);
  if (!exists && mode == Mode::Read) {
    error = fmt::format(
        "history store `{}` does not exist (`catengine evaluate ... --history {} --save` "
        "creates it)",
        path, path);
    return std::nullopt;
  }
  if (exists && !std::filesystem::is_regular_file(status)) {
    error = fmt::format("history store `{}` is not a regular file", path);
    return std::nullopt;
  }
  Status s;
  auto db = Database::open(path, mode == Mode::Write, true, s);
  if (!db) {
    error = fmt::format("cannot open history store `{}`: {}", path, s.message);
    return std::nullopt;
  }
  auto impl = std::make_unique<Impl>(Impl{std::move(*db), path, options, 0});
  impl->db.busy_timeout(options.busy_timeout_ms);
  auto h = impl->header(error);
  if (!h) return std::nullopt;
  if (h->application_id != kApplicationId) {
    if (h->objects != 0) {
      error = fmt::format("`{}` is an SQLite database but not a catengine history store", path);
      return std::nullopt;
    }
    if (mode == Mode::Read) {
      error = fmt::format("`{}` is not a catengine history store (it is empty)", path);
      return std::nullopt;
    }
  }
  if (h->version > kHistorySchemaVersion) {
    error = impl->newer_message(h->version);
    return std::nullopt;
  }
  impl->version = h->version;
  if (mode == Mode::Write) {
    // Persistent in the file once set; set before the first transaction, as it must be.
    s = impl->db.exec("PRAGMA journal_mode = WAL");
    if (!s.ok()) return error = impl->describe(s), std::nullopt;
  }
  s = impl->db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
  if (!s.ok()) return error = impl->describe(s), std::nullopt;
  if (h->version < kHistorySchemaVersion) {
    if (mode == Mode::Read) {
      error = fmt::format(
          "history store `{}` has schema version {}, older than this catengine's {}; save a "
          "run to it (`--save`) to upgrade it",
          path, h->version, kHistorySchemaVersion);
      return std::nullopt;
    }
    if (!impl->migrate(error)) return std::nullopt;
  }
  return HistoryStore(std::move(impl));
}

std::optional<SaveOutcome> HistoryStore::save(const StoredRun& run, std::string& error) {
  Impl& m = *impl_;
  if (!is_iso_date(run.as_of)) {
    error = fmt::format("cannot save to `{}`: the as-of date `{}` is not YYYY-MM-DD", m.path,
                        run.as_of);
    return std::nullopt;
  }
  for (const auto& row : run.rows) {
    if (row.size() != run.columns.size() + 1) {
      error = fmt::format("cannot save to `{}`: a row has {} values for {} columns and a key",
                          m.path, row.size(), run.columns.size());
      return std::nullopt;
    }
  }
  const auto fail = [&](const Status& s) {
    error = m.describe(s);
    return std::nullopt;
  };
  Status s;
  Transaction t(m.db, s);
  if (!s.ok()) return fail(s);
  SaveOutcome outcome;
  {
    auto q = m.db.prepare(
        "SELECT id FROM runs WHERE policy_name = ?1 AND as_of = ?2 AND replaced_at IS NULL", s);
    if (!q) return fail(s);
    q->bind(1, run.policy_name);
    q->bind(2, run.as_of);
    if (q->step(s)) outcome.replaced = q->integer(0);
    if (!s.ok()) return fail(s);
  }
  // The replaced run is marked first: the unique index allows one current run per policy and
  // as-of date.
  if (outcome.replaced) {
    auto q = m.db.prepare("UPDATE runs SET replaced_at = ?1 WHERE id = ?2", s);
    if (!q) return fail(s);
    q->bind(1, run.saved_at);
    q->bind(2, outcome.replaced);
    if (s = q->run(); !s.ok()) return fail(s);
  }
  {
    auto q = m.db.prepare(
        "INSERT INTO runs (policy_name, policy_sha256, as_of, saved_at, catengine_version, "
        "key_column, record_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        s);
    if (!q) return fail(s);
    q->bind(1, run.policy_name);
    q->bind(2, run.policy_sha256);
    q->bind(3, run.as_of);
    q->bind(4, run.saved_at);
    q->bind(5, run.catengine_version);
    q->bind(6, run.key_column);
    q->bind(7, static_cast<std::int64_t>(run.rows.size()));
    if (q->step(s)) outcome.id = q->integer(0);
    if (!s.ok() || outcome.id == 0) return fail(s.ok() ? m.db.last_error() : s);
  }
  if (outcome.replaced) {
    auto q = m.db.prepare("UPDATE runs SET replaced_by = ?1 WHERE id = ?2", s);
    if (!q) return fail(s);
    q->bind(1, outcome.id);
    q->bind(2, outcome.replaced);
    if (s = q->run(); !s.ok()) return fail(s);
  }
  {
    auto q = m.db.prepare(
        "INSERT INTO run_sources (run, position, name, path, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
        s);
    if (!q) return fail(s);
    for (std::size_t i = 0; i < run.sources.size(); ++i) {
      q->bind(1, outcome.id);
      q->bind(2, static_cast<std::int64_t>(i));
      q->bind(3, run.sources[i].name);
      q->bind(4, run.sources[i].path);
      q->bind(5, run.sources[i].sha256);
      if (s = q->run(); !s.ok()) return fail(s);
    }
  }
  {
    auto q = m.db.prepare(
        "INSERT INTO run_columns (run, position, name, type, members) VALUES (?1, ?2, ?3, ?4, ?5)",
        s);
    if (!q) return fail(s);
    for (std::size_t i = 0; i < run.columns.size(); ++i) {
      const StoredColumn& c = run.columns[i];
      q->bind(1, outcome.id);
      q->bind(2, static_cast<std::int64_t>(i));
      q->bind(3, c.name);
      q->bind(4, c.type);
      if (!c.members.empty()) q->bind(5, json_array(c.members));
      if (s = q->run(); !s.ok()) return fail(s);
    }
  }
  {
    // In key order, so each insert appends to the B-tree rather than splitting pages midway.
    std::vector<std::size_t> order(run.rows.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return run.rows[a][0] < run.rows[b][0]; });
    auto q = m.db.prepare("INSERT INTO run_rows (run, key, vals) VALUES (?1, ?2, ?3)", s);
    if (!q) return fail(s);
    std::string packed;
    for (std::size_t i : order) {
      const auto& row = run.rows[i];
      packed = json_array(row, 1);
      q->bind(1, outcome.id);
      q->bind(2, row[0]);
      q->bind(3, packed);
      if (s = q->run(); !s.ok()) {
        if (s.code == SQLITE_CONSTRAINT) {
          error = fmt::format("cannot save to `{}`: two records have {} `{}`", m.path,
                              run.key_column, row[0]);
          return std::nullopt;
        }
        return fail(s);
      }
    }
  }
  if (s = t.commit(); !s.ok()) return fail(s);
  return outcome;
}

std::optional<StoredRun> HistoryStore::previous_run(std::string_view policy_name,
                                                    std::string_view as_of, std::string& error) {
  error.clear();
  Status s;
  auto q = impl_->db.prepare(
      "SELECT id FROM runs WHERE policy_name = ?1 AND as_of < ?2 AND replaced_at IS NULL "
      "ORDER BY as_of DESC LIMIT 1",
      s);
  if (!q) return error = impl_->describe(s), std::nullopt;
  q->bind(1, policy_name);
  q->bind(2, as_of);
  std::int64_t id = 0;
  if (q->step(s)) id = q->integer(0);
  if (!s.ok()) return error = impl_->describe(s), std::nullopt;
  if (id == 0) return std::nullopt;
  return run(id, error);
}

std::optional<StoredRun> HistoryStore::run(std::int64_t id, std::string& error) {
  error.clear();
  Impl& m = *impl_;
  Status s;
  const auto fail = [&](const Status& st) {
    error = m.describe(st);
    return std::nullopt;
  };
  // One read transaction, so the run, its columns and its rows are one consistent snapshot
  // even while another process saves.
  if (s = m.db.exec("BEGIN"); !s.ok()) return fail(s);
  struct End {
    Database& db;
    ~End() { db.exec("COMMIT"); }
  } end{m.db};
  StoredRun run;
  {
    auto q = m.db.prepare(
        "SELECT id, policy_name, policy_sha256, as_of, saved_at, catengine_version, key_column "
        "FROM runs WHERE id = ?1",
        s);
    if (!q) return fail(s);
    q->bind(1, id);
    if (!q->step(s)) {
      if (!s.ok()) return fail(s);
      return std::nullopt;
    }
    run.id = q->integer(0);
    run.policy_name = q->text(1);
    run.policy_sha256 = q->text(2);
    run.as_of = q->text(3);
    run.saved_at = q->text(4);
    run.catengine_version = q->text(5);
    run.key_column = q->text(6);
  }
  {
    auto q = m.db.prepare(
        "SELECT name, path, sha256 FROM run_sources WHERE run = ?1 ORDER BY position", s);
    if (!q) return fail(s);
    q->bind(1, id);
    while (q->step(s)) run.sources.push_back({q->text(0), q->text(1), q->text(2)});
    if (!s.ok()) return fail(s);
  }
  {
    auto q = m.db.prepare(
        "SELECT name, type, members FROM run_columns WHERE run = ?1 ORDER BY position", s);
    if (!q) return fail(s);
    q->bind(1, id);
    while (q->step(s)) {
      StoredColumn c{q->text(0), q->text(1), {}};
      if (!q->is_null(2) && !parse_json_strings(q->text_view(2), c.members)) {
        error = m.damaged(fmt::format("the members of column `{}` of run {}", c.name, id));
        return std::nullopt;
      }
      run.columns.push_back(std::move(c));
    }
    if (!s.ok()) return fail(s);
  }
  {
    auto q = m.db.prepare("SELECT key, vals FROM run_rows WHERE run = ?1 ORDER BY key", s);
    if (!q) return fail(s);
    q->bind(1, id);
    while (q->step(s)) {
      std::vector<std::string> row;
      row.reserve(run.columns.size() + 1);
      row.push_back(q->text(0));
      if (!parse_json_strings(q->text_view(1), row) || row.size() != run.columns.size() + 1) {
        error = m.damaged(fmt::format("the values of `{}` in run {}", row[0], id));
        return std::nullopt;
      }
      run.rows.push_back(std::move(row));
    }
    if (!s.ok()) return fail(s);
  }
  return run;
}

std::optional<std::vector<RunSummary>> HistoryStore::runs(bool include_replaced,
                                                          std::string& error) {
  Status s;
  auto q = impl_->db.prepare(
      fmt::format("SELECT {} FROM runs {} ORDER BY policy_name, as_of, id", kSummaryColumns,
                  include_replaced ? "" : "WHERE replaced_at IS NULL"),
      s);
  if (!q) return error = impl_->describe(s), std::nullopt;
  std::vector<RunSummary> out;
  while (q->step(s)) impl_->summary_from(*q, out.emplace_back());
  if (!s.ok()) return error = impl_->describe(s), std::nullopt;
  return out;
}

std::optional<std::vector<std::pair<std::string, std::int64_t>>> HistoryStore::value_counts(
    std::int64_t run, std::string_view column, std::string& error) {
  Impl& m = *impl_;
  Status s;
  std::vector<std::pair<std::string, std::int64_t>> out;
  std::int64_t position = -1;
  std::vector<std::string> members;
  {
    auto q =
        m.db.prepare("SELECT position, members FROM run_columns WHERE run = ?1 AND name = ?2", s);
    if (!q) return error = m.describe(s), std::nullopt;
    q->bind(1, run);
    q->bind(2, column);
    if (q->step(s)) {
      position = q->integer(0);
      if (!q->is_null(1) && !parse_json_strings(q->text_view(1), members)) {
        error = m.damaged(fmt::format("the members of column `{}` of run {}", column, run));
        return std::nullopt;
      }
    }
    if (!s.ok()) return error = m.describe(s), std::nullopt;
  }
  if (position < 0) return out;
  std::vector<std::pair<std::string, std::int64_t>> found;
  {
    auto q = m.db.prepare(
        "SELECT json_extract(vals, '$[' || ?2 || ']') AS v, count(*) FROM run_rows "
        "WHERE run = ?1 GROUP BY v ORDER BY v",
        s);
    if (!q) return error = m.describe(s), std::nullopt;
    q->bind(1, run);
    q->bind(2, position);
    while (q->step(s)) found.emplace_back(q->text(0), q->integer(1));
    if (!s.ok()) return error = m.describe(s), std::nullopt;
  }
  // Declared members first, in their order (a level no school has is shown as 0), then any
  // other value, then missing.
  for (const std::string& member : members) {
    auto it =
        std::find_if(found.begin(), found.end(), [&](const auto& f) { return f.first == member; });
    out.emplace_back(member, it == found.end() ? 0 : it->second);
    if (it != found.end()) found.erase(it);
  }
  std::stable_partition(found.begin(), found.end(), [](const auto& f) { return !f.first.empty(); });
  out.insert(out.end(), found.begin(), found.end());
  return out;
}

std::optional<std::vector<SourceProvenance>> HistoryStore::run_sources(std::int64_t run,
                                                                       std::string& error) {
  Status s;
  auto q = impl_->db.prepare(
      "SELECT name, path, sha256 FROM run_sources WHERE run = ?1 ORDER BY position", s);
  if (!q) return error = impl_->describe(s), std::nullopt;
  q->bind(1, run);
  std::vector<SourceProvenance> out;
  while (q->step(s)) out.push_back({q->text(0), q->text(1), q->text(2)});
  if (!s.ok()) return error = impl_->describe(s), std::nullopt;
  return out;
}

std::optional<std::vector<SchoolTerm>> HistoryStore::school(std::string_view key,
                                                            std::string& error) {
  Impl& m = *impl_;
  Status s;
  if (s = m.db.exec("BEGIN"); !s.ok()) return error = m.describe(s), std::nullopt;
  struct End {
    Database& db;
    ~End() { db.exec("COMMIT"); }
  } end{m.db};
  std::vector<SchoolTerm> out;
  std::vector<std::string> packed;
  {
    auto q = m.db.prepare(
        "SELECT r.id, r.policy_name, r.policy_sha256, r.as_of, r.saved_at, r.catengine_version, "
        "r.record_count, r.replaced_at, r.replaced_by, v.vals FROM runs r "
        "JOIN run_rows v ON v.run = r.id AND v.key = ?1 WHERE r.replaced_at IS NULL "
        "ORDER BY r.policy_name, r.as_of",
        s);
    if (!q) return error = m.describe(s), std::nullopt;
    q->bind(1, key);
    while (q->step(s)) {
      SchoolTerm& t = out.emplace_back();
      m.summary_from(*q, t.run);
      packed.push_back(q->text(9));
    }
    if (!s.ok()) return error = m.describe(s), std::nullopt;
  }
  auto q = m.db.prepare("SELECT name FROM run_columns WHERE run = ?1 ORDER BY position", s);
  if (!q) return error = m.describe(s), std::nullopt;
  for (std::size_t i = 0; i < out.size(); ++i) {
    q->bind(1, out[i].run.id);
    while (q->step(s)) out[i].columns.push_back(q->text(0));
    if (!s.ok()) return error = m.describe(s), std::nullopt;
    q->reset();
    if (!parse_json_strings(packed[i], out[i].values) ||
        out[i].values.size() != out[i].columns.size()) {
      error = m.damaged(fmt::format("the values of `{}` in run {}", key, out[i].run.id));
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> history_now(std::string& error) {
  if (const char* fixed = std::getenv("CATENGINE_NOW"); fixed && *fixed) {
    const std::string_view t(fixed);
    const bool ok = t.size() == 20 && is_iso_date(t.substr(0, 10)) && t[10] == 'T' &&
                    t[13] == ':' && t[16] == ':' && t[19] == 'Z' &&
                    std::all_of(t.begin() + 11, t.begin() + 19,
                                [](char c) { return (c >= '0' && c <= '9') || c == ':'; });
    if (!ok) {
      error = fmt::format("CATENGINE_NOW is `{}`; expected YYYY-MM-DDTHH:MM:SSZ", t);
      return std::nullopt;
    }
    return std::string(t);
  }
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(buffer);
}

}  // namespace catengine::engine
