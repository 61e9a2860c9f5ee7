// Runs fixture tests: binds each fixture's records, evaluates them with the compiled program,
// compares the expected cells, and walks every record again with the reference evaluator to
// see which rules, grounds and cadence intervals were reached (the reference evaluator is the
// one that can say which rule fired).
#include "tools/policy_tests.hpp"

#include "base/markup.hpp"
#include "history/previous_values.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "base/calendar.hpp"
#include "base/text.hpp"
#include "data/binder.hpp"
#include "data/csv_reader.hpp"
#include "data/data_file.hpp"
#include "eval/cadence_interval.hpp"
#include "eval/evaluator.hpp"
#include "eval/reference_evaluator.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "lang/load/loader.hpp"
#include "report/explanation.hpp"
#include "report/result_writers.hpp"
#include "report/value_format.hpp"
#include "system/atomic_file.hpp"

namespace catengine::engine {

namespace fs = std::filesystem;
using Kind = lang::Resolution::Kind;
using DefKind = lang::DefinitionInfo::Kind;

namespace {
// A one-line file's content without the blanks and line ending around it.
std::string_view trim_whitespace(std::string_view text) {
  return trim(text, " \t\r\n");
}
}  // namespace

Value as_of_from_name(const std::string& name) {
  if (name.size() < 11 || name[name.size() - 11] != '-') return kMissing;
  return parse_iso_date(std::string_view(name).substr(name.size() - 10)).value_or(kMissing);
}

Discovery discover_fixtures(const fs::path& policy_dir, const std::vector<SourceSpec>& sources) {
  Discovery out;
  const fs::path tests = policy_dir / "tests";
  std::error_code ec;
  if (!fs::is_directory(tests, ec)) return out;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(tests, ec)) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = ".expected.csv";
    if (!entry.is_regular_file() || file.size() <= suffix.size() ||
        file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    names.push_back(file.substr(0, file.size() - suffix.size()));
  }
  std::sort(names.begin(), names.end());
  // The as-of date: the name's `-YYYY-MM-DD` suffix, else NAME.as-of, else tests/as-of.
  auto read_date = [&](const fs::path& path, Value& date, std::string& problem) {
    std::error_code exists_ec;
    if (!fs::is_regular_file(path, exists_ec)) return false;
    std::string error;
    auto text = read_file(path, error);
    date = text ? parse_iso_date(trim_whitespace(*text)).value_or(kMissing) : kMissing;
    if (date == kMissing) {
      problem = text ? fmt::format("`{}` should hold one date, YYYY-MM-DD, e.g. 2018-09-17",
                                   path.string())
                     : error;
    }
    return true;
  };
  for (const auto& name : names) {
    Fixture f;
    f.name = name;
    f.input_path = (tests / (name + ".csv")).string();
    f.expected_path = (tests / (name + ".expected.csv")).string();
    if (sources.empty() && !fs::is_regular_file(f.input_path, ec)) {
      out.errors.push_back(fmt::format("`{}` has no input file: expected `{}` beside it",
                                       f.expected_path, f.input_path));
      continue;
    }
    // A policy with sources: NAME.SOURCE.csv for each, left out only where the source may be.
    bool complete = true;
    for (const SourceSpec& s : sources) {
      const std::string path = (tests / (name + "." + s.name + ".csv")).string();
      const bool present = fs::is_regular_file(path, ec);
      if (!present && !s.may_be_absent) {
        out.errors.push_back(
            fmt::format("`{}` has no file for source `{}` ({}): expected `{}` beside it",
                        f.expected_path, s.name, s.title, path));
        complete = false;
      }
      f.source_paths.push_back(present ? path : std::string());
    }
    if (!complete) continue;
    if (!sources.empty()) f.input_path = f.source_paths.front();
    f.as_of = as_of_from_name(name);
    std::string problem;
    if (f.as_of == kMissing && !read_date(tests / (name + ".as-of"), f.as_of, problem) &&
        !read_date(tests / "as-of", f.as_of, problem)) {
      problem = fmt::format(
          "fixture `{}` has no as-of date: name it `{}-YYYY-MM-DD.csv`, or write the date "
          "(YYYY-MM-DD) in `{}` "
          "(for this fixture) or `{}` (for every fixture there)",
          f.input_path, name, (tests / (name + ".as-of")).string(), (tests / "as-of").string());
    }
    if (f.as_of == kMissing) {
      out.errors.push_back(problem);
      continue;
    }
    out.fixtures.push_back(std::move(f));
  }
  return out;
}

