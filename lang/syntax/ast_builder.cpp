// Building the AST from one declaration's parse tree (see ast_builder.hpp). The tree holds only the
// nodes parser.cpp's selector keeps; every node's span is trimmed of the blanks and comments its
// last token swallowed.
#include "lang/syntax/ast_builder.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/syntax/date_words.hpp"
#include "lang/syntax/grammar.hpp"
#include "lang/syntax/limits.hpp"
#include "lang/syntax/parse_messages.hpp"
#include "lang/syntax/parse_node.hpp"
#include "lang/syntax/scanner.hpp"

namespace catengine::lang {
namespace {

namespace g = grammar;
namespace p = tao::pegtl;
using Node = ParseNode;
using namespace syntax_detail;

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

}  // namespace

class AstBuilder::Impl {
 public:
  Impl(const std::string& text, FileId file, Module& module, std::vector<Diagnostic>& diagnostics)
      : text_(text), file_(file), module_(module), diagnostics_(diagnostics) {}

  // Lowers one declaration. When an expression in it is deeper than kMaxExpressionDepth, the
  // declaration is dropped (with its expressions) and E0010 is returned instead, so no later
  // phase ever walks a tree deep enough to exhaust the stack.
  std::optional<Diagnostic> build_decl(const Node& n) {
    const std::size_t exprs = module_.exprs.size();
    const std::size_t decls = module_.decls.size();
    too_deep_ = kNoExpr;
    build_decl_body(n);
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
  void build_decl_body(const Node& n) {
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
    } else if (n.is_type<g::source_decl>()) {
      module_.decls.emplace_back(source(n));
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
      c.terms = n.children.at(0)->is_type<g::calendar_of_terms>();
      const std::size_t k = c.terms ? 1 : 0;
      c.name = ident(*n.children.at(k));
      c.title = unescape(n.children.at(k + 1)->string_view());
      c.file = unescape(n.children.at(k + 2)->string_view());
      c.cite = cite_of(n);
      c.span = span(n);
      module_.decls.emplace_back(std::move(c));
    } else if (n.is_type<g::notice_decl>()) {
      module_.decls.emplace_back(notice(n));
    } else if (n.is_type<g::cadence_decl>()) {
      module_.decls.emplace_back(cadence(n));
    } else if (n.is_type<g::warn_decl>()) {
      WarnDecl w;
      w.name = ident(*n.children.at(0));
      w.message = unescape(n.children.at(1)->string_view());
      w.condition = expr(*n.children.at(2));
      w.cite = cite_of(n);
      w.span = span(n);
      module_.decls.emplace_back(std::move(w));
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
          } else if (o.is_type<g::opt_from>()) {
            f.source = ident(*o.children.at(0));
            if (o.children.size() > 1) {
              f.column = unescape(o.children[1]->children.at(0)->string_view());
            }
          } else if (o.is_type<g::opt_may_be_absent>()) {
            f.may_be_absent = true;
          } else if (o.is_type<g::opt_required_in_file>()) {
            f.required_in_file = true;
          } else if (o.is_type<g::opt_if_absent>()) {
            f.absent_previous = ident(*o.children.at(0));
          }
        }
        f.cite = cite_of(*c);
        f.span = span(*c);
        r.fields.push_back(std::move(f));
        continue;
      }
      if (c->is_type<g::reading_absent>()) {
        r.optional_columns_may_be_absent = span(*c);
        continue;
      }
      if (auto rule = reading_rule(*c)) r.reading.push_back(std::move(*rule));
    }
    r.span = span(n);
    return r;
  }

  // A reading rule (`missing values are ...`), or nothing when `c` is not one.
  std::optional<ReadingRule> reading_rule(const Node& c) {
    ReadingRule rule;
    if (c.is_type<g::reading_missing>()) {
      rule.kind = ReadingRule::Kind::MissingValues;
    } else if (c.is_type<g::reading_yes>()) {
      rule.kind = ReadingRule::Kind::YesWords;
    } else if (c.is_type<g::reading_no>()) {
      rule.kind = ReadingRule::Kind::NoWords;
    } else if (c.is_type<g::reading_dates>()) {
      rule.kind = ReadingRule::Kind::DateFormats;
    } else {
      return std::nullopt;
    }
    for (const auto& w : c.children) rule.words.push_back(unescape(w->string_view()));
    rule.span = span(c);
    return rule;
  }

  SourceDecl source(const Node& n) {
    SourceDecl d;
    d.name = ident(*n.children.at(0));
    d.title = unescape(n.children.at(1)->string_view());
    d.cite = cite_of(n);
    for (const auto& c : n.children) {
      if (c->is_type<g::source_key>()) {
        d.key_column = unescape(c->children.at(0)->string_view());
      } else if (c->is_type<g::source_encoding>()) {
        d.encoding = unescape(c->children.at(0)->string_view());
        d.encoding_span = span(*c);
      } else if (c->is_type<g::source_absent>()) {
        d.may_be_absent = span(*c);
      } else if (c->is_type<g::reading_absent>()) {
        d.optional_columns_may_be_absent = span(*c);
      } else if (c->is_type<g::source_rows>()) {
        for (const auto& t : c->children) {
          RowTest test;
          test.column = unescape(t->children.at(0)->string_view());
          for (std::size_t i = 1; i < t->children.size(); ++i) {
            const Node& v = *t->children[i];
            test.values.push_back(v.is_type<g::string_lit>() ? unescape(v.string_view())
                                                             : v.string());
          }
          test.span = span(*t);
          d.row_tests.push_back(std::move(test));
        }
      } else if (auto rule = reading_rule(*c)) {
        d.reading.push_back(std::move(*rule));
      }
    }
    d.span = span(n);
    return d;
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

  // `lasting 2 hours`, `lasting half a day`, `lasting review_days days`, or the old text form.
  Alternative duration(const Node& item) {
    const Node& first = *item.children.at(0);
    if (!first.is_type<g::half_a_day>()) {
      Alternative a = alternative(item);
      if (item.children.size() > 1) {
        const Node& unit = *item.children[1];
        if (unit.is_type<g::duration_days>()) a.unit = DurationUnit::Days;
        if (unit.is_type<g::duration_hours>()) a.unit = DurationUnit::Hours;
        if (unit.is_type<g::duration_other>()) a.unknown_unit = span(unit);
      }
      return a;
    }
    Alternative a;
    a.value = add(make_expr(ExprKind::Decimal, span(first), "0.5"));
    a.unit = DurationUnit::Days;
    a.half_a_day = true;
    for (const auto& c : item.children) {
      if (c->is_type<g::alt_when>()) a.condition = expr(*c->children.at(0));
    }
    a.span = span(item);
    return a;
  }

  // The head a notice and a cadence share: NAME "title" and an optional citation.
  template <typename D>
  void titled_head(D& d, const Node& n) {
    d.name = ident(*n.children.at(0));
    d.title = unescape(n.children.at(1)->string_view());
    d.cite = cite_of(n);
  }
  // Their `applies to` item, given at most once; false for any other item.
  template <typename D>
  bool applies_item(D& d, const Node& c) {
    if (!c.is_type<g::applies_item>()) return false;
    once(d.applies_to != kNoExpr, c, "applies to", d.name);
    d.applies_to = expr(*c.children.at(0));
    return true;
  }

  NoticeDecl notice(const Node& n) {
    NoticeDecl d;
    titled_head(d, n);
    for (const auto& c : n.children) {
      if (applies_item(d, *c)) continue;
      if (c->is_type<g::ground_item>()) {
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
        once(d.respond_within != kNoExpr || d.respond_by_term_end, *c, "respond within", d.name);
        if (c->children.at(0)->is_type<g::end_of_next_term>()) {
          d.respond_by_term_end = true;
          d.respond_span = span(*c);
        } else {
          d.respond_within = expr(*c->children.at(0));
        }
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
    titled_head(d, n);
    for (const auto& c : n.children) {
      if (applies_item(d, *c)) continue;
      if (c->is_type<g::every_item>()) {
        Interval iv;
        std::size_t k = 0;  // where the condition is: after the count and unit, or the term word
        if (const Node& first = *c->children.at(0);
            first.is_type<g::unit_term>() || first.is_type<g::unit_half_term>()) {
          iv.unit =
              first.is_type<g::unit_term>() ? Interval::Unit::Terms : Interval::Unit::HalfTerms;
          k = 1;
        } else {
          iv.count = expr(first);
          const Node& unit = *c->children.at(1);
          iv.unit = unit.is_type<g::unit_days>()    ? Interval::Unit::Days
                    : unit.is_type<g::unit_weeks>() ? Interval::Unit::Weeks
                                                    : Interval::Unit::Months;
          k = 2;
        }
        if (c->children.size() > k) iv.condition = expr(*c->children[k]->children.at(0));
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
        d.lasting.push_back(duration(*c));
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
        // negated marks the keyword form `is not` (not `!=`): the checker reads `is not met`
        // against a member `"not met"` only there.
        return node(ExprKind::Binary, Op::Ne, s, {lhs, expr(*body.children.at(0))}, true);
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
    if (n.is_type<g::previous_primary>()) {
      // One name with a space in it: every pass that reads names reads it; the checker gives it
      // its meaning (a field filled from the previous saved run).
      return add(make_expr(ExprKind::Name, span(n), "previous " + n.children.at(0)->string()));
    }
    if (n.is_type<g::how_many_primary>()) {
      // One name with a space in it, as `previous level`: find_builtin reads it as `how_many`,
      // and fmt writes it back as the author did.
      std::vector<ExprId> args;
      for (const auto& a : n.children.at(0)->children) args.push_back(expr(*a));
      Expr call = make_expr(ExprKind::Call, span(n), "how many", std::move(args));
      const std::string written = n.string();
      const auto many = static_cast<std::uint32_t>(written.find("many", 3) + 4);
      call.name_span = SourceSpan{span(n).file, span(n).begin, span(n).begin + many};
      call.ignoring_missing =
          n.children.size() > 1 && n.children[1]->is_type<g::ignoring_missing>();
      return add(std::move(call));
    }
    if (n.is_type<g::name_primary>()) {
      const Node& name = *n.children.at(0);
      if (n.children.size() == 1) return leaf(name, ExprKind::Name, name.string());
      std::vector<ExprId> args;
      for (const auto& a : n.children[1]->children) args.push_back(expr(*a));
      Expr call = make_expr(ExprKind::Call, span(n), name.string(), std::move(args));
      call.name_span = span(name);
      call.ignoring_missing =
          n.children.size() > 2 && n.children[2]->is_type<g::ignoring_missing>();
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
    if (n.is_type<g::sum>() && n.children.size() == 2 && n.children[1]->is_type<g::shift>())
      return shift(n);
    if (n.is_type<g::first_working_day>()) {
      Expr call = make_expr(ExprKind::Call, span(n), "first_working_day_on_or_after",
                            {expr(*n.children.at(0))});
      call.name_span = {file_, span(n).begin, module_.exprs[call.args[0]].span.begin};
      call.spelling = Spelling::FirstWorkingDay;
      return add(std::move(call));
    }
    if (n.is_type<g::day_of_year>()) return day_of_year(n);
    if (n.is_type<g::earliest_of>()) {
      const ExprId list = expr(*n.children.at(0));
      const ExprId base = expr(*n.children.at(1));
      Expr call = make_expr(ExprKind::Call, span(n), "earliest_on_or_after", {base, list});
      call.name_span = {file_, span(n).begin, module_.exprs[list].span.begin};
      call.spelling = Spelling::Earliest;
      return add(std::move(call));
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
    if (n.is_type<g::clause_expr>()) {
      const ExprId a = expr(*n.children.at(0));
      const ExprId b = expr(*n.children.at(1));
      const ExprId id = node(ExprKind::IfMissing, Op::None, span(n), {a, b});
      module_.exprs[id].missing_clause = true;
      return id;
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

  // `COUNT UNIT after|before DATE` (a sum whose tail is a shift): the call of the built-in the
  // unit names, with `before` as a negated count. An unknown unit keeps its words as the call's
  // name for the checker to report.
  ExprId shift(const Node& n) {
    const Node& tail = *n.children.at(1);
    const Node& unit = *tail.children.at(0);
    const bool before = tail.children.at(1)->is_type<g::shift_before>();
    ExprId count = expr(*n.children.at(0));
    const ExprId base = expr(*tail.children.at(2));
    const std::string word = unit.string();
    const std::string_view builtin = builtin_of_unit(word);
    std::string name = builtin.empty() ? word : std::string(builtin);
    if (before) count = node(ExprKind::Unary, Op::Neg, module_.exprs[count].span, {count});
    Expr call = make_expr(ExprKind::Call, span(n), std::move(name), {base, count});
    call.name_span = span(unit);
    call.spelling = before ? Spelling::Before : Spelling::After;
    return add(std::move(call));
  }

  // `DAY MONTH in the year of|after|before DATE`: date_of(year of DATE [+ or - 1], MONTH, DAY),
  // every node but DATE made here, spanning the words that mean it.
  ExprId day_of_year(const Node& n) {
    const Node& day = *n.children.at(0);
    const Node& month = *n.children.at(1);
    const Node& relation = *n.children.at(2);
    const ExprId base = expr(*n.children.at(3));
    const SourceSpan whole = span(n);
    // `in the year of`: the words that name the year.
    const SourceSpan year_words{
        file_, static_cast<std::uint32_t>(skip_blanks(text_, span(month).end)), span(relation).end};
    const Spelling spelling = relation.is_type<g::year_after>()    ? Spelling::YearAfter
                              : relation.is_type<g::year_before>() ? Spelling::YearBefore
                                                                   : Spelling::YearOf;
    const ExprId day_id = leaf(day, ExprKind::Integer, day.string());
    const auto m = std::find(kMonthNames.begin(), kMonthNames.end(), month.string_view());
    const ExprId month_id =
        add(make_expr(ExprKind::Integer, span(month), std::to_string(m - kMonthNames.begin() + 1)));
    const SourceSpan year_span{file_, year_words.begin, module_.exprs[base].span.end};
    Expr year = make_expr(ExprKind::Call, year_span, "year", {base});
    year.name_span = year_words;
    year.spelling = spelling;
    ExprId year_id = add(std::move(year));
    if (spelling != Spelling::YearOf) {
      const ExprId one = add(make_expr(ExprKind::Integer, span(relation), "1"));
      year_id = node(ExprKind::Binary, spelling == Spelling::YearAfter ? Op::Add : Op::Sub,
                     year_span, {year_id, one});
    }
    Expr call = make_expr(ExprKind::Call, whole, "date_of", {year_id, month_id, day_id});
    call.name_span = {file_, whole.begin, span(month).end};
    call.spelling = spelling;
    return add(std::move(call));
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

AstBuilder::AstBuilder(const std::string& text, FileId file, Module& module,
                       std::vector<Diagnostic>& diagnostics)
    : impl_(std::make_unique<Impl>(text, file, module, diagnostics)) {}
AstBuilder::~AstBuilder() = default;

std::optional<Diagnostic> AstBuilder::build_decl(const Node& n) {
  return impl_->build_decl(n);
}

}  // namespace catengine::lang
