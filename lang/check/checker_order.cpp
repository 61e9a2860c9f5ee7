// The shape of the definition graph: depth limits (E0011), bottom-up typing of deep chains,
// strongly connected components, the evaluation order of definitions, and the outputs.
#include "lang/check/checker_impl.hpp"

namespace catengine::lang::checking {

// Whether every definition, written out in full, is at most kMaxDefinitionDepth deep (E0011
// otherwise). Runs before anything walks from one definition into another, and does not
// recurse over the graph itself: its strongly connected components are found with an explicit
// stack (Tarjan), then depths are worked out from the bottom of the graph up. Names are
// resolved by spelling alone, so an enumeration member that shares a definition's name counts
// as the definition: the bound can only be too high, never too low. In a circle (an error
// reported later, E0207) each member counts the depth of all the others.
bool Checker::definitions_shallow_enough() {
  const std::size_t n = p_.definitions.size();
  // Each definition's expressions, with the definitions they name.
  std::vector<std::vector<ExprRef>> roots(n);
  for (std::size_t i = 0; i < n; ++i) {
    const DefSource& src = def_sources_[i];
    if (src.define != nullptr) {
      roots[i].push_back({src.module, src.define->body});
    } else if (src.decide != nullptr) {
      for (const auto& rule : src.decide->rules) {
        roots[i].push_back({src.module, rule.condition});
        roots[i].push_back({src.module, rule.value});
      }
    } else if (p_.definitions[i].kind == DefinitionInfo::Kind::NoticeIssued) {
      const DeclSource& ns = notice_sources_[p_.definitions[i].owner];
      for (ExprId e : notice_exprs(*ns.notice)) roots[i].push_back({ns.module, e});
    }
  }
  std::vector<std::vector<std::uint32_t>> uses(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const ExprRef& root : roots[i]) named_definitions(root, uses[i]);
  }
  const std::vector<std::uint32_t> component = components(uses);
  // Components come out of Tarjan's algorithm with every component a definition uses before
  // it, so one pass works the depths out bottom-up.
  std::vector<int> depth(n, 0);
  std::vector<std::vector<std::uint32_t>> members;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (component[i] >= members.size()) members.resize(component[i] + 1);
    members[component[i]].push_back(i);
  }
  for (const auto& group : members) {
    int total = 0;
    for (std::uint32_t i : group) {
      int own = 0;
      for (const ExprRef& root : roots[i])
        own = std::max(own, written_out_depth(root, component, depth, component[i]));
      total = std::min(total + own + (group.size() > 1 ? 1 : 0), kMaxDefinitionDepth + 1);
    }
    for (std::uint32_t i : group) depth[i] = total;
    if (total > kMaxDefinitionDepth) {
      too_deep(group.front(), uses[group.front()], depth);
      return false;
    }
  }
  deep_.assign(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) deep_[i] = depth[i] > kEagerDepth;
  component_ = component;
  uses_ = std::move(uses);
  // Output columns and cadences name definitions too.
  std::vector<ExprRef> others;
  if (output_ != nullptr) {
    for (const auto& col : output_->columns) others.push_back({output_module_, col.value});
  }
  for (const auto& cs : cadence_sources_) {
    for (ExprId e : cadence_exprs(*cs.cadence)) others.push_back({cs.module, e});
  }
  for (const auto& [m, w] : warn_sources_) others.push_back({m, w->condition});
  for (const ExprRef& e : others) {
    if (written_out_depth(e, component, depth, UINT32_MAX) > kMaxDefinitionDepth) {
      error(DiagnosticKind::E0011, p_.modules[e.module].expr(e.expr).span,
            fmt::format("this expression uses definitions too deeply nested to work out: "
                        "written out in full, it would be more than {} levels deep",
                        kMaxDefinitionDepth),
            "too deep", "work out the value in fewer steps, each from the record's fields");
      return false;
    }
  }
  return true;
}

