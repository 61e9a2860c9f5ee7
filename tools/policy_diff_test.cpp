// Tests of engine/policy_diff and engine/git_source: changed schools with the rules that decided
// them, the category matrix, the four formats, and reading the old version from git.
#define BOOST_TEST_MODULE policy_diff
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "base/calendar.hpp"
#include "cli/diff_command.hpp"
#include "compile/compiled_policy.hpp"
#include "system/atomic_file.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/git_source.hpp"
#include "tools/policy_diff.hpp"

using namespace catengine;
using namespace catengine::engine;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = CATENGINE_SOURCE_DIR;
const fs::path kSmall = kSource / "tests/golden/test_failing/policy/small.policy";
const fs::path kSmallData = kSource / "tests/golden/test_failing/policy/tests/small-2018-09-17.csv";

std::string read(const fs::path& p) {
  std::string error;
  auto text = read_file(p, error);
  BOOST_REQUIRE(text);
  return *text;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::unique_ptr<CompiledPolicy> compile_text(const std::string& path, std::string text) {
  CompileResult r = compile_policy_text(path, std::move(text));
  BOOST_REQUIRE(r.compiled);
  return std::move(r.compiled);
}

// Runs a verb with its output captured.
struct Captured {
  int status = 0;
  std::string out, err;
};

Captured run(const DiffOptions& options) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  Captured c;
  c.status = run_diff(options, {out, err, false, false});
  for (auto [f, s] : {std::pair{out, &c.out}, std::pair{err, &c.err}}) {
    std::fflush(f);
    std::rewind(f);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) s->append(buffer, n);
    std::fclose(f);
  }
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(revisions_are_split_at_the_first_colon) {
  auto r = split_revision("main:policies/peterborough");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->first == "main");
  BOOST_TEST(r->second == "policies/peterborough");
  BOOST_TEST(!split_revision("policies/peterborough"));
  BOOST_TEST(!split_revision(":x"));
  BOOST_TEST(!split_revision("main:"));
  BOOST_TEST(!split_revision("--output=x:y"));  // would be an option to git
}

