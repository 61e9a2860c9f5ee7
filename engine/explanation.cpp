// Builds and renders record explanations. Conditions are quoted from the policy source, so an
// adviser sees the rule as the policy officer wrote it.
#include "engine/explanation.hpp"

#include <fmt/format.h>

#include "engine/reference_evaluator.hpp"
#include "engine/value_format.hpp"

namespace catengine::engine {

using lang::ExprKind;
using lang::ExprRef;
using Kind = lang::Resolution::Kind;

namespace {

class Explainer {
 public:
  Explainer(const CompiledPolicy& c, DataSet& data, Value as_of)
      : c_(c), p_(c.policy), eval_(p_, data.text, as_of), format_(p_, data.text) {}

  RecordExplanation run(const DataSet& data, std::size_t record) {
    RecordExplanation out;
    out.row = data.source_row[record];
    eval_.reset(data.row(record));
    for (const auto& col : p_.outputs) {
      out.outputs.emplace_back(col.name, format_.format(eval_.eval(col.value), col.type));
    }
    for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) out.definitions.push_back(definition(i));
    if (eval_.fault() != EvalFault::None) out.fault = describe(eval_.fault());
    return out;
  }

 private:
  std::string text(ExprRef e) const { return span_text(c_.sources, p_.expr(e).span); }

  std::string cite(const std::optional<lang::Citation>& c) const { return c ? c->text : std::string{}; }

  std::string truth(Value v) const { return v == kMissing ? "missing" : (v ? "yes" : "no"); }

  DefinitionExplanation definition(std::uint32_t i) {
    const auto& def = p_.definitions[i];
    DefinitionExplanation out;
    out.name = def.name;
    out.cite = cite(def.cite);
    out.is_decision = def.is_decision;
    out.value = format_.describe(eval_.definition(i), def.type);
    if (!def.is_decision) {
      out.expression = text(def.body);
      collect_reads(def.body, out.reads);
      return out;
    }
    const auto fired = eval_.fired_rule(i);
    for (std::uint32_t k = 0; k < def.rules.size(); ++k) {
      const auto& rule = def.rules[k];
      RuleOutcome r;
      r.id = rule.id;
      r.title = rule.title;
      r.cite = cite(rule.cite);
      r.fired = fired && *fired == k;
      if (rule.condition.expr == lang::kNoExpr) {
        r.condition = "otherwise";
      } else {
        r.condition = text(rule.condition);
        std::vector<ExprRef> parts;
        conjuncts(rule.condition, parts);
        if (parts.size() > 1) {
          for (auto part : parts) r.parts.push_back({text(part), truth(eval_.eval(part))});
        }
        collect_reads(rule.condition, r.reads);
      }
      if (r.fired) collect_reads(rule.value, r.reads);
      out.rules.push_back(std::move(r));
      if (fired && *fired == k) break;
    }
    return out;
  }

  void conjuncts(ExprRef e, std::vector<ExprRef>& out) const {
    const auto& x = p_.expr(e);
    if (x.kind == ExprKind::Binary && x.op == lang::Op::And) {
      conjuncts({e.module, x.args[0]}, out);
      conjuncts({e.module, x.args[1]}, out);
    } else {
      out.push_back(e);
    }
  }

  void collect_reads(ExprRef e, std::vector<ValueRead>& out) {
    const auto& x = p_.expr(e);
    const auto& r = p_.resolution(e);
    auto add = [&](ValueRead v) {
      for (const auto& seen : out) {
        if (seen.name == v.name) return;
      }
      out.push_back(std::move(v));
    };
    if (r.kind == Kind::Field) {
      const auto& f = p_.record.fields[r.index];
      add({f.name, format_.describe(eval_.eval(e), f.type), "column " + f.column});
      return;
    }
    if (r.kind == Kind::Definition) {
      const auto& d = p_.definitions[r.index];
      add({d.name, format_.describe(eval_.definition(r.index), d.type), "definition"});
      return;
    }
    if (r.kind == Kind::AsOf) {
      add({"as_of", format_.describe(eval_.eval(e), lang::kDate), "the evaluation date"});
      return;
    }
    if (r.kind == Kind::Parameter) {
      const ExprRef key{e.module, x.args[0]};
      const Value k = eval_.eval(key);
      const auto& param = p_.parameters[r.index];
      const auto* entry = eval_.param_entry(r.index, k);
      std::string where = entry && entry->cite ? entry->cite->text : cite(param.cite);
      add({fmt::format("{} of {}", param.name, format_.format(k, p_.type(key))),
           entry ? format_.describe(entry->value, param.type) : "missing (no entry)", where});
    }
    // Follow only the branches evaluation took, so a primary school's explanation does not
    // list secondary figures.
    if (x.kind == ExprKind::If) {
      const ExprRef cond{e.module, x.args[0]};
      collect_reads(cond, out);
      const Value c = eval_.eval(cond);
      if (c != kMissing) collect_reads({e.module, x.args[c ? 1 : 2]}, out);
      return;
    }
    if (x.kind == ExprKind::IfMissing) {
      const ExprRef first{e.module, x.args[0]};
      collect_reads(first, out);
      if (eval_.eval(first) == kMissing) collect_reads({e.module, x.args[1]}, out);
      return;
    }
    for (auto a : x.args) {
      if (a != lang::kNoExpr) collect_reads({e.module, a}, out);
    }
  }

