// Reads a policy and its imports into parsed modules, dependencies first, reporting missing
// modules and import cycles at the `use` that causes them. A policy is untrusted input (CI runs
// pull requests' policies), so every file it names is confined to the policy's folder tree or
// the stdlib, must be a regular file of the right kind, and is checked to be UTF-8.
#include "lang/load/loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "base/utf8.hpp"
#include "lang/syntax/parser.hpp"
#include "lang/syntax/scanner.hpp"
#include "system/atomic_file.hpp"

namespace catengine::lang {

namespace fs = std::filesystem;

fs::path default_stdlib_dir() {
  if (const char* env = std::getenv("CATENGINE_STDLIB"); env != nullptr && *env != '\0') {
    return env;
  }
  return CATENGINE_STDLIB_DIR;
}

namespace {

// A policy source read from disk: only a regular file (never a device, pipe or socket), and
// never more than kMaxSourceBytes of it.
struct SourceText {
  enum class Status { Ok, Unreadable, NotRegular, TooLarge } status = Status::Unreadable;
  std::string text;
  std::uintmax_t size = 0;  // the file's size when TooLarge
};

SourceText read_source(const fs::path& path) {
  SourceText out;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec) return out;
  if (!fs::is_regular_file(status)) {
    out.status = SourceText::Status::NotRegular;
    return out;
  }
  // Too large is told from the size, before reading, so the message can give it.
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > kMaxSourceBytes) {
    out.status = SourceText::Status::TooLarge;
    out.size = size;
    return out;
  }
  // The one reader of whole files: regular files only (a path swapped for a pipe after the look
  // cannot hang it), and never more than the limit, even if the file grows meanwhile.
  std::string error;
  auto text =
      read_file(path, error, ReadOptions{.allow_pipes = false, .max_bytes = kMaxSourceBytes});
  if (!text) {
    const std::uintmax_t now = fs::file_size(path, ec);
    if (!ec && now > kMaxSourceBytes) {
      out.status = SourceText::Status::TooLarge;
      out.size = now;
    }
    return out;
  }
  out.text = std::move(*text);
  out.status = SourceText::Status::Ok;
  return out;
}

std::optional<std::string> read_text(const fs::path& path) {
  SourceText s = read_source(path);
  if (s.status != SourceText::Status::Ok) return std::nullopt;
  return std::move(s.text);
}

// Whether `path` is `dir` or lies beneath it; both canonical.
bool is_within(const fs::path& path, const fs::path& dir) {
  auto p = path.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++p) {
    if (d->empty() && std::next(d) == dir.end()) break;  // a trailing separator
    if (p == path.end() || *p != *d) return false;
  }
  return true;
}

// The canonical form of a folder that exists; else its absolute, normal form.
fs::path canonical_folder(const fs::path& dir) {
  std::error_code ec;
  const fs::path base = dir.empty() ? fs::path(".") : dir;
  fs::path c = fs::canonical(base, ec);
  if (!ec) return c;
  c = fs::absolute(base, ec);
  return ec ? base.lexically_normal() : c.lexically_normal();
}

// The span of the string literal that starts at or after `at` in `text` (past blanks and
// comments), or nullopt. Used to put the caret on the file name of a `use` or `calendar`.
std::optional<std::pair<std::uint32_t, std::uint32_t>> string_at(std::string_view text,
                                                                 std::size_t at) {
  const Token t = scan_token(text, skip_blanks(text, at));
  if (t.kind != TokenKind::String || !t.closed) return std::nullopt;
  return std::pair{t.begin, t.end};
}

bool has_header(const Module& m) {
  for (const auto& d : m.decls) {
    if (std::holds_alternative<PolicyHeader>(d)) return true;
  }
  return false;
}

class Loader {
 public:
  // `root`: the folder of the policy named on the command line; every file read must lie
  // within it or within `stdlib`.
  Loader(SourceMap& sources, fs::path stdlib, const fs::path& root)
      : sources_(sources),
        stdlib_(std::move(stdlib)),
        root_(canonical_folder(root)),
        root_shown_(root.empty() ? std::string(".") : root.string()),
        stdlib_canonical_(canonical_folder(stdlib_)) {}

