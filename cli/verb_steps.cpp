// The steps verbs share; see verb_steps.hpp.
#include "cli/verb_steps.hpp"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "data/binder.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "system/atomic_file.hpp"
#include "system/parallel.hpp"
#include "system/sha256.hpp"

namespace catengine::engine {

bool format_is_one_of(const std::string& format, std::initializer_list<std::string_view> names,
                      const Console& console) {
  for (std::string_view name : names) {
    if (format == name) return true;
  }
  // "a or b", "a, b or c": every name but the last joined with commas, then "or" the last.
  const std::vector<std::string_view> all(names);
  const std::string expected =
      all.size() == 1
          ? std::string(all.back())
          : fmt::format("{} or {}", fmt::join(all.begin(), all.end() - 1, ", "), all.back());
  print(console.err, fmt::format("error: unknown format `{}`; expected {}\n", format, expected));
  return false;
}

std::unique_ptr<CompiledPolicy> compile_and_report(
    const std::string& path, const Console& console,
    const std::function<std::string(std::string)>& relabel) {
  CompileResult r = compile_policy(path);
  const lang::SourceMap& sources = r.compiled ? r.compiled->sources : r.sources;
  if (!r.diagnostics.empty()) {
    std::string text = lang::render_all(r.diagnostics, sources, {console.colour_err});
    print(console.err, relabel ? relabel(std::move(text)) : text);
  }
  return std::move(r.compiled);
}

std::optional<BoundData> bind_and_report(const CompiledPolicy& compiled, const std::string& path,
                                         const Console& console, unsigned threads) {
  std::string error;
  auto bytes = read_file(path, error);
  if (!bytes) {
    print(console.err, fmt::format("error: {}\n", error));
    return std::nullopt;
  }
  // The provenance hash of the input is as much work as binding it; do both at once, unless
  // the run is held to one thread.
  std::string sha256;
  const auto hash = [&] { sha256 = sha256_hex(*bytes); };
  BindResult bound;
  const auto bind = [&] {
    bound = bind_records(path, *bytes, compiled.schema, BindOptions{threads});
  };
  if (threads != 1) {
    run_in_parallel(2, [&](std::size_t k) { k == 0 ? bind() : hash(); });
  } else {
    bind();
    hash();
  }
  if (!bound.errors.empty()) {
    std::string out;
    for (const auto& e : bound.errors) out += to_string(e) + "\n";
    const std::size_t shown = bound.errors.size();
    out += fmt::format("error: {} problem{} in `{}`; nothing was written\n", shown,
                       shown == 1 ? "" : "s", path);
    print(console.err, out);
    return std::nullopt;
  }
  return BoundData{std::move(bound.data), std::move(sha256)};
}

int write_text(const std::optional<std::string>& out, std::string_view text,
               const Console& console) {
  if (!out) return print(console.out, text) ? kExitOk : kExitOutputError;
  std::string error;
  if (!write_file_atomically(*out, text, error)) {
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  return kExitOk;
}

}  // namespace catengine::engine
