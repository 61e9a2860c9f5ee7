// Builds and renders record explanations. Conditions are quoted from the policy source, so an
// adviser sees the rule as the policy officer wrote it.
#include "report/explanation.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "eval/cadence_interval.hpp"
#include "eval/evaluator.hpp"
#include "eval/reference_evaluator.hpp"
#include "lang/check/builtins.hpp"
#include "lang/check/chains.hpp"
#include "report/text_table.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

using lang::ExprKind;
using lang::ExprRef;
using Kind = lang::Resolution::Kind;

namespace {

JsonScalar scalar(const nlohmann::ordered_json& j) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_float()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  return nullptr;
}

nlohmann::ordered_json to_json(const JsonScalar& v) {
  return std::visit([](const auto& x) { return nlohmann::ordered_json(x); }, v);
}

class Explainer {
 public:
  Explainer(const CompiledPolicy& c, DataSet& data, Value as_of)
      : c_(c),
        p_(c.policy),
        eval_(p_, c.program.calendars, data.text, as_of, c.program.term_calendars),
        format_(p_, data.text) {}

  RecordExplanation run(const DataSet& data, std::size_t record) {
    RecordExplanation out;
    out.row = data.source_row[record];
    fields_ = data.row(record);  // kept: the evaluator reads it from here
    eval_.reset(fields_.data());
    for (const auto& col : p_.outputs) {
      const Value v = eval_.eval(col.value);
      out.outputs.emplace_back(col.name, format_.format(v, col.type));
      out.output_json.push_back(scalar(format_.json(v, col.type)));
    }
    using K = lang::DefinitionInfo::Kind;
    for (std::uint32_t i = 0; i < p_.definitions.size(); ++i) {
      const auto kind = p_.definitions[i].kind;
      if (kind == K::NoticeIssued) {
        out.definitions.push_back(notice(p_.notices[p_.definitions[i].owner]));
      } else if (kind == K::CadenceNext) {
        out.definitions.push_back(cadence(p_.cadences[p_.definitions[i].owner]));
      } else if (kind == K::Define || kind == K::Decision) {
        out.definitions.push_back(definition(i));
      }
    }
    if (eval_.fault() != EvalFault::None)
      out.fault = describe(p_, eval_.fault_definition(), eval_.fault(), eval_.fault_detail());
    // After the fault is taken: a warning's condition that cannot be worked out is said on
    // standard error (run_warnings.hpp) and changes neither the results nor the exit status.
    out.policy_warns = !p_.warnings.empty();
    for (const auto& w : p_.warnings) {
      // Missing counts as no, as it does when the run prints its warnings.
      if (eval_.eval(w.condition) != 1) continue;
      WarningExplanation we{w.name, w.message, cite(w.cite), text(w.condition), {}};
      collect_reads(w.condition, we.reads);
      out.warnings.push_back(std::move(we));
    }
    return out;
  }

 private:
  std::string text(ExprRef e) const { return span_text(c_.sources, p_.expr(e).span); }

