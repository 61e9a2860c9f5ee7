// Parsing one policy file: the PEGTL grammar (grammar.hpp) builds a parse tree one declaration at
// a time; a separate pass lowers each tree to the typed AST. A syntax error becomes a diagnostic
// and the parser carries on at the next line that starts with a declaration keyword.
#include "lang/syntax/parser.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/syntax/grammar.hpp"
#include "lang/syntax/scanner.hpp"

namespace catengine::lang {
namespace {

namespace g = grammar;
namespace p = tao::pegtl;
using Node = p::parse_tree::node;

// ---- Parse tree selection -------------------------------------------------------------------

// Replaces a node with its only child: precedence levels with no operator vanish.
struct fold_single : p::parse_tree::apply<fold_single> {
  template <typename N, typename... States>
  static void transform(std::unique_ptr<N>& n, States&&... /*st*/) {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

template <typename Rule>
using selector = p::parse_tree::selector<
    Rule,
    p::parse_tree::store_content::on<
        // literals and names
        g::date_lit, g::decimal_lit, g::integer_lit, g::string_lit, g::yes_lit, g::no_lit,
        g::name_ref, g::decl_name, g::field_name, g::rule_id, g::dotted_part, g::member_name,
        g::type_name, g::academic_year, g::optional_mark, g::literal_name, g::neg_number,
        g::column_name, g::param_from, g::param_to, g::by_year, g::by_date,
        // expressions
        g::list_expr, g::paren_expr, g::call_args, g::of_arg, g::name_primary, g::neg, g::not_op,
        g::if_expr, g::tail_is, g::is_not_missing, g::is_missing, g::is_not, g::tail_not_in,
        g::tail_in, g::tail_between, g::tail_cmp, g::tail_worse, g::tail_better, g::at_least,
        g::at_worst, g::op_add, g::op_sub, g::op_mul, g::op_div, g::op_le, g::op_ge, g::op_ne,
        g::op_lt, g::op_gt, g::op_eq,
        // declarations
        g::cite, g::header_decl, g::use_decl, g::member, g::enum_decl, g::scale_decl, g::type_ref,
        g::opt_column, g::opt_key, g::opt_shown, g::unique_match, g::opt_missing_means,
        g::opt_between, g::field_decl, g::reading_missing, g::reading_yes, g::reading_no,
        g::reading_dates, g::record_decl, g::param_entry, g::param_decl, g::define_decl,
        g::when_branch, g::otherwise_branch, g::rule_decl, g::decide_decl, g::column_decl,
        g::output_decl,
        // notices, cadences and calendars
        g::calendar_decl, g::alt_when, g::applies_item, g::ground_id, g::ground_item, g::any_ground,
        g::issued_item, g::unless_clause, g::addressed_item, g::copy_item, g::respond_item,
        g::step_item, g::escalation_item, g::notice_decl, g::unit_days, g::unit_weeks,
        g::unit_months, g::every_item, g::dates_param, g::from_item, g::never_item, g::cap_item,
        g::lasting_item, g::reviewers_item, g::cadence_decl>,
    fold_single::on<g::product, g::sum, g::comparison, g::and_expr, g::or_expr, g::missing_expr>>;

// ---- Lexical helpers ------------------------------------------------------------------------

// Comments, in order, from the scanner (which knows a `#` inside a string is no comment).
std::vector<Comment> scan_comments(const std::string& text, FileId file) {
  std::vector<Comment> out;
  for (std::size_t i = 0; i < text.size();) {
    const Token t = scan_token(text, i);
    if (t.kind == TokenKind::Comment)
      out.push_back({std::string(t.text(text)), {file, t.begin, t.end}});
    i = t.end;
  }
  return out;
}

std::string unescape(std::string_view lexeme) {
  std::string out;
  if (lexeme.size() >= 2) lexeme = lexeme.substr(1, lexeme.size() - 2);
  out.reserve(lexeme.size());
  for (std::size_t i = 0; i < lexeme.size(); ++i) {
    if (lexeme[i] == '\\' && i + 1 < lexeme.size()) ++i;
    out += lexeme[i];
  }
  return out;
}

// The token at an offset, for "found ..." in messages.
struct Found {
  enum class Kind { End, Word, Number, String, Symbol, Invalid } kind = Kind::End;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string text;
};

Found token_at(const std::string& text, std::uint32_t at) {
  const Token t = scan_token(text, at);
  std::uint32_t end = t.end;
  Found f;
  f.begin = t.begin;
  switch (t.kind) {
    case TokenKind::End:
      f.kind = Found::Kind::End;
      break;
    case TokenKind::Word:
      f.kind = Found::Kind::Word;
      break;
    case TokenKind::Number:
      // A number run into letters or into another number (`12abc`, `1-2`, `1.2.3`) is quoted
      // whole, as the reader sees one thing there.
      f.kind = Found::Kind::Number;
      while (end < text.size() &&
             (is_word_char(text[end]) || ((text[end] == '.' || text[end] == '-') &&
                                          end + 1 < text.size() && is_digit(text[end + 1])))) {
        ++end;
      }
      break;
    case TokenKind::String:
      f.kind = Found::Kind::String;
      break;
    case TokenKind::Invalid:
      f.kind = Found::Kind::Invalid;
      break;
    case TokenKind::Symbol:
    case TokenKind::Blank:
    case TokenKind::Comment:
      // An error at a blank or `#` names just that byte.
      f.kind = Found::Kind::Symbol;
      if (t.kind != TokenKind::Symbol) end = at + 1;
      break;
  }
  f.end = end;
  f.text = text.substr(f.begin, end - f.begin);
  return f;
}

std::string describe(const Found& f) {
  switch (f.kind) {
    case Found::Kind::End:
      return "the end of the file";
    case Found::Kind::String:
      if (f.text.size() > 30) return "a string";
      return "`" + f.text + "`";
    default:
      return "`" + f.text + "`";
  }
}

// Names an invalid character: `$`, `é` (U+00E9), U+0007, or the byte 0xFF.
std::string name_invalid(const std::string& s) {
  const auto b0 = static_cast<unsigned char>(s.empty() ? 0 : s[0]);
  std::uint32_t cp = b0;
  bool valid = true;
  if (s.size() == 1) {
    valid = b0 < 0x80;
  } else if (s.size() == 2 && (b0 & 0xE0) == 0xC0) {
    cp = ((b0 & 0x1F) << 6) | (static_cast<unsigned char>(s[1]) & 0x3F);
  } else if (s.size() == 3 && (b0 & 0xF0) == 0xE0) {
    cp = ((b0 & 0x0F) << 12) | ((static_cast<unsigned char>(s[1]) & 0x3F) << 6) |
         (static_cast<unsigned char>(s[2]) & 0x3F);
  } else if (s.size() == 4 && (b0 & 0xF8) == 0xF0) {
    cp = ((b0 & 0x07) << 18) | ((static_cast<unsigned char>(s[1]) & 0x3F) << 12) |
         ((static_cast<unsigned char>(s[2]) & 0x3F) << 6) |
         (static_cast<unsigned char>(s[3]) & 0x3F);
  } else {
    valid = false;
  }
  char buf[32];
  if (!valid) {
    std::snprintf(buf, sizeof buf, "the byte 0x%02X", b0);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  if (cp < 0x20 || cp == 0x7F) return buf;
  if (cp < 0x80) return "`" + s + "`";
  return "`" + s + "` (" + buf + ")";
}

std::string invalid_hint(const std::string& s) {
  if (s == "&" || s == "&&") return "write `and`";
  if (s == "|" || s == "||") return "write `or`";
  if (s == "'") return "strings are written in double quotes: `\"...\"`";
  if (s == "\xE2\x80\x9C" || s == "\xE2\x80\x9D" || s == "\xE2\x80\x98" || s == "\xE2\x80\x99") {
    return "use straight double quotes `\"` around strings";
  }
  if (s == ";") return "declarations need no `;`";
  if (static_cast<unsigned char>(s[0]) >= 0x80) {
    return "names use only ASCII letters, digits and `_`; other characters may appear only in "
           "strings and comments";
  }
  return "this character may appear only in strings and comments";
}

Expr make_expr(ExprKind kind, SourceSpan span, std::string text = {}, std::vector<ExprId> args = {},
               Op op = Op::None, bool negated = false) {
  Expr e;
  e.kind = kind;
  e.op = op;
  e.negated = negated;
  e.span = span;
  e.name_span = span;
  e.text = std::move(text);
  e.args = std::move(args);
  return e;
}

Diagnostic make_diag(DiagnosticKind kind, SourceSpan span, std::string message,
                     std::string label = {}, std::vector<std::string> hints = {},
                     std::vector<DiagnosticNote> notes = {}, bool has_span = true) {
  Diagnostic d;
  d.kind = kind;
  d.span = span;
  d.message = std::move(message);
  d.label = std::move(label);
  d.hints = std::move(hints);
  d.notes = std::move(notes);
  d.has_span = has_span;
  return d;
}

// ---- Lowering the parse tree to the AST -----------------------------------------------------

class Lowerer {
 public:
  Lowerer(const std::string& text, FileId file, Module& module,
          std::vector<Diagnostic>& diagnostics)
      : text_(text), file_(file), module_(module), diagnostics_(diagnostics) {}

  // Lowers one declaration. When an expression in it is deeper than kMaxExpressionDepth, the
  // declaration is dropped (with its expressions) and E0010 is returned instead, so no later
  // phase ever walks a tree deep enough to exhaust the stack.
  std::optional<Diagnostic> lower_decl(const Node& n) {
    const std::size_t exprs = module_.exprs.size();
    const std::size_t decls = module_.decls.size();
    too_deep_ = kNoExpr;
    lower_decl_body(n);
    if (too_deep_ == kNoExpr) return std::nullopt;
    const std::uint32_t at = deepest_operator(module_.exprs[too_deep_]);
    module_.exprs.resize(exprs);
    depth_.resize(exprs);
    module_.decls.erase(module_.decls.begin() + static_cast<std::ptrdiff_t>(decls),
                        module_.decls.end());
    const Found op = token_at(text_, at);
    return make_diag(DiagnosticKind::E0010, {file_, at, std::max(op.end, at + 1)},
                     "this expression is too deep: more than " +
                         std::to_string(kMaxExpressionDepth) +
                         " operators are applied one to the result of another",
                     "too deep",
                     {"a chain like `a + b + c + ...` counts one level for each operator; split "
                      "the expression into smaller `define`s"});
  }

 private:
  void lower_decl_body(const Node& n) {
    if (n.is_type<g::header_decl>()) {
      PolicyHeader h;
      h.title = unescape(n.children.at(0)->string_view());
      h.cite = cite_of(n);
      h.span = span(n);
      module_.decls.emplace_back(std::move(h));
    } else if (n.is_type<g::use_decl>()) {
      UseDecl u;
      if (n.children.at(0)->is_type<g::string_lit>()) {
        u.target = unescape(n.children[0]->string_view());
        u.is_path = true;
      } else {
        for (const auto& c : n.children) {
          if (!u.target.empty()) u.target += '.';
          u.target += c->string_view();
        }
      }
      u.span = span(n);
      module_.decls.emplace_back(std::move(u));
    } else if (n.is_type<g::enum_decl>() || n.is_type<g::scale_decl>()) {
      EnumDecl e;
      e.ordered = n.is_type<g::scale_decl>();
      e.name = ident(*n.children.at(0));
      e.cite = cite_of(n);
      for (const auto& c : n.children) {
        if (!c->is_type<g::member>()) continue;
        EnumMember m;
        const Node& key = *c->children.at(0);
        m.key = key.is_type<g::string_lit>() ? unescape(key.string_view()) : key.string();
        if (c->children.size() > 1) m.description = unescape(c->children[1]->string_view());
        m.span = span(*c);
        e.members.push_back(std::move(m));
      }
      e.span = span(n);
      module_.decls.emplace_back(std::move(e));
    } else if (n.is_type<g::record_decl>()) {
      module_.decls.emplace_back(record(n));
    } else if (n.is_type<g::param_decl>()) {
      ParamDecl d;
      d.name = ident(*n.children.at(0));
      d.type = type(*n.children.at(1));
      d.by_date = n.children.at(2)->is_type<g::by_date>();
      d.cite = cite_of(n);
      for (const auto& c : n.children) {
        if (!c->is_type<g::param_entry>()) continue;
        ParamEntry e;
        std::size_t i = 0;
        e.from = c->children.at(i++)->string();
        if (c->children.at(i)->is_type<g::param_to>()) e.to = c->children[i++]->string();
        e.value = expr(*c->children.at(i));
        e.cite = cite_of(*c);
        e.span = span(*c);
        d.entries.push_back(std::move(e));
      }
      d.span = span(n);
      module_.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::define_decl>()) {
      DefineDecl d;
      d.name = ident(*n.children.at(0));
      if (n.children.at(1)->is_type<g::type_ref>()) d.type = type(*n.children[1]);
      d.cite = cite_of(n);
      d.body = expr(*n.children.back());
      d.span = span(n);
      module_.decls.emplace_back(std::move(d));
    } else if (n.is_type<g::decide_decl>()) {
      module_.decls.emplace_back(decision(n));
    } else if (n.is_type<g::calendar_decl>()) {
      CalendarDecl c;
      c.name = ident(*n.children.at(0));
      c.title = unescape(n.children.at(1)->string_view());
      c.file = unescape(n.children.at(2)->string_view());
      c.cite = cite_of(n);
      c.span = span(n);
      module_.decls.emplace_back(std::move(c));
    } else if (n.is_type<g::notice_decl>()) {
      module_.decls.emplace_back(notice(n));
    } else if (n.is_type<g::cadence_decl>()) {
      module_.decls.emplace_back(cadence(n));
    } else if (n.is_type<g::output_decl>()) {
      OutputDecl o;
      o.cite = cite_of(n);
      for (const auto& c : n.children) {
        if (!c->is_type<g::column_decl>()) continue;
        OutputColumn col;
        const Node& label = *c->children.at(0);
        col.name = label.is_type<g::string_lit>() ? unescape(label.string_view()) : label.string();
        if (c->children.size() > 1) {
          col.value = expr(*c->children[1]);
        } else {
          col.value = add(make_expr(ExprKind::Name, span(label), col.name));
        }
        col.span = span(*c);
        o.columns.push_back(std::move(col));
      }
      o.span = span(n);
      module_.decls.emplace_back(std::move(o));
    }
  }

  // Where to point at an expression found too deep: its operator (after the first operand) or,
  // for `-`, `not`, `if`, lists and calls, its first token.
  std::uint32_t deepest_operator(const Expr& x) const {
    if (x.kind == ExprKind::Call) return x.name_span.begin;
    if (x.args.empty() || x.kind == ExprKind::Unary || x.kind == ExprKind::If ||
        x.kind == ExprKind::List) {
      return x.span.begin;
    }
    return static_cast<std::uint32_t>(skip_blanks(text_, module_.exprs[x.args[0]].span.end));
  }

  std::uint32_t offset(const char* at) const {
    return static_cast<std::uint32_t>(at - text_.data());
  }

  // A node's span without the blanks and comments its last token swallowed.
  SourceSpan span(const Node& n) const {
    const std::uint32_t begin = offset(n.m_begin.data);
    std::uint32_t end = n.has_content() ? offset(n.m_end.data) : begin;
    for (;;) {
      while (end > begin && is_blank(text_[end - 1])) --end;
      // A comment ending here? (Comments are sorted by position.)
      auto it = std::lower_bound(module_.comments.begin(), module_.comments.end(), end,
                                 [](const Comment& c, std::uint32_t e) { return c.span.end < e; });
      if (it != module_.comments.end() && it->span.end == end && it->span.begin >= begin &&
          it->span.begin < end) {
        end = it->span.begin;
        continue;
      }
      break;
    }
    return {file_, begin, end};
  }

  Identifier ident(const Node& n) const { return {n.string(), span(n)}; }

  std::optional<Citation> cite_of(const Node& n) const {
    for (const auto& c : n.children) {
      if (c->is_type<g::cite>()) {
        const Node& s = *c->children.at(0);
        return Citation{unescape(s.string_view()), span(s)};
      }
    }
    return std::nullopt;
  }

  TypeRef type(const Node& n) const {
    TypeRef t;
    const Node& name = *n.children.at(0);
    t.name = name.is_type<g::academic_year>() ? std::string("academic year") : name.string();
    t.optional = n.children.size() > 1;
    t.span = span(n);
    return t;
  }

  RecordDecl record(const Node& n) {
    RecordDecl r;
    r.name = ident(*n.children.at(0));
    r.cite = cite_of(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::field_decl>()) {
        FieldDecl f;
        f.name = ident(*c->children.at(0));
        f.type = type(*c->children.at(1));
        for (std::size_t i = 2; i < c->children.size(); ++i) {
          const Node& o = *c->children[i];
          if (o.is_type<g::opt_column>()) {
            f.column = unescape(o.children.at(0)->string_view());
          } else if (o.is_type<g::opt_key>()) {
            f.key = true;
          } else if (o.is_type<g::opt_shown>()) {
            f.shown = true;
          } else if (o.is_type<g::opt_missing_means>()) {
            f.missing_means = expr(*o.children.at(0));
          } else if (o.is_type<g::opt_between>()) {
            f.low = expr(*o.children.at(0));
            f.high = expr(*o.children.at(1));
          }
        }
        f.cite = cite_of(*c);
        f.span = span(*c);
        r.fields.push_back(std::move(f));
        continue;
      }
      ReadingRule rule;
      if (c->is_type<g::reading_missing>()) {
        rule.kind = ReadingRule::Kind::MissingValues;
      } else if (c->is_type<g::reading_yes>()) {
        rule.kind = ReadingRule::Kind::YesWords;
      } else if (c->is_type<g::reading_no>()) {
        rule.kind = ReadingRule::Kind::NoWords;
      } else if (c->is_type<g::reading_dates>()) {
        rule.kind = ReadingRule::Kind::DateFormats;
      } else {
        continue;
      }
      for (const auto& w : c->children) rule.words.push_back(unescape(w->string_view()));
      rule.span = span(*c);
      r.reading.push_back(std::move(rule));
    }
    r.span = span(n);
    return r;
  }

  DecisionDecl decision(const Node& n) {
    DecisionDecl d;
    d.name = ident(*n.children.at(0));
    d.type = type(*n.children.at(1));
    d.cite = cite_of(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::unique_match>()) d.hit_policy = HitPolicy::UniqueMatch;
      if (!c->is_type<g::rule_decl>()) continue;
      Rule r;
      r.id = ident(*c->children.at(0));
      r.title = unescape(c->children.at(1)->string_view());
      r.cite = cite_of(*c);
      const Node& body = *c->children.back();
      if (body.is_type<g::when_branch>()) {
        r.condition = expr(*body.children.at(0));
        r.value = expr(*body.children.at(1));
      } else {
        r.value = expr(*body.children.at(0));
      }
      r.span = span(*c);
      d.rules.push_back(std::move(r));
    }
    d.span = span(n);
    return d;
  }

  // VALUE ( "when" CONDITION )?: the value is the item's first child.
  Alternative alternative(const Node& item) {
    Alternative a;
    const Node& value = *item.children.at(0);
    a.value = value.is_type<g::string_lit>()
                  ? leaf(value, ExprKind::String, unescape(value.string_view()))
                  : expr(value);
    for (const auto& c : item.children) {
      if (c->is_type<g::alt_when>()) a.condition = expr(*c->children.at(0));
    }
    a.span = span(item);
    return a;
  }

  NoticeDecl notice(const Node& n) {
    NoticeDecl d;
    d.name = ident(*n.children.at(0));
    d.title = unescape(n.children.at(1)->string_view());
    d.cite = cite_of(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::applies_item>()) {
        once(d.applies_to != kNoExpr, *c, "applies to", d.name);
        d.applies_to = expr(*c->children.at(0));
      } else if (c->is_type<g::ground_item>()) {
        Ground gr;
        gr.id = ident(*c->children.at(0));
        gr.wording = unescape(c->children.at(1)->string_view());
        gr.condition = expr(*c->children.at(2));
        gr.cite = cite_of(*c);
        gr.span = span(*c);
        d.grounds.push_back(std::move(gr));
      } else if (c->is_type<g::issued_item>()) {
        once(d.issued_when_any_ground || d.issued_when != kNoExpr, *c, "issued when", d.name);
        const Node& body = *c->children.at(0);
        if (body.is_type<g::any_ground>()) {
          d.issued_when_any_ground = true;
        } else {
          d.issued_when = expr(body);
        }
        if (c->children.size() > 1) d.unless = expr(*c->children[1]->children.at(0));
      } else if (c->is_type<g::addressed_item>()) {
        d.addressees.push_back(alternative(*c));
      } else if (c->is_type<g::copy_item>()) {
        d.copies.push_back(alternative(*c));
      } else if (c->is_type<g::respond_item>()) {
        once(d.respond_within != kNoExpr, *c, "respond within", d.name);
        d.respond_within = expr(*c->children.at(0));
      } else if (c->is_type<g::escalation_item>()) {
        for (const auto& step : c->children) {
          d.escalation.push_back(
              {unescape(step->children.at(0)->string_view()), cite_of(*step), span(*step)});
        }
      }
    }
    d.span = span(n);
    return d;
  }

