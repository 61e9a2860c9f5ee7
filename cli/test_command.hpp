// `catengine test [PATH...]`: runs the fixture tests beside each policy, reports failures with
// explanations and rule coverage, as text or JUnit XML; `--update` rewrites expected files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace catengine::engine {

struct TestOptions {
  std::vector<std::string> paths;            // policy folders (or files); none: ./policies/*
  std::optional<double> coverage_threshold;  // percent; below it the run fails
  std::string format = "text";               // text | junit
  bool update = false;                       // rewrite expected files with actual values
};

int run_test(const TestOptions& options, const Console& console);

}  // namespace catengine::engine