std::optional<std::uint32_t> output_definition(const lang::CheckedPolicy& policy,
                                               lang::ExprRef value) {
  if (value.expr == lang::kNoExpr) return std::nullopt;
  const auto& r = policy.resolution(value);
  if (r.kind == Kind::Definition) return r.index;
  for (auto arg : policy.expr(value).args) {
    if (auto d = output_definition(policy, {value.module, arg})) return d;
  }
  return std::nullopt;
}

std::string source_location(const lang::SourceMap& sources, lang::SourceSpan span) {
  if (span.file >= sources.size()) return "?";
  const auto& f = sources.file(span.file);
  return fmt::format("{}:{}", f.path(), f.locate(span.begin).line);
}

std::size_t PolicyTestReport::reached() const {
  return static_cast<std::size_t>(
      std::count_if(coverage.begin(), coverage.end(), [](const auto& c) { return c.reached; }));
}

double PolicyTestReport::coverage_percent() const {
  return coverage.empty()
             ? 100.0
             : 100.0 * static_cast<double>(reached()) / static_cast<double>(coverage.size());
}

bool PolicyTestReport::passed() const {
  if (!errors.empty()) return false;
  for (const auto& f : fixtures) {
    if (!f.errors.empty() || (!f.failures.empty() && !f.rewritten)) return false;
  }
  return true;
}

namespace {

// What coverage counts, with where each item is and how to test whether a record reached it.
struct Target {
  enum class What { Rule, Ground, Interval } what;
  std::uint32_t owner = 0;  // definition (rules), notice (grounds) or cadence (intervals)
  std::uint32_t part = 0;
  lang::SourceSpan span;
};

bool under(const std::string& path, const fs::path& folder) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(path, ec);
  const fs::path d = fs::weakly_canonical(folder, ec);
  const std::string ps = p.string(), ds = d.string();
  return !ds.empty() && ps.size() > ds.size() && ps.compare(0, ds.size(), ds) == 0 &&
         ps[ds.size()] == '/';
}

