// Chains of `and` and `or`, and the tests for missing that stop them early: the one definition
// the checker (narrowing), lowering, both evaluators, explanations and lints all read.
//
// A chain is an `and` (or an `or`) with every `and` (`or`) directly inside it, brackets or not,
// its parts read from left to right: `a and (b and c)` and `(a and b) and c` are one chain of
// three parts. Both are strict, so a missing part makes the chain missing, with one exception:
// a part that tests for missing stops the chain when it decides it.
//   - In an `and` chain, `X is not missing` (or `not (X is missing)`) giving no stops it: the
//     parts after it are not read, and the chain is no (missing if a part before it was).
//   - In an `or` chain, `X is missing` (or `not (X is not missing)`) giving yes stops it: the
//     parts after it are not read, and the chain is yes (missing if a part before it was).
// So the parts after such a test are read only when X is present, and the checker lets them use
// X as present. Every other part is read as before: Peterborough's F1 needs `no and missing` to
// stay missing.
#pragma once

#include <vector>

#include "lang/syntax/ast.hpp"

namespace catengine::lang {

// The parts of the chain `e` (an `op` chain: Op::And or Op::Or), left to right; `e` itself
// when it is not an `op`.
inline void chain_parts(const Module& m, ExprId e, Op op, std::vector<ExprId>& out) {
  const Expr& x = m.expr(e);
  if (x.kind == ExprKind::Binary && x.op == op) {
    chain_parts(m, x.args[0], op, out);
    chain_parts(m, x.args[1], op, out);
  } else {
    out.push_back(e);
  }
}

// Calls f(part) on each part of the chain `e`, left to right, while f returns true; returns
// whether every part was visited. For evaluation per record: no list is built.
template <typename F>
bool visit_chain(const Module& m, ExprId e, Op op, F&& f) {
  const Expr& x = m.expr(e);
  if (x.kind == ExprKind::Binary && x.op == op)
    return visit_chain(m, x.args[0], op, f) && visit_chain(m, x.args[1], op, f);
  return f(e);
}

// The test for missing inside a part that stops an `op` chain (`X is not missing` for `and`,
// `X is missing` for `or`, either also written as `not` of the opposite test): the IsMissing
// expression, or kNoExpr when the part is no such test. The part's value is never missing.
inline ExprId chain_stop_test(const Module& m, ExprId part, Op op) {
  const Expr& x = m.expr(part);
  // `and` is stopped by a presence test, `or` by an absence test.
  const bool presence = op == Op::And;
  if (x.kind == ExprKind::IsMissing) return x.negated == presence ? part : kNoExpr;
  if (x.kind == ExprKind::Unary && x.op == Op::Not) {
    const Expr& inner = m.expr(x.args[0]);
    if (inner.kind == ExprKind::IsMissing && inner.negated != presence) return x.args[0];
  }
  return kNoExpr;
}

inline bool stops_chain(const Module& m, ExprId part, Op op) {
  return chain_stop_test(m, part, op) != kNoExpr;
}

// Whether the expression is an `and`/`or` chain with a part that may stop it before its last
// part, so that its evaluation may leave parts unread. Chains without one are evaluated (and
// lowered) exactly as strict binary operators.
inline bool stops_early(const Module& m, ExprId e) {
  const Expr& x = m.expr(e);
  if (x.kind != ExprKind::Binary || (x.op != Op::And && x.op != Op::Or)) return false;
  std::vector<ExprId> parts;
  chain_parts(m, e, x.op, parts);
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    if (stops_chain(m, parts[k], x.op)) return true;
  }
  return false;
}

}  // namespace catengine::lang
