// The sqlite3 wrappers; see sqlite.hpp.
#include "history/sqlite.hpp"

#include <sqlite3.h>

namespace catengine::history {

namespace {

Status status_of(sqlite3* db, int code) {
  if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE) return {};
  // The extended code carries detail SQLite's message already gives; callers decide on the
  // primary one (SQLITE_BUSY, SQLITE_NOTADB, ...).
  return {code & 0xff, db ? sqlite3_errmsg(db) : sqlite3_errstr(code)};
}

}  // namespace

std::optional<Database> Database::open(const std::string& path, bool writable, bool create,
                                       Status& status) {
  sqlite3* db = nullptr;
  int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (writable && create) flags |= SQLITE_OPEN_CREATE;
  // No URI names and no shared cache: the path is a plain file name; the connection is used by
  // one thread at a time.
  flags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    status = {rc & 0xff, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)};
    sqlite3_close(db);  // sqlite3_open_v2 may hand back a handle even on failure
    return std::nullopt;
  }
  sqlite3_extended_result_codes(db, 0);
  status = {};
  return Database(db);
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

Database::~Database() {
  // Every statement is finalised by its own destructor first (they never outlive the store).
  sqlite3_close(db_);
}

Status Database::exec(std::string_view sql) {
  const std::string text(sql);
  return status_of(db_, sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr));
}

std::optional<Statement> Database::prepare(std::string_view sql, Status& status) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  status = status_of(db_, rc);
  if (!status.ok()) {
    sqlite3_finalize(stmt);
    return std::nullopt;
  }
  return Statement(stmt, db_);
}

void Database::busy_timeout(int milliseconds) {
  sqlite3_busy_timeout(db_, milliseconds);
}

Status Database::last_error() const {
  return status_of(db_, sqlite3_errcode(db_));
}

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

void Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bind(int index, std::int64_t number) {
  sqlite3_bind_int64(stmt_, index, number);
}

bool Statement::step(Status& status) {
  const int rc = sqlite3_step(stmt_);
  status = status_of(db_, rc);
  return rc == SQLITE_ROW;
}

Status Statement::run() {
  Status status;
  while (step(status)) {
  }
  reset();
  sqlite3_clear_bindings(stmt_);
  return status;
}

void Statement::reset() {
  sqlite3_reset(stmt_);
}

std::string Statement::text(int column) const {
  return std::string(text_view(column));
}

std::string_view Statement::text_view(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p),
          static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db, Status& status) : db_(db) {
  status = db_.exec("BEGIN IMMEDIATE");
  open_ = status.ok();
}

Transaction::~Transaction() {
  if (open_) db_.exec("ROLLBACK");
}

Status Transaction::commit() {
  Status status = db_.exec("COMMIT");
  // A failed COMMIT (SQLITE_BUSY) leaves the transaction open; the destructor rolls it back.
  if (status.ok()) open_ = false;
  return status;
}

}  // namespace catengine::history
