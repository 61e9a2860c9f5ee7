// `catengine test`: finds the policies to test, compiles each, runs its fixtures and prints the
// report. Exit 0 when everything passed, 1 on a failed expectation or coverage below the
// threshold, 2 when a policy or fixture could not be read.
#include "cli/test_command.hpp"
#include "cli/verb_steps.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "compile/compiled_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "tools/policy_tests.hpp"

namespace catengine::engine {

namespace fs = std::filesystem;

namespace {

bool holds_policy_file(const fs::path& folder) {
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(folder, ec)) {
    if (f.is_regular_file() && f.path().extension() == ".policy") return true;
  }
  return false;
}

// Folders under `root` holding at least one .policy file, sorted.
std::vector<std::string> policy_folders_under(const fs::path& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (!entry.is_directory()) continue;
    bool has_policy = false;
    for (const auto& f : fs::directory_iterator(entry.path(), ec)) {
      has_policy = has_policy || (f.is_regular_file() && f.path().extension() == ".policy");
    }
    if (has_policy) out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int run_test(const TestOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"text", "junit"}, console)) return kExitInputError;
  if (options.coverage_threshold &&
      (*options.coverage_threshold < 0 || *options.coverage_threshold > 100)) {
    print(console.err,
          fmt::format("error: `--coverage-threshold {}` is not a percentage; expected 0 to 100\n",
                      *options.coverage_threshold));
    return kExitInputError;
  }
  // A folder of policy folders (like `policies`) stands for each policy folder in it.
  std::vector<std::string> paths;
  for (const auto& p : options.paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec) && !holds_policy_file(p)) {
      auto inner = policy_folders_under(p);
      if (!inner.empty()) {
        paths.insert(paths.end(), inner.begin(), inner.end());
        continue;
      }
    }
    paths.push_back(p);
  }
  if (options.paths.empty()) {
    paths = policy_folders_under("policies");
    if (paths.empty()) {
      print(console.err,
            "error: no policies to test: `./policies` holds no folder with a .policy file; name a "
            "policy folder, e.g. `catengine test policies/peterborough`\n");
      return kExitInputError;
    }
  }
  bool input_error = false;
  std::vector<PolicyTestReport> reports;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      print(console.err,
            fmt::format("error: `{}` does not exist; expected a policy folder\n", path));
      input_error = true;
      continue;
    }
    // A policy file's tests are in the tests folder beside it.
    const fs::path folder =
        fs::is_directory(path, ec) ? fs::path(path) : fs::path(path).parent_path();
    const auto compiled = compile_and_report(path, console);
    if (!compiled) {
      PolicyTestReport failed;
      failed.policy = path;
      failed.errors.push_back(
          fmt::format("`{}` could not be compiled, so its tests were not run", path));
      reports.push_back(std::move(failed));
      continue;
    }
    Discovery found = discover_fixtures(folder, compiled->schema.sources);
    PolicyTestReport report = run_policy_tests(*compiled, path, found.fixtures, options.update);
    report.errors = std::move(found.errors);
    reports.push_back(std::move(report));
  }
  // Nothing ran (every path named was missing): the errors above say so, and a summary would
  // only add a misleading "passed: 0 failed of 0 records".
  if (reports.empty()) return kExitInputError;
  print(console.out, options.format == "junit"
                         ? render_test_junit(reports, options.coverage_threshold)
                         : render_test_text(reports, options.coverage_threshold));
  bool failed = false;
  for (const auto& r : reports) {
    for (const auto& f : r.fixtures) input_error = input_error || !f.errors.empty();
    input_error = input_error || !r.errors.empty();
    failed = failed || !r.passed() ||
             (options.coverage_threshold && r.coverage_percent() < *options.coverage_threshold);
  }
  return input_error ? kExitInputError : failed ? kExitCheckFailed : kExitOk;
}

}  // namespace catengine::engine