BOOST_AUTO_TEST_CASE(a_floor_change_moves_one_peterborough_school) {
  const std::string text = read(kSource / "policies/peterborough/peterborough.policy");
  const std::string changed = replace(text,
                                      "then if ks2_rwm < primary_floor_attainment of "
                                      "results_year\n            and (ks2_read_prog",
                                      "then if ks2_rwm < 70\n            and (ks2_read_prog");
  const std::string path = (kSource / "policies/peterborough/peterborough.policy").string();
  auto old_policy = compile_text(path, text);
  auto new_policy = compile_text(path, changed);
  const std::string data_path = (kSource / "examples/peterborough/schools.csv").string();
  const std::string bytes = read(data_path);
  DiffRequest req{
      old_policy.get(),
      new_policy.get(),
      "old",
      "new",
      data_path,
      [&](const RecordSchema& schema) { return bind_records(data_path, bytes, schema); },
      date_from_ymd(2018, 9, 17)};
  std::vector<std::string> errors;
  auto d = diff_policies(req, errors);
  BOOST_REQUIRE(d);
  BOOST_TEST(errors.empty());
  BOOST_TEST(d->records == 77u);
  BOOST_TEST(d->key_column == "urn");
  BOOST_TEST(d->only_old.empty());
  BOOST_TEST(d->only_new.empty());
  BOOST_REQUIRE_EQUAL(d->schools.size(), 1u);
  const SchoolDiff& s = d->schools[0];
  BOOST_TEST(s.key == "110693");
  BOOST_TEST(s.name == "Glinton Heath Primary School");
  BOOST_TEST(s.row == 41u);
  BOOST_REQUIRE(s.cells.size() >= 2u);
  BOOST_TEST(s.cells[0].column == "category");
  BOOST_TEST(s.cells[0].old_value == "2");
  BOOST_TEST(s.cells[0].new_value == "3a");
  BOOST_REQUIRE(s.cells[0].old_rule && s.cells[0].new_rule);
  BOOST_TEST(s.cells[0].old_rule->id == "R11");
  BOOST_TEST(s.cells[0].new_rule->id == "R9");
  BOOST_TEST(s.cells[0].new_rule->cite == "Specification, section 3, R9");
  BOOST_TEST(s.cells[1].column == "rule");
  BOOST_TEST(s.cells[1].new_rule->decision == "category");

  const CategoryMatrix& m = d->matrix;
  BOOST_TEST(m.column == "category");
  BOOST_REQUIRE_EQUAL(m.labels.size(), 5u);
  BOOST_TEST(m.labels[1] == "2");
  BOOST_TEST(m.labels[2] == "3a");
  BOOST_TEST(m.counts[1][2] == 1u);
  BOOST_TEST(m.counts[1][1] == 44u);
  std::size_t total = 0;
  for (const auto& row : m.counts) {
    for (auto n : row) total += n;
  }
  BOOST_TEST(total == 77u);

  const std::string csv = render_diff_csv(*d);
  BOOST_TEST(
      csv.find(
          "urn,name,column,old,new,old_rule,old_title,old_cite,new_rule,new_title,new_cite\n") ==
      0u);
  BOOST_TEST(csv.find("\n110693,Glinton Heath Primary School,category,2,3a,R11,Good or outstanding,"
                      "\"Specification, section 3, R11\",R9,") != std::string::npos);
  const std::string md = render_diff_markdown(*d);
  BOOST_TEST(md.find("## catengine diff: 1 of 77 schools change\n") == 0u);
  BOOST_TEST(md.find("| **2** | · | 44 | **1** | · | · |\n") != std::string::npos);
  const std::string json = render_diff_json(*d);
  BOOST_TEST(json.find("\"changed\": 1,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(old_version_from_a_git_revision) {
  test::TempDir repo("policy-diff");
  const std::string dir = repo.path.string();
  const fs::path policy = repo.path / "small.policy";
  fs::copy_file(kSmall, policy);
  BOOST_REQUIRE_EQUAL(run_git(dir, {"init", "-q"}).status, 0);
  BOOST_REQUIRE_EQUAL(run_git(dir, {"add", "small.policy"}).status, 0);
  GitOutput commit =
      run_git(dir, {"-c", "user.name=Test", "-c", "user.email=test@example.org", "-c",
                    "commit.gpgsign=false", "commit", "-q", "-m", "small policy"});
  BOOST_REQUIRE_MESSAGE(commit.status == 0, commit.err);
  // The working copy now puts scores under 60, not 40, in the high band.
  test::write_file(policy, replace(read(policy), "when score < 40 if missing no then high",
                                   "when score < 60 if missing no then high"));

  DiffOptions options;
  options.old_policy = "HEAD:small.policy";
  options.new_policy = policy.string();
  options.data = {kSmallData.string()};
  options.as_of = "2018-09-17";
  options.repo_dir = dir;
  options.fail_on_change = true;
  Captured c = run(options);
  BOOST_TEST(c.err == "");
  BOOST_TEST(c.status == 1);
  BOOST_TEST(c.out.find("1 of 3 schools changed\n") != std::string::npos);
  BOOST_TEST(c.out.find("urn 1002, Birch School (row 3)\n"
                        "  band: medium -> high\n"
                        "  rule: B2 -> B1\n"
                        "  next_visit: 2018-09-17 -> 2018-09-17\n") ==
             std::string::npos);  // unchanged cells are left out
  BOOST_TEST(
      c.out.find("urn 1002, Birch School (row 3)\n"
                 "  band: medium -> high\n"
                 "  rule: B2 -> B1\n"
                 "  `band` decided by\n"
                 "    old: B2 \"Medium concern: a score under 60\" [Test policy, section 4.2]\n"
                 "    new: B1 \"High concern: a score under 40\" [Test policy, section 4.1]\n") !=
      std::string::npos);

  // Without --fail-on-change a change is not a failure; an unknown revision is an input error.
  options.fail_on_change = false;
  BOOST_TEST(run(options).status == 0);
  options.old_policy = "nosuchbranch:small.policy";
  c = run(options);
  BOOST_TEST(c.status == 2);
  BOOST_TEST(c.err.find("error: cannot read `nosuchbranch:small.policy` from git: ") == 0u);
  options.old_policy = "HEAD:missing.policy";
  BOOST_TEST(run(options).status == 2);

  // A snapshot names the revision in its messages and removes its temporary copy.
  std::string error;
  std::string snapshot_path;
  {
    auto snap = GitSnapshot::take(dir, "HEAD", "small.policy", error);
    BOOST_REQUIRE_MESSAGE(snap, error);
    snapshot_path = snap->path();
    BOOST_TEST(fs::exists(snapshot_path));
    BOOST_TEST(read(snapshot_path) == read(kSmall));
    BOOST_TEST(snap->relabel("error at " + snapshot_path + ":3:1") ==
               "error at HEAD:small.policy:3:1");
  }
  BOOST_TEST(!fs::exists(snapshot_path));
}
