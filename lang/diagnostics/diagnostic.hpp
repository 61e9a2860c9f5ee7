// Diagnostics are values: every phase returns them alongside its result. Rendering turns one into
// the `file:line:col`, source line, caret and hint that a policy officer reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lang/source/source.hpp"

namespace catengine::lang {

enum class Severity : std::uint8_t { Error, Warning, Note };

enum class DiagnosticKind : std::uint16_t {
#define X(code, severity, summary) code,
#include "lang/diagnostics/diagnostic_kinds.def"
#undef X
};

struct DiagnosticKindInfo {
  std::string_view code;  // stable, e.g. "E0201"
  Severity severity;
  std::string_view summary;  // one line, for docs and `--explain`-style listings
};

const DiagnosticKindInfo& info(DiagnosticKind kind);
std::vector<DiagnosticKind> all_diagnostic_kinds();

// The anchor of the kind's section in docs/errors.md, whose heading is `CODE: summary`, as
// GitHub's Markdown renderer makes it: `e0201-unknown-name`. The language server's and SARIF's
// links to the documentation both use it.
std::string docs_anchor(const DiagnosticKindInfo& info);

// A secondary location shown under the main one ("the loop starts here").
struct DiagnosticNote {
  SourceSpan span;
  std::string message;
};

struct Diagnostic {
  DiagnosticKind kind;
  SourceSpan span;
  std::string message;  // lower-case start, no full stop, code in backticks
  std::string label;    // short text printed after the caret ("unknown field")
  std::vector<std::string> hints;
  std::vector<DiagnosticNote> notes;
  bool has_span = true;  // false for whole-file problems (a missing module, no policy header)
};

struct RenderOptions {
  bool colour = false;
};

// Renders in the Rust/Elm style:
//   error[E0201]: `ofsted_overal` is not a field of `School`
//     --> policies/peterborough/categorisation.policy:42:10
//      |
//   42 |     when ofsted_overal is 3
//      |          ^^^^^^^^^^^^^ unknown field
//      = hint: did you mean `ofsted_overall`?
std::string render(const Diagnostic& d, const SourceMap& sources,
                   const RenderOptions& options = {});

// Renders every diagnostic, then a summary line ("2 errors"), or nothing when the list is empty.
std::string render_all(const std::vector<Diagnostic>& ds, const SourceMap& sources,
                       const RenderOptions& options = {});

bool has_errors(const std::vector<Diagnostic>& ds);

inline Diagnostic make_diagnostic(DiagnosticKind kind, SourceSpan span, std::string message,
                                  std::string label, std::string hint = {}) {
  Diagnostic d{kind, span, std::move(message), std::move(label), {}, {}, true};
  if (!hint.empty()) d.hints.push_back(std::move(hint));
  return d;
}

// The closest candidate within a small edit distance, for "did you mean" hints; empty if none.
std::string closest_match(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace catengine::lang
