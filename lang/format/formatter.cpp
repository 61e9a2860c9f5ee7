// The canonical layout of a policy file. Declarations and their items are laid out line by line
// here; expressions become a small Wadler-style document (doc.hpp) that a printer fits into
// kFormatWidth columns. The layout depends only on the syntax tree, never on comments, which is
// what makes formatting idempotent. Comments are put back afterwards: every printed line knows
// the source offset of its first token (from the scanner, scanner.hpp), so a comment goes before
// the first line that starts after it in the source, or at the end of the line it followed.
#include "lang/format/formatter.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "lang/format/doc.hpp"
#include "lang/syntax/scanner.hpp"

namespace catengine::lang {
namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string type_text(const TypeRef& t) {
  return t.name + (t.optional ? "?" : "");
}

std::string rtrim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// ---- The formatter --------------------------------------------------------------------------

// DeclStart: the first line of a declaration; ItemStart: the first line of an item inside one
// (a field, rule, entry); Clause: any other line (a `cite`, `when` or `then` on its own line, a
// broken expression). Blank lines the author wrote are kept before the first two only.
enum class LineKind : std::uint8_t { DeclStart, ItemStart, Clause };

struct OutLine {
  std::string text;
  std::int64_t first_src = -1;
  LineKind kind = LineKind::Clause;
  std::size_t decl = 0;
};

class Formatter {
 public:
  Formatter(const SourceFile& source, const Module& module)
      : src_(source.text()), module_(module), tokens_(scan_code(source.text())) {}

  std::string run() {
    for (const Decl& d : module_.decls) {
      decl_first_line_.push_back(lines_.size());
      std::visit([this](const auto& decl) { format(decl); }, d);
      ++decl_;
    }
    decl_first_line_.push_back(lines_.size());
    return assemble();
  }

 private:
  // ---- Tokens and source positions ----

  // The index of the first token that starts at or after `offset`.
  std::size_t token_at(std::uint32_t offset) const {
    auto it = std::lower_bound(tokens_.begin(), tokens_.end(), offset,
                               [](const Token& t, std::uint32_t o) { return t.begin < o; });
    return static_cast<std::size_t>(it - tokens_.begin());
  }
  std::string_view token_text(std::size_t i) const {
    if (i >= tokens_.size()) return {};
    return std::string_view(src_).substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  std::int64_t token_begin(std::size_t i) const {
    return i < tokens_.size() ? static_cast<std::int64_t>(tokens_[i].begin) : -1;
  }
  // The start of the `k`th token before the one at `offset` (a keyword before a known span).
  std::int64_t before(std::uint32_t offset, std::size_t k) const {
    const std::size_t i = token_at(offset);
    return i >= k ? token_begin(i - k) : -1;
  }
  // The start of the first token at or after `offset` (a keyword after a known span).
  std::int64_t after(std::uint32_t offset) const { return token_begin(token_at(offset)); }

  const Expr& expr(ExprId id) const { return module_.expr(id); }

  // How many pairs of brackets the author wrapped around an expression: its span starts with
  // `(` and the matching `)` ends it (the parser folds the brackets into the span).
  int paren_layers(const Expr& e) const {
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

  // ---- Expressions ----

  Doc expr_doc(ExprId id) const {
    const Expr& e = expr(id);
    const int layers = paren_layers(e);
    const std::size_t first = token_at(e.span.begin);
    Doc d = bare_doc(e, token_begin(first + static_cast<std::size_t>(layers)));
    for (int k = layers - 1; k >= 0; --k) {
      d = cat({text("(", token_begin(first + static_cast<std::size_t>(k))), align(std::move(d)),
               text(")")});
    }
    return d;
  }

  // Operands of a chain of one operator written without brackets: `a and b and c`.
  void flatten(ExprId id, Op op, std::vector<ExprId>& out) const {
    const Expr& e = expr(id);
    if (e.kind == ExprKind::Binary && e.op == op && paren_layers(e) == 0) {
      flatten(e.args[0], op, out);
      out.push_back(e.args[1]);
    } else {
      out.push_back(id);
    }
  }

  // The comparison operator as the author wrote it (`is` or `=`, `is not` or `!=`).
  std::string op_text(const Expr& e) const {
    const std::size_t i = token_at(expr(e.args[0]).span.end);
    if (e.op == Op::Eq && token_text(i) == "=") return "=";
    if (e.op == Op::Ne && token_text(i) == "!=") return "!=";
    return std::string(spelling(e.op));
  }

  // Items separated by `,` and a breakable space, aligned after the opening bracket.
  Doc items_doc(const std::vector<ExprId>& items) const {
    std::vector<Doc> parts;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) {
        parts.push_back(text(","));
        parts.push_back(line());
      }
      parts.push_back(expr_doc(items[i]));
    }
    return align(cat(std::move(parts)));
  }

