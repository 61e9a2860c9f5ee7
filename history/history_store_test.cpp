// Tests of history/history_store: a run saved and read back whole, replacement keeping the
// replaced run in the audit trail, which run is "previous", and every way a file can fail to be
// a usable store (newer schema, not a history, damaged, locked), plus two savers at once.
#define BOOST_TEST_MODULE history_store
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <fmt/format.h>

#include <fstream>
#include <thread>

#include "base/version.hpp"
#include "history/history_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace catengine::engine;
using catengine::test::TempDir;
using Mode = HistoryStore::Mode;

namespace {

// A run of `schools` schools, each value marked with `tag` so runs can be told apart.
StoredRun make_run(const std::string& policy, const std::string& as_of, const std::string& tag,
                   int schools = 3) {
  StoredRun run;
  run.policy_name = policy;
  run.policy_sha256 = std::string(64, 'a');
  run.as_of = as_of;
  run.saved_at = as_of + "T09:00:00Z";
  run.catengine_version = "0.1.0";
  run.sources = {{"gias", "gias.csv", std::string(64, 'b')}, {"ks2", "ks2.csv", tag}};
  run.key_column = "urn";
  run.columns = {{"level", "Level", {"universal", "targeted", "intensive"}}, {"note", "text?", {}}};
  for (int i = 0; i < schools; ++i) {
    run.rows.push_back({std::to_string(100000 + i), i % 2 ? "targeted" : "universal",
                        tag + "-" + std::to_string(i)});
  }
  return run;
}

HistoryStore open_or_fail(const std::string& path, Mode mode) {
  std::string error;
  auto store = HistoryStore::open(path, mode, error);
  BOOST_REQUIRE_MESSAGE(store, error);
  return std::move(*store);
}

std::int64_t save_or_fail(HistoryStore& store, const StoredRun& run) {
  std::string error;
  auto saved = store.save(run, error);
  BOOST_REQUIRE_MESSAGE(saved, error);
  return saved->id;
}

void sql(const std::string& path, const std::string& statement) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE_EQUAL(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &message);
  BOOST_CHECK_MESSAGE(rc == SQLITE_OK, (message ? message : ""));
  sqlite3_free(message);
  sqlite3_close(db);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_run_is_read_back_whole) {
  TempDir dir("catengine-history");
  const std::string path = (dir.path / "h.sqlite").string();
  auto store = open_or_fail(path, Mode::Write);
  BOOST_CHECK_EQUAL(store.schema_version(), kHistorySchemaVersion);
  StoredRun run = make_run("P", "2026-01-05", "x");
  // Text that JSON must escape, and missing values.
  run.rows.push_back({"100100", "", "quote \" back \\ line\nbreak tab\t ünï €"});
  run.rows.push_back({"099999", "intensive", ""});
  const auto id = save_or_fail(store, run);

  // Read back by another connection, read-only.
  auto reader = open_or_fail(path, Mode::Read);
  std::string error;
  auto back = reader.run(id, error);
  BOOST_REQUIRE_MESSAGE(back, error);
  BOOST_CHECK_EQUAL(back->policy_name, "P");
  BOOST_CHECK_EQUAL(back->as_of, "2026-01-05");
  BOOST_CHECK_EQUAL(back->saved_at, "2026-01-05T09:00:00Z");
  BOOST_CHECK_EQUAL(back->key_column, "urn");
  BOOST_REQUIRE_EQUAL(back->sources.size(), 2u);
  BOOST_CHECK_EQUAL(back->sources[1].name, "ks2");
  BOOST_CHECK_EQUAL(back->sources[1].sha256, "x");
  BOOST_REQUIRE_EQUAL(back->columns.size(), 2u);
  BOOST_CHECK_EQUAL(back->columns[0].type, "Level");
  BOOST_CHECK_EQUAL(back->columns[0].members.size(), 3u);
  BOOST_CHECK(back->columns[1].members.empty());
  // Rows come back in key order (as text).
  auto expected = run.rows;
  std::sort(expected.begin(), expected.end());
  BOOST_REQUIRE(back->rows == expected);

  auto counts = reader.value_counts(id, "level", error);
  BOOST_REQUIRE(counts);
  const std::vector<std::pair<std::string, std::int64_t>> want{
      {"universal", 2}, {"targeted", 1}, {"intensive", 1}, {"", 1}};
  BOOST_CHECK(*counts == want);
  auto none = reader.value_counts(id, "no_such_column", error);
  BOOST_REQUIRE(none);
  BOOST_CHECK(none->empty());

  auto school = reader.school("100100", error);
  BOOST_REQUIRE(school);
  BOOST_REQUIRE_EQUAL(school->size(), 1u);
  BOOST_CHECK_EQUAL((*school)[0].values[1], run.rows[3][2]);
}

