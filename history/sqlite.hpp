// Small RAII wrappers over the sqlite3 C API, as the history store uses it: a connection, a
// prepared statement, a transaction that rolls back unless committed. Every failure comes back
// as a value (a Status with SQLite's result code and message), never as an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace catengine::history {

// The outcome of one SQLite call: `code` is SQLite's primary result code (SQLITE_OK, _BUSY,
// _NOTADB, _CORRUPT, ...), `message` SQLite's own words.
struct Status {
  int code = 0;
  std::string message;
  bool ok() const { return code == 0; }
};

class Statement;

class Database {
 public:
  // Opens `path`; `create` makes the file when it does not exist. Opening is lazy in SQLite:
  // a file that is not a database is only found out by the first statement.
  static std::optional<Database> open(const std::string& path, bool writable, bool create,
                                      Status& status);
  Database(Database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows.
  Status exec(std::string_view sql);
  std::optional<Statement> prepare(std::string_view sql, Status& status);
  void busy_timeout(int milliseconds);
  Status last_error() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
    other.stmt_ = nullptr;
  }
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1, as in SQL's `?1`. Text is copied by SQLite.
  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t number);
  // Steps once: true while a row is ready; false at the end or on failure (see `status`).
  bool step(Status& status);
  // Runs a statement that returns no rows (an INSERT or UPDATE) and resets it for reuse.
  Status run();
  void reset();

  // Columns are numbered from 0. A NULL reads as "" or 0.
  std::string text(int column) const;
  std::string_view text_view(int column) const;  // valid until the next step
  std::int64_t integer(int column) const;
  bool is_null(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction (takes the write lock now, waiting up to the busy timeout,
// so two savers queue instead of failing halfway); ROLLBACK on destruction unless committed.
class Transaction {
 public:
  Transaction(Database& db, Status& status);
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  Database& db_;
  bool open_ = false;
};

}  // namespace catengine::history
