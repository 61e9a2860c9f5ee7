// Tests of the loader (lang/load/loader.cpp): a policy's modules, stdlib and relative, come back
// dependencies first and the main file last; a missing module, a module that is not a module
// name, a wrongly named file and an import cycle each give one error at the `use` causing it.
// Each test writes its own policy folder and its own stdlib folder, so the expectations are
// worked by hand and do not depend on the shipped stdlib.
#define BOOST_TEST_MODULE loader
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "lang/diagnostics/diagnostic.hpp"
#include "lang/load/loader.hpp"
#include "tests/support/temp_dir.hpp"

using namespace catengine::lang;
namespace test = catengine::test;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

const std::string kHead =
    "policy \"Example\"\nrecord School\n  field urn: integer, key\noutput\n  column urn\n";

// The file names of the loaded modules, in the order they came back.
std::vector<std::string> names(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.policy.paths) out.push_back(fs::path(p).filename().string());
  return out;
}

std::vector<std::string> codes(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.emplace_back(info(d.kind).code);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(modules_come_back_dependencies_first_and_the_main_file_last) {
  TempDir dir("loader");
  const fs::path policy = dir.path / "policy";
  const fs::path stdlib = dir.path / "stdlib";
  // main uses b, then stdlib.extra.grades, then a; b uses a. Depth first: a (through b), b,
  // grades, and a again is already loaded; main last.
  test::write_file(policy / "main.policy",
                   kHead + "use \"b.policy\"\nuse stdlib.extra.grades\nuse \"a.policy\"\n");
  test::write_file(policy / "b.policy", "use \"a.policy\"\ndefine b = 2\n");
  test::write_file(policy / "a.policy", "define a = 1\n");
  test::write_file(stdlib / "extra" / "grades.policy", "define g = 3\n");
  SourceMap sources;
  const LoadResult r = load_policy(policy / "main.policy", sources, stdlib);
  BOOST_TEST(r.diagnostics.empty());
  const std::vector<std::string> want = {"a.policy", "b.policy", "grades.policy", "main.policy"};
  BOOST_TEST(names(r) == want, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(r.policy.modules.size(), 4u);
  // Each module is the file it names, parsed: one `define` each, and main's header and uses.
  BOOST_TEST(r.policy.modules[0].decls.size() == 1u);
  BOOST_TEST(r.policy.modules[1].decls.size() == 2u);  // the use and the define
  BOOST_TEST(r.policy.modules[2].decls.size() == 1u);
  BOOST_TEST(sources.file(r.policy.modules[2].file).text() == "define g = 3\n");
  BOOST_TEST(sources.file(r.policy.modules[3].file).text().starts_with(kHead));
}

BOOST_AUTO_TEST_CASE(a_folder_is_loaded_through_its_one_policy_file) {
  TempDir dir("loader");
  test::write_file(dir.path / "main.policy", kHead + "use \"lib.policy\"\n");
  test::write_file(dir.path / "lib.policy", "define x = 1\n");
  SourceMap sources;
  const LoadResult r = load_policy(dir.path, sources, dir.path / "no-stdlib");
  BOOST_TEST(r.diagnostics.empty());
  const std::vector<std::string> want = {"lib.policy", "main.policy"};
  BOOST_TEST(names(r) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_missing_module_is_one_error_at_its_use) {
  TempDir dir("loader");
  const std::string text = kHead + "use stdlib.nothere\nuse \"gone.policy\"\n";
  test::write_file(dir.path / "main.policy", text);
  SourceMap sources;
  const LoadResult r = load_policy(dir.path / "main.policy", sources, dir.path / "stdlib");
  const std::vector<std::string> want_codes = {"E0101", "E0101"};
  BOOST_TEST(codes(r) == want_codes, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(r.diagnostics.size(), 2u);
  BOOST_TEST(r.diagnostics[0].message == "cannot find module `stdlib.nothere`");
  BOOST_TEST(r.diagnostics[1].message == "cannot find module `gone.policy`");
  // The caret is on the whole `use` line, without its line feed.
  const auto first = static_cast<std::uint32_t>(kHead.size());
  BOOST_TEST(r.diagnostics[0].span.begin == first);
  BOOST_TEST(r.diagnostics[0].span.end == first + 18);  // `use stdlib.nothere`
  // The main file still comes back, alone.
  const std::vector<std::string> want = {"main.policy"};
  BOOST_TEST(names(r) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_bare_name_is_not_a_module_and_a_wrong_extension_is_refused) {
  TempDir dir("loader");
  const std::string text = kHead + "use ofsted\nuse  # the notes\n  \"notes.txt\"\n";
  SourceMap sources;
  const LoadResult r =
      load_policy_text((dir.path / "main.policy").string(), text, sources, dir.path / "stdlib");
  const std::vector<std::string> want_codes = {"E0101", "E0107"};
  BOOST_TEST(codes(r) == want_codes, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(r.diagnostics.size(), 2u);
  BOOST_TEST(r.diagnostics[0].message == "`ofsted` is not a module name");
  BOOST_TEST(r.diagnostics[1].message == "`use` must name a `.policy` file, not `notes.txt`");
  // The caret is on the file name in quotes, found by the scanner past the blanks and comment.
  const auto quote = static_cast<std::uint32_t>(text.find("\"notes.txt\""));
  BOOST_TEST(r.diagnostics[1].span.begin == quote);
  BOOST_TEST(r.diagnostics[1].span.end == quote + 11);
}

BOOST_AUTO_TEST_CASE(an_import_cycle_is_reported_at_the_use_that_closes_it) {
  TempDir dir("loader");
  // main uses a, a uses b, b uses a: the cycle closes at b's `use`, and is reported once.
  test::write_file(dir.path / "main.policy", kHead + "use \"a.policy\"\n");
  test::write_file(dir.path / "a.policy", "use \"b.policy\"\ndefine a = 1\n");
  test::write_file(dir.path / "b.policy", "define b = 2\nuse \"a.policy\"\n");
  SourceMap sources;
  const LoadResult r = load_policy(dir.path / "main.policy", sources, dir.path / "stdlib");
  const std::vector<std::string> want_codes = {"E0102"};
  BOOST_TEST(codes(r) == want_codes, boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(r.diagnostics.size(), 1u);
  const Diagnostic& d = r.diagnostics[0];
  BOOST_TEST(d.message == "import cycle: `a.policy` uses `b.policy` uses `a.policy`");
  BOOST_TEST(fs::path(sources.file(d.span.file).path()).filename() == "b.policy");
  BOOST_TEST(d.span.begin == 13u);  // after `define b = 2\n`
  BOOST_TEST(d.span.end == 27u);    // `use "a.policy"`
  // Every module still comes back once: b finishes first, then a, then main.
  const std::vector<std::string> want = {"b.policy", "a.policy", "main.policy"};
  BOOST_TEST(names(r) == want, boost::test_tools::per_element());
}