  std::string cite(const std::optional<lang::Citation>& c) const {
    return c ? c->text : std::string{};
  }

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
      // Say when the missing-data clause gave the value, so the reader does not have to find
      // the missing figure among the values read.
      const auto& body = p_.expr(def.body);
      if (body.kind == ExprKind::IfMissing &&
          eval_.eval({def.body.module, body.args[0]}) == kMissing) {
        out.missing_clause =
            body.missing_clause
                ? fmt::format("or {} if any figure is missing",
                              text({def.body.module, body.args[1]}))
                : fmt::format("if missing {}", text({def.body.module, body.args[1]}));
      }
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
        if (parts.size() == 1) list_items(rule.condition, parts);
        if (parts.size() > 1) {
          // An `and` chain is read up to a test for missing that gives no (chains.hpp): the
          // parts after it were not needed, and are not worked out here either.
          const bool chain =
              lang::stops_early(p_.modules[rule.condition.module], rule.condition.expr);
          bool stopped = false;
          for (auto part : parts) {
            if (stopped) {
              r.parts.push_back({text(part), "not needed"});
              continue;
            }
            const Value v = eval_.eval(part);
            r.parts.push_back({text(part), truth(v)});
            stopped = chain && v == 0 &&
                      lang::stops_chain(p_.modules[part.module], part.expr, lang::Op::And);
          }
        }
        collect_reads(rule.condition, r.reads);
      }
      if (r.fired) collect_reads(rule.value, r.reads);
      out.rules.push_back(std::move(r));
      if (fired && *fired == k) break;
    }
    return out;
  }

  bool present(ExprRef e) const { return e.expr != lang::kNoExpr; }

  std::string cited(std::string text, const std::optional<lang::Citation>& c) const {
    return c ? fmt::format("{}   [{}]", text, c->text) : text;
  }

  DefinitionExplanation notice(const lang::NoticeInfo& n) {
    DefinitionExplanation out;
    out.name = n.name;
    out.cite = cite(n.cite);
    const bool issued = eval_.definition(n.issued_def) == 1;
    out.value = issued ? "yes" : "no";
    out.is_notice = true;
    out.notice.title = n.title;
    out.notice.issued = issued;
    for (const auto& step : n.escalation)
      out.notice.escalation.push_back({step.text, cite(step.cite)});
    out.details.emplace_back("notice", n.title);
    if (present(n.applies_to)) {
      out.details.emplace_back("applies to", fmt::format("{} -> {}", text(n.applies_to),
                                                         truth(eval_.eval(n.applies_to))));
    }
    for (std::size_t g = 0; g < n.grounds.size(); ++g) {
      const auto& ground = n.grounds[g];
      const bool holds = eval_.definition(n.ground_defs[g]) == 1;
      GroundExplanation ge{
          ground.id, ground.wording, cite(ground.cite), text(ground.condition), holds, {}};
      collect_reads(ground.condition, ge.reads);
      out.notice.grounds.push_back(std::move(ge));
      out.details.emplace_back(
          fmt::format("ground {}", ground.id),
          cited(fmt::format("\"{}\": {} -> {}", ground.wording, text(ground.condition),
                            holds ? "holds" : "does not hold"),
                ground.cite));
    }
    if (present(n.issued_when)) {
      out.details.emplace_back("issued when", fmt::format("{} -> {}", text(n.issued_when),
                                                          truth(eval_.eval(n.issued_when))));
    } else {
      out.details.emplace_back("issued when", "any ground holds");
    }
    if (present(n.unless)) {
      out.details.emplace_back(
          "unless", fmt::format("{} -> {}", text(n.unless), truth(eval_.eval(n.unless))));
    }
    if (!issued) return out;
    if (const auto* a = eval_.choose(n.addressees)) {
      out.notice.addressed_to = std::string(format_.format(eval_.eval(a->value), lang::kText));
      out.details.emplace_back("addressed to", out.notice.addressed_to);
    }
    for (const auto& c : n.copies) {
      if (!present(c.condition) || eval_.eval(c.condition) == 1) {
        out.notice.copies.emplace_back(format_.format(eval_.eval(c.value), lang::kText));
        out.details.emplace_back("copy to", out.notice.copies.back());
      }
    }
    if (n.respond_by_term_end) {
      out.details.emplace_back("respond by",
                               fmt::format("{} (the end of next term, {})",
                                           format_.format(eval_.definition(n.due_def), lang::kDate),
                                           p_.term_calendars.at(n.term_calendar).title));
    }
    if (present(n.respond_within)) {
      const Value due = eval_.definition(n.due_def);
      out.notice.due = std::string(format_.format(due, lang::kDate));
      out.notice.respond_days =
          std::string(format_.format(eval_.eval(n.respond_within), lang::kInteger));
      out.notice.calendar = p_.calendars.at(n.calendar).title;
      out.details.emplace_back(
          "respond by", fmt::format("{} ({} working days after the as-of date, {})",
                                    format_.format(due, lang::kDate),
                                    format_.format(eval_.eval(n.respond_within), lang::kInteger),
                                    p_.calendars.at(n.calendar).title));
    }
    for (std::size_t k = 0; k < n.escalation.size(); ++k) {
      out.details.emplace_back(fmt::format("escalation {}", k + 1),
                               cited(n.escalation[k].text, n.escalation[k].cite));
    }
    return out;
  }

  DefinitionExplanation cadence(const lang::CadenceInfo& c) {
    DefinitionExplanation out;
    out.name = c.name;
    out.cite = cite(c.cite);
    const Value next = eval_.definition(c.next_def);
    out.value = next == kMissing ? "not due" : format_.format(next, lang::kDate);
    out.details.emplace_back("cadence", c.title);
    if (present(c.applies_to)) {
      const Value applies = eval_.eval(c.applies_to);
      out.details.emplace_back("applies to",
                               fmt::format("{} -> {}", text(c.applies_to), truth(applies)));
      if (applies != 1) return out;
    }
    if (c.dates_param) {
      out.details.emplace_back("on dates of", p_.parameters[*c.dates_param].name);
    } else {
      const Value from = eval_.eval(c.from);
      out.details.emplace_back(
          "from", fmt::format("{} = {}", text(c.from), format_.describe(from, lang::kDate)));
      if (from == kMissing) {
        out.details.emplace_back(
            "never done",
            fmt::format("due on {}", present(c.if_never) ? text(c.if_never) : "as_of"));
      } else {
        if (const auto chosen = chosen_interval(eval_, c)) {
          const auto& iv = c.intervals[*chosen];
          const char* unit = iv.unit == lang::IntervalUnit::Days    ? "days"
                             : iv.unit == lang::IntervalUnit::Weeks ? "weeks"
                                                                    : "months";
          const bool terms =
              iv.unit == lang::IntervalUnit::Terms || iv.unit == lang::IntervalUnit::HalfTerms;
          const std::string every =
              terms ? fmt::format("every {}, due by the end of the next one ({})",
                                  iv.unit == lang::IntervalUnit::Terms ? "term" : "half term",
                                  p_.term_calendars.at(iv.term_calendar).title)
                    : fmt::format("every {} {}",
                                  format_.format(eval_.eval(iv.count), lang::kInteger), unit);
          out.details.emplace_back(
              "interval",
              fmt::format("{}{}", every,
                          present(iv.condition) ? ", because " + text(iv.condition) : ""));
        }
      }
    }
    for (const auto& cap : c.no_later_than) {
      if (present(cap.condition) && eval_.eval(cap.condition) != 1) continue;
      out.details.emplace_back("no later than",
                               fmt::format("{} = {}", text(cap.value),
                                           format_.format(eval_.eval(cap.value), lang::kDate)));
    }
    if (const auto* a = eval_.choose(c.lasting)) {
      out.details.emplace_back("lasting",
                               format_.duration(eval_.eval(a->value), c.lasting_type, a->unit));
    }
    if (const auto* a = eval_.choose(c.reviewers)) {
      out.details.emplace_back("reviewers", format_.format(eval_.eval(a->value), c.reviewers_type));
    }
    out.details.emplace_back("overdue", truth(eval_.definition(c.overdue_def)));
    return out;
  }

  // `any of [...]` or `all of [...]` as a whole condition: its conditions, to show which held.
  void list_items(ExprRef e, std::vector<ExprRef>& out) const {
    const auto& x = p_.expr(e);
    const auto& r = p_.resolution(e);
    if (r.kind != Kind::Builtin || x.args.size() != 1) return;
    const auto b = static_cast<lang::Builtin>(r.index);
    if (b != lang::Builtin::Any && b != lang::Builtin::All) return;
    const auto& list = p_.expr({e.module, x.args[0]});
    if (list.kind != ExprKind::List) return;
    out.clear();
    for (auto item : list.args) out.push_back({e.module, item});
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
      // With named sources, the file too: "ofsted column Leadership and governance". A
      // `previous` value comes from the previous saved run (named in the explanation's head).
      const auto& sources = p_.record.sources;
      std::string where = !f.previous_of.empty() ? std::string("the previous run")
                          : sources.empty() || f.key
                              ? "column " + f.column
                              : sources[f.source].name + " column " + f.column;
      add({f.name, format_.describe(eval_.eval(e), f.type), std::move(where)});
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
      if (where.empty()) where = "parameter " + param.name;
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
    // An `and`/`or` chain with a test for missing in it: the parts up to the one that decided
    // it, as evaluation read them (chains.hpp).
    if (lang::stops_early(p_.modules[e.module], e.expr)) {
      const auto& module = p_.modules[e.module];
      std::vector<lang::ExprId> parts;
      lang::chain_parts(module, e.expr, x.op, parts);
      const Value decides = x.op == lang::Op::And ? 0 : 1;
      for (const lang::ExprId part : parts) {
        collect_reads({e.module, part}, out);
        if (lang::stops_chain(module, part, x.op) && eval_.eval({e.module, part}) == decides)
          return;
      }
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
  std::vector<Value> fields_;  // the record eval_ reads
  ValueFormatter format_;
};

template <typename... A>
void put(std::string& out, fmt::format_string<A...> f, A&&... args) {
  fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
}

void render_reads(std::string& out, const std::vector<ValueRead>& reads, std::size_t indent) {
  for (const auto& r : reads)
    put(out, "{:{}}{} = {}   [{}]\n", "", indent, r.name, r.value, r.source);
}

nlohmann::ordered_json reads_json(const std::vector<ValueRead>& reads) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& r : reads)
    a.push_back({{"name", r.name}, {"value", r.value}, {"source", r.source}});
  return a;
}

