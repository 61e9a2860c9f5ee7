// The policy's diagnostics as the protocol's: severity, the stable code with a link to its
// section of docs/errors.md, notes and hints as related information.
#include <filesystem>

#include "lsp/features.hpp"

namespace catengine::lsp {

namespace {

// docs/errors.md of the sources this was built from (beside the stdlib).
std::string errors_page() {
  static const std::string page =
      path_to_uri((lang::default_stdlib_dir().parent_path() / "docs" / "errors.md")
                      .lexically_normal()
                      .string());
  return page;
}

}  // namespace

Json to_lsp_diagnostic(const Analysis& a, const lang::Diagnostic& d) {
  const lang::DiagnosticKindInfo& info = lang::info(d.kind);
  int severity = 1;
  if (info.severity == lang::Severity::Warning) severity = 2;
  if (info.severity == lang::Severity::Note) severity = 3;
  std::string message = d.message;
  if (!d.label.empty() && d.label != d.message) message += " (" + d.label + ")";
  const lang::SourceSpan span = d.has_span ? d.span : lang::SourceSpan{d.span.file, 0, 0};
  Json out = {{"range", range_json(a, span)},
              {"severity", severity},
              {"code", std::string(info.code)},
              {"codeDescription", {{"href", errors_page() + "#" + lang::docs_anchor(info)}}},
              {"source", "catengine"},
              {"message", message}};
  Json related = Json::array();
  const auto location = [&](lang::SourceSpan s) {
    const std::string path =
        s.file < a.sources.size() ? canonical_path(a.sources.file(s.file).path()) : a.main_path;
    return Json{{"uri", path_to_uri(path)}, {"range", range_json(a, s)}};
  };
  for (const auto& n : d.notes)
    related.push_back({{"location", location(n.span)}, {"message", n.message}});
  for (const auto& h : d.hints)
    related.push_back({{"location", location(span)}, {"message", "hint: " + h}});
  if (!related.empty()) out["relatedInformation"] = std::move(related);
  return out;
}

}  // namespace catengine::lsp
