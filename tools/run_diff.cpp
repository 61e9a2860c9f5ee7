// Comparing two stored runs cell by cell, by key and column name.
#include "tools/run_diff.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace catengine::engine {

namespace {

std::size_t column_index(const StoredRun& run, const std::string& name) {
  for (std::size_t c = 0; c < run.columns.size(); ++c) {
    if (run.columns[c].name == name) return c;
  }
  return run.columns.size();
}

}  // namespace

PolicyDiff diff_runs(const StoredRun& old_run, const StoredRun& new_run) {
  PolicyDiff d;
  d.old_label = fmt::format("run of {} (saved {})", old_run.as_of, old_run.saved_at);
  d.new_label = fmt::format("run of {} (saved {})", new_run.as_of, new_run.saved_at);
  d.data_path = "the history store";
  d.as_of = new_run.as_of;
  d.key_column = new_run.key_column;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (old column, new column)
  for (std::size_t c = 0; c < new_run.columns.size(); ++c) {
    const std::size_t o = column_index(old_run, new_run.columns[c].name);
    if (o == old_run.columns.size()) {
      d.only_new.push_back(new_run.columns[c].name);
    } else {
      d.columns.push_back(new_run.columns[c].name);
      pairs.emplace_back(o, c);
    }
  }
  for (const auto& c : old_run.columns) {
    if (column_index(new_run, c.name) == new_run.columns.size()) d.only_old.push_back(c.name);
  }
  std::unordered_map<std::string_view, std::size_t> old_rows;
  for (std::size_t r = 0; r < old_run.rows.size(); ++r) old_rows.emplace(old_run.rows[r][0], r);
  const std::size_t name_column = column_index(new_run, "name");
  d.records = new_run.rows.size();

  // The matrix column: `category`, else `level`, saved by both runs.
  std::optional<std::pair<std::size_t, std::size_t>> chosen;
  for (const char* wanted : {"level", "category"}) {
    for (const auto& pr : pairs) {
      if (new_run.columns[pr.second].name == wanted) chosen = pr;
    }
  }
  CategoryMatrix& m = d.matrix;
  if (chosen) {
    m.column = new_run.columns[chosen->second].name;
    m.labels = new_run.columns[chosen->second].members;
  }
  auto label_index = [&](const std::string& v) {
    const std::string label = v.empty() ? "(missing)" : v;
    auto it = std::find(m.labels.begin(), m.labels.end(), label);
    if (it != m.labels.end()) return static_cast<std::size_t>(it - m.labels.begin());
    m.labels.push_back(label);
    return m.labels.size() - 1;
  };
  std::vector<std::pair<std::size_t, std::size_t>> moves;
  static const std::string kNone;
  for (std::size_t r = 0; r < new_run.rows.size(); ++r) {
    const auto& now = new_run.rows[r];
    const auto it = old_rows.find(now[0]);
    const std::vector<std::string>* before =
        it == old_rows.end() ? nullptr : &old_run.rows[it->second];
    SchoolDiff s;
    s.record = r;
    s.row = static_cast<std::uint32_t>(r + 1);
    s.key = now[0];
    if (name_column < new_run.columns.size()) s.name = now[name_column + 1];
    for (const auto& [o, c] : pairs) {
      const std::string& was = before != nullptr ? (*before)[o + 1] : kNone;
      const std::string& is = now[c + 1];
      if (was != is || before == nullptr)
        s.cells.push_back({new_run.columns[c].name, was, is, {}, {}});
    }
    if (!s.cells.empty()) d.schools.push_back(std::move(s));
    if (chosen && before != nullptr) {
      moves.emplace_back(label_index((*before)[chosen->first + 1]),
                         label_index(now[chosen->second + 1]));
    }
  }
  m.counts.assign(m.labels.size(), std::vector<std::size_t>(m.labels.size(), 0));
  for (const auto& [from, to] : moves) ++m.counts[from][to];
  return d;
}

}  // namespace catengine::engine