  CadenceDecl cadence(const Node& n) {
    CadenceDecl d;
    d.name = ident(*n.children.at(0));
    d.title = unescape(n.children.at(1)->string_view());
    d.cite = cite_of(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::applies_item>()) {
        once(d.applies_to != kNoExpr, *c, "applies to", d.name);
        d.applies_to = expr(*c->children.at(0));
      } else if (c->is_type<g::every_item>()) {
        Interval iv;
        iv.count = expr(*c->children.at(0));
        const Node& unit = *c->children.at(1);
        iv.unit = unit.is_type<g::unit_days>()    ? Interval::Unit::Days
                  : unit.is_type<g::unit_weeks>() ? Interval::Unit::Weeks
                                                  : Interval::Unit::Months;
        if (c->children.size() > 2) iv.condition = expr(*c->children[2]->children.at(0));
        iv.span = span(*c);
        d.intervals.push_back(iv);
      } else if (c->is_type<g::dates_param>()) {
        once(d.dates_of.has_value(), *c, "on dates of", d.name);
        d.dates_of = ident(*c);
      } else if (c->is_type<g::from_item>()) {
        once(d.from != kNoExpr, *c, "from", d.name);
        d.from = expr(*c->children.at(0));
      } else if (c->is_type<g::never_item>()) {
        once(d.if_never != kNoExpr, *c, "if never", d.name);
        d.if_never = expr(*c->children.at(0));
      } else if (c->is_type<g::cap_item>()) {
        d.no_later_than.push_back(alternative(*c));
      } else if (c->is_type<g::lasting_item>()) {
        d.lasting.push_back(alternative(*c));
      } else if (c->is_type<g::reviewers_item>()) {
        d.reviewers.push_back(alternative(*c));
      }
    }
    d.span = span(n);
    return d;
  }

