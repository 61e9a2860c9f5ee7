// Provenance as JSON, in results, explanations, schedules and the sidecar of a CSV file, and as
// the line under a terminal table.
#include "report/provenance.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/version.hpp"

namespace catengine::engine {

nlohmann::ordered_json provenance_json(const Provenance& p) {
  nlohmann::ordered_json data;
  if (p.sources.empty()) {
    data = {{"path", p.data_path}, {"sha256", p.data_sha256}, {"records", p.records}};
  } else {
    nlohmann::ordered_json sources = nlohmann::ordered_json::array();
    for (const SourceProvenance& s : p.sources) {
      sources.push_back({{"name", s.name}, {"path", s.path}, {"sha256", s.sha256}});
    }
    data = {{"sources", std::move(sources)}, {"records", p.records}};
  }
  return {{"catengine_version", catengine_version()},
          {"policy", {{"path", p.policy_path}, {"sha256", p.policy_sha256}}},
          {"data", std::move(data)},
          {"as_of", p.as_of}};
}

std::string provenance_line(const Provenance& p) {
  // Twelve hex digits tell files apart at a glance; the JSON and the sidecar keep all 64.
  std::string data;
  if (p.sources.empty()) {
    data = fmt::format("data {} (sha256 {})", p.data_path, p.data_sha256.substr(0, 12));
  } else {
    for (const SourceProvenance& s : p.sources) {
      data += fmt::format("{}{} {} (sha256 {})", data.empty() ? "" : " · ", s.name, s.path,
                          s.sha256.substr(0, 12));
    }
  }
  return fmt::format("policy {} (sha256 {}) · {} · catengine {}\n", p.policy_path,
                     p.policy_sha256.substr(0, 12), data, catengine_version());
}

std::string provenance_sidecar(const Provenance& p, const std::string& results_sha256) {
  nlohmann::ordered_json doc = provenance_json(p);
  doc["results"] = {{"sha256", results_sha256}};
  return doc.dump(2) + "\n";
}

}  // namespace catengine::engine