class Coverage {
 public:
  explicit Coverage(const CompiledPolicy& c) : c_(c), p_(c.policy) {
    const fs::path stdlib = lang::default_stdlib_dir();
    auto own = [&](lang::SourceSpan span) {
      // The standard library is tested on its own; a policy's tests answer for the policy.
      return span.file < c.sources.size() && !under(c.sources.file(span.file).path(), stdlib);
    };
    for (std::uint32_t d = 0; d < p_.definitions.size(); ++d) {
      const auto& def = p_.definitions[d];
      if (def.kind != DefKind::Decision) continue;
      for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
        if (own(def.rules[k].span))
          targets_.push_back({Target::What::Rule, d, k, def.rules[k].span});
      }
    }
    for (std::uint32_t n = 0; n < p_.notices.size(); ++n) {
      for (std::uint32_t g = 0; g < p_.notices[n].grounds.size(); ++g) {
        const auto span = p_.notices[n].grounds[g].span;
        if (own(span)) targets_.push_back({Target::What::Ground, n, g, span});
      }
    }
    for (std::uint32_t k = 0; k < p_.cadences.size(); ++k) {
      const auto& c = p_.cadences[k];
      if (c.dates_param) continue;
      for (std::uint32_t i = 0; i < c.intervals.size(); ++i) {
        const auto& iv = c.intervals[i];
        const auto span = iv.count.expr != lang::kNoExpr ? p_.expr(iv.count).span : iv.span;
        if (own(span)) targets_.push_back({Target::What::Interval, k, i, span});
      }
    }
    std::stable_sort(targets_.begin(), targets_.end(), [](const Target& a, const Target& b) {
      return a.span.file != b.span.file ? a.span.file < b.span.file : a.span.begin < b.span.begin;
    });
    reached_.assign(targets_.size(), 0);
  }

  void visit(ReferenceEvaluator& ev) {
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      if (reached_[t]) continue;
      const Target& x = targets_[t];
      switch (x.what) {
        case Target::What::Rule: {
          const auto fired = ev.fired_rule(x.owner);
          reached_[t] = fired && *fired == x.part;
          break;
        }
        case Target::What::Ground:
          reached_[t] = ev.definition(p_.notices[x.owner].ground_defs[x.part]) == 1;
          break;
        case Target::What::Interval:
          reached_[t] = interval_in_use(ev, p_.cadences[x.owner]) == x.part;
          break;
      }
    }
  }

  std::vector<CoverageItem> items() const {
    std::vector<CoverageItem> out;
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      const Target& x = targets_[t];
      CoverageItem item;
      item.location = source_location(c_.sources, x.span);
      item.reached = reached_[t] != 0;
      switch (x.what) {
        case Target::What::Rule: {
          const auto& def = p_.definitions[x.owner];
          const auto& rule = def.rules[x.part];
          item.kind = "rule";
          item.label = fmt::format("rule {} \"{}\" of `{}`", rule.id, rule.title, def.name);
          break;
        }
        case Target::What::Ground: {
          const auto& n = p_.notices[x.owner];
          item.kind = "ground";
          item.label = fmt::format("ground {} of notice `{}`", n.grounds[x.part].id, n.name);
          break;
        }
        case Target::What::Interval: {
          const auto& c = p_.cadences[x.owner];
          const auto& iv = c.intervals[x.part];
          const char* unit = iv.unit == lang::IntervalUnit::Days    ? "days"
                             : iv.unit == lang::IntervalUnit::Weeks ? "weeks"
                                                                    : "months";
          std::string text =
              iv.unit == lang::IntervalUnit::Terms ? std::string("every term")
              : iv.unit == lang::IntervalUnit::HalfTerms
                  ? std::string("every half term")
                  : fmt::format("every {} {}", span_text(c_.sources, p_.expr(iv.count).span), unit);
          if (iv.condition.expr != lang::kNoExpr) {
            text += " when " + span_text(c_.sources, p_.expr(iv.condition).span);
          }
          item.kind = "interval";
          item.label = fmt::format("interval `{}` of cadence `{}`", text, c.name);
          break;
        }
      }
      out.push_back(std::move(item));
    }
    return out;
  }

 private:
  // The interval next_due uses, by the same steps as ReferenceEvaluator::next_due: the cadence
  // applies and runs from a date the record has; then the one interval rule chooses.
  std::optional<std::uint32_t> interval_in_use(ReferenceEvaluator& ev, const lang::CadenceInfo& c) {
    if (c.dates_param) return std::nullopt;
    if (c.applies_to.expr != lang::kNoExpr && ev.eval(c.applies_to) != 1) return std::nullopt;
    if (ev.eval(c.from) == kMissing) return std::nullopt;
    return chosen_interval(ev, c);
  }

  const CompiledPolicy& c_;
  const lang::CheckedPolicy& p_;
  std::vector<Target> targets_;
  std::vector<char> reached_;
};

// The explanation entry for a definition: notices and cadences are explained under their own name.
std::string explanation_name(const lang::CheckedPolicy& p, std::uint32_t def) {
  const auto& d = p.definitions[def];
  switch (d.kind) {
    case DefKind::NoticeGround:
    case DefKind::NoticeIssued:
    case DefKind::NoticeGrounds:
    case DefKind::NoticeGroundLetters:
    case DefKind::NoticeDue:
      return p.notices[d.owner].name;
    case DefKind::CadenceNext:
    case DefKind::CadenceOverdue:
      return p.cadences[d.owner].name;
    default:
      return d.name;
  }
}

bool same_cell(std::string_view expected, std::string_view actual, const lang::Type& type) {
  if (expected == actual) return true;
  if (type.is_numeric() && !expected.empty() && !actual.empty()) {
    std::string_view e = expected;
    if (type.base == lang::BaseType::Percent && e.back() == '%') e.remove_suffix(1);
    auto a = decimal::parse(e), b = decimal::parse(actual);
    return a && b && *a == *b;
  }
  // A text cell written by catengine's CSV writer may carry the apostrophe that stops a
  // spreadsheet running it as a formula.
  return expected.size() == actual.size() + 1 && expected[0] == '\'' &&
         expected.substr(1) == actual;
}