// Types the definitions `start` uses, and `start` itself, from the bottom of the graph up,
// so that checking each body finds every definition it names already typed instead of
// recursing into it: the checker's stack then holds one expression at a time however long the
// chain. Only definitions deeper than kEagerDepth written out in full take this path, so
// policies people write are checked in the order they always were (which fixes the order of
// their messages). A circle is checked with each member seeing the others as unknown, as the
// on-demand order would; E0207 reports it.
void Checker::type_bottom_up(std::uint32_t start) {
  std::vector<std::uint32_t> found{start};
  std::vector<char> seen(p_.definitions.size(), 0);
  seen[start] = 1;
  for (std::size_t k = 0; k < found.size(); ++k) {
    for (std::uint32_t u : uses_[found[k]]) {
      if (!seen[u] && def_state_[u] == DefState::Unchecked) {
        seen[u] = 1;
        found.push_back(u);
      }
    }
  }
  // Tarjan numbers a component after every component it uses.
  std::stable_sort(found.begin(), found.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return component_[a] < component_[b]; });
  for (std::size_t k = 0; k < found.size();) {
    std::size_t end = k;
    while (end < found.size() && component_[found[end]] == component_[found[k]]) ++end;
    // Inferred members of a circle are marked in progress together, so none recurses into
    // another; annotated definitions and decisions never recurse.
    if (end - k > 1) {
      for (std::size_t j = k; j < end; ++j) {
        const DefSource& src = def_sources_[found[j]];
        if (src.define != nullptr && !src.define->type) def_state_[found[j]] = DefState::InProgress;
      }
      for (std::size_t j = k; j < end; ++j) {
        if (def_state_[found[j]] == DefState::InProgress) check_definition_body(found[j]);
      }
    }
    for (std::size_t j = k; j < end; ++j) {
      if (def_state_[found[j]] == DefState::Unchecked) definition_type(found[j]);
    }
    k = end;
  }
}

std::vector<ExprId> Checker::notice_exprs(const NoticeDecl& n) {
  std::vector<ExprId> out{n.applies_to, n.issued_when, n.unless, n.respond_within};
  for (const auto& g : n.grounds) out.push_back(g.condition);
  for (const auto* alts : {&n.addressees, &n.copies}) {
    for (const auto& a : *alts) {
      out.push_back(a.value);
      out.push_back(a.condition);
    }
  }
  return out;
}

std::vector<ExprId> Checker::cadence_exprs(const CadenceDecl& c) {
  std::vector<ExprId> out{c.applies_to, c.from, c.if_never};
  for (const auto& iv : c.intervals) {
    out.push_back(iv.count);
    out.push_back(iv.condition);
  }
  for (const auto* alts : {&c.no_later_than, &c.lasting, &c.reviewers}) {
    for (const auto& a : *alts) {
      out.push_back(a.value);
      out.push_back(a.condition);
    }
  }
  return out;
}

// The definition a name spells, if any.
std::optional<std::uint32_t> Checker::definition_named(const Expr& x) const {
  if (x.kind != ExprKind::Name) return std::nullopt;
  auto it = values_.find(x.text);
  if (it == values_.end() || it->second.kind != Kind::Definition) return std::nullopt;
  return it->second.index;
}

// Adds the definitions `root` names to `out`. Recursion is bounded by kMaxExpressionDepth.
void Checker::named_definitions(ExprRef root, std::vector<std::uint32_t>& out) const {
  if (root.expr == kNoExpr) return;
  const Expr& x = p_.modules[root.module].expr(root.expr);
  if (auto d = definition_named(x)) out.push_back(*d);
  for (ExprId a : x.args) named_definitions({root.module, a}, out);
}

// The depth of `root` with each definition outside component `self` written out in full:
// operators count one level each, and a name one more than the definition it names.
// Recursion is bounded by kMaxExpressionDepth.
int Checker::written_out_depth(ExprRef root, const std::vector<std::uint32_t>& component,
                               const std::vector<int>& depth, std::uint32_t self) const {
  if (root.expr == kNoExpr) return 0;
  const Expr& x = p_.modules[root.module].expr(root.expr);
  int d = 0;
  if (auto def = definition_named(x); def && component[*def] != self) d = 1 + depth[*def];
  for (ExprId a : x.args) {
    if (a != kNoExpr)
      d = std::max(d, 1 + written_out_depth({root.module, a}, component, depth, self));
  }
  return std::min(d, kMaxDefinitionDepth + 1);
}

