// JSON output: provenance first, then each record's outputs and the reasoning behind them, in
// the one JSON shape of an explanation, so a result can be checked and reproduced without the
// policy to hand.
#include <nlohmann/json.hpp>

#include "report/explanation.hpp"
#include "report/result_writers.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

std::string write_json(const CompiledPolicy& compiled, DataSet& data, const Results& results,
                       const Provenance& provenance, Value as_of) {
  const auto& p = compiled.policy;
  nlohmann::ordered_json doc;
  doc["provenance"] = provenance_json(provenance);
  doc["policy"] = {{"title", p.title}, {"cite", p.cite ? p.cite->text : ""}};
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  ValueFormatter format(p, data.text);
  for (std::size_t r = 0; r < data.size(); ++r) {
    // The one JSON shape of an explanation (what `explain --format json` prints), cut to the
    // decisions, with the outputs from the compiled results, so that they are what the CSV holds.
    nlohmann::ordered_json rec =
        explanation_json(explain_record(compiled, data, r, as_of), ExplanationScope::Decisions);
    nlohmann::ordered_json outputs = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < p.outputs.size(); ++c) {
      outputs[p.outputs[c].name] = format.json(results.row(r)[c], p.outputs[c].type);
    }
    rec["outputs"] = std::move(outputs);
    records.push_back(std::move(rec));
  }
  doc["records"] = std::move(records);
  return doc.dump(2) + "\n";
}

}  // namespace catengine::engine