  Doc bare_doc(const Expr& e, std::int64_t start) const {
    switch (e.kind) {
      case ExprKind::Integer:
      case ExprKind::Decimal:
      case ExprKind::Date:
      case ExprKind::Name:
        return text(e.text, start);
      case ExprKind::String:
        return text(quote(e.text), start);
      case ExprKind::List:
        if (e.args.empty()) return text("[]", start);
        return group(cat({text("[", start), items_doc(e.args), text("]")}));
      case ExprKind::Unary:
        return cat({text(e.op == Op::Neg ? "-" : "not ", start), expr_doc(e.args[0])});
      case ExprKind::Binary: {
        if (e.op == Op::And || e.op == Op::Or) {
          std::vector<ExprId> operands;
          flatten(e.args[0], e.op, operands);
          operands.push_back(e.args[1]);
          std::vector<Doc> parts{expr_doc(operands[0])};
          const std::string word = e.op == Op::And ? "and " : "or ";
          for (std::size_t i = 1; i < operands.size(); ++i) {
            parts.push_back(line());
            parts.push_back(text(word, after(expr(operands[i - 1]).span.end)));
            parts.push_back(expr_doc(operands[i]));
          }
          return group(align(cat(std::move(parts))));
        }
        return cat({expr_doc(e.args[0]), text(" " + op_text(e) + " "), expr_doc(e.args[1])});
      }
      case ExprKind::In:
        return cat(
            {expr_doc(e.args[0]), text(e.negated ? " not in " : " in "), expr_doc(e.args[1])});
      case ExprKind::IsMissing:
        return cat({expr_doc(e.args[0]), text(e.negated ? " is not missing" : " is missing")});
      case ExprKind::Between:
        return cat({expr_doc(e.args[0]), text(" between "), expr_doc(e.args[1]), text(" and "),
                    expr_doc(e.args[2])});
      case ExprKind::IfMissing:
        return cat({expr_doc(e.args[0]), text(" if missing "), expr_doc(e.args[1])});
      case ExprKind::If:
        return if_doc(e, start);
      case ExprKind::Call: {
        const std::size_t after_name = token_at(e.name_span.end);
        if (token_text(after_name) == "of" && e.args.size() == 1) {
          return cat({text(e.text + " of", start), text(" "), expr_doc(e.args[0])});
        }
        if (e.args.empty()) return text(e.text + "()", start);
        return group(cat({text(e.text + "(", start), items_doc(e.args), text(")")}));
      }
    }
    return text(e.text, start);
  }

  // `if c then a else if c2 then a2 else b`: on one line if it fits, else one clause a line,
  // each `if ... then ...` kept whole when it fits and otherwise split before `then`.
  Doc if_doc(const Expr& first, std::int64_t start) const {
    std::vector<Doc> parts;
    const Expr* e = &first;
    std::int64_t keyword_src = start;
    std::string keyword = "if ";
    for (;;) {
      const Expr& cond = expr(e->args[0]);
      const Expr& value = expr(e->args[1]);
      parts.push_back(
          group(cat({text(keyword, keyword_src), align(expr_doc(e->args[0])), line(),
                     text("then ", after(cond.span.end)), align(expr_doc(e->args[1]))})));
      parts.push_back(line());
      keyword_src = after(value.span.end);
      const Expr& rest = expr(e->args[2]);
      if (rest.kind == ExprKind::If && paren_layers(rest) == 0) {
        keyword = "else if ";
        e = &rest;
        continue;
      }
      parts.push_back(text("else ", keyword_src));
      parts.push_back(align(expr_doc(e->args[2])));
      break;
    }
    return group(align(cat(std::move(parts))));
  }

  // ---- Lines ----

