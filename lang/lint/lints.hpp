// Lints: warnings about a policy that type-checks but probably does not say what its authors
// meant (rules that can never apply, overlaps, gaps, unused names, holes in parameter tables,
// conditions that never change). Pure: a checked policy in, diagnostics out, no I/O.
// docs/check.md says which constructs the analysis covers and why its claims are sound.
#pragma once

#include <vector>

#include "lang/check/checked_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"

namespace catengine::lang {

struct LintOptions {
  // Linting a module on its own: its definitions, parameters and record fields are exports for
  // the policies that use it, so they are never reported as unused.
  bool module = false;
  // Largest number of value combinations tried for one question about one decision; beyond it
  // that question gets no answer and nothing is reported for it.
  std::uint64_t budget = std::uint64_t{1} << 20;
};

// Diagnostics sorted by file and position. Kinds W0101-W0111 (lang/diagnostic_kinds.def).
std::vector<Diagnostic> lint(const CheckedPolicy& policy, const LintOptions& options = {});

}  // namespace catengine::lang
