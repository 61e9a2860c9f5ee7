// Laying out expressions (see format_layout.hpp): each becomes a document of text, breakable
// spaces, groups and alignment, keeping the brackets the author wrote.
#include "lang/format/format_layout.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "lang/syntax/date_words.hpp"

namespace catengine::lang::format_detail {

Doc Formatter::expr_doc(ExprId id, int drop) const {
  const Expr& e = expr(id);
  const int layers = paren_layers(e);
  const int kept = layers - std::min(drop, layers);
  const std::size_t first = token_at(e.span.begin);
  Doc d = bare_doc(e, token_begin(first + static_cast<std::size_t>(layers)));
  for (int k = layers - 1; k >= layers - kept; --k) {
    d = cat({text("(", token_begin(first + static_cast<std::size_t>(k))), align(std::move(d)),
             text(")")});
  }
  return d;
}

bool Formatter::modernisable(ExprId id, const Expr& e) const {
  if (!options_.modernise || e.missing_clause || id >= clause_ends_.size() || !clause_ends_[id])
    return false;
  if (paren_layers(e) != 0 || paren_layers(expr(e.args[0])) == 0) return false;
  // The clause's value is read up to `not`: a value with `and`, `or` or an `if` in it would need
  // brackets the author did not write, so that one is left as it is.
  const Expr& b = expr(e.args[1]);
  if (paren_layers(b) > 0) return true;
  const bool loose = (b.kind == ExprKind::Binary && (b.op == Op::And || b.op == Op::Or)) ||
                     b.kind == ExprKind::If || b.kind == ExprKind::IfMissing;
  return !loose;
}

Doc Formatter::clause_doc(const Expr& e, int drop) const {
  const Expr& a = expr(e.args[0]);
  // The clause's `or` (after the `,`), or, when rewriting, the `if` of `if missing`: where the
  // clause's line begins in the source, for the comments around it.
  const std::size_t next = token_at(a.span.end);
  const std::int64_t or_src = e.missing_clause ? token_begin(next + 1) : token_begin(next);
  return group(align(cat({align(expr_doc(e.args[0], drop)), text(","), line(), text("or ", or_src),
                          align(expr_doc(e.args[1])), text(" if any figure is missing")})));
}

void Formatter::flatten(ExprId id, Op op, std::vector<ExprId>& out) const {
  const Expr& e = expr(id);
  if (e.kind == ExprKind::Binary && e.op == op && paren_layers(e) == 0) {
    flatten(e.args[0], op, out);
    out.push_back(e.args[1]);
  } else {
    out.push_back(id);
  }
}

std::string Formatter::op_text(const Expr& e) const {
  const std::size_t i = token_at(expr(e.args[0]).span.end);
  if (e.op == Op::Eq && token_text(i) == "=") return "=";
  if (e.op == Op::Ne && token_text(i) == "!=") return "!=";
  return std::string(spelling(e.op));
}

Doc Formatter::items_doc(const std::vector<ExprId>& items) const {
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

Doc Formatter::bare_doc(const Expr& e, std::int64_t start) const {
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
      return cat({expr_doc(e.args[0]), text(e.negated ? " not in " : " in "), expr_doc(e.args[1])});
    case ExprKind::IsMissing:
      return cat({expr_doc(e.args[0]), text(e.negated ? " is not missing" : " is missing")});
    case ExprKind::Between:
      return cat({expr_doc(e.args[0]), text(" between "), expr_doc(e.args[1]), text(" and "),
                  expr_doc(e.args[2])});
    case ExprKind::IfMissing: {
      if (e.missing_clause) return clause_doc(e, 0);
      const auto id = static_cast<ExprId>(&e - module_.exprs.data());
      if (modernisable(id, e)) return clause_doc(e, 1);
      return cat({expr_doc(e.args[0]), text(" if missing "), expr_doc(e.args[1])});
    }
    case ExprKind::If:
      return if_doc(e, start);
    case ExprKind::Call: {
      if (e.spelling != Spelling::Function) return english_date_doc(e, start);
      const std::size_t after_name = token_at(e.name_span.end);
      const Doc ignoring = text(e.ignoring_missing ? " ignoring missing" : "");
      if ((e.text == "how many" || token_text(after_name) == "of") && e.args.size() == 1) {
        // `--modernise` reads `how_many of [...]` aloud: `how many of [...]`.
        const std::string name = options_.modernise && e.text == "how_many" ? "how many" : e.text;
        return cat({text(name + " of", start), text(" "), expr_doc(e.args[0]), ignoring});
      }
      if (e.args.empty()) return cat({text(e.text + "()", start), ignoring});
      return cat({group(cat({text(e.text + "(", start), items_doc(e.args), text(")")})), ignoring});
    }
  }
  return text(e.text, start);
}

// Dates in English, written back as the author wrote them (the unit in the singular after a
// count of 1, else the plural).
Doc Formatter::english_date_doc(const Expr& e, std::int64_t start) const {
  switch (e.spelling) {
    case Spelling::After:
    case Spelling::Before: {
      const Expr& count_expr = expr(e.args[1]);
      const ExprId count = e.spelling == Spelling::Before ? count_expr.args[0] : e.args[1];
      const bool one = expr(count).kind == ExprKind::Integer && expr(count).text == "1" &&
                       paren_layers(expr(count)) == 0;
      // An unknown unit (kept as written, for the checker to report) is written back as is.
      const std::string_view singular = unit_of_builtin(e.text);
      std::string unit = singular.empty() ? e.text : std::string(singular) + (one ? "" : "s");
      return cat({expr_doc(count),
                  text(" " + unit + (e.spelling == Spelling::After ? " after " : " before ")),
                  expr_doc(e.args[0])});
    }
    case Spelling::FirstWorkingDay:
      return cat({text("the first working day on or after ", start), expr_doc(e.args[0])});
    case Spelling::Earliest:
      return group(cat({text("the earliest of ", start), align(expr_doc(e.args[1])), line(),
                        text("on or after "), expr_doc(e.args[0])}));
    default: {
      const Expr& year = expr(e.args[0]);
      const ExprId base = year.kind == ExprKind::Call ? year.args[0] : expr(year.args[0]).args[0];
      return cat({text(fmt::format("{} {} in the year {} ", expr(e.args[2]).text,
                                   kMonthNames[std::stoul(expr(e.args[1]).text) - 1],
                                   year_relation(e.spelling)),
                       start),
                  expr_doc(base)});
    }
  }
}

Doc Formatter::if_doc(const Expr& first, std::int64_t start) const {
  std::vector<Doc> parts;
  const Expr* e = &first;
  std::int64_t keyword_src = start;
  std::string keyword = "if ";
  for (;;) {
    const Expr& cond = expr(e->args[0]);
    const Expr& value = expr(e->args[1]);
    parts.push_back(group(cat({text(keyword, keyword_src), align(expr_doc(e->args[0])), line(),
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

}  // namespace catengine::lang::format_detail
