// The lint checks: what to check (every `if`, every rule of a decision, every parameter lookup,
// with the conditions that hold where it is evaluated), the checks themselves, and lint(), the
// entry point. The model they ask questions of is lint_model.cpp.
#include "base/english.hpp"
#include "lang/lint/lint_model.hpp"

namespace catengine::lang::lint_detail {

const DecisionDecl* Linter::decision_decl(const DefinitionInfo& def) const {
  for (const auto& [m, dc] : decisions_) {
    if (dc->name.span.file == def.span.file && dc->name.span.begin == def.span.begin) return dc;
  }
  return nullptr;
}

void Linter::collect() {
  for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
    const DefinitionInfo& def = p_.definitions[i];
    if (def.kind == DefinitionInfo::Kind::Define) {
      walk(def.body, {});
    } else if (def.kind == DefinitionInfo::Kind::Decision) {
      const DecisionDecl* decl = decision_decl(def);
      if (decl == nullptr || decl->rules.size() != def.rules.size()) continue;
      DecisionJob job{i, decl, {}};
      std::vector<Constraint> path;
      for (std::size_t k = 0; k < def.rules.size(); ++k) {
        const RuleInfo& rule = def.rules[k];
        if (rule.condition.expr == kNoExpr) {
          job.conditions.push_back(-1);
          walk(rule.value, path);
          continue;
        }
        int c = build_bool(rule.condition);
        job.conditions.push_back(c);
        conditions_.push_back({c, p_.expr(rule.condition).span,
                               fmt::format("the condition of rule `{}`", rule.id),
                               k + 1 < def.rules.size() ? "the rules after it never apply" : "",
                               "the rule never applies"});
        walk(rule.condition, path);
        auto fired = path;
        fired.push_back({c, kYes});
        walk(rule.value, fired);
        path.push_back({c, kNo | kMiss});
      }
      decisions_to_check_.push_back(std::move(job));
    }
  }
  for (const NoticeInfo& n : p_.notices) {
    const std::string who = fmt::format("notice `{}`", n.name);
    condition(n.applies_to, fmt::format("`applies to` of {}", who), "",
              "the notice is never issued");
    for (const GroundInfo& g : n.grounds) {
      condition(g.condition, fmt::format("ground `{}` of {}", g.id, who), "",
                "the ground never holds");
    }
    condition(n.issued_when, fmt::format("`issued when` of {}", who), "",
              "the notice is never issued");
    condition(n.unless, fmt::format("`unless` of {}", who), "the notice is never issued", "");
    for (const auto* alts : {&n.addressees, &n.copies}) {
      for (const auto& alt : *alts) {
        walk(alt.value, {});
        condition(alt.condition, "this `when`", "", "this line never applies");
      }
    }
    walk(n.respond_within, {});
  }
  for (const CadenceInfo& c : p_.cadences) {
    const std::string who = fmt::format("cadence `{}`", c.name);
    condition(c.applies_to, fmt::format("`applies to` of {}", who), "",
              "the cadence never applies");
    for (const auto& iv : c.intervals) {
      walk(iv.count, {});
      condition(iv.condition, "this `when`", "", "this interval never applies");
    }
    walk(c.from, {});
    walk(c.if_never, {});
    for (const auto* alts : {&c.no_later_than, &c.lasting, &c.reviewers}) {
      for (const auto& alt : *alts) {
        walk(alt.value, {});
        condition(alt.condition, "this `when`", "", "this line never applies");
      }
    }
  }
  for (const WarningInfo& w : p_.warnings) {
    condition(w.condition, fmt::format("the condition of warning `{}`", w.name),
              "it is given for every school", "the warning is never given");
  }
  for (const auto& o : p_.outputs) walk(o.value, {});
}

void Linter::condition(ExprRef e, std::string what, std::string if_yes, std::string if_never) {
  if (e.expr == kNoExpr) return;
  walk(e, {});
  conditions_.push_back(
      {build_bool(e), p_.expr(e).span, std::move(what), std::move(if_yes), std::move(if_never)});
}

