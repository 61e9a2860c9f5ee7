// Tests of the confinement of the files a policy reads (lang/loader, engine/git_source): a
// policy is untrusted input, so `use` and `calendar ... from` reach only regular files of the
// right kind in the policy's folder tree and the stdlib, in a working tree and at a git revision,
// and no message ever quotes a file outside them.
#define BOOST_TEST_MODULE confinement
#include <boost/test/unit_test.hpp>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "tools/git_source.hpp"

using namespace catengine;
using namespace catengine::engine;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "confinement-XXXXXX").string();
    BOOST_REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

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
  TempDir t;
  const fs::path folder = t.path / "policy";
  write(folder / "policy.policy", std::string(kHead) + "use \"lib/measures.policy\"\n" +
                                      "use \"linked.policy\"\n" +
                                      "calendar hols \"Holidays\" from \"data/hols.csv\"\n");
  write(folder / "lib" / "measures.policy", "define one = 1\n");
  write(folder / "lib" / "other.policy", "define two = 2\n");
  fs::create_symlink("lib/other.policy", folder / "linked.policy");  // a link within the folder
  write(folder / "data" / "hols.csv", "date,title\n2018-12-25,Christmas Day\n");
  const CompileResult r = compile_policy(folder);
  BOOST_TEST(codes(r).empty(), rendered(r));
  BOOST_TEST(r.compiled != nullptr);
}

BOOST_AUTO_TEST_CASE(special_files_are_refused_without_being_opened) {
  TempDir t;
  write(t.path / "policy.policy", std::string(kHead) + "use \"pipe.policy\"\n" +
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
  TempDir t;
  write(t.path / "outside" / "policy.policy", std::string(kHead) + kSecret);
  fs::create_directories(t.path / "folder");
  fs::create_symlink(t.path / "outside" / "policy.policy", t.path / "folder" / "main.policy");
  const CompileResult r = compile_policy(t.path / "folder");
  BOOST_TEST(codes(r) == (std::vector<std::string>{"E0103"}), boost::test_tools::per_element());
  BOOST_TEST(rendered(r).find("SECRET") == std::string::npos);
}

// `diff` reads the old policy from git into a temporary folder; a `use` at that revision may not
// climb out of it to the machine's files, nor follow a link stored in git.
BOOST_AUTO_TEST_CASE(a_git_revision_stays_within_its_folder) {
  TempDir outside;  // a file elsewhere on the machine
  write(outside.path / "secret.policy", kSecret);
  TempDir repo;
  const std::string dir = repo.path.string();
  std::string climb;
  for (int i = 0; i < 40; ++i) climb += "../";
  const std::string escape = climb + (outside.path / "secret.policy").relative_path().string();
  write(repo.path / "pol" / "policy.policy",
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