nlohmann::ordered_json details_json(const DefinitionExplanation& d) {
  nlohmann::ordered_json details = nlohmann::ordered_json::array();
  for (const auto& [label, text] : d.details) details.push_back({{"label", label}, {"text", text}});
  return details;
}

}  // namespace

RecordExplanation explain_record(const CompiledPolicy& compiled, DataSet& data, std::size_t record,
                                 Value as_of) {
  Explainer ex(compiled, data, as_of);
  return ex.run(data, record);
}

void render_definition(std::string& out, const DefinitionExplanation& d, ExplanationLayout layout) {
  const bool explain = layout == ExplanationLayout::Explain;
  // Explain separates definitions with a blank line; a test failure indents them under the case.
  const std::size_t at = explain ? 2 : 6;       // the lines under `name = value`
  const std::size_t rule_at = explain ? 4 : 6;  // the fired rule's condition (and cite)
  if (explain) {
    put(out, "\n{} = {}\n", d.name, d.value);
    if (!d.cite.empty()) put(out, "{:{}}cite: {}\n", "", at, d.cite);
  } else {
    put(out, "    {} = {}\n", d.name, d.value);
  }
  if (!d.details.empty()) {
    for (const auto& [label, text] : d.details) put(out, "{:{}}{}: {}\n", "", at, label, text);
    return;
  }
  if (!d.is_decision) {
    put(out, "{:{}}because: {}\n", "", at, d.expression);
    render_reads(out, d.reads, at + 2);
    if (!d.missing_clause.empty()) {
      std::string missing;
      for (const auto& r : d.reads) {
        if (r.value != "missing") continue;
        missing += (missing.empty() ? "`" : ", `") + r.name + "`";
      }
      put(out, "{:{}}{} is missing, so: {}\n", "", at + 2, missing.empty() ? "a figure" : missing,
          d.missing_clause);
    }
    return;
  }
  for (const auto& r : d.rules) {
    if (!r.fired) continue;
    const bool inline_cite = !explain && !r.cite.empty();
    put(out, "{:{}}decided by rule {} \"{}\"{}\n", "", at, r.id, r.title,
        inline_cite ? fmt::format(" [{}]", r.cite) : "");
    if (explain && !r.cite.empty()) put(out, "{:{}}cite: {}\n", "", rule_at, r.cite);
    put(out, "{:{}}{}: {}\n", "", rule_at, r.condition == "otherwise" ? "applies" : "when",
        r.condition);
    for (const auto& part : r.parts)
      put(out, "{:{}}{} -> {}\n", "", rule_at + 2, part.text, part.value);
    render_reads(out, r.reads, at + 2);
  }
  bool header = false;
  for (const auto& r : d.rules) {
    if (r.fired) continue;
    if (!header) put(out, "{:{}}rules that did not apply:\n", "", at);
    header = true;
    put(out, "{:{}}{} \"{}\": {} -> no\n", "", at + 2, r.id, r.title, r.condition);
    if (!explain) continue;
    for (const auto& part : r.parts) {
      if (part.value != "yes") put(out, "{:{}}{} -> {}\n", "", at + 4, part.text, part.value);
    }
  }
}

