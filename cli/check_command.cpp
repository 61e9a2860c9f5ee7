// `catengine check`: each file is checked once, as a policy when it has a `policy` header and as
// a module otherwise; findings from modules that several policies import are reported once.
// Paths in the output are relative to the working directory, so that CI annotations and golden
// files do not depend on where the repository is checked out.
#include "cli/check_command.hpp"
#include "base/version.hpp"
#include "cli/verb_steps.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "compile/compiled_policy.hpp"
#include "lang/check/checker.hpp"
#include "lang/lint/lints.hpp"
#include "lang/load/loader.hpp"
#include "report/result_writers.hpp"

namespace catengine::engine {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

std::string display_path(const std::string& path) {
  std::error_code ec;
  fs::path rel = fs::proximate(path, ec);
  return (ec ? fs::path(path) : rel).generic_string();
}

std::string canonical_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return (ec ? fs::path(path).lexically_normal() : p).generic_string();
}

struct Place {
  std::string file;  // relative to the working directory
  std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0;  // 0: the whole file
};

// One reported diagnostic, with everything every format needs, independent of the SourceMap.
struct Finding {
  lang::Diagnostic diagnostic;
  Place place;
  std::vector<std::pair<Place, std::string>> notes;
  std::string text;  // rendered, for the text format
};

Place place_of(const lang::SourceMap& sources, lang::SourceSpan span, bool has_span) {
  Place p;
  if (span.file >= sources.size()) return p;
  const lang::SourceFile& f = sources.file(span.file);
  p.file = f.path();
  if (!has_span) return p;
  const auto begin = f.locate(span.begin), end = f.locate(std::max(span.end, span.begin));
  p.line = begin.line;
  p.column = begin.column;
  p.end_line = end.line;
  p.end_column = end.column;
  return p;
}

class Checker {
 public:
  explicit Checker(const Console& console) : console_(console) {}

  void check_file(const std::string& path) {
    ++files_;
    lang::SourceMap sources;
    lang::LoadResult loaded = lang::load_policy(path, sources);
    if (lang::has_errors(loaded.diagnostics) || loaded.policy.modules.empty()) {
      add(loaded.diagnostics, sources);
      return;
    }
    const lang::Module& main = loaded.policy.modules.back();
    const bool is_policy = std::any_of(
        main.decls.begin(), main.decls.end(),
        [](const lang::Decl& d) { return std::holds_alternative<lang::PolicyHeader>(d); });
    if (is_policy) {
      CompileResult r = compile_loaded(path, std::move(sources), std::move(loaded));
      const lang::SourceMap& map = r.compiled ? r.compiled->sources : r.sources;
      add(r.diagnostics, map);
      if (r.compiled) add(lang::lint(r.compiled->policy), map);
      return;
    }
    add(loaded.diagnostics, sources);
    lang::CheckResult checked = lang::check(std::move(loaded.policy), {.module = true});
    add(checked.diagnostics, sources);
    if (checked.policy) add(lang::lint(*checked.policy, {.module = true}), sources);
  }

  void input_error(std::string message) {
    print(console_.err, fmt::format("error: {}\n", message));
    input_error_ = true;
  }

  int finish(const std::string& format, bool deny_warnings) {
    std::size_t errors = 0, warnings = 0;
    for (const auto& f : findings_) {
      const auto severity = lang::info(f.diagnostic.kind).severity;
      if (severity == lang::Severity::Error) ++errors;
      if (severity == lang::Severity::Warning) ++warnings;
      if (f.diagnostic.kind == lang::DiagnosticKind::E0006)
        input_error_ = true;  // unreadable: not a finding
    }
    if (format == "json") {
      print(console_.out, json().dump(2) + "\n");
    } else if (format == "sarif") {
      print(console_.out, sarif().dump(2) + "\n");
    } else if (findings_.empty()) {
      if (!input_error_) {
        print(console_.out, fmt::format("checked {} file{}: no problems found\n", files_,
                                        files_ == 1 ? "" : "s"));
      }
    } else {
      std::string out;
      for (const auto& f : findings_) out += f.text + "\n";
      auto count = [](std::size_t n, std::string_view word) {
        return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
      };
      std::string summary;
      if (errors > 0) summary = count(errors, "error");
      if (warnings > 0) summary += (summary.empty() ? "" : ", ") + count(warnings, "warning");
      if (summary.empty()) summary = count(findings_.size(), "note");
      out += fmt::format("{} in {} file{} checked\n", summary, files_, files_ == 1 ? "" : "s");
      print(console_.err, out);
    }
    if (input_error_) return kExitInputError;
    if (errors > 0 || (deny_warnings && warnings > 0)) return kExitCheckFailed;
    return kExitOk;
  }