// A policy that reads `previous` values takes them in a fixture from NAME.previous.csv beside
// NAME.expected.csv: the key column, then the previous run's output columns (those the policy
// reads), as a saved run holds them. Without the file the fixture is a first term.
void fill_previous_from_fixture(const CompiledPolicy& compiled, const Fixture& f, DataSet& data,
                                const std::vector<std::uint32_t>& absent_fields,
                                std::vector<std::string>& errors) {
  const std::string suffix = ".expected.csv";
  if (!reads_previous(compiled) || !f.expected_path.ends_with(suffix)) return;
  const std::string path =
      f.expected_path.substr(0, f.expected_path.size() - suffix.size()) + ".previous.csv";
  if (!std::filesystem::exists(path)) return;
  std::string error;
  auto bytes = read_file(path, error);
  if (!bytes) {
    errors.push_back(error);
    return;
  }
  const CsvResult csv = read_csv(path, *bytes);
  for (const auto& e : csv.errors) errors.push_back(to_string(e));
  if (!errors.empty()) return;
  StoredRun run;
  // No as-of date or save time: messages say "the previous run", after the file's path.
  for (std::size_t c = 1; c < csv.table.header.size(); ++c) {
    run.columns.push_back({csv.table.header[c], "", {}});
  }
  for (const CsvRow& r : csv.table.rows) {
    std::vector<std::string> row;
    for (std::string_view cell : csv.table.cells(r)) row.emplace_back(cell);
    row.resize(csv.table.header.size());
    run.rows.push_back(std::move(row));
  }
  for (auto& p : fill_previous(compiled, data, run, absent_fields))
    errors.push_back(path + ": " + p);
}