std::string render_explanation(const RecordExplanation& e, const CompiledPolicy& compiled) {
  std::string out;
  const auto& p = compiled.policy;
  put(out, "{}\n", p.title);
  if (p.cite) put(out, "  cite: {}\n", p.cite->text);
  put(out, "\nResults\n");
  // Values line up after the longest name (at least 16 characters, as the shipped policies'
  // names fit).
  std::size_t width = 16;
  for (const auto& [name, value] : e.outputs) width = std::max(width, display_width(name));
  for (const auto& [name, value] : e.outputs)
    put(out, "  {}{:{}} {}\n", name, "", width - display_width(name),
        value.empty() ? "(empty)" : value);
  if (!e.fault.empty()) put(out, "\nThis record could not be evaluated: {}\n", e.fault);
  if (!e.warnings.empty()) put(out, "\nWarnings\n");
  for (const auto& w : e.warnings) {
    put(out, "  [{}] {}\n", w.name, w.message);
    if (!w.cite.empty()) put(out, "    cite: {}\n", w.cite);
    put(out, "    when: {}\n", w.condition);
    render_reads(out, w.reads, 6);
  }
  put(out, "\nReasoning, in the order the policy gives it\n");
  for (const auto& d : e.definitions) render_definition(out, d, ExplanationLayout::Explain);
  return out;
}