// Strongly connected components of the graph `uses`, numbered so that a component comes after
// every component it uses (Tarjan's algorithm, with an explicit stack).
std::vector<std::uint32_t> Checker::components(
    const std::vector<std::vector<std::uint32_t>>& uses) {
  const std::size_t n = uses.size();
  constexpr std::uint32_t kUnseen = UINT32_MAX;
  std::vector<std::uint32_t> index(n, kUnseen), low(n, 0), component(n, kUnseen);
  std::vector<std::uint32_t> open;                          // visited, component not yet known
  std::vector<std::pair<std::uint32_t, std::size_t>> path;  // (definition, next edge)
  std::uint32_t next_index = 0, next_component = 0;
  for (std::uint32_t start = 0; start < n; ++start) {
    if (index[start] != kUnseen) continue;
    path.push_back({start, 0});
    index[start] = low[start] = next_index++;
    open.push_back(start);
    while (!path.empty()) {
      auto& [v, edge] = path.back();
      if (edge < uses[v].size()) {
        const std::uint32_t w = uses[v][edge++];
        if (index[w] == kUnseen) {
          index[w] = low[w] = next_index++;
          open.push_back(w);
          path.push_back({w, 0});
        } else if (component[w] == kUnseen) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      const std::uint32_t done = v;
      path.pop_back();
      if (!path.empty()) low[path.back().first] = std::min(low[path.back().first], low[done]);
      if (low[done] == index[done]) {
        std::uint32_t w;
        do {
          w = open.back();
          open.pop_back();
          component[w] = next_component;
        } while (w != done);
        ++next_component;
      }
    }
  }
  return component;
}

void Checker::too_deep(std::uint32_t i, const std::vector<std::uint32_t>& uses,
                       const std::vector<int>& depth) {
  const DefinitionInfo& def = p_.definitions[i];
  auto& d = error(DiagnosticKind::E0011, def.span,
                  fmt::format("`{}` uses definitions too deeply nested to work out: written out "
                              "in full, it would be more than {} levels deep",
                              def.name, kMaxDefinitionDepth),
                  "too deep",
                  "work out the value in fewer steps; a long chain of definitions, each "
                  "using the next, is the usual cause");
  std::optional<std::uint32_t> deepest;
  for (std::uint32_t u : uses) {
    // In a circle every member has the same depth: no one of them is the deeper part.
    if (depth[u] < depth[i] && (!deepest || depth[u] > depth[*deepest])) deepest = u;
  }
  if (deepest) {
    d.notes.push_back({p_.definitions[*deepest].span,
                       fmt::format("it uses `{}`, which is {} levels deep written out in full",
                                   p_.definitions[*deepest].name, depth[*deepest])});
  }
}

// Depth-first over `depends_on`, with an explicit stack: chains of definitions may be long.
void Checker::order_definitions() {
  std::vector<int> mark(p_.definitions.size(), 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::uint32_t> stack;                 // the path being visited, outermost first
  std::vector<std::size_t> next;                    // by stack entry: the next dependency
  auto circle = [&](std::uint32_t i) {
    auto start = std::find(stack.begin(), stack.end(), i);
    std::string chain;
    for (auto it = start; it != stack.end(); ++it)
      chain += fmt::format("`{}` uses ", p_.definitions[*it].name);
    chain += fmt::format("`{}`", p_.definitions[i].name);
    auto& d = error(DiagnosticKind::E0207, p_.definitions[stack.back()].span,
                    fmt::format("these definitions depend on each other in a circle: {}", chain),
                    "closes the circle", "one of them must be worked out without the others");
    for (auto it = start; it != stack.end(); ++it) {
      if (*it != stack.back()) d.notes.push_back({p_.definitions[*it].span, "part of the circle"});
    }
  };
  for (std::uint32_t root = 0; root < p_.definitions.size(); ++root) {
    if (mark[root] != 0) continue;
    mark[root] = 1;
    stack.push_back(root);
    next.push_back(0);
    while (!stack.empty()) {
      const std::uint32_t i = stack.back();
      const auto& deps = p_.definitions[i].depends_on;
      if (next.back() < deps.size()) {
        const std::uint32_t dep = deps[next.back()++];
        if (mark[dep] == 1) circle(dep);
        if (mark[dep] != 0) continue;
        mark[dep] = 1;
        stack.push_back(dep);
        next.push_back(0);
        continue;
      }
      stack.pop_back();
      next.pop_back();
      mark[i] = 2;
      p_.evaluation_order.push_back(i);
    }
  }
}

void Checker::check_outputs() {
  if (output_ == nullptr) {
    if (!p_.modules.empty() && !options_.module) {
      Diagnostic d{DiagnosticKind::E0409,
                   {p_.modules[p_.main_module].file, 0, 0},
                   "the policy has no `output` block, so evaluating it would write nothing",
                   "",
                   {},
                   {},
                   false};
      d.hints.push_back("add `output` followed by `column NAME` lines, in the order to write them");
      diags_.push_back(std::move(d));
    }
    return;
  }
  p_.output_cite = output_->cite;
  std::map<std::string, SourceSpan> seen;
  for (const auto& c : output_->columns) {
    if (auto [it, fresh] = seen.emplace(c.name, c.span); !fresh) {
      auto& d = error(DiagnosticKind::E0209, c.span,
                      fmt::format("the column `{}` is written twice", c.name), "repeated column");
      d.notes.push_back({it->second, "first written here"});
    }
    Type t = check(output_module_, c.value, nullptr);
    p_.outputs.push_back({c.name, {output_module_, c.value}, t, c.span});
  }
  if (output_->columns.empty()) {
    error(DiagnosticKind::E0409, output_->span, "the `output` block lists no columns", "empty",
          "add `column NAME` lines");
  }
}

}  // namespace catengine::lang::checking