  // Children are always added before their parent, so an expression's depth is known here.
  ExprId add(Expr e) {
    int depth = 0;
    for (ExprId a : e.args) {
      if (a != kNoExpr) depth = std::max(depth, depth_[a] + 1);
    }
    module_.exprs.push_back(std::move(e));
    depth_.push_back(std::min(depth, kMaxExpressionDepth + 1));
    const auto id = static_cast<ExprId>(module_.exprs.size() - 1);
    if (depth > kMaxExpressionDepth && too_deep_ == kNoExpr) too_deep_ = id;
    return id;
  }

  ExprId leaf(const Node& n, ExprKind kind, std::string text) {
    const SourceSpan s = span(n);
    return add(make_expr(kind, s, std::move(text)));
  }

  ExprId node(ExprKind kind, Op op, SourceSpan s, std::vector<ExprId> args, bool negated = false) {
    return add(make_expr(kind, s, {}, std::move(args), op, negated));
  }

  SourceSpan join(ExprId a, ExprId b) const {
    return {file_, module_.exprs[a].span.begin, module_.exprs[b].span.end};
  }

  static Op op_of(const Node& n) {
    if (n.is_type<g::op_add>()) return Op::Add;
    if (n.is_type<g::op_sub>()) return Op::Sub;
    if (n.is_type<g::op_mul>()) return Op::Mul;
    if (n.is_type<g::op_div>()) return Op::Div;
    if (n.is_type<g::op_le>()) return Op::Le;
    if (n.is_type<g::op_ge>()) return Op::Ge;
    if (n.is_type<g::op_ne>()) return Op::Ne;
    if (n.is_type<g::op_lt>()) return Op::Lt;
    if (n.is_type<g::op_gt>()) return Op::Gt;
    return Op::Eq;
  }

