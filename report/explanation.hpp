// Why a record got its results: for every definition and decision, the value, the rule that
// decided it with its citation, the values it read, and why each earlier rule did not apply.
// Built with the reference evaluator, so it explains the language's semantics directly.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compile/compiled_policy.hpp"
#include "data/dataset.hpp"

namespace catengine::engine {

// One value an expression read: a field (with its column), a definition, or a parameter entry.
struct ValueRead {
  std::string name;    // `ks2_rwm`, or `national_ks2_rwm of results_year`
  std::string value;   // as written out, with descriptions: `3 (Requires improvement)`
  std::string source;  // `column ks2_rwm`, `definition`, or the parameter entry's citation
};

// A top-level part of a condition joined by `and`, with its value: shows which part failed.
struct ConditionPart {
  std::string text;
  std::string value;  // yes, no or missing
};

struct RuleOutcome {
  std::string id;
  std::string title;
  std::string cite;
  std::string condition;  // the condition as written, or `otherwise`
  bool fired = false;
  std::vector<ConditionPart> parts;
  std::vector<ValueRead> reads;
};

struct DefinitionExplanation {
  std::string name;
  std::string cite;
  std::string value;
  bool is_decision = false;
  std::string expression;          // `define`: its formula as written
  std::vector<RuleOutcome> rules;  // `decide`: rules tried, in order, the last one fired
  std::vector<ValueRead> reads;    // `define`: what the formula read
  // Notices and cadences: labelled lines ("ground a", "addressed to", "interval"), in order.
  std::vector<std::pair<std::string, std::string>> details;
};

struct RecordExplanation {
  std::uint32_t row = 0;                                     // spreadsheet row in the data file
  std::vector<std::pair<std::string, std::string>> outputs;  // column -> value, as written
  std::vector<nlohmann::ordered_json> output_json;           // the same values, typed for JSON
  std::vector<DefinitionExplanation> definitions;            // in the policy's order
  std::string fault;  // empty, or what went wrong evaluating the record
};

// `as_of` is the evaluation date. The data set is mutable only to intern the policy's text.
RecordExplanation explain_record(const CompiledPolicy& compiled, DataSet& data, std::size_t record,
                                 Value as_of);

std::string render_explanation(const RecordExplanation& e, const CompiledPolicy& compiled);
nlohmann::ordered_json explanation_json(const RecordExplanation& e);

}  // namespace catengine::engine