void run_fixture(const CompiledPolicy& compiled, FixtureResult& out, Coverage& coverage,
                 bool update) {
  const auto& p = compiled.policy;
  const Fixture& f = out.fixture;
  std::string error;
  BindResult bound;
  if (f.source_paths.empty()) {
    auto input = read_file(f.input_path, error);
    if (!input) {
      out.errors.push_back(error);
      return;
    }
    bound = bind_records(f.input_path, *input, compiled.schema);
  } else {
    // One file per source, joined as `evaluate` joins them; a source left out is not given.
    std::vector<GivenFile> files(f.source_paths.size());
    for (std::size_t s = 0; s < files.size(); ++s) {
      if (f.source_paths[s].empty()) continue;
      auto bytes = read_file(f.source_paths[s], error);
      if (!bytes) {
        out.errors.push_back(error);
        continue;
      }
      files[s] = {true, f.source_paths[s], "", FileBytes(std::move(*bytes)), ""};
    }
    if (!out.errors.empty()) return;
    bound = bind_files(compiled.schema, files);
  }
  for (const auto& e : bound.errors) out.errors.push_back(to_string(e));
  if (out.errors.empty()) {
    fill_previous_from_fixture(compiled, f, bound.data, bound.absent_fields, out.errors);
  }
  auto expected_bytes = read_file(f.expected_path, error);
  if (!expected_bytes) out.errors.push_back(error);
  if (!out.errors.empty()) return;
  CsvResult expected = read_csv(f.expected_path, *expected_bytes);
  for (const auto& e : expected.errors) out.errors.push_back(to_string(e));
  if (!out.errors.empty()) return;

  // Expected columns -> output columns.
  std::vector<std::string> names;
  for (const auto& o : p.outputs) names.push_back(o.name);
  std::vector<std::size_t> column_of;
  out.columns = expected.table.header;
  for (const auto& h : expected.table.header) {
    auto it = std::find(names.begin(), names.end(), h);
    if (it == names.end()) {
      const std::string hint = lang::closest_match(h, names);
      out.errors.push_back(
          fmt::format("{}:{}:{}: the policy has no output column `{}`{}", f.expected_path,
                      expected.table.header_row, h, h,
                      hint.empty() ? "" : fmt::format("; did you mean `{}`?", hint)));
      continue;
    }
    column_of.push_back(static_cast<std::size_t>(it - names.begin()));
  }
  if (!out.errors.empty()) return;
  DataSet& data = bound.data;
  if (expected.table.size() != data.size()) {
    out.errors.push_back(fmt::format(
        "`{}` has {} row{} of expected outputs but `{}` has {} record{}; expected one row "
        "per record, in the same order",
        f.expected_path, expected.table.size(), expected.table.size() == 1 ? "" : "s", f.input_path,
        data.size(), data.size() == 1 ? "" : "s"));
    return;
  }
  for (const auto& row : expected.table.rows) {
    if (row.cell_count != column_of.size()) {
      out.errors.push_back(fmt::format("{}:{}:-: the row has {} cells but the header has {}",
                                       f.expected_path, row.row, row.cell_count, column_of.size()));
    }
  }
  if (!out.errors.empty()) return;

  Results results = evaluate(compiled.program, data, {f.as_of, 1});
  for (const auto& e : results.errors) {
    const std::string what = e.definition < p.definitions.size()
                                 ? fmt::format("`{}`", p.definitions[e.definition].name)
                                 : std::string("an output column");
    out.errors.push_back(fmt::format("{}:{}:-: could not work out {}: {}", f.input_path, e.row,
                                     what, describe(p, e.definition, e.fault, e.detail)));
  }
  if (!out.errors.empty()) return;

  // The key column identifies a row in messages: the record's key field if the expected file
  // has it, else its first column.
  std::size_t key_column = 0;
  for (const auto& field : p.record.fields) {
    if (!field.key) continue;
    for (std::size_t c = 0; c < column_of.size(); ++c) {
      if (p.outputs[column_of[c]].name == field.name) key_column = c;
    }
  }

  ValueFormatter format(p, data.text);
  ReferenceEvaluator ev(p, compiled.program.calendars, data.text, f.as_of,
                        compiled.program.term_calendars);
  std::vector<std::vector<std::string>> actual_rows;
  out.records = data.size();
  std::vector<Value> fields(data.field_count);
  for (std::size_t r = 0; r < data.size(); ++r) {
    data.row_into(r, fields.data());
    ev.reset(fields.data());
    coverage.visit(ev);
    const CsvRow& row = expected.table.rows[r];
    const Value* values = results.row(r);
    std::vector<std::string> actual;
    for (std::size_t c = 0; c < column_of.size(); ++c) {
      const auto& col = p.outputs[column_of[c]];
      actual.push_back(format.format(values[column_of[c]], col.type));
    }
    const std::string key =
        fmt::format("{} {}", out.columns[key_column], expected.table.cell(row, key_column));
    out.keys.push_back(key);
    std::optional<RecordExplanation> explained;
    bool failed = false;
    for (std::size_t c = 0; c < column_of.size(); ++c) {
      const auto& col = p.outputs[column_of[c]];
      const std::string_view want = expected.table.cell(row, c);
      ++out.cells_checked;
      if (same_cell(want, actual[c], col.type)) continue;
      failed = true;
      if (update) {
        out.changes.push_back({key, col.name, std::string(want), actual[c]});
        continue;
      }
      CellFailure failure{
          static_cast<std::uint32_t>(r), row.row, key, col.name, std::string(want), actual[c], {}};
      if (auto def = output_definition(p, col.value)) {
        if (!explained) explained = explain_record(compiled, data, r, f.as_of);
        const std::string name = explanation_name(p, *def);
        const auto& defs = explained->definitions;
        const auto d = std::ranges::find(defs, name, &DefinitionExplanation::name);
        if (d != defs.end())
          render_definition(failure.explanation, *d, ExplanationLayout::TestFailure);
      } else {
        failure.explanation = fmt::format("    `{}` is copied from the record\n", col.name);
      }
      out.failures.push_back(std::move(failure));
    }
    if (failed) out.failing.push_back(static_cast<std::uint32_t>(r));
    actual_rows.push_back(std::move(actual));
  }

  if (update && !out.changes.empty()) {
    std::string text;
    for (std::size_t c = 0; c < out.columns.size(); ++c) {
      if (c) text += ',';
      append_csv_cell(text, out.columns[c], false);
    }
    text += '\n';
    for (const auto& actual : actual_rows) {
      for (std::size_t c = 0; c < actual.size(); ++c) {
        if (c) text += ',';
        const auto base = p.outputs[column_of[c]].type.base;
        append_csv_cell(text, actual[c],
                        base == lang::BaseType::Text || base == lang::BaseType::Enum);
      }
      text += '\n';
    }
    if (!write_file_atomically(f.expected_path, text, error)) {
      out.errors.push_back(error);
      return;
    }
    out.rewritten = true;
  }
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string percent_text(double v) {
  return fmt::format("{:.1f}%", v);
}

std::string xml_escape(std::string_view s) {
  return markup_escaped(s);
}

std::string failure_line(const CellFailure& f) {
  return fmt::format("{}, column `{}`: expected `{}`, found `{}`", f.key, f.column, f.expected,
                     f.actual);
}

}  // namespace

