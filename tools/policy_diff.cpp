// Evaluates both versions with the compiled evaluator, compares outputs as they would be
// written (so a type change that writes the same text is no change), and reads which rule decided
// each changed value from the school's explanation (report/explanation), only for schools that
// moved.
#include "tools/policy_diff.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "data/binder.hpp"
#include "eval/evaluator.hpp"
#include "report/explanation.hpp"
#include "report/result_writers.hpp"
#include "report/value_format.hpp"
#include "tools/policy_tests.hpp"

namespace catengine::engine {

namespace {

// One version, evaluated.
struct Side {
  const CompiledPolicy* compiled = nullptr;
  DataSet data;
  Results results;
  std::vector<std::string> cells;  // records × outputs, formatted

  const std::vector<lang::OutputColumnInfo>& outputs() const { return compiled->policy.outputs; }
  std::optional<std::size_t> column(const std::string& name) const {
    for (std::size_t c = 0; c < outputs().size(); ++c) {
      if (outputs()[c].name == name) return c;
    }
    return std::nullopt;
  }
  const std::string& cell(std::size_t r, std::size_t c) const {
    return cells[r * outputs().size() + c];
  }
};

bool evaluate_side(Side& side, const DiffRequest& req, const std::string& label, Value as_of,
                   std::vector<std::string>& errors) {
  BindResult bound = req.bind(side.compiled->schema);
  for (const auto& e : bound.errors)
    errors.push_back(fmt::format("{} (reading it for `{}`)", to_string(e), label));
  if (!bound.errors.empty()) return false;
  side.data = std::move(bound.data);
  side.results = evaluate(side.compiled->program, side.data, {as_of, 0});
  const auto& defs = side.compiled->policy.definitions;
  for (const auto& e : side.results.errors) {
    const std::string what = e.definition < defs.size()
                                 ? fmt::format("`{}`", defs[e.definition].name)
                                 : std::string("an output column");
    errors.push_back(fmt::format("{}:{}:-: `{}` could not work out {}: {}", req.data_path, e.row,
                                 label, what,
                                 describe(side.compiled->policy, e.definition, e.fault, e.detail)));
  }
  if (!side.results.errors.empty()) return false;
  ValueFormatter format(side.compiled->policy, side.data.text);
  const auto& outs = side.outputs();
  side.cells.reserve(side.data.size() * outs.size());
  for (std::size_t r = 0; r < side.data.size(); ++r) {
    for (std::size_t c = 0; c < outs.size(); ++c)
      side.cells.push_back(format.format(side.results.row(r)[c], outs[c].type));
  }
  return true;
}

// The rule that decided `column`'s value, read from the record's explanation.
std::optional<DecidingRule> deciding_rule(const CompiledPolicy& compiled,
                                          const RecordExplanation& e,
                                          const lang::OutputColumnInfo& column) {
  const auto& p = compiled.policy;
  const auto def = output_definition(p, column.value);
  if (!def || !p.definitions[*def].is_decision) return std::nullopt;
  DecidingRule out;
  out.decision = p.definitions[*def].name;
  const auto d = std::ranges::find(e.definitions, out.decision, &DefinitionExplanation::name);
  if (d == e.definitions.end()) return out;
  const auto fired = std::ranges::find(d->rules, true, &RuleOutcome::fired);
  if (fired != d->rules.end()) {
    out.id = fired->id;
    out.title = fired->title;
    out.cite = fired->cite;
  }
  return out;
}

std::string shown(const std::string& v) {
  return v.empty() ? "(missing)" : v;
}

std::string rule_text(const std::optional<DecidingRule>& r) {
  if (!r) return "";
  if (r->id.empty()) return "no rule fired";
  std::string out = fmt::format("{} \"{}\"", r->id, r->title);
  if (!r->cite.empty()) out += fmt::format(" [{}]", r->cite);
  return out;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

// Each decision whose rule is shown once per school, in the order its columns changed.
std::vector<const CellDiff*> decisions_of(const SchoolDiff& s) {
  std::vector<const CellDiff*> out;
  std::vector<std::string> seen;
  for (const auto& c : s.cells) {
    if (!c.old_rule && !c.new_rule) continue;
    const std::string name = c.new_rule ? c.new_rule->decision : c.old_rule->decision;
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
    seen.push_back(name);
    out.push_back(&c);
  }
  return out;
}

nlohmann::ordered_json rule_json(const std::optional<DecidingRule>& r) {
  if (!r) return nullptr;
  nlohmann::ordered_json j;
  j["decision"] = r->decision;
  j["rule"] = r->id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r->id);
  j["title"] = r->title;
  j["cite"] = r->cite;
  return j;
}

std::string header_line(const PolicyDiff& d) {
  return fmt::format("`{}` -> `{}` on `{}` ({}), as of {}", d.old_label, d.new_label, d.data_path,
                     plural(d.records, "record", "records"), d.as_of);
}

}  // namespace

std::optional<PolicyDiff> diff_policies(const DiffRequest& req, std::vector<std::string>& errors) {
  Side old_side{req.old_policy, {}, {}, {}}, new_side{req.new_policy, {}, {}, {}};
  const bool ok_old = evaluate_side(old_side, req, req.old_label, req.as_of, errors);
  const bool ok_new = evaluate_side(new_side, req, req.new_label, req.as_of, errors);
  if (!ok_old || !ok_new) return std::nullopt;
  if (old_side.data.size() != new_side.data.size()) {
    errors.push_back(fmt::format("`{}` gave {} records for the old policy but {} for the new one",
                                 req.data_path, old_side.data.size(), new_side.data.size()));
    return std::nullopt;
  }

  PolicyDiff d;
  d.old_label = req.old_label;
  d.new_label = req.new_label;
  d.data_path = req.data_path;
  d.as_of = format_iso(req.as_of);
  d.records = new_side.data.size();
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (old column, new column)
  for (std::size_t c = 0; c < new_side.outputs().size(); ++c) {
    const auto& name = new_side.outputs()[c].name;
    if (auto o = old_side.column(name)) {
      d.columns.push_back(name);
      pairs.emplace_back(*o, c);
    } else {
      d.only_new.push_back(name);
    }
  }
  for (const auto& o : old_side.outputs()) {
    if (!new_side.column(o.name)) d.only_old.push_back(o.name);
  }

  // Keys and names from the new version's record.
  const auto& newp = new_side.compiled->policy;
  const std::optional<std::size_t> key_field = newp.record.key_field();
  d.key_column = key_field ? newp.record.fields[*key_field].name : "row";
  ValueFormatter new_format(newp, new_side.data.text);
  const auto name_column = new_side.column("name");

  for (std::size_t r = 0; r < d.records; ++r) {
    SchoolDiff s;
    // Explained only for a school whose outputs moved, and then once per version.
    std::optional<RecordExplanation> old_ex, new_ex;
    for (const auto& [oc, nc] : pairs) {
      const std::string& a = old_side.cell(r, oc);
      const std::string& b = new_side.cell(r, nc);
      if (a == b) continue;
      if (!old_ex) {
        old_ex = explain_record(*old_side.compiled, old_side.data, r, req.as_of);
        new_ex = explain_record(*new_side.compiled, new_side.data, r, req.as_of);
      }
      s.cells.push_back({new_side.outputs()[nc].name, a, b,
                         deciding_rule(*old_side.compiled, *old_ex, old_side.outputs()[oc]),
                         deciding_rule(*new_side.compiled, *new_ex, new_side.outputs()[nc])});
    }
    if (s.cells.empty()) continue;
    s.record = r;
    s.row = new_side.data.source_row[r];
    s.key = key_field ? new_format.format(new_side.data.at(r, *key_field),
                                          newp.record.fields[*key_field].type)
                      : std::to_string(s.row);
    if (name_column) s.name = new_side.cell(r, *name_column);
    d.schools.push_back(std::move(s));
  }

  // The matrix: the `category` column, else the first compared column a decision gives.
  std::optional<std::pair<std::size_t, std::size_t>> chosen;
  for (const auto& pr : pairs) {
    if (new_side.outputs()[pr.second].name == "category") chosen = pr;
  }
  for (std::size_t i = 0; !chosen && i < pairs.size(); ++i) {
    const auto def = output_definition(newp, new_side.outputs()[pairs[i].second].value);
    if (def && newp.definitions[*def].is_decision) chosen = pairs[i];
  }
  if (chosen) {
    CategoryMatrix& m = d.matrix;
    const auto& column = new_side.outputs()[chosen->second];
    m.column = column.name;
    if (column.type.base == lang::BaseType::Enum) {
      for (const auto& member : newp.enums.at(column.type.enum_id).members)
        m.labels.push_back(member.key);
    }
    auto index = [&](const std::string& v) {
      const std::string label = shown(v);
      auto it = std::find(m.labels.begin(), m.labels.end(), label);
      if (it != m.labels.end()) return static_cast<std::size_t>(it - m.labels.begin());
      m.labels.push_back(label);
      return m.labels.size() - 1;
    };
    std::vector<std::pair<std::size_t, std::size_t>> moves;
    for (std::size_t r = 0; r < d.records; ++r) {
      moves.emplace_back(index(old_side.cell(r, chosen->first)),
                         index(new_side.cell(r, chosen->second)));
    }
    m.counts.assign(m.labels.size(), std::vector<std::size_t>(m.labels.size(), 0));
    for (const auto& [from, to] : moves) ++m.counts[from][to];
  }
  return d;
}

std::string render_diff_text(const PolicyDiff& d) {
  std::string out;
  auto w = [&]<typename... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  w("{}\n", header_line(d));
  if (!d.only_old.empty())
    w("columns only in the old policy: `{}`\n", fmt::join(d.only_old, "`, `"));
  if (!d.only_new.empty())
    w("columns only in the new policy: `{}`\n", fmt::join(d.only_new, "`, `"));
  w("{} of {} changed\n", d.schools.size(), plural(d.records, "school", "schools"));
  const auto& m = d.matrix;
  if (!m.column.empty()) {
    std::size_t width = 3;
    for (const auto& l : m.labels) width = std::max(width, l.size());
    for (const auto& row : m.counts) {
      for (auto n : row) width = std::max(width, std::to_string(n).size());
    }
    w("\n`{}`: old (rows) -> new (columns)\n{:>{}}", m.column, "", width + 2);
    for (const auto& l : m.labels) w("  {:>{}}", l, width);
    w("\n");
    for (std::size_t i = 0; i < m.labels.size(); ++i) {
      w("  {:>{}}", m.labels[i], width);
      for (auto n : m.counts[i])
        w("  {:>{}}", n == 0 ? std::string(".") : std::to_string(n), width);
      w("\n");
    }
  }
  for (const auto& s : d.schools) {
    w("\n{} {}{} (row {})\n", d.key_column, s.key, s.name.empty() ? "" : ", " + s.name, s.row);
    for (const auto& c : s.cells)
      w("  {}: {} -> {}\n", c.column, shown(c.old_value), shown(c.new_value));
    for (const CellDiff* c : decisions_of(s)) {
      const std::string name = c->new_rule ? c->new_rule->decision : c->old_rule->decision;
      w("  `{}` decided by\n    old: {}\n    new: {}\n", name,
        c->old_rule ? rule_text(c->old_rule) : "(not a decision)",
        c->new_rule ? rule_text(c->new_rule) : "(not a decision)");
    }
  }
  return out;
}

std::string render_diff_csv(const PolicyDiff& d) {
  std::string out;
  auto row = [&](const std::vector<std::string>& cells) { append_csv_row(out, cells); };
  row({d.key_column, "name", "column", "old", "new", "old_rule", "old_title", "old_cite",
       "new_rule", "new_title", "new_cite"});
  for (const auto& s : d.schools) {
    for (const auto& c : s.cells) {
      auto part = [](const std::optional<DecidingRule>& r) {
        return r ? std::vector<std::string>{r->id, r->title, r->cite}
                 : std::vector<std::string>{"", "", ""};
      };
      std::vector<std::string> cells{s.key, s.name, c.column, c.old_value, c.new_value};
      for (auto& x : part(c.old_rule)) cells.push_back(std::move(x));
      for (auto& x : part(c.new_rule)) cells.push_back(std::move(x));
      row(cells);
    }
  }
  return out;
}

std::string render_diff_json(const PolicyDiff& d) {
  nlohmann::ordered_json j;
  j["old"] = d.old_label;
  j["new"] = d.new_label;
  j["data"] = d.data_path;
  j["as_of"] = d.as_of;
  j["records"] = d.records;
  j["changed"] = d.schools.size();
  j["columns_only_in_old"] = d.only_old;
  j["columns_only_in_new"] = d.only_new;
  if (d.matrix.column.empty()) {
    j["matrix"] = nullptr;
  } else {
    nlohmann::ordered_json m;
    m["column"] = d.matrix.column;
    m["labels"] = d.matrix.labels;
    m["counts"] = d.matrix.counts;  // [old][new]
    j["matrix"] = m;
  }
  nlohmann::ordered_json schools = nlohmann::ordered_json::array();
  for (const auto& s : d.schools) {
    nlohmann::ordered_json o;
    o[d.key_column] = s.key;
    o["name"] = s.name;
    o["row"] = s.row;
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const auto& c : s.cells) {
      nlohmann::ordered_json x;
      x["column"] = c.column;
      x["old"] = c.old_value.empty() ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json(c.old_value);
      x["new"] = c.new_value.empty() ? nlohmann::ordered_json(nullptr)
                                     : nlohmann::ordered_json(c.new_value);
      x["old_rule"] = rule_json(c.old_rule);
      x["new_rule"] = rule_json(c.new_rule);
      changes.push_back(std::move(x));
    }
    o["changes"] = std::move(changes);
    schools.push_back(std::move(o));
  }
  j["schools"] = std::move(schools);
  return j.dump(2) + "\n";
}

