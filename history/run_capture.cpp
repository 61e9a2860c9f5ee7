// Turning results into a StoredRun; see run_capture.hpp.
#include "history/run_capture.hpp"

#include <fmt/format.h>

#include "base/version.hpp"
#include "lang/check/checker.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

std::optional<StoredRun> capture_run(const CompiledPolicy& compiled, const DataSet& data,
                                     const Results& results, const Provenance& provenance,
                                     std::string saved_at, std::string& error) {
  const lang::CheckedPolicy& policy = compiled.policy;
  const auto& fields = policy.record.fields;
  const std::optional<std::size_t> key_field = policy.record.key_field();
  if (!key_field) {
    error =
        "the policy's record has no `key` field, so a saved run could not be matched to the "
        "next one school by school; give one field `key` to save runs";
    return std::nullopt;
  }
  const std::size_t key = *key_field;
  StoredRun run;
  run.policy_name = policy.title;
  run.policy_sha256 = provenance.policy_sha256;
  run.as_of = provenance.as_of;
  run.saved_at = std::move(saved_at);
  run.catengine_version = catengine_version();
  run.sources = provenance.sources;
  if (run.sources.empty()) {
    run.sources.push_back({"data", provenance.data_path, provenance.data_sha256});
  }
  run.key_column = fields[key].name;
  for (const auto& o : policy.outputs) {
    StoredColumn c{o.name, lang::type_name(o.type, policy.enums), {}};
    if (o.type.base == lang::BaseType::Enum) {
      for (const auto& m : policy.enums.at(o.type.enum_id).members) c.members.push_back(m.key);
    }
    run.columns.push_back(std::move(c));
  }
  const ValueFormatter format(policy, data.text);
  const auto& outputs = policy.outputs;
  run.rows.resize(data.size());
  for (std::size_t r = 0; r < data.size(); ++r) {
    auto& row = run.rows[r];
    row.reserve(outputs.size() + 1);
    row.push_back(format.format(data.at(r, key), fields[key].type));
    const Value* values = results.row(r);
    for (std::size_t c = 0; c < outputs.size(); ++c) {
      row.push_back(format.format(values[c], outputs[c].type));
    }
  }
  return run;
}

}  // namespace catengine::engine
