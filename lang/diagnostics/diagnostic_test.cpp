#define BOOST_TEST_MODULE diagnostic
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "lang/diagnostics/diagnostic.hpp"

using namespace catengine::lang;

namespace {

Diagnostic make(DiagnosticKind kind, SourceSpan span, std::string message, std::string label = {},
                std::vector<std::string> hints = {}) {
  Diagnostic d;
  d.kind = kind;
  d.span = span;
  d.message = std::move(message);
  d.label = std::move(label);
  d.hints = std::move(hints);
  return d;
}

SourceMap sample() {
  SourceMap map;
  std::string text;
  for (int i = 1; i < 42; ++i) text += "# line " + std::to_string(i) + "\n";
  text += "    when ofsted_overal is 3\n";  // line 42
  text += "done\n";
  map.add("policies/peterborough/categorisation.policy", std::move(text));
  return map;
}

std::uint32_t offset_of(const SourceMap& map, std::string_view needle) {
  return static_cast<std::uint32_t>(map.file(0).text().find(needle));
}

}  // namespace

BOOST_AUTO_TEST_CASE(registry) {
  const auto kinds = all_diagnostic_kinds();
  BOOST_TEST(kinds.size() > 40u);
  BOOST_TEST(info(DiagnosticKind::E0001).code == "E0001");
  BOOST_TEST(info(DiagnosticKind::E0001).summary == "syntax error");
  BOOST_TEST((info(DiagnosticKind::E0201).severity == Severity::Error));
  std::set<std::string_view> codes;
  for (DiagnosticKind k : kinds) {
    BOOST_TEST(codes.insert(info(k).code).second, "duplicate code " << info(k).code);
    BOOST_TEST(info(k).code.size() == 5u);
    BOOST_TEST(!info(k).summary.empty());
  }
  BOOST_TEST(info(kinds.back()).code == "E0901");
}

// The anchors GitHub gives the headings of docs/errors.md: lowercase, spaces as `-`, backticks
// and other punctuation dropped.
BOOST_AUTO_TEST_CASE(docs_anchors_are_githubs) {
  BOOST_TEST(docs_anchor(info(DiagnosticKind::E0201)) == "e0201-unknown-name");
  BOOST_TEST(docs_anchor(info(DiagnosticKind::E0407)) == "e0407-rule-after-otherwise");
  BOOST_TEST(docs_anchor(info(DiagnosticKind::W0101)) == "w0101-rule-can-never-apply");
}

BOOST_AUTO_TEST_CASE(render_matches_the_documented_style) {
  const SourceMap map = sample();
  const std::uint32_t at = offset_of(map, "ofsted_overal");
  Diagnostic d =
      make(DiagnosticKind::E0201, {0, at, at + 13}, "`ofsted_overal` is not a field of `School`",
           "unknown field", {"did you mean `ofsted_overall`?"});
  BOOST_TEST(render(d, map) ==
             "error[E0201]: `ofsted_overal` is not a field of `School`\n"
             "  --> policies/peterborough/categorisation.policy:42:10\n"
             "   |\n"
             "42 |     when ofsted_overal is 3\n"
             "   |          ^^^^^^^^^^^^^ unknown field\n"
             "   = hint: did you mean `ofsted_overall`?\n");
}

BOOST_AUTO_TEST_CASE(render_edge_cases) {
  const SourceMap map = sample();
  const std::uint32_t at = offset_of(map, "is 3");
  // Empty span: one caret; no label: no trailing space.
  BOOST_TEST(render(make(DiagnosticKind::E0001, {0, at, at}, "m"), map) ==
             "error[E0001]: m\n"
             "  --> policies/peterborough/categorisation.policy:42:24\n"
             "   |\n"
             "42 |     when ofsted_overal is 3\n"
             "   |                        ^\n");
  // A span crossing lines underlines to the end of the first line.
  const std::uint32_t end = offset_of(map, "done") + 4;
  BOOST_TEST(render(make(DiagnosticKind::E0001, {0, at, end}, "m", "here"), map) ==
             "error[E0001]: m\n"
             "  --> policies/peterborough/categorisation.policy:42:24\n"
             "   |\n"
             "42 |     when ofsted_overal is 3\n"
             "   |                        ^^^^ here\n");
  // Without a span: the header and the path.
  Diagnostic whole = make(DiagnosticKind::E0103, {0, 0, 0}, "this policy has no `policy` header");
  whole.has_span = false;
  BOOST_TEST(render(whole, map) ==
             "error[E0103]: this policy has no `policy` header\n"
             "  --> policies/peterborough/categorisation.policy\n");
  // Notes point elsewhere.
  Diagnostic noted = make(DiagnosticKind::E0202, {0, 0, 1}, "`x` is declared twice");
  noted.notes.push_back({{0, at, at + 2}, "the first `x` is here"});
  BOOST_TEST(
      render(noted, map) ==
      "error[E0202]: `x` is declared twice\n"
      " --> policies/peterborough/categorisation.policy:1:1\n"
      "  |\n"
      "1 | # line 1\n"
      "  | ^\n"
      "  = note: policies/peterborough/categorisation.policy:42:24: the first `x` is here\n");
}

