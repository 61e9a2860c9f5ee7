// Fixture tests that live beside a policy: finding them, running them against the policy,
// comparing expected cells column by column, measuring which rules, notice grounds and cadence
// branches the fixtures reach, and rewriting expected files after a deliberate change.
// Rendering (text, JUnit) is here too, so the CLI verb in cli/test_command.cpp stays thin.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/value.hpp"
#include "compile/compiled_policy.hpp"
#include "data/record_schema.hpp"

namespace catengine::engine {

// One fixture: PATH/tests/NAME.csv (records) with PATH/tests/NAME.expected.csv (outputs). For
// a policy with named sources the records are one file per source, PATH/tests/NAME.SOURCE.csv,
// joined on the key as `evaluate --data SOURCE=PATH` joins them.
struct Fixture {
  std::string name;        // NAME, including any `-YYYY-MM-DD` suffix
  std::string input_path;  // the school list: NAME.csv, or the first source's file
  std::string expected_path;
  Value as_of = kMissing;  // from NAME's suffix, else from PATH/tests/as-of
  // For a policy with sources: one path per source in the schema's order, empty for a source
  // that `may be absent` and has no file. Empty for a one-file policy.
  std::vector<std::string> source_paths;
};

// Every fixture in `policy_dir`/tests, sorted by name. A fixture whose as-of date cannot be
// found, or (given the policy's `sources`) that lacks a required source's file, is an error
// (returned in `errors`, one line each, and the fixture left out).
struct Discovery {
  std::vector<Fixture> fixtures;
  std::vector<std::string> errors;
};
Discovery discover_fixtures(const std::filesystem::path& policy_dir,
                            const std::vector<SourceSpec>& sources = {});

// A trailing `-YYYY-MM-DD` in a fixture name, as a date; kMissing when there is none.
Value as_of_from_name(const std::string& name);

struct CellFailure {
  std::uint32_t record = 0;  // 0-based, in input order
  std::uint32_t row = 0;     // spreadsheet row in the expected file
  std::string key;           // the school's key (urn), as written in the expected file
  std::string column;
  std::string expected;
  std::string actual;
  std::string explanation;  // why the actual value came out, indented lines
};

// A cell that `--update` rewrote.
struct CellChange {
  std::string key;
  std::string column;
  std::string old_value;
  std::string new_value;
};

struct FixtureResult {
  Fixture fixture;
  std::size_t records = 0;
  std::size_t cells_checked = 0;
  std::vector<std::string> columns;    // the expected file's columns
  std::vector<std::string> keys;       // each record's key, in input order
  std::vector<std::uint32_t> failing;  // records (0-based) with at least one failure
  std::vector<CellFailure> failures;
  std::vector<std::string> errors;  // input problems: the fixture could not be run
  std::vector<CellChange> changes;  // with update: cells rewritten
  bool rewritten = false;
};

// Something coverage counts: a decision rule, a notice ground, or a cadence interval.
struct CoverageItem {
  std::string kind;      // `rule`, `ground` or `interval`
  std::string label;     // `rule R3 "Safety of pupils or staff threatened" of `category``
  std::string location;  // `policies/peterborough/peterborough.policy:158`
  bool reached = false;
};

struct PolicyTestReport {
  std::string policy;  // the folder, as given
  std::vector<FixtureResult> fixtures;
  std::vector<CoverageItem> coverage;  // in source order
  std::vector<std::string> errors;     // discovery problems
  std::size_t reached() const;
  double coverage_percent() const;  // 100 when there is nothing to reach
  bool passed() const;              // no failures and no errors (coverage aside)
};

// Runs every fixture against the compiled policy. With `update`, expected files whose cells
// differ are rewritten (same columns, actual values) and the changes recorded.
PolicyTestReport run_policy_tests(const CompiledPolicy& compiled, const std::string& policy_label,
                                  const std::vector<Fixture>& fixtures, bool update);

// The definition an output column's value comes from: the first definition its expression
// names (`rule of category` -> category), or nullopt for a plain record field.
std::optional<std::uint32_t> output_definition(const lang::CheckedPolicy& policy,
                                               lang::ExprRef value);

// `file:line` of a span.
std::string source_location(const lang::SourceMap& sources, lang::SourceSpan span);

// threshold: the `--coverage-threshold` percentage, if given.
std::string render_test_text(const std::vector<PolicyTestReport>& reports,
                             std::optional<double> threshold);
std::string render_test_junit(const std::vector<PolicyTestReport>& reports,
                              std::optional<double> threshold);

}  // namespace catengine::engine
