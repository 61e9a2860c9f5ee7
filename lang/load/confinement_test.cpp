// Tests of the confinement of the files a policy reads (lang/loader, engine/git_source): a
// policy is untrusted input, so `use` and `calendar ... from` reach only regular files of the
// right kind in the policy's folder tree and the stdlib, in a working tree and at a git revision,
// and no message ever quotes a file outside them.
#define BOOST_TEST_MODULE confinement
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "tests/support/temp_dir.hpp"
#include "tools/git_source.hpp"

using namespace catengine;
using namespace catengine::engine;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

constexpr const char* kHead =
    "policy \"Example\"\nrecord School\n  field urn: integer, key\noutput\n  column urn\n";

// A module whose text must never appear in a message: it does not parse.
constexpr const char* kSecret = "define secret = \"SECRET-TOKEN-123\" +\n";

std::vector<std::string> codes(const CompileResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.emplace_back(lang::info(d.kind).code);
  return out;
}

std::string rendered(const CompileResult& r) {
  const lang::SourceMap& map = r.compiled ? r.compiled->sources : r.sources;
  return lang::render_all(r.diagnostics, map);
}

}  // namespace

BOOST_AUTO_TEST_CASE(modules_and_calendars_within_the_folder_are_read) {
  TempDir t("confinement");
  const fs::path folder = t.path / "policy";
  test::write_file(folder / "policy.policy",
                   std::string(kHead) + "use \"lib/measures.policy\"\n" +
                       "use \"linked.policy\"\n" +
                       "calendar hols \"Holidays\" from \"data/hols.csv\"\n");
  test::write_file(folder / "lib" / "measures.policy", "define one = 1\n");
  test::write_file(folder / "lib" / "other.policy", "define two = 2\n");
  fs::create_symlink("lib/other.policy", folder / "linked.policy");  // a link within the folder
  test::write_file(folder / "data" / "hols.csv", "date,title\n2018-12-25,Christmas Day\n");
  const CompileResult r = compile_policy(folder);
  BOOST_TEST(codes(r).empty(), rendered(r));
  BOOST_TEST(r.compiled != nullptr);
}

BOOST_AUTO_TEST_CASE(special_files_are_refused_without_being_opened) {
  TempDir t("confinement");
  test::write_file(t.path / "policy.policy", std::string(kHead) + "use \"pipe.policy\"\n" +
                                                 "calendar hols \"Holidays\" from \"pipe.csv\"\n");
  // Opening a FIFO for reading would wait for a writer for ever.
  BOOST_REQUIRE_EQUAL(::mkfifo((t.path / "pipe.policy").c_str(), 0600), 0);
  BOOST_REQUIRE_EQUAL(::mkfifo((t.path / "pipe.csv").c_str(), 0600), 0);
  const CompileResult r = compile_policy(t.path / "policy.policy");
  BOOST_TEST(codes(r) == (std::vector<std::string>{"E0107", "E0107"}),
             boost::test_tools::per_element());
  BOOST_TEST(rendered(r).find("`pipe.policy` is not a regular file") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_folder_ignores_links_out_of_it) {
  TempDir t("confinement");
  test::write_file(t.path / "outside" / "policy.policy", std::string(kHead) + kSecret);
  fs::create_directories(t.path / "folder");
  fs::create_symlink(t.path / "outside" / "policy.policy", t.path / "folder" / "main.policy");
  const CompileResult r = compile_policy(t.path / "folder");
  BOOST_TEST(codes(r) == (std::vector<std::string>{"E0103"}), boost::test_tools::per_element());
  BOOST_TEST(rendered(r).find("SECRET") == std::string::npos);
}

// `diff` reads the old policy from git into a temporary folder; a `use` at that revision may not
// climb out of it to the machine's files, nor follow a link stored in git.
BOOST_AUTO_TEST_CASE(a_git_revision_stays_within_its_folder) {
  TempDir outside("confinement");  // a file elsewhere on the machine
  test::write_file(outside.path / "secret.policy", kSecret);
  TempDir repo("confinement");
  const std::string dir = repo.path.string();
  std::string climb;
  for (int i = 0; i < 40; ++i) climb += "../";
  const std::string escape = climb + (outside.path / "secret.policy").relative_path().string();
  test::write_file(repo.path / "pol" / "policy.policy",
                   std::string(kHead) + "use \"" + escape + "\"\nuse \"link.policy\"\n");
  fs::create_symlink(outside.path / "secret.policy", repo.path / "pol" / "link.policy");
  BOOST_REQUIRE_EQUAL(run_git(dir, {"init", "-q"}).status, 0);
  BOOST_REQUIRE_EQUAL(run_git(dir, {"add", "pol"}).status, 0);
  GitOutput commit = run_git(dir, {"-c", "user.name=Test", "-c", "user.email=test@example.org",
                                   "-c", "commit.gpgsign=false", "commit", "-q", "-m", "policy"});
  BOOST_REQUIRE_MESSAGE(commit.status == 0, commit.err);

  std::string error;
  auto snap = GitSnapshot::take(dir, "HEAD", "pol", error);
  BOOST_REQUIRE_MESSAGE(snap, error);
  const CompileResult r = compile_policy(snap->path());
  BOOST_TEST(codes(r) == (std::vector<std::string>{"E0106", "E0106"}),
             boost::test_tools::per_element());
  const std::string text = snap->relabel(rendered(r));
  BOOST_TEST(text.find("SECRET") == std::string::npos);
  BOOST_TEST(text.find("--> HEAD:pol/policy.policy:6:5") != std::string::npos);
  BOOST_TEST(text.find("own folder (`HEAD:pol`)") != std::string::npos, text);
}
