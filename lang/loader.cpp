// Reads a policy and its imports into parsed modules, dependencies first, reporting missing
// modules and import cycles at the `use` that causes them.
#include "lang/loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "lang/parser.hpp"

namespace catengine::lang {

namespace fs = std::filesystem;

fs::path default_stdlib_dir() {
  if (const char* env = std::getenv("CATENGINE_STDLIB"); env != nullptr && *env != '\0') {
    return env;
  }
  return CATENGINE_STDLIB_DIR;
}

namespace {

std::optional<std::string> read_text(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

bool has_header(const Module& m) {
  for (const auto& d : m.decls) {
    if (std::holds_alternative<PolicyHeader>(d)) return true;
  }
  return false;
}

class Loader {
 public:
  Loader(SourceMap& sources, fs::path stdlib) : sources_(sources), stdlib_(std::move(stdlib)) {}

  // Loads `text` as the module at `path`, then (depth first) every module it uses.
  void load(const std::string& path, std::string text) {
    const std::string key = canonical(path);
    state_[key] = State::InProgress;
    stack_.push_back(key);
    const FileId file = sources_.add(path, std::move(text));
    ParseResult parsed = parse(sources_.file(file), file);
    append(parsed.diagnostics);
    for (const auto& decl : parsed.module.decls) {
      if (const auto* use = std::get_if<UseDecl>(&decl)) follow(*use, path);
    }
    stack_.pop_back();
    state_[key] = State::Done;
    result_.policy.paths.push_back(path);
    result_.policy.modules.push_back(std::move(parsed.module));
  }

  LoadResult take() { return std::move(result_); }
  void error(Diagnostic d) { result_.diagnostics.push_back(std::move(d)); }

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
    auto text = read_text(path);
    if (!text) {
      error(make_diagnostic(DiagnosticKind::E0101, use.span,
                            fmt::format("cannot find module `{}`", use.target), "not found",
                            fmt::format("looked for `{}`", fs::proximate(path).string())));
      return;
    }
    load(path, std::move(*text));
    if (has_header(result_.policy.modules.back())) {
      error(make_diagnostic(
          DiagnosticKind::E0105, use.span,
          fmt::format("`{}` has a `policy` header, so it is a policy, not a module", use.target),
          "imported here", "remove the `policy` line from the imported file"));
    }
  }

  SourceMap& sources_;
  fs::path stdlib_;
  std::map<std::string, State> state_;
  std::vector<std::string> stack_;
  LoadResult result_;
};

Diagnostic file_error(DiagnosticKind kind, std::string message, std::string hint = {}) {
  Diagnostic d{kind, {}, std::move(message), {}, {}, {}, false};
  if (!hint.empty()) d.hints.push_back(std::move(hint));
  return d;
}

}  // namespace

LoadResult load_policy_text(const std::string& path, std::string text, SourceMap& sources,
                            const fs::path& stdlib_dir) {
  Loader loader(sources, stdlib_dir);
  loader.load(path, std::move(text));
  return loader.take();
}

LoadResult load_policy(const fs::path& path, SourceMap& sources, const fs::path& stdlib_dir) {
  std::error_code ec;
  fs::path main = path;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> candidates;
    std::vector<fs::path> all;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".policy") {
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
  }
  auto text = read_text(main);
  if (!text) {
    LoadResult r;
    r.diagnostics.push_back(file_error(DiagnosticKind::E0006,
                                       fmt::format("cannot read `{}`", main.string()),
                                       "check the path: it should be a .policy file or a folder"));
    return r;
  }
  return load_policy_text(main.string(), std::move(*text), sources, stdlib_dir);
}

}  // namespace catengine::lang
