// Why a record got its results: for every definition and decision, the value, the rule that
// decided it with its citation, the values it read, and why each earlier rule did not apply.
// Built with the reference evaluator, so it explains the language's semantics directly. The one
// model behind `explain`, the reasoning in `evaluate --format json`, failing policy tests and the
// deciding rules of policy diff: built once by explain_record, rendered only by the functions here.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

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
  std::string value;  // yes, no or missing; `not needed` after a test for missing gave no
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

// A notice's parts, kept structured beside the labelled lines of `details` so that papers (the
// notice drafts of `catengine report`) lay them out without reading the lines back.
struct GroundExplanation {
  std::string id;         // `a`
  std::string wording;    // the statute's words
  std::string cite;       // its citation, or empty
  std::string condition;  // as written
  bool holds = false;
  std::vector<ValueRead> reads;  // the figures the condition read
};
struct EscalationStep {
  std::string text;
  std::string cite;
};
struct NoticeExplanation {
  std::string title;  // "Formal warning notice"
  bool issued = false;
  std::vector<GroundExplanation> grounds;  // every ground, holding or not, in the policy's order
  std::string addressed_to;                // empty when not issued
  std::vector<std::string> copies;
  std::string due;           // YYYY-MM-DD, or empty
  std::string respond_days;  // working days, or empty
  std::string calendar;      // the holiday calendar's title the days are counted in
  std::vector<EscalationStep> escalation;
};

struct DefinitionExplanation {
  std::string name;
  std::string cite;
  std::string value;
  bool is_decision = false;
  std::string expression;          // `define`: its formula as written
  std::vector<RuleOutcome> rules;  // `decide`: rules tried, in order, the last one fired
  std::vector<ValueRead> reads;    // `define`: what the formula read
  // `define` ending in `, or X if any figure is missing` (or `(...) if missing X`) when a figure
  // was missing: the clause as written, which gave the value. Empty otherwise.
  std::string missing_clause;
  // Notices and cadences: labelled lines ("ground a", "addressed to", "interval"), in order.
  std::vector<std::pair<std::string, std::string>> details;
  bool is_notice = false;
  NoticeExplanation notice;  // when is_notice
};

// A warning (`warn`) that holds for the record: its words, where they come from, the condition
// as written and the values it read.
struct WarningExplanation {
  std::string name;
  std::string message;
  std::string cite;
  std::string condition;
  std::vector<ValueRead> reads;
};

// An output value as JSON shows it (see ValueFormatter::json): null for missing, a boolean, a
// whole number, a number whose JSON text is exactly its decimal, or text. Kept apart from
// nlohmann::json so that this header needs only its forward declarations.
using JsonScalar = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;

struct RecordExplanation {
  std::uint32_t row = 0;                                     // spreadsheet row in the data file
  std::vector<std::pair<std::string, std::string>> outputs;  // column -> value, as written
  std::vector<JsonScalar> output_json;                       // the same values, typed for JSON
  std::vector<DefinitionExplanation> definitions;            // in the policy's order
  std::vector<WarningExplanation> warnings;  // those that hold, in the policy's order
  // The policy declares warnings: its JSON then always has `warnings`, empty or not, while a
  // policy without any keeps the shape it always had.
  bool policy_warns = false;
  std::string fault;  // empty, or what went wrong evaluating the record
};

// `as_of` is the evaluation date. The data set is mutable only to intern the policy's text.
RecordExplanation explain_record(const CompiledPolicy& compiled, DataSet& data, std::size_t record,
                                 Value as_of);

// The one text rendering of a definition's reasoning, in two layouts that differ only in
// indentation and in where citations go: `explain` gives each its own `cite:` line and lists the
// parts of a rule that did not hold; a failing policy test quotes a definition compactly, with a
// rule's citation after its title.
enum class ExplanationLayout { Explain, TestFailure };
void render_definition(std::string& out, const DefinitionExplanation& d, ExplanationLayout layout);

// The whole record as `explain` prints it: the policy, the results, then every definition.
std::string render_explanation(const RecordExplanation& e, const CompiledPolicy& compiled);

// The one JSON shape of an explanation: the record's row and outputs, then the reasoning in the
// policy's order (`reasoning`), the warnings that hold when the policy declares any, and the
// fault if there was one. `explain --format json` prints the whole of it as `record`. Each record
// of `evaluate --format json` is the same object cut to what a results file needs: only the
// decisions, notices and cadences, and, of the rules that did not apply, only which they were
// and their condition (not the parts and values they read). One shape, so one reader reads both.
enum class ExplanationScope { Whole, Decisions };
nlohmann::ordered_json explanation_json(const RecordExplanation& e,
                                        ExplanationScope scope = ExplanationScope::Whole);

}  // namespace catengine::engine
