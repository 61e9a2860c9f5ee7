// Tests of `catengine evaluate --history FILE --save` through run_evaluate: the saved values are
// exactly the CSV output's cells, a rerun replaces, and a run that fails or cannot be saved
// writes nothing (no results, no new store, no change to an existing one).
#define BOOST_TEST_MODULE history_steps
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "history/history_store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace catengine::engine;
using catengine::test::TempDir;
namespace fs = std::filesystem;

namespace {

const std::string kSource = CATENGINE_SOURCE_DIR;

struct Run {
  int status;
  std::string out;
  std::string err;
};

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) s.append(buf, n);
  return s;
}

// The report-card policy on its example files, as of `as_of`, saving to `store`.
Run evaluate(const std::string& as_of, const std::string& store, bool save = true,
             const std::string& la = kSource + "/examples/report-cards/la.csv") {
  setenv("CATENGINE_STDLIB", (kSource + "/stdlib").c_str(), 0);
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  BOOST_REQUIRE(out != nullptr && err != nullptr);
  EvaluateOptions options;
  options.policy = kSource + "/policies/report-cards";
  for (const char* s : {"gias", "ofsted", "ks2", "overrides"})
    options.data.push_back(std::string(s) + "=" + kSource + "/examples/report-cards/" + s + ".csv");
  options.data.push_back("la=" + la);
  options.as_of = as_of;
  options.format = "csv";
  options.history = store;
  options.save = save;
  Console console{out, err, false, false};
  Run r{run_evaluate(options, console), contents(out), contents(err)};
  std::fclose(out);
  std::fclose(err);
  return r;
}

// CSV lines split on commas: the example's cells hold no quoted commas in the columns compared.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream l(line);
    while (std::getline(l, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_CASE(saved_values_are_the_csv_cells) {
  TempDir dir("catengine-history-steps");
  const std::string store = (dir.path / "h.sqlite").string();
  setenv("CATENGINE_NOW", "2026-01-05T09:00:00Z", 1);
  const Run r = evaluate("2026-01-05", store);
  unsetenv("CATENGINE_NOW");
  BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
  BOOST_CHECK(r.err.find("saved the run as of 2026-01-05") != std::string::npos);
  std::string error;
  auto h = HistoryStore::open(store, HistoryStore::Mode::Read, error);
  BOOST_REQUIRE_MESSAGE(h, error);
  auto run =
      h->previous_run("Model categorisation policy under Ofsted report cards", "2026-04-20", error);
  BOOST_REQUIRE_MESSAGE(run, error);
  BOOST_CHECK_EQUAL(run->saved_at, "2026-01-05T09:00:00Z");
  BOOST_CHECK_EQUAL(run->key_column, "urn");
  BOOST_CHECK_EQUAL(run->sources.size(), 5u);
  // Every value the CSV shows, school by school (the CSV's first column is the URN).
  auto csv = csv_rows(r.out);
  BOOST_REQUIRE_EQUAL(csv.size(), run->rows.size() + 1);
  BOOST_REQUIRE_EQUAL(csv[0].size(), run->columns.size());
  for (std::size_t c = 0; c < run->columns.size(); ++c)
    BOOST_CHECK_EQUAL(csv[0][c], run->columns[c].name);
  std::size_t compared = 0;
  for (std::size_t i = 1; i < csv.size(); ++i) {
    if (csv[i].size() != run->columns.size()) continue;  // a name with a quoted comma
    auto it = std::find_if(run->rows.begin(), run->rows.end(),
                           [&](const auto& row) { return row[0] == csv[i][0]; });
    BOOST_REQUIRE(it != run->rows.end());
    for (std::size_t c = 0; c < run->columns.size(); ++c)
      BOOST_CHECK_EQUAL((*it)[c + 1], csv[i][c]);
    ++compared;
  }
  BOOST_CHECK_GT(compared, 100u);
  const auto& level = run->columns[2];
  BOOST_CHECK_EQUAL(level.name, "level");
  BOOST_CHECK(level.members ==
              (std::vector<std::string>{"universal", "targeted", "intensive", "intervention"}));
}

BOOST_AUTO_TEST_CASE(a_rerun_replaces_and_reading_changes_nothing) {
  TempDir dir("catengine-history-steps");
  const std::string store = (dir.path / "h.sqlite").string();
  BOOST_REQUIRE_EQUAL(evaluate("2026-01-05", store).status, 0);
  const Run again = evaluate("2026-01-05", store);
  BOOST_REQUIRE_EQUAL(again.status, 0);
  BOOST_CHECK(again.err.find("replaces the run saved earlier") != std::string::npos);
  const auto size = fs::file_size(store);
  const Run read = evaluate("2026-04-20", store, false);
  BOOST_REQUIRE_MESSAGE(read.status == 0, read.err);
  // Only the policy's own warnings (overrides expired by April), no word of saving.
  BOOST_CHECK(read.err.find("saved the run") == std::string::npos);
  BOOST_CHECK(read.err.find("replaces") == std::string::npos);
  BOOST_CHECK(read.err.find("error") == std::string::npos);
  BOOST_CHECK_EQUAL(fs::file_size(store), size);
  std::string error;
  auto h = HistoryStore::open(store, HistoryStore::Mode::Read, error);
  BOOST_REQUIRE(h);
  auto runs = h->runs(true, error);
  BOOST_REQUIRE(runs);
  BOOST_CHECK_EQUAL(runs->size(), 2u);
}

BOOST_AUTO_TEST_CASE(a_failed_run_saves_nothing_and_creates_no_store) {
  TempDir dir("catengine-history-steps");
  const std::string store = (dir.path / "h.sqlite").string();
  const Run r = evaluate("2026-01-05", store, true, (dir.path / "absent.csv").string());
  BOOST_CHECK_EQUAL(r.status, 2);
  BOOST_CHECK(r.out.empty());
  BOOST_CHECK(!fs::exists(store));
}

BOOST_AUTO_TEST_CASE(a_store_that_cannot_be_used_stops_the_run_before_any_output) {
  TempDir dir("catengine-history-steps");
  // Not a store.
  const std::string csv = kSource + "/examples/report-cards/la.csv";
  for (bool save : {true, false}) {
    const Run r = evaluate("2026-01-05", csv, save);
    BOOST_CHECK_EQUAL(r.status, 2);
    BOOST_CHECK(r.out.empty());
    BOOST_CHECK(r.err.find("is not a catengine history store") != std::string::npos);
  }
  // Reading a store that does not exist.
  const Run missing = evaluate("2026-01-05", (dir.path / "none.sqlite").string(), false);
  BOOST_CHECK_EQUAL(missing.status, 2);
  BOOST_CHECK(missing.out.empty());
  // A store another process holds locked throughout: the save gives up after the busy timeout
  // (5 seconds), and nothing is written.
  const std::string store = (dir.path / "h.sqlite").string();
  BOOST_REQUIRE_EQUAL(evaluate("2025-09-08", store).status, 0);
  sqlite3* other = nullptr;
  BOOST_REQUIRE_EQUAL(sqlite3_open(store.c_str(), &other), SQLITE_OK);
  BOOST_REQUIRE_EQUAL(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const Run locked = evaluate("2026-01-05", store);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  BOOST_CHECK_EQUAL(locked.status, 2);
  BOOST_CHECK(locked.out.empty());
  BOOST_CHECK_MESSAGE(locked.err.find("is locked") != std::string::npos, locked.err);
  BOOST_CHECK(locked.err.find("nothing was written") != std::string::npos);
}
