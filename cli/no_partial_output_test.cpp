// When the policy or the data is bad, `evaluate --out FILE` must leave FILE as it was: absent if
// it did not exist, byte for byte the same if it did, and no stray temporary file beside it.
#define BOOST_TEST_MODULE no_partial_output
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/verb_steps.hpp"
#include "system/atomic_file.hpp"

namespace fs = std::filesystem;
using namespace catengine::engine;

namespace {

const std::string kSource = CATENGINE_SOURCE_DIR;
const std::string kGoodData = kSource + "/examples/peterborough/schools.csv";
const std::string kPolicy = kSource + "/policies/peterborough";

// A fresh folder per test, removed afterwards.
struct Scratch {
  fs::path dir;
  Scratch() {
    // The Peterborough policy uses stdlib modules; ctest sets this, a direct run may not.
    setenv("CATENGINE_STDLIB", (kSource + "/stdlib").c_str(), 0);
    dir = fs::temp_directory_path() / ("catengine-no-partial-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) s.append(buf, n);
  return s;
}

struct Run {
  int status;
  std::string out;
  std::string err;
};

// `out_path` empty: to standard output.
Run evaluate(const std::string& policy, const std::string& data, const std::string& out_path,
             unsigned threads = 0, const std::vector<std::string>& columns = {}) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  BOOST_REQUIRE(out != nullptr && err != nullptr);
  EvaluateOptions options;
  options.policy = policy;
  options.data = {data};
  options.as_of = "2018-09-17";
  options.format = "csv";
  if (!out_path.empty()) options.out = out_path;
  options.threads = threads;
  options.columns = columns;
  Console console{out, err, false, false};
  Run r{run_evaluate(options, console), contents(out), contents(err)};
  std::fclose(out);
  std::fclose(err);
  return r;
}

// The example data with one cell broken on the last row, so every row before it is good and
// could have been written.
std::string bad_data() {
  std::string text = read(kGoodData);
  const std::string good_year = ",2017/18,";
  const auto at = text.rfind(good_year);
  BOOST_REQUIRE(at != std::string::npos);
  text.replace(at, good_year.size(), ",2017/19,");
  return text;
}

// A policy whose `by unique match` fails for an attainment from 40 to 49.9 (an evaluation
// error, found only by running it), and `count` records for it that fail at the indexes (from 0)
// in `clashes`.
const std::string kClashPolicy = kSource + "/tests/golden/evaluate_unique_clash/policy.policy";
std::string clashing_records(std::size_t count, const std::vector<std::size_t>& clashes) {
  std::string csv = "urn,attainment\n";
  for (std::size_t i = 0; i < count; ++i) {
    const bool clash = std::find(clashes.begin(), clashes.end(), i) != clashes.end();
    csv += std::to_string(100000 + i) + (clash ? ",45\n" : i % 2 ? ",30\n" : ",80\n");
  }
  return csv;
}

}  // namespace

BOOST_AUTO_TEST_CASE(good_data_is_written) {
  // The control: without it, the tests below would pass if --out never wrote anything.
  Scratch s;
  const std::string out = (s.dir / "results.csv").string();
  Run r = evaluate(kPolicy, kGoodData, out);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == "");
  BOOST_TEST(r.out == "");
  BOOST_TEST(read(out).rfind("urn,name,category,", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(bad_data_writes_no_file) {
  Scratch s;
  const std::string data = s.write("bad.csv", bad_data());
  const std::string out = (s.dir / "results.csv").string();
  Run r = evaluate(kPolicy, data, out);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err.find("nothing was written") != std::string::npos);
  BOOST_TEST(!fs::exists(out));
  BOOST_TEST(s.files() == std::vector<std::string>{"bad.csv"}, "a temporary file was left behind");
}

BOOST_AUTO_TEST_CASE(bad_data_leaves_an_existing_file_unchanged) {
  Scratch s;
  const std::string data = s.write("bad.csv", bad_data());
  const std::string before = "urn,category\n110612,4\n";
  const std::string out = s.write("results.csv", before);
  Run r = evaluate(kPolicy, data, out);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(read(out) == before);
  BOOST_TEST(s.files() == (std::vector<std::string>{"bad.csv", "results.csv"}));
}

BOOST_AUTO_TEST_CASE(bad_policy_leaves_an_existing_file_unchanged) {
  Scratch s;
  const std::string policy = s.write("bad.policy",
                                     "policy \"Bad\"\nrecord School\n  field urn: integer, key\n"
                                     "define x = scor + 1\noutput\n  column urn\n");
  const std::string before = "urn\n110612\n";
  const std::string out = s.write("results.csv", before);
  Run r = evaluate(policy, kGoodData, out);
  BOOST_TEST(r.status == 2);
  BOOST_TEST(r.err.find("error[E0201]") != std::string::npos);
  BOOST_TEST(read(out) == before);
  BOOST_TEST(s.files() == (std::vector<std::string>{"bad.policy", "results.csv"}));
}

// A CSV file is evaluated and written in one pass, a block of 8,192 records at a time: on one
// thread, the blocks before a failing record are already in the temporary file when its error
// is met. They must go with it, the target and its sidecar stay as they were, and the errors
// are reported as when writing to standard output, which evaluates every record first.
BOOST_AUTO_TEST_CASE(an_evaluation_error_in_a_late_block_writes_nothing) {
  Scratch s;
  const std::string data =
      s.write("clash.csv", clashing_records(20000, {17000, 19998}));  // both in the third block
  const Run to_stdout = evaluate(kClashPolicy, data, "", 1);
  BOOST_TEST(to_stdout.status == 2);
  BOOST_TEST(to_stdout.err.find(":17002:-: could not work out `band`") != std::string::npos);
  BOOST_TEST(to_stdout.err.find("error: 2 records could not be evaluated") != std::string::npos);
  for (unsigned threads : {1u, 2u}) {
    const std::string out = (s.dir / "results.csv").string();
    Run r = evaluate(kClashPolicy, data, out, threads);
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.out == "");
    BOOST_TEST(r.err == to_stdout.err);
    BOOST_TEST(s.files() == std::vector<std::string>{"clash.csv"}, "a file was left behind");
    // An existing file and its sidecar are left as they were.
    const std::string before = "urn,band\n100000,3\n";
    s.write("results.csv", before);
    s.write("results.csv.provenance.json", "{}\n");
    r = evaluate(kClashPolicy, data, out, threads);
    BOOST_TEST(r.status == 2);
    BOOST_TEST(r.err == to_stdout.err);
    BOOST_TEST(read(out) == before);
    BOOST_TEST(read(out + ".provenance.json") == "{}\n");
    BOOST_TEST(s.files() == (std::vector<std::string>{"clash.csv", "results.csv",
                                                      "results.csv.provenance.json"}));
    fs::remove(out);
    fs::remove(out + ".provenance.json");
  }
  // Errors in several blocks, on several threads: every one, in record order.
  const std::string spread = s.write("spread.csv", clashing_records(20000, {5, 8191, 8192, 19999}));
  const Run all = evaluate(kClashPolicy, spread, "", 3);
  BOOST_TEST(all.err.find("error: 4 records could not be evaluated") != std::string::npos);
  const Run streamed = evaluate(kClashPolicy, spread, (s.dir / "results.csv").string(), 3);
  BOOST_TEST(streamed.status == 2);
  BOOST_TEST(streamed.err == all.err);
  BOOST_TEST(!fs::exists(s.dir / "results.csv"));
}

// The control for the test above: the same records without a clash are written whole, with
// the same bytes as to standard output.
BOOST_AUTO_TEST_CASE(a_file_evaluated_in_one_pass_matches_standard_output) {
  Scratch s;
  const std::string data = s.write("fine.csv", clashing_records(20000, {}));
  const Run to_stdout = evaluate(kClashPolicy, data, "", 2);
  BOOST_TEST(to_stdout.status == 0);
  BOOST_TEST(std::count(to_stdout.out.begin(), to_stdout.out.end(), '\n') == 20001);
  for (unsigned threads : {1u, 2u, 3u}) {
    const std::string out = (s.dir / "results.csv").string();
    const Run r = evaluate(kClashPolicy, data, out, threads);
    BOOST_TEST(r.status == 0);
    BOOST_TEST(r.err == "");
    BOOST_TEST(read(out) == to_stdout.out);
    BOOST_TEST(fs::exists(out + ".provenance.json"));
  }
}

// Warnings are printed once every record is evaluated and none failed, then the results are
// written; --columns chooses what is evaluated and written. The same through a file.
BOOST_AUTO_TEST_CASE(warnings_and_chosen_columns_through_a_file_evaluated_in_one_pass) {
  Scratch s;
  const std::string golden = kSource + "/tests/golden/evaluate_warnings_limited/";
  const Run to_stdout = evaluate(golden + "policy.policy", golden + "data.csv", "");
  BOOST_TEST(to_stdout.status == 0);
  BOOST_TEST(to_stdout.err.find("warning: [never_visited]") != std::string::npos);
  const std::string out = (s.dir / "results.csv").string();
  const Run r = evaluate(golden + "policy.policy", golden + "data.csv", out);
  BOOST_TEST(r.status == 0);
  BOOST_TEST(r.err == to_stdout.err);
  BOOST_TEST(read(out) == to_stdout.out);
  const std::string data = s.write("fine.csv", clashing_records(10000, {}));
  const Run band = evaluate(kClashPolicy, data, "", 2, {"band", "urn"});
  BOOST_TEST(band.out.rfind("band,urn\n3,100000\n1,100001\n", 0) == 0u);
  for (unsigned threads : {1u, 2u}) {  // one thread: evaluated as the records are bound
    const Run chosen = evaluate(kClashPolicy, data, out, threads, {"band", "urn"});
    BOOST_TEST(chosen.status == 0);
    BOOST_TEST(read(out) == band.out);
  }
  // A policy with warnings needs every record at once: on one thread it is bound first.
  const Run one = evaluate(golden + "policy.policy", golden + "data.csv", out, 1);
  BOOST_TEST(one.status == 0);
  BOOST_TEST(one.err == to_stdout.err);
  BOOST_TEST(read(out) == to_stdout.out);
}

// On one thread the records are evaluated and written window by window (2,048 records) as they
// are bound. A problem in the data found only in a late window, after earlier windows were
// written (and some of them failed to evaluate), must still leave nothing behind and report
// exactly what binding every record first reports: the data's problems, not the evaluation's.
BOOST_AUTO_TEST_CASE(a_data_problem_in_a_late_window_writes_nothing) {
  Scratch s;
  std::string csv = clashing_records(10000, {10, 3000});
  // A duplicate of the first record's key, and a percentage out of bounds, past the fourth
  // window.
  csv += "100000,80\n100001,180\n";
  const std::string data = s.write("late.csv", csv);
  const Run whole = evaluate(kClashPolicy, data, "", 2);  // standard output: bound first
  BOOST_TEST(whole.status == 2);
  BOOST_TEST(whole.err.find(":10002:urn: ") != std::string::npos);
  BOOST_TEST(whole.err.find("could not be evaluated") == std::string::npos);
  const std::string out = (s.dir / "results.csv").string();
  const Run windowed = evaluate(kClashPolicy, data, out, 1);
  BOOST_TEST(windowed.status == 2);
  BOOST_TEST(windowed.out == "");
  BOOST_TEST(windowed.err == whole.err);
  BOOST_TEST(s.files() == std::vector<std::string>{"late.csv"}, "a file was left behind");
  // The same records without the two bad rows: the evaluation errors, as evaluating first
  // gives them, and nothing written.
  const std::string clash = s.write("clash.csv", clashing_records(10000, {10, 3000}));
  const Run first = evaluate(kClashPolicy, clash, "", 2);
  const Run as_bound = evaluate(kClashPolicy, clash, out, 1);
  BOOST_TEST(as_bound.status == 2);
  BOOST_TEST(as_bound.err == first.err);
  BOOST_TEST(as_bound.err.find("error: 2 records could not be evaluated") != std::string::npos);
  BOOST_TEST(!fs::exists(out));
  // And clean: the same bytes and the same sidecar, record count included, as two threads.
  const std::string fine = s.write("fine.csv", clashing_records(4097, {}));
  BOOST_TEST(evaluate(kClashPolicy, fine, out, 2).status == 0);
  const std::string two = read(out), two_sidecar = read(out + ".provenance.json");
  BOOST_TEST(evaluate(kClashPolicy, fine, out, 1).status == 0);
  BOOST_TEST(read(out) == two);
  BOOST_TEST(read(out + ".provenance.json") == two_sidecar);
  BOOST_TEST(two_sidecar.find("\"records\": 4097") != std::string::npos);
}

// On one thread the data file is hashed window by window as it is bound, up to the start of the
// last line read without the quote grammar. Lines with quotes (which do not move that mark),
// CRLF line ends and a last line without one must still give the hash of the whole file: the
// sidecar is the one two threads write, which hash the file whole.
BOOST_AUTO_TEST_CASE(the_data_file_hashed_as_it_is_bound_has_the_whole_file_hash) {
  Scratch s;
  const std::string out = (s.dir / "results.csv").string();
  std::string quoted = "urn,attainment\r\n";
  for (int i = 0; i < 5000; ++i) {
    const std::string urn = std::to_string(100000 + i);
    quoted += (i % 7 == 0 ? "\"" + urn + "\"" : urn) + (i % 2 ? ",30\r\n" : ",80\r\n");
  }
  quoted += "200000,\"75\"";  // no line end after the last line
  std::string every_line_quoted = "urn,attainment\n";
  for (int i = 0; i < 3000; ++i) every_line_quoted += "\"" + std::to_string(300000 + i) + "\",55\n";
  for (const std::string& csv : {quoted, every_line_quoted}) {
    const std::string data = s.write("data.csv", csv);
    BOOST_REQUIRE(evaluate(kClashPolicy, data, out, 2).status == 0);
    const std::string two = read(out), two_sidecar = read(out + ".provenance.json");
    BOOST_REQUIRE(evaluate(kClashPolicy, data, out, 1).status == 0);
    BOOST_TEST(read(out) == two);
    BOOST_TEST(read(out + ".provenance.json") == two_sidecar);
  }
}

BOOST_AUTO_TEST_CASE(a_data_file_written_while_it_is_read_stops_the_run) {
  // Mapped files (system/file_bytes) are looked at again once bound and hashed: one written to
  // meanwhile (a download still running) stops the run before anything is written.
  Scratch s;
  const std::string path = s.write("schools.csv", read(kGoodData));
  std::string error;
  auto bytes = catengine::read_file_bytes(path, error);
  BOOST_REQUIRE(bytes && bytes->mapped());
  std::vector<GivenFile> files(1);
  files[0] = {true, path, "", std::move(*bytes), ""};
  std::FILE* err = std::tmpfile();
  BOOST_REQUIRE(err != nullptr);
  const Console console{stdout, err, false, false};
  BOOST_TEST(files_unchanged(files, console));
  BOOST_TEST(contents(err).empty());
  std::ofstream(path, std::ios::app) << "999999,Late School\n";
  BOOST_TEST(!files_unchanged(files, console));
  BOOST_TEST(contents(err) == "error: `" + path +
                                  "` was changed while catengine was reading it, so what was "
                                  "read may be neither the old nor the new file; run again once "
                                  "it is complete; nothing was written\n");
  std::fclose(err);
}