  const CompiledPolicy& c_;
  const lang::CheckedPolicy& p_;
  ReferenceEvaluator eval_;
  ValueFormatter format_;
};

void render_reads(std::string& out, const std::vector<ValueRead>& reads, std::string_view indent) {
  for (const auto& r : reads) {
    fmt::format_to(std::back_inserter(out), "{}{} = {}   [{}]\n", indent, r.name, r.value, r.source);
  }
}

}  // namespace

RecordExplanation explain_record(const CompiledPolicy& compiled, DataSet& data, std::size_t record,
                                 Value as_of) {
  Explainer ex(compiled, data, as_of);
  return ex.run(data, record);
}

std::string render_explanation(const RecordExplanation& e, const CompiledPolicy& compiled) {
  std::string out;
  auto w = [&]<typename... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  const auto& p = compiled.policy;
  w("{}\n", p.title);
  if (p.cite) w("  cite: {}\n", p.cite->text);
  w("\nResults\n");
  for (const auto& [name, value] : e.outputs) w("  {:<16} {}\n", name, value.empty() ? "(empty)" : value);
  if (!e.fault.empty()) w("\nThis record could not be evaluated: {}\n", e.fault);
  w("\nReasoning, in the order the policy gives it\n");
  for (const auto& d : e.definitions) {
    w("\n{} = {}\n", d.name, d.value);
    if (!d.cite.empty()) w("  cite: {}\n", d.cite);
    if (!d.is_decision) {
      w("  because: {}\n", d.expression);
      render_reads(out, d.reads, "    ");
      continue;
    }
    for (const auto& r : d.rules) {
      if (r.fired) {
        w("  decided by rule {} \"{}\"\n", r.id, r.title);
        if (!r.cite.empty()) w("    cite: {}\n", r.cite);
        w("    {}: {}\n", r.condition == "otherwise" ? "applies" : "when", r.condition);
        for (const auto& part : r.parts) w("      {} -> {}\n", part.text, part.value);
        render_reads(out, r.reads, "    ");
      }
    }
    bool header = false;
    for (const auto& r : d.rules) {
      if (r.fired) continue;
      if (!header) {
        w("  rules that did not apply:\n");
        header = true;
      }
      w("    {} \"{}\": {} -> no\n", r.id, r.title, r.condition);
      for (const auto& part : r.parts) {
        if (part.value != "yes") w("      {} -> {}\n", part.text, part.value);
      }
    }
  }
  return out;
}

nlohmann::ordered_json explanation_json(const RecordExplanation& e) {
  nlohmann::ordered_json j;
  j["row"] = e.row;
  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  for (const auto& [name, value] : e.outputs) outputs[name] = value;
  j["outputs"] = outputs;
  auto reads_json = [](const std::vector<ValueRead>& reads) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& r : reads) a.push_back({{"name", r.name}, {"value", r.value}, {"source", r.source}});
    return a;
  };
  nlohmann::ordered_json defs = nlohmann::ordered_json::array();
  for (const auto& d : e.definitions) {
    nlohmann::ordered_json dj{{"name", d.name}, {"value", d.value}, {"cite", d.cite}};
    if (d.is_decision) {
      nlohmann::ordered_json rules = nlohmann::ordered_json::array();
      for (const auto& r : d.rules) {
        nlohmann::ordered_json rj{{"rule", r.id}, {"title", r.title}, {"cite", r.cite}, {"condition", r.condition},
                          {"fired", r.fired}};
        if (!r.parts.empty()) {
          nlohmann::ordered_json parts = nlohmann::ordered_json::array();
          for (const auto& part : r.parts) parts.push_back({{"text", part.text}, {"value", part.value}});
          rj["parts"] = parts;
        }
        rj["reads"] = reads_json(r.reads);
        rules.push_back(rj);
      }
      dj["rules"] = rules;
    } else {
      dj["expression"] = d.expression;
      dj["reads"] = reads_json(d.reads);
    }
    defs.push_back(dj);
  }
  j["reasoning"] = defs;
  if (!e.fault.empty()) j["fault"] = e.fault;
  return j;
}

}  // namespace catengine::engine