BOOST_AUTO_TEST_CASE(render_counts_characters_and_tabs) {
  SourceMap map;
  map.add("u.policy", "define caf\xC3\xA9 = \"\xC3\xA9t\xC3\xA9\"\n\tx $\n");
  const std::string& text = map.file(0).text();
  const auto s = static_cast<std::uint32_t>(text.find('"'));
  BOOST_TEST(render(make(DiagnosticKind::E0001, {0, s, s + 7}, "m", "l"), map) ==
             "error[E0001]: m\n"
             " --> u.policy:1:15\n"
             "  |\n"
             "1 | define caf\xC3\xA9 = \"\xC3\xA9t\xC3\xA9\"\n"
             "  |               ^^^^^ l\n");
  const auto d = static_cast<std::uint32_t>(text.find('$'));
  BOOST_TEST(render(make(DiagnosticKind::E0007, {0, d, d + 1}, "m"), map) ==
             "error[E0007]: m\n"
             " --> u.policy:2:4\n"
             "  |\n"
             "2 |     x $\n"
             "  |       ^\n");
}

BOOST_AUTO_TEST_CASE(render_with_colour) {
  const SourceMap map = sample();
  const std::string out =
      render(make(DiagnosticKind::E0001, {0, 0, 1}, "m", "l"), map, RenderOptions{true});
  BOOST_TEST(out.find("\x1b[1;31merror[E0001]\x1b[0m") == 0u);
  BOOST_TEST(out.find("\x1b[1;34m") != std::string::npos);
  BOOST_TEST(render(make(DiagnosticKind::E0001, {0, 0, 1}, "m"), map).find('\x1b') ==
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(render_all_summaries) {
  const SourceMap map = sample();
  BOOST_TEST(render_all({}, map) == "");
  const Diagnostic e = make(DiagnosticKind::E0001, {0, 0, 1}, "m");
  const std::string one = render(e, map);
  BOOST_TEST(render_all({e}, map) == one + "\n1 error\n");
  BOOST_TEST(render_all({e, e}, map) == one + "\n" + one + "\n2 errors\n");
  BOOST_TEST(has_errors({e}));
  BOOST_TEST(!has_errors({}));
}

BOOST_AUTO_TEST_CASE(closest_match_finds_near_names) {
  const std::vector<std::string> names = {"ofsted_overall", "ofsted_category", "urn", "phase"};
  BOOST_TEST(closest_match("ofsted_overal", names) == "ofsted_overall");
  BOOST_TEST(closest_match("pahse", names) == "phase");  // a transposition is one edit
  BOOST_TEST(closest_match("urm", names) == "urn");      // short names allow one edit
  BOOST_TEST(closest_match("xyz", names) == "");
  BOOST_TEST(closest_match("ks2", names) == "");
  BOOST_TEST(closest_match("anything", {}) == "");
  // Ties go to the first candidate.
  BOOST_TEST(closest_match("cat", {"bat", "cab"}) == "bat");
  // Within max(1, len/3): "categry" (7 letters) allows 2 edits.
  BOOST_TEST(closest_match("categry", {"category"}) == "category");
  BOOST_TEST(closest_match("catgry", {"category"}) == "category");
  BOOST_TEST(closest_match("ctgry", {"category"}) == "");
}