nlohmann::ordered_json explanation_json(const RecordExplanation& e, ExplanationScope scope) {
  const bool whole = scope == ExplanationScope::Whole;
  nlohmann::ordered_json j;
  j["row"] = e.row;
  nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < e.outputs.size(); ++i)
    outputs[e.outputs[i].first] = to_json(e.output_json[i]);
  j["outputs"] = outputs;
  nlohmann::ordered_json defs = nlohmann::ordered_json::array();
  for (const auto& d : e.definitions) {
    if (!whole && !d.is_decision && d.details.empty()) continue;  // a `define`
    nlohmann::ordered_json dj{{"name", d.name}, {"value", d.value}, {"cite", d.cite}};
    if (!d.details.empty()) {
      dj["details"] = details_json(d);
    } else if (d.is_decision) {
      nlohmann::ordered_json rules = nlohmann::ordered_json::array();
      for (const auto& r : d.rules) {
        nlohmann::ordered_json rj{{"rule", r.id},
                                  {"title", r.title},
                                  {"cite", r.cite},
                                  {"condition", r.condition},
                                  {"fired", r.fired}};
        if (!whole && !r.fired) {
          rules.push_back(rj);
          continue;
        }
        if (!r.parts.empty()) {
          nlohmann::ordered_json parts = nlohmann::ordered_json::array();
          for (const auto& part : r.parts)
            parts.push_back({{"text", part.text}, {"value", part.value}});
          rj["parts"] = parts;
        }
        rj["reads"] = reads_json(r.reads);
        rules.push_back(rj);
      }
      dj["rules"] = rules;
    } else {
      dj["expression"] = d.expression;
      dj["reads"] = reads_json(d.reads);
      // Only when the clause gave the value, so that other explanations keep their shape.
      if (!d.missing_clause.empty()) dj["missing_clause"] = d.missing_clause;
    }
    defs.push_back(dj);
  }
  j["reasoning"] = defs;
  if (e.policy_warns) {
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
    for (const auto& w : e.warnings) {
      warnings.push_back({{"name", w.name},
                          {"message", w.message},
                          {"cite", w.cite},
                          {"condition", w.condition},
                          {"reads", reads_json(w.reads)}});
    }
    j["warnings"] = warnings;
  }
  if (!e.fault.empty()) j["fault"] = e.fault;
  return j;
}

}  // namespace catengine::engine