PolicyTestReport run_policy_tests(const CompiledPolicy& compiled, const std::string& policy_label,
                                  const std::vector<Fixture>& fixtures, bool update) {
  PolicyTestReport report;
  report.policy = policy_label;
  Coverage coverage(compiled);
  for (const auto& f : fixtures) {
    FixtureResult r;
    r.fixture = f;
    run_fixture(compiled, r, coverage, update);
    report.fixtures.push_back(std::move(r));
  }
  report.coverage = coverage.items();
  return report;
}

std::string render_test_text(const std::vector<PolicyTestReport>& reports,
                             std::optional<double> threshold) {
  std::string out;
  auto w = [&]<typename... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  std::size_t failed_records = 0, records = 0, errors = 0;
  bool below = false;
  for (const auto& rep : reports) {
    w("{}\n", rep.policy);
    for (const auto& e : rep.errors) {
      w("  error: {}\n", e);
      ++errors;
    }
    if (rep.fixtures.empty() && rep.errors.empty()) w("  no fixtures in `{}/tests`\n", rep.policy);
    for (const auto& f : rep.fixtures) {
      const std::string as_of = format_iso(f.fixture.as_of);
      if (!f.errors.empty()) {
        w("  error  {} (as of {}): could not be run\n", f.fixture.name, as_of);
        for (const auto& e : f.errors) w("    {}\n", e);
        ++errors;
        continue;
      }
      records += f.records;
      if (f.rewritten) {
        w("  updated {} (as of {}): {} in `{}`\n", f.fixture.name, as_of,
          plural(f.changes.size(), "cell changed", "cells changed"), f.fixture.expected_path);
        for (const auto& c : f.changes) {
          w("    {}, column `{}`: `{}` -> `{}`\n", c.key, c.column, c.old_value, c.new_value);
        }
        continue;
      }
      failed_records += f.failing.size();
      if (f.failures.empty()) {
        w("  ok     {} (as of {}): {}, {} checked\n", f.fixture.name, as_of,
          plural(f.records, "record", "records"), plural(f.cells_checked, "cell", "cells"));
        continue;
      }
      w("  FAIL   {} (as of {}): {} of {} failed\n", f.fixture.name, as_of, f.failing.size(),
        plural(f.records, "record", "records"));
      for (const auto& c : f.failures) {
        w("    {}:{}: {}\n", f.fixture.expected_path, c.row, failure_line(c));
        out += c.explanation;
      }
    }
    const double pct = rep.coverage_percent();
    const bool fails_threshold = threshold && pct < *threshold;
    below = below || fails_threshold;
    w("  coverage: {} of {} rules, notice grounds and cadence intervals reached ({}){}\n",
      rep.reached(), rep.coverage.size(), percent_text(pct),
      threshold ? fmt::format("; the threshold is {}{}", percent_text(*threshold),
                              fails_threshold ? ", so this fails" : "")
                : "");
    for (const auto& c : rep.coverage) {
      if (!c.reached) w("    not reached: {}: {}\n", c.location, c.label);
    }
  }
  w("\n{}: {} failed of {}", failed_records == 0 && errors == 0 && !below ? "passed" : "failed",
    failed_records, plural(records, "record", "records"));
  if (errors) w(", {} could not be run", plural(errors, "fixture", "fixtures"));
  if (below) w(", coverage below the threshold");
  w("\n");
  return out;
}