std::string render_diff_markdown(const PolicyDiff& d) {
  std::string out;
  auto w = [&]<typename... A>(fmt::format_string<A...> f, A&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<A>(args)...);
  };
  w("## catengine diff: {} of {} change\n\n", d.schools.size(),
    plural(d.records, "school", "schools"));
  w("Old policy `{}`, new policy `{}`, records `{}`, as of {}.\n", markdown_cell(d.old_label),
    markdown_cell(d.new_label), markdown_cell(d.data_path), d.as_of);
  if (!d.only_old.empty())
    w("\nColumns only in the old policy: `{}`.\n", fmt::join(d.only_old, "`, `"));
  if (!d.only_new.empty())
    w("\nColumns only in the new policy: `{}`.\n", fmt::join(d.only_new, "`, `"));
  const auto& m = d.matrix;
  if (!m.column.empty()) {
    w("\n### `{}` movements (rows: old, columns: new)\n\n| old \\ new |", m.column);
    for (const auto& l : m.labels) w(" {} |", markdown_cell(l));
    w("\n|---|");
    for (std::size_t i = 0; i < m.labels.size(); ++i) w("---:|");
    w("\n");
    for (std::size_t i = 0; i < m.labels.size(); ++i) {
      w("| **{}** |", markdown_cell(m.labels[i]));
      for (std::size_t k = 0; k < m.counts[i].size(); ++k) {
        const auto n = m.counts[i][k];
        // Off the diagonal a count is a movement: bold, so it stands out in the review.
        if (n == 0) {
          w(" · |");
        } else if (i == k) {
          w(" {} |", n);
        } else {
          w(" **{}** |", n);
        }
      }
      w("\n");
    }
  }
  if (d.schools.empty()) {
    w("\nNo school's outputs change.\n");
    return out;
  }
  w("\n### Changed schools\n\n| {} | name | column | old | new | decided by (old) | decided by "
    "(new) |\n"
    "|---|---|---|---|---|---|---|\n",
    markdown_cell(d.key_column));
  for (const auto& s : d.schools) {
    bool first = true;
    for (const auto& c : s.cells) {
      w("| {} | {} | {} | {} | {} | {} | {} |\n", first ? markdown_cell(s.key) : "",
        first ? markdown_cell(s.name) : "", markdown_cell(c.column),
        markdown_cell(shown(c.old_value)), markdown_cell(shown(c.new_value)),
        markdown_cell(rule_text(c.old_rule)), markdown_cell(rule_text(c.new_rule)));
      first = false;
    }
  }
  return out;
}

}  // namespace catengine::engine