  // Loads `text` as the module at `path`, then (depth first) every module it uses.
  void load(const std::string& path, std::string text) {
    const std::string key = canonical(path);
    state_[key] = State::InProgress;
    stack_.push_back(key);
    const std::size_t bad = first_invalid_utf8(text);
    const FileId file = sources_.add(path, std::move(text));
    ParseResult parsed;
    parsed.module.file = file;
    if (bad != std::string_view::npos) {
      // Not parsed: every later message would be about the same mistake.
      const std::string& t = sources_.file(file).text();
      error(make_diagnostic(
          DiagnosticKind::E0009,
          {file, static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)},
          fmt::format("this file is not UTF-8 text: byte `{}` is not part of a character",
                      shown_text(std::string_view(t).substr(bad, 1))),
          "not UTF-8",
          "save the file as UTF-8 (in most editors: Save As, then choose the UTF-8 encoding)"));
    } else {
      parsed = parse(sources_.file(file), file);
    }
    append(parsed.diagnostics);
    for (const auto& decl : parsed.module.decls) {
      if (const auto* use = std::get_if<UseDecl>(&decl)) follow(*use, path);
      if (const auto* cal = std::get_if<CalendarDecl>(&decl)) check_calendar(*cal, path);
    }
    stack_.pop_back();
    state_[key] = State::Done;
    result_.policy.paths.push_back(path);
    result_.policy.modules.push_back(std::move(parsed.module));
  }

  LoadResult take() { return std::move(result_); }

  void set_overlay(const SourceOverlay* overlay) { overlay_ = overlay; }
  const std::string* overlay_text(const std::string& key) const {
    if (overlay_ == nullptr) return nullptr;
    const auto it = overlay_->find(key);
    return it == overlay_->end() ? nullptr : &it->second;
  }

  // E0005 for a file over the limit, worded as the parser words it, without reading the file.
  void too_large(const std::string& path, std::uintmax_t size) {
    const FileId file = sources_.add(path, std::string());
    error(Diagnostic{DiagnosticKind::E0005,
                     {file, 0, 0},
                     fmt::format("this file is {} bytes long; the limit is {} bytes (4 MiB)", size,
                                 kMaxSourceBytes),
                     {},
                     {"split the policy into several files joined with `use`"},
                     {},
                     false});
  }
  void error(Diagnostic d) { result_.diagnostics.push_back(std::move(d)); }

  // Whether a file (a policy given by folder, or a main file) lies within the confinement.
  bool allowed(const fs::path& path) const {
    std::error_code ec;
    const fs::path c = fs::weakly_canonical(path, ec);
    return !ec && (is_within(c, root_) || is_within(c, stdlib_canonical_));
  }

 private:
  enum class State { InProgress, Done };

  void append(std::vector<Diagnostic>& ds) {
    for (auto& d : ds) result_.diagnostics.push_back(std::move(d));
  }

  static std::string canonical(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(path, ec);
    return ec ? fs::path(path).lexically_normal().string() : p.string();
  }

  std::string resolve(const UseDecl& use, const std::string& importer) const {
    if (use.is_path)
      return (fs::path(importer).parent_path() / use.target).lexically_normal().string();
    // stdlib.a.b -> <stdlib>/a/b.policy
    std::string rest = use.target;
    if (rest.rfind("stdlib.", 0) == 0) rest = rest.substr(7);
    fs::path p = stdlib_;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = rest.find('.', start);
      std::string part =
          rest.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (dot == std::string::npos) {
        p /= part + ".policy";
        break;
      }
      p /= part;
      start = dot + 1;
    }
    return p.string();
  }

  // The span of the file name in quotes that starts at or after `from` in the declaration at
  // `decl`; the whole declaration when it cannot be found.
  SourceSpan file_name_span(SourceSpan decl, std::size_t from) const {
    const std::string& text = sources_.file(decl.file).text();
    if (auto s = string_at(std::string_view(text).substr(0, decl.end), from)) {
      return {decl.file, s->first, s->second};
    }
    return decl;
  }

  // Refuses a file named by a policy that lies outside the policy's folder tree and the stdlib
  // (after following symbolic links), or is not a regular file with the extension `ext`. `span`
  // is the file name in quotes; `what` says what names it.
  bool confined(const std::string& written, const fs::path& path, SourceSpan span,
                std::string_view what, std::string_view ext) {
    const std::string& folder = root_shown_;
    if (fs::path(written).is_absolute()) {
      error(make_diagnostic(
          DiagnosticKind::E0106, span,
          fmt::format("{} may not name an absolute path such as `{}`", what, written),
          "absolute path",
          fmt::format("a policy reads only files in its own folder (`{}`) and the folders "
                      "beneath it, and the stdlib; write a path relative to this file",
                      folder)));
      return false;
    }
    if (fs::path(written).extension() != ext) {
      error(make_diagnostic(DiagnosticKind::E0107, span,
                            fmt::format("{} must name a `{}` file, not `{}`", what, ext, written),
                            fmt::format("not a `{}` file", ext),
                            "a policy reads only `.policy` modules and `.csv` calendars"));
      return false;
    }
    if (!allowed(path)) {
      error(make_diagnostic(
          DiagnosticKind::E0106, span, fmt::format("`{}` is outside the policy's folder", written),
          "outside the folder",
          fmt::format("a policy reads only files in its own folder (`{}`) and the folders "
                      "beneath it, and the stdlib (symbolic links are followed first); move the "
                      "file into the folder",
                      folder)));
      return false;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!ec && fs::exists(st) && !fs::is_regular_file(st)) {
      error(make_diagnostic(DiagnosticKind::E0107, span,
                            fmt::format("`{}` is not a regular file", written),
                            fs::is_directory(st) ? "a folder" : "a device, pipe or socket",
                            fmt::format("{} must name a file", what)));
      return false;
    }
    return true;
  }

  void check_calendar(const CalendarDecl& cal, const std::string& importer) {
    // The same resolution as the checker's (relative to the declaring file).
    const fs::path path = (fs::path(importer).parent_path() / cal.file).lexically_normal();
    // calendar NAME "title" from "file": the file name is the string after `from`.
    const std::string& text = sources_.file(cal.span.file).text();
    SourceSpan span = cal.span;
    if (auto title = string_at(std::string_view(text).substr(0, cal.span.end), cal.name.span.end)) {
      std::size_t at = title->second;
      while (at < cal.span.end && text.compare(at, 4, "from") != 0) ++at;
      if (at < cal.span.end) span = file_name_span(cal.span, at + 4);
    }
    confined(cal.file, path, span, "`calendar ... from`", ".csv");
  }

  void follow(const UseDecl& use, const std::string& importer) {
    if (!use.is_path && use.target.rfind("stdlib.", 0) != 0) {
      error(
          make_diagnostic(DiagnosticKind::E0101, use.span,
                          fmt::format("`{}` is not a module name", use.target), "unknown module",
                          "write `use stdlib.NAME` for a standard module, or `use \"file.policy\"` "
                          "for a file beside this one"));
      return;
    }
    const std::string path = resolve(use, importer);
    if (use.is_path && !confined(use.target, path, file_name_span(use.span, use.span.begin + 3),
                                 "`use`", ".policy")) {
      return;
    }
    if (!use.is_path && !allowed(path)) {
      error(make_diagnostic(DiagnosticKind::E0106, use.span,
                            fmt::format("`{}` is outside the stdlib folder", use.target),
                            "outside the folder",
                            "a module of the stdlib may not be a symbolic link out of it"));
      return;
    }
    const std::string key = canonical(path);
    if (auto it = state_.find(key); it != state_.end()) {
      if (it->second == State::InProgress) {
        std::string chain;
        bool in_cycle = false;
        for (const auto& s : stack_) {
          if (s == key) in_cycle = true;
          if (in_cycle) chain += fmt::format("`{}` uses ", fs::path(s).filename().string());
        }
        chain += fmt::format("`{}`", fs::path(key).filename().string());
        error(make_diagnostic(
            DiagnosticKind::E0102, use.span, fmt::format("import cycle: {}", chain),
            "this import closes the cycle",
            "move what both modules need into a third module that neither imports"));
      }
      return;  // already loaded (or reported)
    }
    SourceText text;
    if (const std::string* open = overlay_text(key)) {
      text.status = SourceText::Status::Ok;  // an editor's buffer: the parser checks its size
      text.text = *open;
    } else {
      text = read_source(path);
    }
    if (text.status == SourceText::Status::TooLarge) {
      too_large(path, text.size);
      return;
    }
    if (text.status != SourceText::Status::Ok) {
      error(make_diagnostic(DiagnosticKind::E0101, use.span,
                            fmt::format("cannot find module `{}`", use.target), "not found",
                            fmt::format("looked for `{}`", fs::proximate(path).string())));
      return;
    }
    load(path, std::move(text.text));
    if (has_header(result_.policy.modules.back())) {
      error(make_diagnostic(
          DiagnosticKind::E0105, use.span,
          fmt::format("`{}` has a `policy` header, so it is a policy, not a module", use.target),
          "imported here", "remove the `policy` line from the imported file"));
    }
  }

  SourceMap& sources_;
  fs::path stdlib_;
  fs::path root_;              // canonical: the policy's folder
  std::string root_shown_;     // the same, as given, for messages
  fs::path stdlib_canonical_;  // canonical: the stdlib folder
  std::map<std::string, State> state_;
  std::vector<std::string> stack_;
  LoadResult result_;
  const SourceOverlay* overlay_ = nullptr;
};

