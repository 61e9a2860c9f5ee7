// Every diagnostic kind catengine can emit has a golden test that shows its exact rendering: a
// new kind, or one that stops being emitted, fails here until a case under tests/golden/ shows it.
#define BOOST_TEST_MODULE diagnostic_coverage
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "lang/diagnostics/diagnostic.hpp"

namespace fs = std::filesystem;
using catengine::lang::all_diagnostic_kinds;
using catengine::lang::info;

namespace {

// Kinds that no input can produce today, each with the reason. A kind here must NOT appear in a
// golden stderr: once it can be emitted, give it a case and remove it from this list.
const std::map<std::string, std::string> kNotEmittable = {
    // A policy file over 4 MiB: the fixture would add 4 MiB to the repository for one message.
    {"E0005", "needs a policy file over 4 MiB"},
    // `enumeration X:` with no members is rejected by the parser (E0001) before the checker sees
    // it (tests/golden/policy_empty_enumeration shows that message).
    {"E0412", "an empty enumeration is a syntax error first"},
    // Evaluation errors are reported in the data-error form `FILE:ROW:-: could not work out ...`,
    // without a code.
    {"E0901", "reserved; evaluation errors have no code yet"},
};

// The text of every tests/golden/*/stderr, keyed by case name.
std::map<std::string, std::string> golden_stderr() {
  std::map<std::string, std::string> out;
  const fs::path root = fs::path(CATENGINE_SOURCE_DIR) / "tests" / "golden";
  for (const auto& entry : fs::directory_iterator(root)) {
    const fs::path stderr_path = entry.path() / "stderr";
    if (!entry.is_directory() || !fs::exists(stderr_path)) continue;
    std::ifstream in(stderr_path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    out[entry.path().filename().string()] = text.str();
  }
  return out;
}

std::string first_case_with(const std::map<std::string, std::string>& cases,
                            const std::string& marker) {
  for (const auto& [name, text] : cases) {
    if (text.find(marker) != std::string::npos) return name;
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(golden_cases_are_found) {
  // Guards against a wrong CATENGINE_SOURCE_DIR making every check below vacuous.
  BOOST_TEST(golden_stderr().size() >= 60u);
}

BOOST_AUTO_TEST_CASE(every_emittable_kind_has_a_golden_case) {
  const auto cases = golden_stderr();
  for (auto kind : all_diagnostic_kinds()) {
    const std::string code(info(kind).code);
    const std::string found = first_case_with(cases, "[" + code + "]");
    if (kNotEmittable.count(code) != 0) {
      BOOST_TEST(found.empty(), code << " is listed as not emittable, but golden case `" << found
                                     << "` shows it: remove it from kNotEmittable");
    } else {
      BOOST_TEST(!found.empty(), "no tests/golden/*/stderr contains ["
                                     << code << "] (" << info(kind).summary << ")");
    }
  }
}

BOOST_AUTO_TEST_CASE(exemptions_name_real_kinds) {
  for (const auto& [code, reason] : kNotEmittable) {
    bool known = false;
    for (auto kind : all_diagnostic_kinds()) known = known || info(kind).code == code;
    BOOST_TEST(known, code << " in kNotEmittable is not a diagnostic kind");
  }
}

BOOST_AUTO_TEST_CASE(every_kind_has_a_section_in_errors_md) {
  // The language server links each diagnostic to its section of docs/errors.md, and a policy
  // officer looks a code up there: a code without a section is a dead end.
  std::ifstream in(fs::path(CATENGINE_SOURCE_DIR) / "docs" / "errors.md", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string page = text.str();
  BOOST_TEST_REQUIRE(page.size() > 10000u);
  for (auto kind : all_diagnostic_kinds()) {
    const std::string code(info(kind).code);
    // The heading is exactly `CODE: summary`, so the links made with docs_anchor reach it.
    const std::string heading = code + ": " + std::string(info(kind).summary) + "\n";
    const bool found = page.find("#### " + heading) != std::string::npos ||
                       page.find("### " + heading) != std::string::npos;
    BOOST_TEST(found, "docs/errors.md has no section `#### " << heading << "`");
  }
}
