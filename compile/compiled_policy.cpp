// Runs the front end and lowering, and hashes the sources that went in.
#include "compile/compiled_policy.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/utf8.hpp"
#include "compile/hoist.hpp"
#include "compile/lower.hpp"
#include "data/holiday_calendar_csv.hpp"
#include "data/term_calendar_csv.hpp"
#include "lang/check/checker.hpp"
#include "lang/load/loader.hpp"
#include "system/atomic_file.hpp"
#include "system/sha256.hpp"

namespace catengine::engine {

namespace {

// Empty when `text` is UTF-8; else says where it is not (titles reach every writer).
std::string not_utf8(std::string_view name, std::string_view text, std::string_view kind) {
  const std::size_t bad = lang::first_invalid_utf8(text);
  if (bad == std::string_view::npos) return {};
  const std::size_t start =
      text.rfind('\n', bad) == std::string_view::npos ? 0 : text.rfind('\n', bad) + 1;
  const std::size_t end = std::min(text.find('\n', bad), text.size());
  std::string_view line = text.substr(start, end - start);
  if (line.ends_with('\r')) line.remove_suffix(1);
  const auto line_number = 1 + std::count(text.begin(), text.begin() + start, '\n');
  return fmt::format("{} `{}`, line {}: expected text in UTF-8, found `{}`", kind, name,
                     line_number, lang::shown_text(line, 80));
}

// The words that differ between the two kinds of calendar file a policy declares.
struct CalendarKind {
  std::string_view what;    // in a UTF-8 error: "holiday calendar `bank`, line 3: ..."
  std::string_view called;  // in the diagnostic: "cannot load the calendar `bank`"
  std::string_view format;  // the hint: what the file holds
};
constexpr CalendarKind kHolidayCalendar{
    "holiday calendar", "calendar",
    "the file is a CSV with a `date,title` header and one bank holiday a row"};
constexpr CalendarKind kTermCalendar{
    "term calendar", "term calendar",
    "the file is a CSV with a `term,half,starts,ends` header and one half term a row"};

// Reads one declared calendar file with `read` (text, error) -> optional calendar. The loader
// has confined the path to the policy's folder tree or the stdlib, so the file's lines may be
// quoted in messages; it must be a regular file in UTF-8. Its text joins the hashed sources; a
// file that cannot be read is an E0006 at the declaration, and nothing is returned.
template <class Read>
auto load_calendar(const lang::CalendarInfo& cal, const CalendarKind& kind, Read read,
                   std::vector<std::pair<std::string, std::string>>& files,
                   std::vector<lang::Diagnostic>& diagnostics) {
  std::string error;
  auto text = read_file(cal.path, error, {.allow_pipes = false});
  decltype(read(std::string_view{}, error)) parsed;
  if (text) {
    if (std::string problem = not_utf8(cal.name, *text, kind.what); !problem.empty()) {
      error = std::move(problem);
    } else {
      parsed = read(*text, error);
    }
  }
  if (!parsed) {
    diagnostics.push_back(lang::make_diagnostic(
        lang::DiagnosticKind::E0006, cal.span,
        fmt::format("cannot load the {} `{}`: {}", kind.called, cal.name, error),
        fmt::format("{} declared here", kind.called), std::string(kind.format)));
    return parsed;
  }
  files.emplace_back(
      std::to_string(files.size()) + ":" + std::filesystem::path(cal.path).filename().string(),
      *text);
  return parsed;
}

}  // namespace

CompileResult compile_loaded(std::string path, lang::SourceMap sources, lang::LoadResult loaded) {
  CompileResult out;
  out.diagnostics = std::move(loaded.diagnostics);
  if (lang::has_errors(out.diagnostics)) {
    out.sources = std::move(sources);
    return out;
  }
  std::vector<std::pair<std::string, std::string>> files;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    // Labelled by load order and file name, not full path, so the hash is the same wherever
    // the repository is checked out.
    const auto& f = sources.file(static_cast<lang::FileId>(i));
    files.emplace_back(
        std::to_string(i) + ":" + std::filesystem::path(f.path()).filename().string(), f.text());
  }
  std::vector<std::string> paths = loaded.policy.paths;
  lang::CheckResult checked = lang::check(std::move(loaded.policy));
  for (auto& d : checked.diagnostics) out.diagnostics.push_back(std::move(d));
  if (!checked.policy) {
    out.sources = std::move(sources);
    return out;
  }
  auto compiled = std::make_unique<CompiledPolicy>();
  compiled->path = std::move(path);
  compiled->sources = std::move(sources);
  compiled->policy = std::move(*checked.policy);
  compiled->program = lower(compiled->policy);
  hoist(compiled->program);
  // Calendars are declared data: read now, with the policy, never during evaluation.
  for (const auto& cal : compiled->policy.calendars) {
    auto parsed = load_calendar(
        cal, kHolidayCalendar,
        [&](std::string_view text, std::string& error) {
          return read_holiday_calendar(cal.name, text, error);
        },
        files, out.diagnostics);
    if (!parsed) {
      out.sources = std::move(compiled->sources);
      return out;
    }
    compiled->program.calendars.push_back(std::move(*parsed));
  }
  // Term calendars likewise: the LA's term dates are read with the policy.
  for (const auto& cal : compiled->policy.term_calendars) {
    auto parsed = load_calendar(
        cal, kTermCalendar,
        [&](std::string_view text, std::string& error) {
          return read_term_calendar(cal.name, std::filesystem::path(cal.path).filename().string(),
                                    text, error);
        },
        files, out.diagnostics);
    if (!parsed) {
      out.sources = std::move(compiled->sources);
      return out;
    }
    compiled->program.term_calendars.push_back(std::move(*parsed));
  }
  compiled->schema = make_schema(compiled->policy);
  compiled->sources_sha256 = sha256_of_files(files);
  compiled->source_paths = std::move(paths);
  out.compiled = std::move(compiled);
  return out;
}

CompileResult compile_policy(const std::filesystem::path& path) {
  lang::SourceMap sources;
  lang::LoadResult loaded = lang::load_policy(path, sources);
  return compile_loaded(path.string(), std::move(sources), std::move(loaded));
}

CompileResult compile_policy_text(const std::string& path, std::string text) {
  lang::SourceMap sources;
  lang::LoadResult loaded = lang::load_policy_text(path, std::move(text), sources);
  return compile_loaded(path, std::move(sources), std::move(loaded));
}

std::string span_text(const lang::SourceMap& sources, lang::SourceSpan span) {
  if (span.file >= sources.size()) return {};
  const std::string& text = sources.file(span.file).text();
  std::string out;
  bool space = false;
  for (std::uint32_t i = span.begin; i < span.end && i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace catengine::engine
