// `catengine history FILE`: lists the runs of a history store with the schools per level, or
// one school's values term by term (`--school`); as a table, CSV or JSON.
#include "cli/history_command.hpp"

#include "cli/history_steps.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/verb_steps.hpp"
#include "history/history_store.hpp"
#include "report/result_writers.hpp"
#include "report/text_table.hpp"

namespace catengine::engine {

namespace {

struct Listed {
  RunSummary run;
  std::vector<std::pair<std::string, std::int64_t>> counts;
  std::vector<SourceProvenance> sources;
};

// The values counted over `runs`, for column heads: the latest run's order (its declared
// members first), then any value only earlier runs had, in the order first seen.
std::vector<std::string> count_heads(const std::vector<const Listed*>& runs) {
  std::vector<std::string> heads;
  const auto add = [&](const Listed* l) {
    for (const auto& [value, n] : l->counts) {
      if (std::find(heads.begin(), heads.end(), value) == heads.end()) heads.push_back(value);
    }
  };
  if (!runs.empty()) add(runs.back());
  for (const Listed* l : runs) add(l);
  return heads;
}

std::int64_t count_of(const Listed& l, const std::string& value) {
  for (const auto& [v, n] : l.counts) {
    if (v == value) return n;
  }
  return 0;
}

std::string head_name(const std::string& value) {
  return value.empty() ? "(missing)" : value;
}

int list_runs(const HistoryOptions& options, HistoryStore& store, const Console& console) {
  std::string error;
  auto all = store.runs(true, error);
  if (!all) {
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  std::vector<Listed> listed;
  std::size_t replaced = 0;
  for (RunSummary& r : *all) {
    if (options.policy && r.policy_name != *options.policy) continue;
    if (!r.replaced_at.empty()) ++replaced;
    if (!r.replaced_at.empty() && !options.audit) continue;
    Listed l{std::move(r), {}, {}};
    auto counts = store.value_counts(l.run.id, options.count_by, error);
    auto sources = counts ? store.run_sources(l.run.id, error) : std::nullopt;
    if (!sources) {
      print(console.err, fmt::format("error: {}\n", error));
      return kExitInputError;
    }
    l.counts = std::move(*counts);
    l.sources = std::move(*sources);
    listed.push_back(std::move(l));
  }
  // One group per policy, runs by as-of date (the store's order).
  std::vector<std::string> policies;
  std::map<std::string, std::vector<const Listed*>> by_policy;
  for (const Listed& l : listed) {
    if (!by_policy.count(l.run.policy_name)) policies.push_back(l.run.policy_name);
    by_policy[l.run.policy_name].push_back(&l);
  }

  if (options.format == "json") {
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (const Listed& l : listed) {
      nlohmann::ordered_json sources = nlohmann::ordered_json::array();
      for (const auto& s : l.sources)
        sources.push_back({{"name", s.name}, {"path", s.path}, {"sha256", s.sha256}});
      nlohmann::ordered_json counts = nlohmann::ordered_json::object();
      for (const auto& [v, n] : l.counts) counts[v] = n;
      runs.push_back({{"run", l.run.id},
                      {"policy", l.run.policy_name},
                      {"policy_sha256", l.run.policy_sha256},
                      {"as_of", l.run.as_of},
                      {"saved_at", l.run.saved_at},
                      {"catengine_version", l.run.catengine_version},
                      {"records", l.run.records},
                      {"sources", std::move(sources)},
                      {"counts", std::move(counts)}});
      if (!l.run.replaced_at.empty()) {
        runs.back()["replaced_at"] = l.run.replaced_at;
        runs.back()["replaced_by"] = l.run.replaced_by;
      }
    }
    nlohmann::ordered_json doc = {{"count_by", options.count_by}, {"runs", std::move(runs)}};
    return print(console.out, doc.dump(2) + "\n") ? kExitOk : kExitOutputError;
  }

  if (options.format == "csv") {
    std::vector<const Listed*> every;
    for (const Listed& l : listed) every.push_back(&l);
    const auto values = count_heads(every);
    std::vector<std::string> heads{"run",           "policy",     "as_of",
                                   "saved_at",      "records",    "catengine_version",
                                   "policy_sha256", "replaced_at"};
    for (const auto& v : values) heads.push_back(options.count_by + "=" + head_name(v));
    std::string out;
    append_csv_row(out, heads);
    for (const Listed& l : listed) {
      std::vector<std::string> row{std::to_string(l.run.id),
                                   l.run.policy_name,
                                   l.run.as_of,
                                   l.run.saved_at,
                                   std::to_string(l.run.records),
                                   l.run.catengine_version,
                                   l.run.policy_sha256,
                                   l.run.replaced_at};
      for (const auto& v : values) row.push_back(std::to_string(count_of(l, v)));
      append_csv_row(out, row);
    }
    return print(console.out, out) ? kExitOk : kExitOutputError;
  }

  std::string out;
  for (const std::string& policy : policies) {
    const auto& runs = by_policy[policy];
    const auto values = count_heads(runs);
    TextTable t;
    t.heads = {"as of", "saved at", "records"};
    if (options.audit) t.heads.push_back("replaced at");
    for (const auto& v : values) t.heads.push_back(head_name(v));
    t.right.assign(t.heads.size(), true);
    t.right[0] = t.right[1] = false;
    if (options.audit) t.right[3] = false;
    for (const Listed* l : runs) {
      std::vector<std::string> row{l->run.as_of, l->run.saved_at, std::to_string(l->run.records)};
      if (options.audit) row.push_back(l->run.replaced_at);
      for (const auto& v : values) row.push_back(std::to_string(count_of(*l, v)));
      t.rows.push_back(std::move(row));
    }
    out += fmt::format("{}{}\n", out.empty() ? "" : "\n", policy);
    if (!values.empty()) out += fmt::format("schools by {}:\n", options.count_by);
    out += render_text_table(t);
  }
  const std::size_t current = listed.size() - (options.audit ? replaced : 0);
  out += fmt::format("{}{} run{} saved", out.empty() ? "" : "\n", current, current == 1 ? "" : "s");
  if (replaced && !options.audit) {
    out += fmt::format("; {} replaced run{} kept in the audit trail (`--audit` lists {})", replaced,
                       replaced == 1 ? "" : "s", replaced == 1 ? "it" : "them");
  } else if (replaced) {
    out += fmt::format(", and {} replaced run{} kept in the audit trail", replaced,
                       replaced == 1 ? "" : "s");
  }
  out += "\n";
  return print(console.out, out) ? kExitOk : kExitOutputError;
}

bool is_override_column(const std::string& name) {
  return name.rfind("override", 0) == 0;
}

int show_school(const HistoryOptions& options, HistoryStore& store, const Console& console) {
  std::string error;
  auto found = store.school(*options.school, error);
  if (!found) {
    print(console.err, fmt::format("error: {}\n", error));
    return kExitInputError;
  }
  std::vector<SchoolTerm> terms;
  for (SchoolTerm& t : *found) {
    if (!options.policy || t.run.policy_name == *options.policy) terms.push_back(std::move(t));
  }
  if (terms.empty()) {
    print(console.err, fmt::format("error: no saved run{} has a school with key `{}`\n",
                                   options.policy ? " of that policy" : "", *options.school));
    return kExitInputError;
  }
  // The columns: as asked, or the counted column, the deciding rule and any override column.
  std::vector<std::string> columns = options.columns;
  const auto has = [&](const std::string& name) {
    return std::any_of(terms.begin(), terms.end(), [&](const SchoolTerm& t) {
      return std::find(t.columns.begin(), t.columns.end(), name) != t.columns.end();
    });
  };
  if (columns.empty()) {
    for (const std::string& name : {options.count_by, std::string("rule")}) {
      if (has(name)) columns.push_back(name);
    }
    for (const SchoolTerm& t : terms) {
      for (const auto& name : t.columns) {
        if (is_override_column(name) &&
            std::find(columns.begin(), columns.end(), name) == columns.end())
          columns.push_back(name);
      }
    }
  } else {
    for (const auto& name : columns) {
      if (!has(name)) {
        print(console.err,
              fmt::format("error: `--columns`: no saved run has a column `{}`\n", name));
        return kExitInputError;
      }
    }
  }
  const auto value_of = [](const SchoolTerm& t, const std::string& name) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    return it == t.columns.end() ? std::string()
                                 : t.values[static_cast<std::size_t>(it - t.columns.begin())];
  };

  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const SchoolTerm& t : terms) {
      nlohmann::ordered_json values = nlohmann::ordered_json::object();
      for (const auto& c : columns) values[c] = value_of(t, c);
      list.push_back({{"run", t.run.id},
                      {"policy", t.run.policy_name},
                      {"as_of", t.run.as_of},
                      {"saved_at", t.run.saved_at},
                      {"values", std::move(values)}});
    }
    nlohmann::ordered_json doc = {{"school", *options.school}, {"terms", std::move(list)}};
    return print(console.out, doc.dump(2) + "\n") ? kExitOk : kExitOutputError;
  }
  if (options.format == "csv") {
    std::vector<std::string> heads{"policy", "as_of", "saved_at"};
    heads.insert(heads.end(), columns.begin(), columns.end());
    std::string out;
    append_csv_row(out, heads);
    for (const SchoolTerm& t : terms) {
      std::vector<std::string> row{t.run.policy_name, t.run.as_of, t.run.saved_at};
      for (const auto& c : columns) row.push_back(value_of(t, c));
      append_csv_row(out, row);
    }
    return print(console.out, out) ? kExitOk : kExitOutputError;
  }
  std::string out;
  for (std::size_t i = 0; i < terms.size();) {
    const std::string& policy = terms[i].run.policy_name;
    TextTable table;
    table.heads = {"as of"};
    table.heads.insert(table.heads.end(), columns.begin(), columns.end());
    for (; i < terms.size() && terms[i].run.policy_name == policy; ++i) {
      std::vector<std::string> row{terms[i].run.as_of};
      for (const auto& c : columns) row.push_back(value_of(terms[i], c));
      table.rows.push_back(std::move(row));
    }
    out += fmt::format("{}{}, {}\n", out.empty() ? "" : "\n", *options.school, policy);
    out += render_text_table(table);
  }
  return print(console.out, out) ? kExitOk : kExitOutputError;
}

}  // namespace

int run_history(const HistoryOptions& options, const Console& console) {
  if (!format_is_one_of(options.format, {"table", "csv", "json"}, console)) return kExitInputError;
  auto store = open_history_to_read(options.store, console);
  if (!store) return kExitInputError;
  return options.school ? show_school(options, *store, console)
                        : list_runs(options, *store, console);
}

}  // namespace catengine::engine
