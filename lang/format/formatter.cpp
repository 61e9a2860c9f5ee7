// The canonical layout of a policy file. Declarations and their items are laid out line by line
// here; expressions become a small Wadler-style document (doc.hpp) that a printer fits into
// kFormatWidth columns. The layout depends only on the syntax tree, never on comments, which is
// what makes formatting idempotent. Comments are put back afterwards: every printed line knows
// the source offset of its first token (from the scanner, scanner.hpp), so a comment goes before
// the first line that starts after it in the source, or at the end of the line it followed.
#include "lang/format/format_layout.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <variant>

namespace catengine::lang::format_detail {

std::size_t Formatter::token_at(std::uint32_t offset) const {
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                             [](const Token& t, std::uint32_t o) { return t.begin < o; });
  return static_cast<std::size_t>(it - tokens_.begin());
}

std::string_view Formatter::token_text(std::size_t i) const {
  if (i >= tokens_.size()) return {};
  return std::string_view(src_).substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
}

std::int64_t Formatter::token_begin(std::size_t i) const {
  return i < tokens_.size() ? static_cast<std::int64_t>(tokens_[i].begin) : -1;
}

std::int64_t Formatter::before(std::uint32_t offset, std::size_t k) const {
  const std::size_t i = token_at(offset);
  return i >= k ? token_begin(i - k) : -1;
}

int Formatter::paren_layers(const Expr& e) const {
  std::size_t first = token_at(e.span.begin);
  std::size_t last = token_at(e.span.end);
  if (last == 0) return 0;
  --last;
  int layers = 0;
  while (first < last && token_text(first) == "(" && token_text(last) == ")") {
    int depth = 0;
    std::size_t close = first;
    for (std::size_t i = first; i <= last; ++i) {
      if (token_text(i) == "(") ++depth;
      if (token_text(i) == ")" && --depth == 0) {
        close = i;
        break;
      }
    }
    if (close != last) break;
    ++layers;
    ++first;
    --last;
  }
  return layers;
}

void Formatter::emit(int indent, const Doc& d, LineKind kind) {
  auto printed = print_doc(d, indent);
  for (std::size_t i = 0; i < printed.size(); ++i) {
    lines_.push_back({std::move(printed[i].text), printed[i].first_src,
                      i == 0 ? kind : LineKind::Clause, decl_});
  }
}

Doc Formatter::cite_doc(const Citation& c) const {
  return text("cite " + quote(c.text), before(c.span.begin, 1));
}

void Formatter::emit_with_cite(int indent, const Doc& head, const std::optional<Citation>& cite,
                               LineKind kind, const std::string& suffix) {
  if (!cite) {
    emit(indent, cat({head, text(suffix)}), kind);
    return;
  }
  Doc one = cat({head, text(" "), cite_doc(*cite), text(suffix)});
  if (fits_flat(indent, one)) {
    emit(indent, one, kind);
    return;
  }
  emit(indent, head, kind);
  emit(indent + 2, cat({cite_doc(*cite), text(suffix)}), LineKind::Clause);
}

void Formatter::emit_alternative(int indent, const Doc& head, ExprId condition) {
  if (condition == kNoExpr) {
    emit(indent, head, LineKind::ItemStart);
    return;
  }
  Doc when =
      cat({text("when ", before(expr(condition).span.begin, 1)), align(expr_doc(condition))});
  Doc one = cat({head, text(" "), when});
  if (fits_flat(indent, one)) {
    emit(indent, one, LineKind::ItemStart);
    return;
  }
  emit(indent, head, LineKind::ItemStart);
  emit(indent + 2, when, LineKind::Clause);
}

Doc Formatter::keyword_expr(const std::string& words, std::int64_t src, ExprId value) const {
  return cat({text(words, src), align(expr_doc(value))});
}