BOOST_AUTO_TEST_CASE(saving_again_replaces_and_keeps_the_audit_trail) {
  TempDir dir("catengine-history");
  const std::string path = (dir.path / "h.sqlite").string();
  auto store = open_or_fail(path, Mode::Write);
  const auto first = save_or_fail(store, make_run("P", "2026-01-05", "first"));
  StoredRun again = make_run("P", "2026-01-05", "second");
  again.saved_at = "2026-01-06T10:00:00Z";
  std::string error;
  auto saved = store.save(again, error);
  BOOST_REQUIRE_MESSAGE(saved, error);
  BOOST_CHECK_EQUAL(saved->replaced, first);

  auto current = store.runs(false, error);
  BOOST_REQUIRE(current);
  BOOST_REQUIRE_EQUAL(current->size(), 1u);
  BOOST_CHECK_EQUAL((*current)[0].id, saved->id);
  auto all = store.runs(true, error);
  BOOST_REQUIRE(all);
  BOOST_REQUIRE_EQUAL(all->size(), 2u);
  const RunSummary& old = (*all)[0].id == first ? (*all)[0] : (*all)[1];
  BOOST_CHECK_EQUAL(old.replaced_at, "2026-01-06T10:00:00Z");
  BOOST_CHECK_EQUAL(old.replaced_by, saved->id);
  // The replaced run keeps its values and its inputs' SHA-256.
  auto kept = store.run(first, error);
  BOOST_REQUIRE(kept);
  BOOST_CHECK_EQUAL(kept->rows[0][2], "first-0");
  BOOST_CHECK_EQUAL(kept->sources[1].sha256, "first");
  // And the previous run of a later date is the replacement.
  auto previous = store.previous_run("P", "2026-04-20", error);
  BOOST_REQUIRE(previous);
  BOOST_CHECK_EQUAL(previous->rows[0][2], "second-0");
}

BOOST_AUTO_TEST_CASE(previous_run_is_the_latest_earlier_run_of_the_same_policy) {
  TempDir dir("catengine-history");
  auto store = open_or_fail((dir.path / "h.sqlite").string(), Mode::Write);
  // Saved out of date order, with another policy between.
  save_or_fail(store, make_run("P", "2026-01-05", "p-jan"));
  save_or_fail(store, make_run("P", "2025-09-08", "p-sep"));
  save_or_fail(store, make_run("Q", "2026-03-01", "q-mar"));
  save_or_fail(store, make_run("P", "2026-04-20", "p-apr"));
  std::string error;
  const auto tag_of = [&](std::string_view policy, std::string_view as_of) -> std::string {
    auto run = store.previous_run(policy, as_of, error);
    BOOST_REQUIRE(error.empty());
    return run ? run->sources[1].sha256 : "none";
  };
  BOOST_CHECK_EQUAL(tag_of("P", "2026-04-20"), "p-jan");  // Q's March run is ignored
  BOOST_CHECK_EQUAL(tag_of("P", "2026-03-01"), "p-jan");  // the April run is later
  BOOST_CHECK_EQUAL(tag_of("P", "2026-01-05"), "p-sep");  // strictly earlier
  BOOST_CHECK_EQUAL(tag_of("P", "2027-01-01"), "p-apr");
  BOOST_CHECK_EQUAL(tag_of("P", "2025-09-08"), "none");
  BOOST_CHECK_EQUAL(tag_of("Q", "2026-04-20"), "q-mar");
  BOOST_CHECK_EQUAL(tag_of("R", "2026-04-20"), "none");
}