Diagnostic file_error(DiagnosticKind kind, std::string message, std::string hint = {}) {
  Diagnostic d{kind, {}, std::move(message), {}, {}, {}, false};
  if (!hint.empty()) d.hints.push_back(std::move(hint));
  return d;
}

}  // namespace

LoadResult load_policy_text(const std::string& path, std::string text, SourceMap& sources,
                            const fs::path& stdlib_dir) {
  Loader loader(sources, stdlib_dir, fs::path(path).parent_path());
  loader.load(path, std::move(text));
  return loader.take();
}

LoadResult load_policy_text(const std::string& path, std::string text, SourceMap& sources,
                            const fs::path& stdlib_dir, const SourceOverlay& overlay) {
  Loader loader(sources, stdlib_dir, fs::path(path).parent_path());
  loader.set_overlay(&overlay);
  loader.load(path, std::move(text));
  return loader.take();
}

LoadResult load_policy(const fs::path& path, SourceMap& sources, const fs::path& stdlib_dir) {
  std::error_code ec;
  fs::path main = path;
  const bool is_folder = fs::is_directory(path, ec);
  // The confinement: the folder named, or the named file's folder, and everything beneath it.
  Loader loader(sources, stdlib_dir, is_folder ? path : path.parent_path());
  if (is_folder) {
    std::vector<fs::path> candidates;
    std::vector<fs::path> all;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      // A link out of the folder is no candidate: its text is never read.
      if (entry.is_regular_file() && entry.path().extension() == ".policy" &&
          loader.allowed(entry.path())) {
        all.push_back(entry.path());
      }
    }
    std::sort(all.begin(), all.end());
    for (const auto& p : all) {
      auto text = read_text(p);
      if (text && text->find("policy \"") != std::string::npos) {
        // Cheap pre-filter; the parse below decides.
        SourceMap scratch;
        FileId id = scratch.add(p.string(), *text);
        if (has_header(parse(scratch.file(id), id).module)) candidates.push_back(p);
      }
    }
    if (candidates.size() != 1) {
      LoadResult r;
      r.diagnostics.push_back(file_error(
          candidates.empty() ? DiagnosticKind::E0103 : DiagnosticKind::E0104,
          candidates.empty()
              ? fmt::format(
                    "no policy in `{}`: no `.policy` file there starts with `policy \"...\"`",
                    path.string())
              : fmt::format("`{}` holds more than one policy ({} and {})", path.string(),
                            candidates[0].filename().string(), candidates[1].filename().string()),
          "name the policy file itself instead of the folder"));
      return r;
    }
    main = candidates.front();
  } else if (fs::exists(main, ec) && !loader.allowed(main)) {
    LoadResult r;
    r.diagnostics.push_back(file_error(
        DiagnosticKind::E0106,
        fmt::format("`{}` is a symbolic link to a file outside its folder", main.string()),
        "name the policy file itself, not a link to it"));
    return r;
  }
  SourceText text = read_source(main);
  if (text.status == SourceText::Status::TooLarge) {
    loader.too_large(main.string(), text.size);
    return loader.take();
  }
  if (text.status != SourceText::Status::Ok) {
    LoadResult r;
    r.diagnostics.push_back(file_error(DiagnosticKind::E0006,
                                       fmt::format("cannot read `{}`", main.string()),
                                       "check the path: it should be a .policy file or a folder"));
    return r;
  }
  loader.load(main.string(), std::move(text.text));
  return loader.take();
}

}  // namespace catengine::lang