void Linter::walk(ExprRef e, const std::vector<Constraint>& path) {
  if (e.expr == kNoExpr) return;
  const Expr& x = p_.expr(e);
  const Resolution& r = p_.resolution(e);
  auto arg = [&](std::size_t i) { return ExprRef{e.module, x.args[i]}; };
  if (x.kind == ExprKind::If) {
    int c = build_bool(arg(0));
    conditions_.push_back({c, p_.expr(arg(0)).span, "this `if` condition",
                           "the `else` value is never used", "the `then` value is never used"});
    walk(arg(0), path);
    auto yes = path;
    yes.push_back({c, kYes});
    walk(arg(1), yes);
    auto no = path;
    no.push_back({c, kNo});
    walk(arg(2), no);
    return;
  }
  if (stops_early(p_.modules[e.module], e.expr)) {
    // The parts after a test for missing that may stop the chain are evaluated only when it
    // did not: yes for `and`, no for `or` (lang/check/chains.hpp).
    std::vector<ExprId> parts;
    chain_parts(p_.modules[e.module], e.expr, x.op, parts);
    auto inner = path;
    for (ExprId part : parts) {
      walk({e.module, part}, inner);
      if (stops_chain(p_.modules[e.module], part, x.op))
        inner.push_back({build_bool({e.module, part}), x.op == Op::And ? kYes : kNo});
    }
    return;
  }
  if (x.kind == ExprKind::Call && r.kind == RKind::Parameter && x.args.size() == 1) {
    int key = build(arg(0));
    if (is_var(key) || is_const(key)) {
      if (is_var(key)) {
        // The table's edges become the key's interval boundaries.
        Var& v = vars_[nodes_[key].var];
        const ParamInfo& param = p_.parameters[r.index];
        const Value scale = param.by_date ? 1 : decimal::kScale;
        for (const auto& entry : param.entries) {
          v.constants.insert(entry.from * scale);
          v.constants.insert(entry.to * scale);
        }
      }
      lookups_.push_back({r.index, key, path, x.span});
    }
  }
  for (ExprId a : x.args) {
    if (a != kNoExpr) walk({e.module, a}, path);
  }
}

Diagnostic& Linter::report(DiagnosticKind kind, SourceSpan span, std::string message,
                           std::string label, std::string hint) {
  out_.push_back(
      make_diagnostic(kind, span, std::move(message), std::move(label), std::move(hint)));
  return out_.back();
}

std::vector<std::size_t> Linter::covering_rules(const DecisionJob& job, std::size_t k) const {
  const int c = job.conditions[k];
  // Whether the rules in `set` alone take every record rule k matches: nothing is left when
  // rule k's condition is yes and none of theirs is.
  auto covers = [&](const std::vector<std::size_t>& set) {
    Query q;
    if (c >= 0) q.constraints.push_back({c, kYes});
    for (std::size_t j : set) q.constraints.push_back({job.conditions[j], kNo | kMiss});
    return solve(q) == Answer::No;
  };
  // Only rules that can hold together with rule k take any of its records.
  std::vector<std::size_t> cover;
  for (std::size_t j = 0; j < k; ++j) {
    Query both{{{job.conditions[j], kYes}}};
    if (c >= 0) both.constraints.push_back({c, kYes});
    if (solve(both) != Answer::No) cover.push_back(j);
  }
  // Then drop every rule the others do not need, the latest first, so that the rules named are
  // the earliest ones that suffice: under first match they are the ones that take the records.
  for (std::size_t i = cover.size(); i-- > 0;) {
    std::vector<std::size_t> rest = cover;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(i));
    if (covers(rest)) cover = std::move(rest);
  }
  return cover;
}