BOOST_AUTO_TEST_CASE(a_store_of_a_newer_schema_is_refused_naming_both_versions) {
  TempDir dir("catengine-history");
  const std::string path = (dir.path / "h.sqlite").string();
  {
    auto store = open_or_fail(path, Mode::Write);
    save_or_fail(store, make_run("P", "2026-01-05", "x"));
  }
  sql(path,
      "PRAGMA user_version = 2; UPDATE meta SET value = '9.9.9' WHERE key = 'schema_written_by'");
  for (Mode mode : {Mode::Read, Mode::Write}) {
    std::string error;
    BOOST_CHECK(!HistoryStore::open(path, mode, error));
    BOOST_CHECK_MESSAGE(contains(error, "catengine 9.9.9") && contains(error, "version 2") &&
                            contains(error, catengine::catengine_version()) &&
                            contains(error, "up to 1"),
                        error);
  }
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_history_gives_one_clear_message) {
  TempDir dir("catengine-history");
  std::string error;
  // Not there at all, when only reading.
  const std::string absent = (dir.path / "absent.sqlite").string();
  BOOST_CHECK(!HistoryStore::open(absent, Mode::Read, error));
  BOOST_CHECK_MESSAGE(contains(error, "does not exist"), error);
  BOOST_CHECK(!std::filesystem::exists(absent));
  // Random bytes.
  const std::string noise = (dir.path / "noise.sqlite").string();
  {
    std::ofstream out(noise, std::ios::binary);
    for (int i = 0; i < 10000; ++i) out.put(static_cast<char>((i * 7919) % 251));
  }
  for (Mode mode : {Mode::Read, Mode::Write}) {
    BOOST_CHECK(!HistoryStore::open(noise, mode, error));
    BOOST_CHECK_MESSAGE(contains(error, "is not a catengine history store (it is not an SQLite"),
                        error);
  }
  // Another application's SQLite database is left alone.
  const std::string other = (dir.path / "other.sqlite").string();
  sql(other, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  for (Mode mode : {Mode::Read, Mode::Write}) {
    BOOST_CHECK(!HistoryStore::open(other, mode, error));
    BOOST_CHECK_MESSAGE(contains(error, "an SQLite database but not a catengine history"), error);
  }
  // An empty file: not a history to read, but one to start.
  const std::string empty = (dir.path / "empty.sqlite").string();
  std::ofstream(empty).close();
  BOOST_CHECK(!HistoryStore::open(empty, Mode::Read, error));
  BOOST_CHECK_MESSAGE(contains(error, "it is empty"), error);
  auto store = open_or_fail(empty, Mode::Write);
  save_or_fail(store, make_run("P", "2026-01-05", "x"));
  // A folder.
  BOOST_CHECK(!HistoryStore::open(dir.path.string(), Mode::Write, error));
  BOOST_CHECK_MESSAGE(contains(error, "not a regular file"), error);
}

BOOST_AUTO_TEST_CASE(a_damaged_store_gives_an_error_not_a_crash) {
  TempDir dir("catengine-history");
  const std::string path = (dir.path / "h.sqlite").string();
  {
    auto store = open_or_fail(path, Mode::Write);
    save_or_fail(store, make_run("P", "2025-09-08", "x", 5000));
    save_or_fail(store, make_run("P", "2026-01-05", "y", 5000));
  }
  const auto size = std::filesystem::file_size(path);
  BOOST_REQUIRE_GT(size, 40000u);
  // Overwrite every page after the first few with garbage, at several offsets in turn.
  for (std::uintmax_t at : {size / 4, size / 2, size - 4096}) {
    std::filesystem::copy_file(path, path + ".bad",
                               std::filesystem::copy_options::overwrite_existing);
    {
      std::fstream f(path + ".bad", std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(at));
      for (int i = 0; i < 4096; ++i) f.put(static_cast<char>(0xA5 ^ i));
    }
    std::string error;
    auto store = HistoryStore::open(path + ".bad", Mode::Read, error);
    if (!store) {
      BOOST_TEST_MESSAGE("damaged at " << at << ": " << error);
      BOOST_CHECK_MESSAGE(contains(error, path + ".bad"), error);
      continue;
    }
    bool failed = false;
    auto runs = store->runs(true, error);
    if (!runs) failed = true;
    for (const RunSummary& r : runs ? *runs : std::vector<RunSummary>{}) {
      if (!store->run(r.id, error)) {
        failed = true;
        break;
      }
    }
    BOOST_TEST_MESSAGE("damaged at " << at << ": " << (failed ? error : "read back"));
    if (failed) BOOST_CHECK_MESSAGE(contains(error, "damaged"), error);
  }
}

BOOST_AUTO_TEST_CASE(a_store_locked_beyond_the_timeout_says_so) {
  TempDir dir("catengine-history");
  const std::string path = (dir.path / "h.sqlite").string();
  auto store = open_or_fail(path, Mode::Write);
  save_or_fail(store, make_run("P", "2025-09-08", "x"));
  // Another writer holds the write lock throughout.
  sqlite3* other = nullptr;
  BOOST_REQUIRE_EQUAL(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  BOOST_REQUIRE_EQUAL(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::string error;
  auto waiting = HistoryStore::open(path, Mode::Write, {.busy_timeout_ms = 200}, error);
  BOOST_REQUIRE_MESSAGE(waiting, error);
  BOOST_CHECK(!waiting->save(make_run("P", "2026-01-05", "y"), error));
  BOOST_CHECK_MESSAGE(contains(error, "is locked"), error);
  // Readers are not held up by the writer (WAL).
  BOOST_CHECK(waiting->runs(false, error));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  // Nothing of the failed save is left.
  auto runs = waiting->runs(true, error);
  BOOST_REQUIRE(runs);
  BOOST_CHECK_EQUAL(runs->size(), 1u);
}

BOOST_AUTO_TEST_CASE(two_savers_at_once_both_succeed) {
  TempDir dir("catengine-history");
  const std::string path = (dir.path / "h.sqlite").string();
  // Both create the store at once as well: the schema must be made exactly once.
  std::string errors[4];
  bool saved[4] = {};
  {
    std::vector<std::jthread> savers;
    for (int t = 0; t < 4; ++t) {
      savers.emplace_back([&, t] {
        // A long busy timeout: the point is that savers wait for each other, not how fast a
        // loaded machine (or a sanitizer build) saves, which the default 5 s would make flaky.
        HistoryStore::Options patient;
        patient.busy_timeout_ms = 120000;
        auto store = HistoryStore::open(path, Mode::Write, patient, errors[t]);
        if (!store) return;
        for (int k = 0; k < 3; ++k) {
          const std::string as_of = fmt::format("202{}-0{}-01", t, k + 1);
          if (!store->save(make_run("P", as_of, "t", 5000), errors[t])) return;
        }
        saved[t] = true;
      });
    }
  }
  for (int t = 0; t < 4; ++t) BOOST_CHECK_MESSAGE(saved[t], errors[t]);
  auto store = open_or_fail(path, Mode::Read);
  std::string error;
  auto runs = store.runs(false, error);
  BOOST_REQUIRE(runs);
  BOOST_CHECK_EQUAL(runs->size(), 12u);
}

BOOST_AUTO_TEST_CASE(bad_runs_are_refused_and_leave_the_store_as_it_was) {
  TempDir dir("catengine-history");
  auto store = open_or_fail((dir.path / "h.sqlite").string(), Mode::Write);
  save_or_fail(store, make_run("P", "2026-01-05", "x"));
  std::string error;
  StoredRun twice = make_run("P", "2026-01-05", "y");
  twice.rows.push_back(twice.rows[0]);
  BOOST_CHECK(!store.save(twice, error));
  BOOST_CHECK_MESSAGE(contains(error, "two records have urn `100000`"), error);
  StoredRun short_row = make_run("P", "2026-04-20", "z");
  short_row.rows[1].pop_back();
  BOOST_CHECK(!store.save(short_row, error));
  BOOST_CHECK_MESSAGE(contains(error, "a row has 2 values"), error);
  StoredRun bad_date = make_run("P", "5th January", "z");
  BOOST_CHECK(!store.save(bad_date, error));
  // The first run is still the only one, and still current.
  auto runs = store.runs(true, error);
  BOOST_REQUIRE(runs);
  BOOST_REQUIRE_EQUAL(runs->size(), 1u);
  BOOST_CHECK(runs->front().replaced_at.empty());
}