  // Left-associative chain: operand (op operand)* or operand (operand)* with a fixed op.
  ExprId chain(const Node& n, Op fixed) {
    ExprId acc = expr(*n.children.at(0));
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      Op op = fixed;
      if (fixed == Op::None) op = op_of(*n.children[i++]);
      const ExprId rhs = expr(*n.children.at(i));
      acc = node(ExprKind::Binary, op, join(acc, rhs), {acc, rhs});
    }
    return acc;
  }

  ExprId comparison(const Node& n) {
    const ExprId lhs = expr(*n.children.at(0));
    const Node& tail = *n.children.at(1);
    const SourceSpan s = span(n);
    auto rhs = [&](std::size_t i) { return expr(*tail.children.at(i)); };
    if (tail.is_type<g::tail_is>()) {
      const Node& body = *tail.children.at(0);
      if (body.is_type<g::is_not_missing>())
        return node(ExprKind::IsMissing, Op::None, s, {lhs}, true);
      if (body.is_type<g::is_missing>()) return node(ExprKind::IsMissing, Op::None, s, {lhs});
      if (body.is_type<g::is_not>()) {
        return node(ExprKind::Binary, Op::Ne, s, {lhs, expr(*body.children.at(0))});
      }
      return node(ExprKind::Binary, Op::Eq, s, {lhs, expr(body)});
    }
    if (tail.is_type<g::tail_not_in>()) return node(ExprKind::In, Op::None, s, {lhs, rhs(0)}, true);
    if (tail.is_type<g::tail_in>()) return node(ExprKind::In, Op::None, s, {lhs, rhs(0)});
    if (tail.is_type<g::tail_between>()) {
      const ExprId lo = rhs(0);
      return node(ExprKind::Between, Op::None, s, {lhs, lo, rhs(1)});
    }
    if (tail.is_type<g::tail_cmp>()) {
      return node(ExprKind::Binary, op_of(*tail.children.at(0)), s, {lhs, rhs(1)});
    }
    if (tail.is_type<g::tail_worse>()) return node(ExprKind::Binary, Op::Worse, s, {lhs, rhs(0)});
    if (tail.is_type<g::tail_better>()) return node(ExprKind::Binary, Op::Better, s, {lhs, rhs(0)});
    if (tail.is_type<g::at_least>()) return node(ExprKind::Binary, Op::AtLeast, s, {lhs, rhs(0)});
    return node(ExprKind::Binary, Op::AtWorst, s, {lhs, rhs(0)});
  }