void Linter::check_decision(const DecisionJob& job) {
  const DefinitionInfo& def = p_.definitions[job.def];
  const DecisionDecl& decl = *job.decl;
  std::vector<Constraint> earlier;  // every earlier rule did not fire
  for (std::size_t k = 0; k < job.conditions.size(); ++k) {
    const int c = job.conditions[k];
    const Rule& rule = decl.rules[k];
    Query q{earlier};
    if (c >= 0) q.constraints.push_back({c, kYes});
    // A condition that is never yes is reported as W0111 by itself.
    const bool alone_possible = c < 0 || solve(Query{{{c, kYes}}}) != Answer::No;
    if (!earlier.empty() && alone_possible && solve(q) == Answer::No) {
      const std::vector<std::size_t> covering = covering_rules(job, k);
      std::vector<std::string> covering_names;
      for (std::size_t j : covering)
        covering_names.push_back(fmt::format("`{}`", decl.rules[j].id.name));
      const std::string names = list_in_words(covering_names, "and");
      auto& d = report(
          DiagnosticKind::W0101, rule.id.span,
          c < 0 ? fmt::format("rule `{}` of `{}` can never apply: every record is taken by an "
                              "earlier rule ({})",
                              rule.id.name, def.name, names)
                : fmt::format("rule `{}` of `{}` can never apply: every record it matches is taken "
                              "by an earlier rule ({})",
                              rule.id.name, def.name, names),
          "never applies", "remove the rule, or move it above the rules that cover it");
      for (std::size_t j : covering) {
        d.notes.push_back(
            {decl.rules[j].id.span, fmt::format("rule `{}` applies first", decl.rules[j].id.name)});
      }
    }
    if (decl.hit_policy == HitPolicy::UniqueMatch && c >= 0) {
      for (std::size_t j = 0; j < k; ++j) {
        if (job.conditions[j] < 0) continue;
        std::vector<std::pair<std::uint32_t, Value>> w;
        if (solve(Query{{{job.conditions[j], kYes}, {c, kYes}}}, &w) != Answer::Yes) continue;
        auto [example, certain] = describe(w);
        auto& d = report(
            DiagnosticKind::W0102, rule.id.span,
            fmt::format("rules `{}` and `{}` of `{}` {}both apply, but it is decided by unique "
                        "match: for example when {}",
                        decl.rules[j].id.name, rule.id.name, def.name, certain ? "can " : "may ",
                        example),
            "overlaps an earlier rule",
            "make the conditions exclude each other, or use `by first match`");
        d.notes.push_back(
            {decl.rules[j].id.span, fmt::format("rule `{}` also applies", decl.rules[j].id.name)});
      }
    }
    if (c >= 0) earlier.push_back({c, kNo | kMiss});
  }
  const bool has_otherwise = !job.conditions.empty() && job.conditions.back() < 0;
  if (!has_otherwise && !earlier.empty()) {
    std::vector<std::pair<std::uint32_t, Value>> w;
    if (solve(Query{earlier}, &w) == Answer::Yes) {
      auto [example, certain] = describe(w);
      report(DiagnosticKind::W0103, decl.name.span,
             fmt::format("`{}` {} no outcome: no rule applies when {}, and there is no `otherwise`",
                         def.name,
                         certain ? "leaves some records with" : "may leave some records with",
                         example),
             "no rule for some records",
             "add a rule for these records, or end with `rule ID \"title\" otherwise VALUE`");
    }
  }
}

void Linter::check_condition(const ConditionJob& c) {
  if (solve(Query{{{c.node, kYes}}}) == Answer::No) {
    report(DiagnosticKind::W0111, c.span,
           fmt::format("{} is never yes{}", c.what, c.if_never.empty() ? "" : ", so " + c.if_never),
           "never yes", "check the values it compares; remove it if it is not needed");
    return;
  }
  if (solve(Query{{{c.node, kNo | kMiss}}}) == Answer::No) {
    report(DiagnosticKind::W0110, c.span,
           fmt::format("{} is yes for every record{}", c.what,
                       c.if_yes.empty() ? "" : ", so " + c.if_yes),
           "always yes", "check the values it compares; remove it if it is not needed");
  }
}

