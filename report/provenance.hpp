// Where a result came from (the policy and data with their SHA-256, the as-of date, the number of
// records, the catengine version), as every writer records it: enough to reproduce it exactly.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace catengine::engine {

// One named source of a policy that joins several files.
struct SourceProvenance {
  std::string name;  // "gias"
  std::string path;
  std::string sha256;
};

// Where a result came from: enough to reproduce it exactly.
struct Provenance {
  std::string policy_path;
  std::string policy_sha256;  // over every source file the policy loaded
  std::string data_path;
  std::string data_sha256;
  std::string as_of;  // YYYY-MM-DD
  std::size_t records = 0;
  // For a policy with named sources, every file given (then data_path and data_sha256 are the
  // school list's).
  std::vector<SourceProvenance> sources;
};

nlohmann::ordered_json provenance_json(const Provenance& p);
// The last line of the terminal tables: the files with the start of their SHA-256, and the version.
std::string provenance_line(const Provenance& p);
// The `FILE.provenance.json` written beside a CSV results file: the provenance, and the SHA-256
// of the results file it describes, so a reader can tell that the two belong together.
std::string provenance_sidecar(const Provenance& p, const std::string& results_sha256);

}  // namespace catengine::engine