  ExprId expr(const Node& n) {
    if (n.is_type<g::integer_lit>()) return leaf(n, ExprKind::Integer, n.string());
    if (n.is_type<g::decimal_lit>()) return leaf(n, ExprKind::Decimal, n.string());
    if (n.is_type<g::date_lit>()) return leaf(n, ExprKind::Date, n.string());
    if (n.is_type<g::string_lit>()) return leaf(n, ExprKind::String, unescape(n.string_view()));
    if (n.is_type<g::yes_lit>() || n.is_type<g::no_lit>() || n.is_type<g::literal_name>() ||
        n.is_type<g::name_ref>()) {
      return leaf(n, ExprKind::Name, n.string());
    }
    if (n.is_type<g::name_primary>()) {
      const Node& name = *n.children.at(0);
      if (n.children.size() == 1) return leaf(name, ExprKind::Name, name.string());
      std::vector<ExprId> args;
      for (const auto& a : n.children[1]->children) args.push_back(expr(*a));
      Expr call = make_expr(ExprKind::Call, span(n), name.string(), std::move(args));
      call.name_span = span(name);
      return add(std::move(call));
    }
    if (n.is_type<g::list_expr>()) {
      std::vector<ExprId> items;
      for (const auto& c : n.children) items.push_back(expr(*c));
      return node(ExprKind::List, Op::None, span(n), std::move(items));
    }
    if (n.is_type<g::paren_expr>()) {
      const ExprId inner = expr(*n.children.at(0));
      module_.exprs[inner].span = span(n);  // the brackets belong to the expression
      if (module_.exprs[inner].kind != ExprKind::Call) module_.exprs[inner].name_span = span(n);
      return inner;
    }
    if (n.is_type<g::neg>() || n.is_type<g::neg_number>()) {
      return node(ExprKind::Unary, Op::Neg, span(n), {expr(*n.children.at(0))});
    }
    if (n.is_type<g::not_op>()) {
      return node(ExprKind::Unary, Op::Not, span(n), {expr(*n.children.at(0))});
    }
    if (n.is_type<g::product>() || n.is_type<g::sum>()) return chain(n, Op::None);
    if (n.is_type<g::and_expr>()) return chain(n, Op::And);
    if (n.is_type<g::or_expr>()) return chain(n, Op::Or);
    if (n.is_type<g::comparison>()) return comparison(n);
    if (n.is_type<g::missing_expr>()) {
      const ExprId a = expr(*n.children.at(0));
      const ExprId b = expr(*n.children.at(1));
      return node(ExprKind::IfMissing, Op::None, span(n), {a, b});
    }
    if (n.is_type<g::if_expr>()) {
      const ExprId c = expr(*n.children.at(0));
      const ExprId a = expr(*n.children.at(1));
      const ExprId b = expr(*n.children.at(2));
      return node(ExprKind::If, Op::None, span(n), {c, a, b});
    }
    // Not reached for trees the grammar builds.
    return leaf(n, ExprKind::Name, std::string(n.has_content() ? n.string_view() : ""));
  }

