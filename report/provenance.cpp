// Provenance as JSON, in results, explanations, schedules and the sidecar of a CSV file.
#include "report/provenance.hpp"

#include <nlohmann/json.hpp>

#include "base/version.hpp"

namespace catengine::engine {

nlohmann::ordered_json provenance_json(const Provenance& p) {
  return {{"catengine_version", catengine_version()},
          {"policy", {{"path", p.policy_path}, {"sha256", p.policy_sha256}}},
          {"data", {{"path", p.data_path}, {"sha256", p.data_sha256}, {"records", p.records}}},
          {"as_of", p.as_of}};
}

std::string provenance_sidecar(const Provenance& p, const std::string& results_sha256) {
  nlohmann::ordered_json doc = provenance_json(p);
  doc["results"] = {{"sha256", results_sha256}};
  return doc.dump(2) + "\n";
}

}  // namespace catengine::engine