  void emit(int indent, const Doc& d, LineKind kind) {
    auto printed = print_doc(d, indent);
    for (std::size_t i = 0; i < printed.size(); ++i) {
      lines_.push_back({std::move(printed[i].text), printed[i].first_src,
                        i == 0 ? kind : LineKind::Clause, decl_});
    }
  }

  Doc cite_doc(const Citation& c) const {
    return text("cite " + quote(c.text), before(c.span.begin, 1));
  }

  // `head cite "..."` on one line if it fits, else the citation on its own line below.
  void emit_with_cite(int indent, const Doc& head, const std::optional<Citation>& cite,
                      LineKind kind, const std::string& suffix = "") {
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

  // `head when condition` on one line if it fits, else `when` on its own line below.
  void emit_alternative(int indent, const Doc& head, ExprId condition) {
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

  Doc keyword_expr(const std::string& words, std::int64_t src, ExprId value) const {
    return cat({text(words, src), align(expr_doc(value))});
  }

  // ---- Declarations ----

  void format(const PolicyHeader& h) {
    emit_with_cite(0, text("policy " + quote(h.title), h.span.begin), h.cite, LineKind::DeclStart);
  }

  void format(const UseDecl& u) {
    emit(0, text("use " + (u.is_path ? quote(u.target) : u.target), u.span.begin),
         LineKind::DeclStart);
  }

  void format(const EnumDecl& e) {
    Doc head = text(
        e.ordered ? "scale " + e.name.name + " from best to worst" : "enumeration " + e.name.name,
        e.span.begin);
    std::vector<Doc> members;
    for (const EnumMember& m : e.members) {
      const bool quoted = m.span.begin < src_.size() && src_[m.span.begin] == '"';
      std::string s = quoted ? quote(m.key) : m.key;
      if (!m.description.empty()) s += " " + quote(m.description);
      members.push_back(text(std::move(s), m.span.begin));
    }
    std::vector<Doc> joined;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (i > 0) joined.push_back(text(", "));
      joined.push_back(members[i]);
    }
    Doc all = cat(joined);
    Doc with_cite = e.cite ? cat({head, text(" "), cite_doc(*e.cite)}) : head;
    Doc one = cat({with_cite, text(": "), all});
    if (fits_flat(0, one)) {
      emit(0, one, LineKind::DeclStart);
      return;
    }
    emit_with_cite(0, head, e.cite, LineKind::DeclStart, ":");
    if (fits_flat(2, all)) {
      emit(2, all, LineKind::ItemStart);
      return;
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
      emit(2, i + 1 < members.size() ? cat({members[i], text(",")}) : members[i],
           LineKind::ItemStart);
    }
  }

  void format(const RecordDecl& r) {
    emit_with_cite(0, text("record " + r.name.name, r.span.begin), r.cite, LineKind::DeclStart);
    // Fields and reading rules in the order they were written.
    std::vector<std::pair<std::uint32_t, std::variant<const FieldDecl*, const ReadingRule*>>> items;
    for (const FieldDecl& f : r.fields) items.push_back({f.span.begin, &f});
    for (const ReadingRule& rr : r.reading) items.push_back({rr.span.begin, &rr});
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& item : items) {
      if (const auto* f = std::get_if<const FieldDecl*>(&item.second)) {
        format_field(**f);
      } else {
        format_reading(*std::get<const ReadingRule*>(item.second));
      }
    }
  }

  void format_field(const FieldDecl& f) {
    std::vector<Doc> parts{text("field " + f.name.name + ": " + type_text(f.type), f.span.begin)};
    // The options in the order they were written: the first word after each `,`.
    std::vector<std::string_view> order;
    for (std::size_t i = token_at(f.span.begin); i < token_at(f.span.end); ++i) {
      if (token_text(i) == ",") order.push_back(token_text(i + 1));
    }
    for (std::string_view option : order) {
      if (option == "column" && f.column) {
        parts.push_back(text(", column " + quote(*f.column)));
      } else if (option == "key" && f.key) {
        parts.push_back(text(", key"));
      } else if (option == "shown") {
        parts.push_back(text(", shown"));
      } else if (option == "missing" && f.missing_means != kNoExpr) {
        parts.push_back(text(", missing means "));
        parts.push_back(expr_doc(f.missing_means));
      } else if (option == "between" && f.low != kNoExpr) {
        parts.push_back(text(", between "));
        parts.push_back(expr_doc(f.low));
        parts.push_back(text(" and "));
        parts.push_back(expr_doc(f.high));
      }
    }
    emit_with_cite(2, cat(std::move(parts)), f.cite, LineKind::ItemStart);
  }