  // A notice or cadence item that may appear once, written twice: the second would silently
  // replace the first, so it is an error.
  void once(bool already, const Node& item, const std::string& what, const Identifier& owner) {
    if (!already) return;
    Diagnostic d;
    d.kind = DiagnosticKind::E0413;
    d.span = span(item);
    d.message = "`" + what + "` is written twice in `" + owner.name + "`";
    d.label = "second `" + what + "`";
    d.hints.push_back("keep one `" + what +
                      "` line; for values that depend on the record, use `when`");
    diagnostics_.push_back(std::move(d));
  }

  const std::string& text_;
  FileId file_;
  Module& module_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<int> depth_;     // by ExprId: operators below it, capped at kMaxExpressionDepth + 1
  ExprId too_deep_ = kNoExpr;  // the first expression of this declaration found too deep
};

// ---- The driver -----------------------------------------------------------------------------

class Parser {
 public:
  Parser(const SourceFile& source, FileId file)
      : source_(source), text_(source.text()), file_(file) {
    result_.module.file = file;
  }

  ParseResult run() {
    if (text_.size() > kMaxSourceBytes) {
      result_.diagnostics.push_back(
          make_diag(DiagnosticKind::E0005, {file_, 0, 0},
                    "this file is " + std::to_string(text_.size()) + " bytes long; the limit is " +
                        std::to_string(kMaxSourceBytes) + " bytes (4 MiB)",
                    {}, {"split the policy into several files joined with `use`"}, {}, false));
      return std::move(result_);
    }
    result_.module.comments = scan_comments(text_, file_);
    Lowerer lower(text_, file_, result_.module, result_.diagnostics);
    std::size_t pos = skip_blanks(text_, 0);
    while (pos < text_.size()) {
      if (errors_ >= static_cast<std::size_t>(kMaxDiagnostics)) {
        result_.diagnostics.push_back(
            make_diag(DiagnosticKind::E0008, {file_, 0, 0},
                      "too many errors; stopping after " + std::to_string(kMaxDiagnostics), {},
                      {"fix these errors and run again"}, {}, false));
        break;
      }
      std::size_t next = pos;
      try {
        g::ParseState state;
        state.base = text_.data();
        p::memory_input<p::tracking_mode::lazy> in(text_.data() + pos, text_.data() + text_.size(),
                                                   source_.path());
        auto root =
            p::parse_tree::parse<g::decl, Node, selector, p::nothing, g::control>(in, state);
        if (root && !root->children.empty()) {
          if (auto too_deep = lower.lower_decl(*root->children.front())) push(*too_deep);
          next = static_cast<std::size_t>(in.current() - text_.data());
        } else {
          no_declaration(pos);
        }
      } catch (const g::SyntaxFailure& f) {
        report(f);
      } catch (const p::parse_error& e) {
        const auto& positions = e.positions();
        const std::size_t at = positions.empty() ? pos : pos + positions.front().byte;
        report_plain(static_cast<std::uint32_t>(std::min(at, text_.size())),
                     std::string(e.message()));
      } catch (const std::exception& e) {
        report_plain(static_cast<std::uint32_t>(pos), std::string("internal error: ") + e.what());
      } catch (...) {
        report_plain(static_cast<std::uint32_t>(pos), "internal error while parsing");
      }
      if (next == pos) next = recover(pos);
      pos = skip_blanks(text_, next);
    }
    return std::move(result_);
  }