bool Formatter::blank_line_before(std::int64_t offset) const {
  int newlines = 0;
  for (std::int64_t i = offset - 1; i >= 0; --i) {
    const char c = src_[static_cast<std::size_t>(i)];
    if (c == '\n') {
      ++newlines;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      return newlines >= 2;
    }
  }
  return false;
}

bool Formatter::starts_line(std::uint32_t offset) const {
  for (std::int64_t i = static_cast<std::int64_t>(offset) - 1; i >= 0; --i) {
    const char c = src_[static_cast<std::size_t>(i)];
    if (c == '\n') return true;
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

bool Formatter::multiline(std::size_t decl) const {
  return decl_first_line_[decl + 1] - decl_first_line_[decl] > 1;
}

std::string Formatter::assemble() {
  const std::size_t n = lines_.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && lines_[i].first_src < lines_[i - 1].first_src) {
      lines_[i].first_src = lines_[i - 1].first_src;
    }
  }
  // A comment on a line of its own goes before the first line that starts after it; one after
  // code goes at the end of the line it followed, unless that line has one already or a
  // later comment was placed before the next line: then it goes on its own line after it.
  std::vector<std::vector<const Comment*>> before_line(n + 1);
  std::vector<const Comment*> trailing(n, nullptr);
  using Place = std::pair<std::size_t, int>;  // (line, 0: before it | 1: at its end)
  std::optional<Place> last;
  for (const Comment& c : module_.comments) {
    const std::int64_t p = c.span.begin;
    const auto it =
        std::upper_bound(lines_.begin(), lines_.end(), p,
                         [](std::int64_t v, const OutLine& l) { return v < l.first_src; });
    const std::size_t next = static_cast<std::size_t>(it - lines_.begin());
    if (!starts_line(c.span.begin) && next > 0) {
      const Place at{next - 1, 1};
      if (trailing[next - 1] == nullptr && (!last || at > *last)) {
        trailing[next - 1] = &c;
        last = at;
        continue;
      }
    }
    Place at{next, 0};
    if (last && at < *last) at = last->second == 1 ? Place{last->first + 1, 0} : *last;
    before_line[at.first].push_back(&c);
    last = at;
  }

  std::string out;
  auto blank = [&out] {
    if (!out.empty() && !out.ends_with("\n\n")) out += '\n';
  };
  for (std::size_t i = 0; i <= n; ++i) {
    const bool end = i == n;
    const LineKind kind = end ? LineKind::DeclStart : lines_[i].kind;
    const bool forced = !end && kind == LineKind::DeclStart && lines_[i].decl > 0 &&
                        (multiline(lines_[i].decl - 1) || multiline(lines_[i].decl));
    std::string indent;
    if (!end) {
      const std::string& t = lines_[i].text;
      indent = t.substr(0, t.find_first_not_of(' '));
    }
    bool first = true;
    for (const Comment* c : before_line[i]) {
      bool want = kind != LineKind::Clause && blank_line_before(c->span.begin);
      if (first && forced) want = true;
      if (want) blank();
      out += indent + rtrim(c->text) + "\n";
      first = false;
    }
    if (end) break;
    bool want = kind != LineKind::Clause && blank_line_before(lines_[i].first_src);
    if (first && forced) want = true;
    if (want) blank();
    out += lines_[i].text;
    if (trailing[i] != nullptr) out += "  " + rtrim(trailing[i]->text);
    out += '\n';
  }
  return out;
}

}  // namespace catengine::lang::format_detail

namespace catengine::lang {

using format_detail::Formatter;

bool same_tokens(std::string_view a, std::string_view b) {
  const auto ta = scan_code(a);
  const auto tb = scan_code(b);
  if (ta.size() != tb.size()) return false;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    if (ta[i].text(a) != tb[i].text(b)) return false;
  }
  return true;
}

std::string format_module(const SourceFile& source, const Module& module,
                          const FormatOptions& options) {
  return Formatter(source, module, options).run();
}

}  // namespace catengine::lang
