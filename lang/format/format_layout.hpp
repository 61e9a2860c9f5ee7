// The formatter's layout engine, internal to lang/format: the Formatter class that lays out one
// module, shared by its three files. formatter.cpp has the entry points, token positions, the
// printed lines and the putting back of comments and blank lines; format_expressions.cpp lays
// out expressions as documents (doc.hpp); format_declarations.cpp lays out each declaration.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lang/format/doc.hpp"
#include "lang/format/formatter.hpp"
#include "lang/syntax/scanner.hpp"

namespace catengine::lang::format_detail {

inline std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

inline std::string type_text(const TypeRef& t) {
  return t.name + (t.optional ? "?" : "");
}

inline std::string rtrim(std::string_view s) {
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
  Formatter(const SourceFile& source, const Module& module, const FormatOptions& options)
      : src_(source.text()),
        module_(module),
        tokens_(scan_code(source.text())),
        options_(options),
        clause_ends_(options.modernise ? clause_ends(module) : std::vector<bool>{}) {}

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
  std::size_t token_at(std::uint32_t offset) const;
  std::string_view token_text(std::size_t i) const;
  std::int64_t token_begin(std::size_t i) const;
  // The start of the `k`th token before the one at `offset` (a keyword before a known span).
  std::int64_t before(std::uint32_t offset, std::size_t k) const;
  // The start of the first token at or after `offset` (a keyword after a known span).
  std::int64_t after(std::uint32_t offset) const { return token_begin(token_at(offset)); }

  const Expr& expr(ExprId id) const { return module_.expr(id); }

  // How many pairs of brackets the author wrapped around an expression: its span starts with
  // `(` and the matching `)` ends it (the parser folds the brackets into the span).
  int paren_layers(const Expr& e) const;

  // ---- Expressions ----

  Doc expr_doc(ExprId id, int drop = 0) const;

  // Operands of a chain of one operator written without brackets: `a and b and c`.
  void flatten(ExprId id, Op op, std::vector<ExprId>& out) const;

  // The comparison operator as the author wrote it (`is` or `=`, `is not` or `!=`).
  std::string op_text(const Expr& e) const;

  // Items separated by `,` and a breakable space, aligned after the opening bracket.
  Doc items_doc(const std::vector<ExprId>& items) const;
  Doc bare_doc(const Expr& e, std::int64_t start) const;

  // `a, or b if any figure is missing`: on one line if it fits, else the clause on a line of its
  // own under `a`. `drop` is how many of the brackets the author put round `a` to leave out
  // (the one of the old `(a) if missing b` that `--modernise` rewrites).
  Doc clause_doc(const Expr& e, int drop) const;
  // Whether `--modernise` rewrites this `(a) if missing b` as the clause: it ends a definition,
  // a rule's condition or value, a column or a condition; `a` is in brackets; `b` needs none.
  bool modernisable(ExprId id, const Expr& e) const;
  // The expressions that end a declaration's item, where the clause may be written.
  static std::vector<bool> clause_ends(const Module& module);

  // `if c then a else if c2 then a2 else b`: on one line if it fits, else one clause a line,
  // each `if ... then ...` kept whole when it fits and otherwise split before `then`.
  Doc if_doc(const Expr& first, std::int64_t start) const;

  // ---- Lines ----

  void emit(int indent, const Doc& d, LineKind kind);
  Doc cite_doc(const Citation& c) const;

  // `head cite "..."` on one line if it fits, else the citation on its own line below.
  void emit_with_cite(int indent, const Doc& head, const std::optional<Citation>& cite,
                      LineKind kind, const std::string& suffix = "");

  // `head when condition` on one line if it fits, else `when` on its own line below.
  void emit_alternative(int indent, const Doc& head, ExprId condition);
  Doc keyword_expr(const std::string& words, std::int64_t src, ExprId value) const;

  // ---- Declarations ----

  void format(const PolicyHeader& h);
  void format(const UseDecl& u);
  void format(const EnumDecl& e);
  void format(const RecordDecl& r);
  void format_field(const FieldDecl& f);
  void format_reading(const ReadingRule& r);
  void format(const ParamDecl& p);
  void format(const DefineDecl& d);
  Doc rule_head(const Rule& r) const;
  Doc rule_when(const Rule& r) const;
  Doc rule_value(const Rule& r) const;

  // A decision's rules are all one line each when every one fits, else all set out with
  // `when` and `then` on lines of their own, so the rules of one decision read as one table.
  void format(const DecisionDecl& d);
  void format(const OutputDecl& o);
  void format(const CalendarDecl& c);
  void format(const SourceDecl& s);
  // The tokens of `span` as written, one space apart (a row test: `"RECTYPE" is 1`).
  std::string tokens_text(const SourceSpan& span) const;

  // An item of a notice or cadence, with the source offset of its first token for ordering.
  struct Item {
    std::int64_t begin = 0;
    std::function<void()> print;
  };

  void print_items(std::vector<Item>& items);
  void add_applies(std::vector<Item>& items, ExprId applies_to);
  void add_alternatives(std::vector<Item>& items, const std::vector<Alternative>& alts,
                        const std::string& words);

  // The offset of `issued` in `issued when any ground holds`, which has no span of its own.
  std::int64_t any_ground_start(const NoticeDecl& n) const;
  void format(const NoticeDecl& n);
  void format_ground(const Ground& g);
  void format_issued(const NoticeDecl& n, std::int64_t start);
  void format(const CadenceDecl& c);
  void format(const WarnDecl& w);

  // `head clause cite` on one line when it fits at `indent`, else the clause and the citation on
  // lines of their own, two columns further in (a calendar's `from`, a ground's `when`).
  void emit_head_clause_cite(int indent, LineKind kind, const Doc& head, const Doc& clause,
                             const std::optional<Citation>& cite);

  // ---- Comments and blank lines ----

  // Whether the blanks just before `offset` hold an empty line.
  bool blank_line_before(std::int64_t offset) const;

  // Whether only blanks come before `offset` on its line.
  bool starts_line(std::uint32_t offset) const;
  bool multiline(std::size_t decl) const;
  std::string assemble();

  const std::string& src_;
  const Module& module_;
  std::vector<Token> tokens_;
  FormatOptions options_;
  std::vector<bool> clause_ends_;  // by ExprId, with options_.modernise only
  std::vector<OutLine> lines_;
  std::vector<std::size_t> decl_first_line_;
  std::size_t decl_ = 0;
};

}  // namespace catengine::lang::format_detail
