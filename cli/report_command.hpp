// `catengine report`: the papers people read — a folder of self-contained HTML pages (the LA
// overview, a profile sheet per school, the clinic pack, notice and letter drafts).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace catengine::engine {

struct ReportOptions {
  std::string policy;
  std::vector<std::string> data;       // `--data`: PATH, or NAME=PATH per source
  std::optional<std::string> as_of;    // YYYY-MM-DD; default today
  std::optional<std::string> history;  // earlier terms: levels term by term, moves since last term
  std::string out;                     // the folder to write; replaced whole, or not at all
};

int run_report(const ReportOptions& options, const Console& console);

}  // namespace catengine::engine
