// The steps most verbs take, written once: check the --format name, compile the policy, read and
// bind the data, write to standard output or (atomically) to --out. Each step prints its own
// errors in the shared wording and returns an empty result, so a verb reads as its list of steps.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/commands.hpp"
#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"

namespace catengine::engine {

// Whether `format` is one of `names`; if not, prints "unknown format `x`; expected a, b or c".
bool format_is_one_of(const std::string& format, std::initializer_list<std::string_view> names,
                      const Console& console);

// The policy at `path`, compiled, with any diagnostics printed; nullptr when it has errors.
// `relabel` rewrites the rendered diagnostics (a git snapshot shows the revision's path).
std::unique_ptr<CompiledPolicy> compile_and_report(
    const std::string& path, const Console& console,
    const std::function<std::string(std::string)>& relabel = {});

// The records of the data file at `path`, bound to the policy's schema, and the file's SHA-256
// for provenance (worked out beside the binding unless `threads` is 1). Every data error is
// printed, then "N problems in `path`; nothing was written"; nullopt then.
struct BoundData {
  DataSet data;
  std::string sha256;
};
std::optional<BoundData> bind_and_report(const CompiledPolicy& compiled, const std::string& path,
                                         const Console& console, unsigned threads = 0);

// `text` to standard output, or atomically to `out` when given. Returns the exit status.
int write_text(const std::optional<std::string>& out, std::string_view text,
               const Console& console);

}  // namespace catengine::engine