 private:
  // The start of the first line after the one holding `pos` whose first word is a declaration
  // keyword, or the end of the file.
  std::size_t recover(std::size_t pos) const {
    std::size_t line = text_.find('\n', pos);
    while (line != std::string::npos) {
      std::size_t i = line + 1;
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t')) ++i;
      const Token word = scan_token(text_, i);
      if (word.kind == TokenKind::Word && is_declaration_keyword(word.text(text_))) return i;
      line = text_.find('\n', line + 1);
    }
    return text_.size();
  }

  void push(Diagnostic d) {
    ++errors_;
    result_.diagnostics.push_back(std::move(d));
  }

  // A span pointing at the found token; at the end of the file, just after the last token.
  SourceSpan found_span(const Found& f) const {
    if (f.kind != Found::Kind::End) return {file_, f.begin, f.end};
    std::uint32_t end = f.begin;
    while (end > 0 && is_blank(text_[end - 1])) --end;
    return {file_, end, end};
  }

  // E0007 for an invalid character at `f`.
  void invalid_character(const Found& f) {
    push(make_diag(DiagnosticKind::E0007, {file_, f.begin, f.end},
                   "invalid character " + name_invalid(f.text), "not allowed here",
                   {invalid_hint(f.text)}));
  }

  void situational_hints(const Found& f, bool wants_name, std::vector<std::string>& hints) const {
    if (f.text == "&&") hints.push_back("write `and`");
    if (f.text == "||") hints.push_back("write `or`");
    if (f.text == "!") hints.push_back("write `not`");
    if (f.text == "==") hints.push_back("to compare, write `is`");
    if (wants_name && f.kind == Found::Kind::Word && is_reserved(f.text)) {
      hints.push_back("`" + f.text + "` is a reserved word; choose another name");
    }
  }

  void no_declaration(std::size_t pos) {
    const Found f = token_at(text_, static_cast<std::uint32_t>(pos));
    if (f.kind == Found::Kind::Invalid) return invalid_character(f);
    Diagnostic d =
        make_diag(DiagnosticKind::E0001, found_span(f),
                  "expected a declaration, found " + describe(f), "expected a declaration");
    situational_hints(f, false, d.hints);
    // `==` or `&&` here means the declaration before it ended early: the list of declaration
    // keywords would only distract from the hint that names the slip.
    if (!d.hints.empty()) return push(std::move(d));
    std::vector<std::string> words(kDeclarationKeywords.begin(), kDeclarationKeywords.end());
    for (const char* w : {"field", "rule", "column", "cite"}) words.emplace_back(w);
    const std::string near = f.kind == Found::Kind::Word ? closest_match(f.text, words) : "";
    if (!near.empty() && near != f.text) {
      d.hints.push_back("did you mean `" + near + "`?");
    } else if (near == "field" || near == "rule" || near == "column" || near == "cite") {
      d.hints.push_back("`" + near + "` belongs inside a declaration; is something missing above?");
    } else {
      d.hints.push_back(
          "a declaration starts with `policy`, `use`, `enumeration`, `scale`, `record`, "
          "`parameter`, `define`, `decide`, `output`, `calendar`, `notice` or `cadence`");
    }
    push(std::move(d));
  }

