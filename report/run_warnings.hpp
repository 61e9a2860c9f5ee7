// The warnings a policy gives at run time (`warn` declarations, docs/language.md "Warnings"):
// which records each holds for, and the lines `evaluate`, `schedule` and `explain` print for
// them on standard error. A warning changes no result and no exit status.
//
// The conditions are worked out by the reference evaluator after the machines have run, not
// lowered into the program as extra results. A warning changes nothing the machines write, so
// the program, its hoisting and the fast path's benchmarks stay exactly as they were, and a
// policy without warnings pays nothing at all; one with warnings pays one walk of each condition
// per record (with the definitions it reads worked out again, on demand). The reference
// evaluator is the language's meaning, which the differential tests hold the machines to, so a
// condition means what it would in a rule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"
#include "eval/vm.hpp"

namespace catengine::engine {

// One warning given for one record.
struct RaisedWarning {
  std::uint32_t warning = 0;  // index into CheckedPolicy::warnings
  std::size_t record = 0;     // index into the data set
  // Not None: the condition could not be worked out (an overflow, a date out of range), which
  // is said rather than taken for no.
  EvalFault fault = EvalFault::None;
  int detail = 0;
};

// The warnings whose condition is yes (missing counts as no) for the records in [first, end),
// ordered by warning (as the policy declares them), then by record. The data set is mutable
// only to intern the policy's text.
std::vector<RaisedWarning> find_warnings(const CompiledPolicy& compiled, DataSet& data, Value as_of,
                                         std::size_t first = 0,
                                         std::size_t end = std::numeric_limits<std::size_t>::max());

// What a raised warning says: its message, or why its condition could not be worked out.
std::string warning_words(const lang::WarningInfo& warning, const RaisedWarning& raised);

// How many lines each warning prints at most before "... and N more schools". A warning that
// holds for every school (a column left out of a download, an as-of date typed wrongly) would
// otherwise bury every other message under thousands of lines; the first twenty show the
// pattern, the count shows how far it goes, and `explain` shows any one school in full.
inline constexpr std::size_t kWarningLinesEach = 20;

// The lines for standard error, in the data-error form with the school list's file and
// spreadsheet row, the warning's name and words, and the school's key:
//   gias.csv:37:-: warning: [expired_override] An adviser's override has expired ... (urn 110480)
// `path` is the file the records' rows are numbered in. Empty when nothing was raised.
std::string render_warnings(const CompiledPolicy& compiled, const DataSet& data,
                            const std::string& path, const std::vector<RaisedWarning>& raised,
                            std::size_t limit = kWarningLinesEach);

}  // namespace catengine::engine