std::string render_test_junit(const std::vector<PolicyTestReport>& reports,
                              std::optional<double> threshold) {
  // One test suite per policy; one test case per record, one for each fixture that could not be
  // run, and one for coverage, so a CI dashboard shows the failing school by its key.
  std::string body;
  std::size_t tests = 0, failures = 0, errors = 0;
  auto w = [&]<typename... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(body), f, std::forward<A>(args)...);
  };
  for (const auto& rep : reports) {
    std::string suite;
    std::size_t s_tests = 0, s_failures = 0, s_errors = 0;
    auto s = [&]<typename... A>(fmt::format_string<A...> f, A&&... args) {
      fmt::format_to(std::back_inserter(suite), f, std::forward<A>(args)...);
    };
    for (const auto& e : rep.errors) {
      ++s_tests, ++s_errors;
      s("    <testcase classname=\"{}\" name=\"discovery\">\n      <error message=\"{}\"/>\n    "
        "</testcase>\n",
        xml_escape(rep.policy), xml_escape(e));
    }
    for (const auto& f : rep.fixtures) {
      const std::string classname = xml_escape(rep.policy + "." + f.fixture.name);
      if (!f.errors.empty()) {
        ++s_tests, ++s_errors;
        std::string all;
        for (const auto& e : f.errors) all += e + "\n";
        s("    <testcase classname=\"{}\" name=\"(fixture)\">\n      <error "
          "message=\"{}\">{}</error>\n    "
          "</testcase>\n",
          classname, xml_escape(f.errors.front()), xml_escape(all));
        continue;
      }
      std::size_t next_failure = 0;
      for (std::size_t r = 0; r < f.records; ++r) {
        ++s_tests;
        s("    <testcase classname=\"{}\" name=\"{}\"", classname, xml_escape(f.keys[r]));
        const bool failing =
            !f.rewritten && std::find(f.failing.begin(), f.failing.end(), r) != f.failing.end();
        if (!failing) {
          s("/>\n");
          continue;
        }
        ++s_failures;
        // Failures are stored in record order, so this record's are the next ones.
        std::string message, text;
        while (next_failure < f.failures.size() && f.failures[next_failure].record < r)
          ++next_failure;
        while (next_failure < f.failures.size() && f.failures[next_failure].record == r) {
          const auto& c = f.failures[next_failure++];
          message += (message.empty() ? "" : "; ") + failure_line(c);
          text += fmt::format("{}:{}: {}\n{}", f.fixture.expected_path, c.row, failure_line(c),
                              c.explanation);
        }
        s(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n", xml_escape(message),
          xml_escape(text));
      }
    }
    ++s_tests;
    const double pct = rep.coverage_percent();
    std::string uncovered;
    for (const auto& c : rep.coverage) {
      if (!c.reached) uncovered += fmt::format("not reached: {}: {}\n", c.location, c.label);
    }
    s("    <testcase classname=\"{}\" name=\"coverage\"", xml_escape(rep.policy));
    if (threshold && pct < *threshold) {
      ++s_failures;
      s(">\n      <failure message=\"coverage {} is below the threshold {}\">{}</failure>\n    "
        "</testcase>\n",
        percent_text(pct), percent_text(*threshold), xml_escape(uncovered));
    } else if (!uncovered.empty()) {
      s(">\n      <system-out>{}</system-out>\n    </testcase>\n", xml_escape(uncovered));
    } else {
      s("/>\n");
    }
    w("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
      xml_escape(rep.policy), s_tests, s_failures, s_errors);
    body += suite;
    w("  </testsuite>\n");
    tests += s_tests, failures += s_failures, errors += s_errors;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"catengine test\" "
      "tests=\"{}\" failures=\"{}\" "
      "errors=\"{}\">\n{}</testsuites>\n",
      tests, failures, errors, body);
}

}  // namespace catengine::engine