  void report(const g::SyntaxFailure& f) {
    const auto at = static_cast<std::uint32_t>(f.at - text_.data());
    if (f.kind == DiagnosticKind::E0004) {
      push(make_diag(DiagnosticKind::E0004, {file_, at, at + 1},
                     "this expression is nested too deeply (more than " +
                         std::to_string(kMaxNesting) + " levels of brackets, `if`, `not` or `-`)",
                     "too deep", {"split the expression into smaller `define`s"}));
      return;
    }
    if (f.kind == DiagnosticKind::E0002 && f.opener != nullptr) {
      const auto open = static_cast<std::uint32_t>(f.opener - text_.data());
      push(make_diag(DiagnosticKind::E0002, {file_, open, open + 1}, "this string is never closed",
                     "the string starts here", {f.hint}));
      return;
    }
    const Found found = token_at(text_, at);
    if (found.kind == Found::Kind::Invalid) return invalid_character(found);
    if (f.kind == DiagnosticKind::E0003 && f.opener != nullptr) {
      const auto open = static_cast<std::uint32_t>(f.opener - text_.data());
      const std::string opener(1, text_[open]);
      const std::uint32_t open_line = source_.locate(open).line;
      const SourceSpan where = found_span(found);
      const bool same_line =
          found.kind != Found::Kind::End && source_.locate(found.begin).line == open_line;
      if (same_line) {
        push(make_diag(DiagnosticKind::E0001, where,
                       "expected " + f.what + " to close the `" + opener + "` on line " +
                           std::to_string(open_line) + ", found " + describe(found),
                       "expected " + f.what, {"close the `" + opener + "` with " + f.what},
                       {{{file_, open, open + 1}, "the `" + opener + "` is opened here"}}));
      } else {
        push(make_diag(
            DiagnosticKind::E0003, {file_, open, open + 1},
            "this `" + opener + "` on line " + std::to_string(open_line) + " is never closed",
            "opened here", {"add " + f.what + " to close it"},
            {{where, "expected " + f.what + " here, found " + describe(found)}}));
      }
      return;
    }
    // When the line ended too early, the thing found is on a later line: point at the end of
    // the line that is missing something, and note what came next.
    const std::uint32_t line_end = end_of_previous_code(at);
    if (found.kind != Found::Kind::End && line_end > 0 && line_end < at &&
        source_.locate(line_end - 1).line < source_.locate(at).line) {
      const std::uint32_t line = source_.locate(line_end - 1).line;
      Diagnostic d =
          make_diag(DiagnosticKind::E0001, {file_, line_end, line_end + 1},
                    "expected " + f.what + (f.context.empty() ? "" : " " + f.context) +
                        ", but line " + std::to_string(line) + " ends here",
                    "expected " + f.what, {},
                    {{found_span(found), "the next line goes on with " + describe(found)}});
      if (!f.hint.empty()) d.hints.push_back(f.hint);
      push(std::move(d));
      return;
    }
    Diagnostic d = make_diag(DiagnosticKind::E0001, found_span(found),
                             "expected " + f.what + (f.context.empty() ? "" : " " + f.context) +
                                 ", found " + describe(found),
                             "expected " + f.what);
    situational_hints(found, f.wants_name, d.hints);
    if (!f.hint.empty()) d.hints.push_back(f.hint);
    push(std::move(d));
  }

  // One past the last byte of code before `at`, skipping blanks and comments; 0 if none.
  std::uint32_t end_of_previous_code(std::uint32_t at) const {
    std::uint32_t i = at;
    const auto& comments = result_.module.comments;
    while (i > 0) {
      const char c = text_[i - 1];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        --i;
        continue;
      }
      auto it = std::find_if(comments.begin(), comments.end(), [&](const Comment& cm) {
        return cm.span.begin < i && i <= cm.span.end;
      });
      if (it == comments.end()) break;
      i = it->span.begin;
    }
    return i;
  }

  void report_plain(std::uint32_t at, std::string message) {
    push(make_diag(DiagnosticKind::E0001, {file_, at, at}, std::move(message)));
  }

  const SourceFile& source_;
  const std::string& text_;
  FileId file_;
  ParseResult result_;
  std::size_t errors_ = 0;
};

}  // namespace

ParseResult parse(const SourceFile& source, FileId id) {
  try {
    return Parser(source, id).run();
  } catch (...) {
    ParseResult r;
    r.module.file = id;
    r.diagnostics.push_back(make_diag(DiagnosticKind::E0001, {id, 0, 0},
                                      "internal error while parsing this file", {}, {}, {}, false));
    return r;
  }
}

}  // namespace catengine::lang