 private:
  // Keeps each diagnostic once: a module imported by several policies is linted with each.
  void add(const std::vector<lang::Diagnostic>& ds, const lang::SourceMap& sources) {
    if (ds.empty()) return;
    lang::SourceMap display;  // the same files, named relative to the working directory
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const auto& f = sources.file(static_cast<lang::FileId>(i));
      display.add(display_path(f.path()), f.text());
    }
    for (const auto& d : ds) {
      const std::string file = d.span.file < sources.size()
                                   ? canonical_path(sources.file(d.span.file).path())
                                   : std::string{};
      const std::string key = fmt::format("{}\n{}\n{}:{}\n{}", lang::info(d.kind).code, file,
                                          d.span.begin, d.span.end, d.message);
      if (!seen_.insert(key).second) continue;
      Finding f;
      f.diagnostic = d;
      f.place = place_of(display, d.span, d.has_span);
      for (const auto& n : d.notes)
        f.notes.emplace_back(place_of(display, n.span, true), n.message);
      f.text = lang::render(d, display, {console_.colour_err});
      findings_.push_back(std::move(f));
    }
  }

  static std::string_view severity_word(lang::Severity s) {
    switch (s) {
      case lang::Severity::Error:
        return "error";
      case lang::Severity::Warning:
        return "warning";
      case lang::Severity::Note:
        return "note";
    }
    return "error";
  }

  static void put_place(Json& j, const Place& p) {
    j["file"] = p.file;
    j["line"] = p.line;
    j["column"] = p.column;
    j["end_line"] = p.end_line;
    j["end_column"] = p.end_column;
  }

  Json json() const {
    Json out = Json::array();
    for (const auto& f : findings_) {
      const auto& info = lang::info(f.diagnostic.kind);
      Json j;
      j["code"] = info.code;
      j["severity"] = severity_word(info.severity);
      j["message"] = f.diagnostic.message;
      put_place(j, f.place);
      j["label"] = f.diagnostic.label;
      j["hints"] = f.diagnostic.hints;
      Json notes = Json::array();
      for (const auto& [place, message] : f.notes) {
        Json n;
        n["message"] = message;
        put_place(n, place);
        notes.push_back(std::move(n));
      }
      j["notes"] = std::move(notes);
      out.push_back(std::move(j));
    }
    return out;
  }

  static Json location(const Place& p) {
    Json physical;
    physical["artifactLocation"] = {{"uri", p.file}, {"uriBaseId", "%SRCROOT%"}};
    if (p.line > 0) {
      physical["region"] = {{"startLine", p.line},
                            {"startColumn", p.column},
                            {"endLine", p.end_line},
                            {"endColumn", p.end_column}};
    }
    return {{"physicalLocation", std::move(physical)}};
  }

  Json sarif() const {
    std::set<lang::DiagnosticKind> kinds;
    for (const auto& f : findings_) kinds.insert(f.diagnostic.kind);
    Json rules = Json::array();
    std::map<lang::DiagnosticKind, std::size_t> rule_index;
    for (auto kind : kinds) {
      const auto& info = lang::info(kind);
      rule_index[kind] = rules.size();
      rules.push_back(
          {{"id", info.code},
           {"shortDescription", {{"text", info.summary}}},
           {"help", {{"text", fmt::format("see docs/errors.md#{}", lang::docs_anchor(info))}}},
           {"defaultConfiguration", {{"level", severity_word(info.severity)}}}});
    }
    Json results = Json::array();
    for (const auto& f : findings_) {
      const auto& info = lang::info(f.diagnostic.kind);
      std::string text = f.diagnostic.message;
      for (const auto& h : f.diagnostic.hints) text += "\nhint: " + h;
      Json r;
      r["ruleId"] = info.code;
      r["ruleIndex"] = rule_index[f.diagnostic.kind];
      r["level"] = severity_word(info.severity);
      r["message"] = {{"text", text}};
      r["locations"] = Json::array({location(f.place)});
      if (!f.notes.empty()) {
        Json related = Json::array();
        for (std::size_t i = 0; i < f.notes.size(); ++i) {
          Json loc = location(f.notes[i].first);
          loc["id"] = i;
          loc["message"] = {{"text", f.notes[i].second}};
          related.push_back(std::move(loc));
        }
        r["relatedLocations"] = std::move(related);
      }
      results.push_back(std::move(r));
    }
    Json driver;
    driver["name"] = "catengine";
    driver["version"] = catengine_version();
    driver["rules"] = std::move(rules);
    Json run;
    run["tool"] = {{"driver", std::move(driver)}};
    run["columnKind"] = "unicodeCodePoints";
    run["results"] = std::move(results);
    Json doc;
    doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    doc["version"] = "2.1.0";
    doc["runs"] = Json::array({std::move(run)});
    return doc;
  }

  const Console& console_;
  std::vector<Finding> findings_;
  std::set<std::string> seen_;
  std::size_t files_ = 0;
  bool input_error_ = false;
};

}  // namespace

int run_check(const CheckOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"text", "json", "sarif"}, console)) return kExitInputError;
  if (options.paths.empty()) {
    print(console.err,
          "error: name at least one policy file or folder to check, e.g. `catengine check "
          "policies`\n");
    return kExitInputError;
  }
  Checker checker(console);
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto& path : options.paths) {
    std::error_code ec;
    std::vector<std::string> found;
    if (fs::is_directory(path, ec)) {
      for (auto it = fs::recursive_directory_iterator(path, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".policy")
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) checker.input_error(fmt::format("`{}` holds no .policy files", path));
    } else if (fs::is_regular_file(path, ec)) {
      found.push_back(path);
    } else {
      checker.input_error(fmt::format("`{}` is not a file or folder", path));
    }
    for (auto& f : found) {
      if (seen.insert(canonical_path(f)).second) files.push_back(std::move(f));
    }
  }
  for (const auto& f : files) checker.check_file(f);
  return checker.finish(options.format, options.deny_warnings);
}

}  // namespace catengine::engine