  void format_reading(const ReadingRule& r) {
    static constexpr std::string_view kPrefix[] = {"missing values are ", "yes is written ",
                                                   "no is written ", "dates are written "};
    const std::size_t first = token_at(r.span.begin);
    std::vector<Doc> words;
    for (std::size_t i = 0; i < r.words.size(); ++i) {
      if (i > 0) {
        words.push_back(text(","));
        words.push_back(line());
      }
      words.push_back(text(quote(r.words[i]), token_begin(first + 3 + 2 * i)));
    }
    emit(2,
         cat({text(std::string(kPrefix[static_cast<int>(r.kind)]), r.span.begin),
              group(align(cat(std::move(words))))}),
         LineKind::ItemStart);
  }

  void format(const ParamDecl& p) {
    emit_with_cite(0,
                   text("parameter " + p.name.name + ": " + type_text(p.type) + " by " +
                            (p.by_date ? "date" : "year"),
                        p.span.begin),
                   p.cite, LineKind::DeclStart);
    for (const ParamEntry& e : p.entries) {
      std::string key = e.from + (e.to.empty() ? "" : " to " + e.to) + ": ";
      emit_with_cite(2, cat({text(key, e.span.begin), align(expr_doc(e.value))}), e.cite,
                     LineKind::ItemStart);
    }
  }

  void format(const DefineDecl& d) {
    std::string head = "define " + d.name.name + (d.type ? ": " + type_text(*d.type) : "");
    emit_with_cite(0, text(head, d.span.begin), d.cite, LineKind::DeclStart, " =");
    emit(2, expr_doc(d.body), LineKind::Clause);
  }

  Doc rule_head(const Rule& r) const {
    return text("rule " + r.id.name + " " + quote(r.title), r.span.begin);
  }

  Doc rule_when(const Rule& r) const {
    return keyword_expr("when ", before(expr(r.condition).span.begin, 1), r.condition);
  }
  Doc rule_value(const Rule& r) const {
    return keyword_expr(r.condition == kNoExpr ? "otherwise " : "then ",
                        before(expr(r.value).span.begin, 1), r.value);
  }

  // A decision's rules are all one line each when every one fits, else all set out with
  // `when` and `then` on lines of their own, so the rules of one decision read as one table.
  void format(const DecisionDecl& d) {
    emit_with_cite(0,
                   text("decide " + d.name.name + ": " + type_text(d.type) + " by " +
                            std::string(token_text(token_at(d.type.span.end) + 1)) + " match",
                        d.span.begin),
                   d.cite, LineKind::DeclStart);
    std::vector<Doc> compact;
    bool all_fit = true;
    for (const Rule& r : d.rules) {
      std::vector<Doc> parts{rule_head(r)};
      if (r.cite) parts.insert(parts.end(), {text(" "), cite_doc(*r.cite)});
      if (r.condition != kNoExpr) parts.insert(parts.end(), {text(" "), rule_when(r)});
      parts.insert(parts.end(), {text(" "), rule_value(r)});
      compact.push_back(cat(std::move(parts)));
      all_fit = all_fit && fits_flat(2, compact.back());
    }
    for (std::size_t i = 0; i < d.rules.size(); ++i) {
      const Rule& r = d.rules[i];
      if (all_fit) {
        emit(2, compact[i], LineKind::ItemStart);
        continue;
      }
      emit_with_cite(2, rule_head(r), r.cite, LineKind::ItemStart);
      if (r.condition != kNoExpr) emit(4, rule_when(r), LineKind::Clause);
      emit(4, rule_value(r), LineKind::Clause);
    }
  }

  void format(const OutputDecl& o) {
    emit_with_cite(0, text("output", o.span.begin), o.cite, LineKind::DeclStart);
    for (const OutputColumn& c : o.columns) {
      const std::size_t label = token_at(c.span.begin) + 1;
      const bool quoted = token_text(label).starts_with("\"");
      std::vector<Doc> parts{text("column " + (quoted ? quote(c.name) : c.name), c.span.begin)};
      const bool implicit = c.value == kNoExpr || expr(c.value).span.begin == token_begin(label);
      if (!implicit) parts.insert(parts.end(), {text(" = "), align(expr_doc(c.value))});
      emit(2, cat(std::move(parts)), LineKind::ItemStart);
    }
  }

