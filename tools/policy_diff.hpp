// Comparing two versions of a policy on the same records: which schools' outputs move, from
// what to what, and which rule decided each value before and after; plus a from × to matrix of
// one decision (the category) over every record. Renders as text, CSV, JSON or Markdown.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/value.hpp"
#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"

namespace catengine::engine {

// The rule that decided a value; empty id when no rule fired or the column is no decision's.
struct DecidingRule {
  std::string decision;  // the decision's name
  std::string id;
  std::string title;
  std::string cite;
};

struct CellDiff {
  std::string column;
  std::string old_value;  // as written in CSV output; empty = missing
  std::string new_value;
  std::optional<DecidingRule> old_rule;  // when the column's value comes from a decision
  std::optional<DecidingRule> new_rule;
};

struct SchoolDiff {
  std::size_t record = 0;  // 0-based, in input order
  std::uint32_t row = 0;   // spreadsheet row in the data file
  std::string key;         // the key field's value (urn)
  std::string name;        // the `name` output column or field, if there is one
  std::vector<CellDiff> cells;
};

struct CategoryMatrix {
  std::string column;                            // empty: no decision column to summarise
  std::vector<std::string> labels;               // scale members in order, then other values as met
  std::vector<std::vector<std::size_t>> counts;  // [old][new], every record
};

struct PolicyDiff {
  std::string old_label, new_label, data_path, as_of;
  std::string key_column;            // the key field's name, e.g. `urn`
  std::vector<std::string> columns;  // compared: in both, in the new policy's order
  std::vector<std::string> only_old, only_new;
  std::size_t records = 0;
  std::vector<SchoolDiff> schools;  // those that changed, in input order
  CategoryMatrix matrix;
};

struct DiffRequest {
  const CompiledPolicy* old_policy = nullptr;
  const CompiledPolicy* new_policy = nullptr;
  std::string old_label, new_label;
  std::string data_path;  // for messages and the report
  // Binds the data to one version's schema (the two versions may read different columns or
  // sources).
  std::function<BindResult(const RecordSchema&)> bind;
  Value as_of = kMissing;
};

// Binds the data to each version's schema and evaluates both. Problems (data errors, faults)
// come back in `errors`, one line each, and the result is then nullopt.
std::optional<PolicyDiff> diff_policies(const DiffRequest& request,
                                        std::vector<std::string>& errors);

std::string render_diff_text(const PolicyDiff& d);
std::string render_diff_csv(const PolicyDiff& d);
std::string render_diff_json(const PolicyDiff& d);
std::string render_diff_markdown(const PolicyDiff& d);

}  // namespace catengine::engine