std::string Linter::key_text(const ParamInfo& param, Value key) const {
  return param.by_date ? format_date(key) : decimal::format(key);
}

void Linter::check_lookup(const LookupJob& l) {
  const ParamInfo& param = p_.parameters[l.param];
  if (is_const(l.key)) {
    const Value key = nodes_[l.key].value;
    if (key != kMissing && param_entry(l.param, key) == nullptr) {
      report(DiagnosticKind::W0109, l.span,
             fmt::format("`{}` has no value for {}, so this lookup is always missing", param.name,
                         key_text(param, key)),
             "no entry",
             fmt::format("add an entry for {} to `{}`", key_text(param, key), param.name));
    }
    return;
  }
  const std::uint32_t var = nodes_[l.key].var;
  const Var& v = vars_[var];
  // Only a key its conditions bound on both sides: an unguarded lookup is meant to be
  // missing outside the table.
  for (Value end : {v.below_all, v.above_all}) {
    if (end == kUnassigned) return;
    if (std::find(v.domain.begin(), v.domain.end(), end) == v.domain.end()) continue;
    Node is{Node::K::VarIs};
    is.var = var;
    is.value = end;
    int n = add(std::move(is));
    Query q{l.path};
    q.constraints.push_back({n, kYes});
    if (solve(q) != Answer::No) return;
  }
  Node miss{Node::K::ParamMiss};
  miss.var = var;
  miss.param = l.param;
  int n = add(std::move(miss));
  Query q{l.path};
  q.constraints.push_back({n, kYes});
  std::vector<std::pair<std::uint32_t, Value>> w;
  if (solve(q, &w) != Answer::Yes) return;
  Value key = kMissing;
  for (const auto& [wv, value] : w) {
    if (wv == var) key = value;
  }
  report(DiagnosticKind::W0109, l.span,
         fmt::format("`{}` has no value for {}, but this lookup can be reached when `{}` is `{}`",
                     param.name, key_text(param, key), v.name, show_value(v, key)),
         "can find no value",
         fmt::format("add an entry for {} to `{}`, or narrow the condition that guards this lookup",
                     key_text(param, key), param.name));
}

void Linter::check_parameter_gaps() {
  for (const ParamInfo& param : p_.parameters) {
    // A dated table of single days is a list of events (clinic dates), not a time line.
    if (param.by_date && std::all_of(param.entries.begin(), param.entries.end(),
                                     [](const ParamEntryInfo& e) { return e.from == e.to; })) {
      continue;
    }
    for (std::size_t i = 1; i < param.entries.size(); ++i) {
      const Value from = param.entries[i - 1].to + 1, to = param.entries[i].from - 1;
      if (from > to) continue;
      const std::string gap =
          from == to ? key_text2(param, from)
                     : fmt::format("{} to {}", key_text2(param, from), key_text2(param, to));
      auto& d =
          report(DiagnosticKind::W0108, param.entries[i].span,
                 fmt::format("`{}` has no value for {}, between its entries for {} and {}",
                             param.name, gap, key_text2(param, param.entries[i - 1].to),
                             key_text2(param, param.entries[i].from)),
                 "gap before this entry",
                 fmt::format("add an entry for {}, or say why there is none in a comment", gap));
      d.notes.push_back({param.entries[i - 1].span, "the entry before the gap"});
    }
  }
}

std::string Linter::key_text2(const ParamInfo& param, Value key) {
  return param.by_date ? format_date(key) : std::to_string(key);
}

}  // namespace catengine::lang::lint_detail

namespace catengine::lang {

std::vector<Diagnostic> lint(const CheckedPolicy& policy, const LintOptions& options) {
  if (policy.modules.empty()) return {};
  lint_detail::Linter linter(policy, options);
  return linter.run();
}

}  // namespace catengine::lang