  void format(const CalendarDecl& c) {
    Doc head = text("calendar " + c.name.name + " " + quote(c.title), c.span.begin);
    Doc from = text("from " + quote(c.file), token_begin(token_at(c.name.span.begin) + 2));
    std::vector<Doc> parts{head, text(" "), from};
    if (c.cite) parts.insert(parts.end(), {text(" "), cite_doc(*c.cite)});
    Doc one = cat(std::move(parts));
    if (fits_flat(0, one)) {
      emit(0, one, LineKind::DeclStart);
      return;
    }
    emit(0, head, LineKind::DeclStart);
    emit(2, from, LineKind::Clause);
    if (c.cite) emit(2, cite_doc(*c.cite), LineKind::Clause);
  }

  // An item of a notice or cadence, with the source offset of its first token for ordering.
  struct Item {
    std::int64_t begin = 0;
    std::function<void()> print;
  };

  void print_items(std::vector<Item>& items) {
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.begin < b.begin; });
    for (auto& item : items) item.print();
  }

  void add_applies(std::vector<Item>& items, ExprId applies_to) {
    if (applies_to == kNoExpr) return;
    const std::int64_t start = before(expr(applies_to).span.begin, 2);
    items.push_back({start, [this, start, applies_to] {
                       emit(2, keyword_expr("applies to ", start, applies_to), LineKind::ItemStart);
                     }});
  }

  void add_alternatives(std::vector<Item>& items, const std::vector<Alternative>& alts,
                        const std::string& words) {
    for (const Alternative& a : alts) {
      items.push_back({a.span.begin, [this, &a, words] {
                         emit_alternative(
                             2, cat({text(words, a.span.begin), align(expr_doc(a.value))}),
                             a.condition);
                       }});
    }
  }

  // The offset of `issued` in `issued when any ground holds`, which has no span of its own.
  std::int64_t any_ground_start(const NoticeDecl& n) const {
    static constexpr std::string_view kWords[] = {"issued", "when", "any", "ground", "holds"};
    for (std::size_t i = token_at(n.span.begin); i + 5 <= tokens_.size(); ++i) {
      if (tokens_[i].begin >= n.span.end) break;
      bool match = true;
      for (std::size_t k = 0; k < 5 && match; ++k) match = token_text(i + k) == kWords[k];
      if (match) return token_begin(i);
    }
    return n.span.end;
  }

  void format(const NoticeDecl& n) {
    emit_with_cite(0, text("notice " + n.name.name + " " + quote(n.title), n.span.begin), n.cite,
                   LineKind::DeclStart);
    std::vector<Item> items;
    add_applies(items, n.applies_to);
    for (const Ground& g : n.grounds) {
      items.push_back({g.span.begin, [this, &g] { format_ground(g); }});
    }
    if (n.issued_when_any_ground || n.issued_when != kNoExpr) {
      const std::int64_t start = n.issued_when_any_ground
                                     ? any_ground_start(n)
                                     : before(expr(n.issued_when).span.begin, 2);
      items.push_back({start, [this, &n, start] { format_issued(n, start); }});
    }
    add_alternatives(items, n.addressees, "addressed to ");
    add_alternatives(items, n.copies, "copy to ");
    if (n.respond_within != kNoExpr) {
      const std::int64_t start = before(expr(n.respond_within).span.begin, 2);
      items.push_back({start, [this, &n, start] {
                         emit(2,
                              cat({text("respond within ", start), expr_doc(n.respond_within),
                                   text(" working days")}),
                              LineKind::ItemStart);
                       }});
    }
    if (!n.escalation.empty()) {
      const std::int64_t start = before(n.escalation.front().span.begin, 1);
      items.push_back({start, [this, &n, start] {
                         emit(2, text("escalation", start), LineKind::ItemStart);
                         for (const EscalationStep& s : n.escalation) {
                           emit_with_cite(4, text("step " + quote(s.text), s.span.begin), s.cite,
                                          LineKind::ItemStart);
                         }
                       }});
    }
    print_items(items);
  }

  void format_ground(const Ground& g) {
    Doc head = text("ground " + g.id.name + " " + quote(g.wording), g.span.begin);
    Doc when = keyword_expr("when ", before(expr(g.condition).span.begin, 1), g.condition);
    std::vector<Doc> parts{head, text(" "), when};
    if (g.cite) parts.insert(parts.end(), {text(" "), cite_doc(*g.cite)});
    Doc one = cat(std::move(parts));
    if (fits_flat(2, one)) {
      emit(2, one, LineKind::ItemStart);
      return;
    }
    emit(2, head, LineKind::ItemStart);
    emit(4, when, LineKind::Clause);
    if (g.cite) emit(4, cite_doc(*g.cite), LineKind::Clause);
  }

  void format_issued(const NoticeDecl& n, std::int64_t start) {
    Doc head = n.issued_when_any_ground ? text("issued when any ground holds", start)
                                        : keyword_expr("issued when ", start, n.issued_when);
    if (n.unless == kNoExpr) {
      emit(2, head, LineKind::ItemStart);
      return;
    }
    Doc unless = keyword_expr("unless ", before(expr(n.unless).span.begin, 1), n.unless);
    Doc one = cat({head, text(" "), unless});
    if (fits_flat(2, one)) {
      emit(2, one, LineKind::ItemStart);
      return;
    }
    emit(2, head, LineKind::ItemStart);
    emit(4, unless, LineKind::Clause);
  }

  void format(const CadenceDecl& c) {
    emit_with_cite(0, text("cadence " + c.name.name + " " + quote(c.title), c.span.begin), c.cite,
                   LineKind::DeclStart);
    std::vector<Item> items;
    add_applies(items, c.applies_to);
    for (const Interval& iv : c.intervals) {
      items.push_back(
          {iv.span.begin, [this, &iv] {
             const std::string unit(token_text(token_at(expr(iv.count).span.end)));
             emit_alternative(
                 2, cat({text("every ", iv.span.begin), expr_doc(iv.count), text(" " + unit)}),
                 iv.condition);
           }});
    }
    if (c.dates_of) {
      const std::int64_t start = before(c.dates_of->span.begin, 3);
      items.push_back({start, [this, &c, start] {
                         emit(2, text("on dates of " + c.dates_of->name, start),
                              LineKind::ItemStart);
                       }});
    }
    if (c.from != kNoExpr) {
      const std::int64_t start = before(expr(c.from).span.begin, 1);
      items.push_back({start, [this, &c, start] {
                         emit(2, keyword_expr("from ", start, c.from), LineKind::ItemStart);
                       }});
    }
    if (c.if_never != kNoExpr) {
      const std::int64_t start = before(expr(c.if_never).span.begin, 5);
      items.push_back({start, [this, &c, start] {
                         emit(2, keyword_expr("if never, due on ", start, c.if_never),
                              LineKind::ItemStart);
                       }});
    }
    add_alternatives(items, c.no_later_than, "no later than ");
    add_alternatives(items, c.lasting, "lasting ");
    add_alternatives(items, c.reviewers, "reviewers ");
    print_items(items);
  }

  // ---- Comments and blank lines ----

  // Whether the blanks just before `offset` hold an empty line.
  bool blank_line_before(std::int64_t offset) const {
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

  // Whether only blanks come before `offset` on its line.
  bool starts_line(std::uint32_t offset) const {
    for (std::int64_t i = static_cast<std::int64_t>(offset) - 1; i >= 0; --i) {
      const char c = src_[static_cast<std::size_t>(i)];
      if (c == '\n') return true;
      if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
  }

  bool multiline(std::size_t decl) const {
    return decl_first_line_[decl + 1] - decl_first_line_[decl] > 1;
  }

  std::string assemble() {
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

  const std::string& src_;
  const Module& module_;
  std::vector<Token> tokens_;
  std::vector<OutLine> lines_;
  std::vector<std::size_t> decl_first_line_;
  std::size_t decl_ = 0;
};

}  // namespace

bool same_tokens(std::string_view a, std::string_view b) {
  const auto ta = scan_code(a);
  const auto tb = scan_code(b);
  if (ta.size() != tb.size()) return false;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    if (ta[i].text(a) != tb[i].text(b)) return false;
  }
  return true;
}

std::string format_module(const SourceFile& source, const Module& module) {
  return Formatter(source, module).run();
}

}  // namespace catengine::lang
