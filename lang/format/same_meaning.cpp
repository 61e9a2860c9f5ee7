// Whether two parsed policy files mean the same, their layout and the spelling of equivalent
// forms aside: the safety net of `fmt --modernise`, whose output cannot have the same tokens as
// its input (same_tokens) because it writes older idioms in newer words.
#include <variant>

#include "lang/format/formatter.hpp"

namespace catengine::lang {
namespace {

// `how_many of [...]` and `how many of [...]` call the same function.
std::string_view function_name(const Expr& e) {
  if (e.kind == ExprKind::Call && e.text == "how_many") return "how many";
  return e.text;
}

bool same_expr(const Expr& a, const Expr& b) {
  // The spans, the brackets (folded into spans) and missing_clause are how it is written;
  // everything else is what it means.
  return a.kind == b.kind && a.op == b.op && a.negated == b.negated &&
         a.ignoring_missing == b.ignoring_missing && function_name(a) == function_name(b) &&
         a.args == b.args;
}

}  // namespace

bool same_meaning(const Module& a, const Module& b) {
  // Both arenas are built in the order of the source, children first, so equal meanings give
  // equal arenas, id for id; declarations then refer to the same ids.
  if (a.decls.size() != b.decls.size() || a.exprs.size() != b.exprs.size()) return false;
  for (std::size_t i = 0; i < a.decls.size(); ++i) {
    if (a.decls[i].index() != b.decls[i].index()) return false;
  }
  for (std::size_t i = 0; i < a.exprs.size(); ++i) {
    if (!same_expr(a.exprs[i], b.exprs[i])) return false;
  }
  return true;
}

}  // namespace catengine::lang
