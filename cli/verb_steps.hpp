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
#include <vector>

#include "cli/commands.hpp"
#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "data/data_file.hpp"
#include "data/dataset.hpp"
#include "report/provenance.hpp"
#include "report/run_warnings.hpp"

namespace catengine::engine {

// Whether `format` is one of `names`; if not, prints "unknown format `x`; expected a, b or c".
bool format_is_one_of(const std::string& format, std::initializer_list<std::string_view> names,
                      const Console& console);

// The policy at `path`, compiled, with any diagnostics printed; nullptr when it has errors.
// `relabel` rewrites the rendered diagnostics (a git snapshot shows the revision's path).
std::unique_ptr<CompiledPolicy> compile_and_report(
    const std::string& path, const Console& console,
    const std::function<std::string(std::string)>& relabel = {});

// The files `--data` names for `schema` (GivenFile: data/data_file.hpp; `PATH#SHEET` names a
// workbook's sheet unless a file is called that): one for a policy without sources, else one per
// source in the schema's order (`given` false for an optional one left out). Prints every problem
// (an unknown or repeated source name, a required source not given, a file that cannot be
// read) and returns nullopt.
std::optional<std::vector<GivenFile>> read_data_files(const RecordSchema& schema,
                                                      const std::vector<std::string>& args,
                                                      const Console& console);

// Whether every mapped data file is as it was when mapped (FileBytes::unchanged); if not, says
// which changed. Asked once the files have been bound (and hashed), before anything is written.
bool files_unchanged(const std::vector<GivenFile>& files, const Console& console);

// The records of the data files `--data` named, bound to the policy's schema, with each file's
// SHA-256 for provenance (worked out beside the binding unless `threads` is 1). A policy that
// reads one file takes one `--data PATH`; a policy with sources takes `--data NAME=PATH` for
// each (a plain PATH when it has one source), and `PATH#SHEET` names a workbook's sheet. Every
// data error of every file is printed, then "N problems ...; nothing was written"; nullopt
// then. Warnings are printed and the run goes on.
struct BoundData {
  DataSet data;
  std::string path;    // the file the records' rows are numbered in (the school list)
  std::string sha256;  // that file's
  std::vector<SourceProvenance> sources;     // every named source given, for a policy with sources
  std::vector<std::uint32_t> absent_fields;  // optional columns not in the files' headers
  // Every record bound; `data` holds only the last window's when they went to a RecordWindow.
  std::size_t records = 0;
};
// With `window`, the records go to it as they are bound (BindOptions::window) and are not kept.
std::optional<BoundData> bind_and_report(const CompiledPolicy& compiled,
                                         const std::vector<std::string>& data_args,
                                         const Console& console, unsigned threads = 0,
                                         const RecordWindow& window = {});

// Prints the policy's run-time warnings (`warn`) that hold for the records in [first, end) on
// standard error, at most kWarningLinesEach lines each (report/run_warnings.hpp). The run goes
// on: a warning changes neither the results nor the exit status.
// Returns them, for a writer that lists them all (the workbook's Warnings sheet).
std::vector<RaisedWarning> report_warnings(const CompiledPolicy& compiled, BoundData& bound,
                                           Value as_of, const Console& console,
                                           std::size_t first = 0,
                                           std::size_t end = static_cast<std::size_t>(-1));

// Where a result came from, from the policy and its bound data.
Provenance provenance_of(const std::string& policy_path, const CompiledPolicy& compiled,
                         const BoundData& bound, Value as_of);

// `text` to standard output, or atomically to `out` when given. Returns the exit status.
int write_text(const std::optional<std::string>& out, std::string_view text,
               const Console& console);

// A file that `write` writes by name (a workbook), put at `out` atomically: `write` is given a
// temporary path beside `out`, which replaces `out` only when `write` succeeds. A FIFO or a
// device (`--out /dev/stdout`) gets the file copied into it from a temporary file. On any error
// (`write`'s or the file system's) it is printed, nothing is left behind, and the status is 2.
int write_file_by_name(
    const std::string& out,
    const std::function<bool(const std::string& path, std::string& error)>& write,
    const Console& console);

// For a format that only a file can hold (a workbook): nothing when `out` is given, else the
// error that says so, with a hint, and false.
bool out_given_for(const std::string& format, const std::optional<std::string>& out,
                   std::string_view example, const Console& console);

}  // namespace catengine::engine
