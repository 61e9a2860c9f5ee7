// The whole front half in one call: load, parse, check and lower a policy, keeping everything
// later phases need (sources for explanations, the schema for binding, the program to run, and
// the SHA-256 of the sources for provenance). The CLI and the tests both start here.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "data/record_schema.hpp"
#include "lang/check/checked_policy.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "lang/load/loader.hpp"
#include "lang/source/source.hpp"

namespace catengine::engine {

struct CompiledPolicy {
  std::string path;         // as given on the command line
  lang::SourceMap sources;  // every file read, for rendering diagnostics and explanations
  lang::CheckedPolicy policy;
  Program program;
  RecordSchema schema;
  std::string sources_sha256;  // over every source file, see provenance.hpp
  std::vector<std::string> source_paths;
};

struct CompileResult {
  std::unique_ptr<CompiledPolicy> compiled;  // null when there are errors
  std::vector<lang::Diagnostic> diagnostics;
  lang::SourceMap sources;  // for rendering diagnostics when compiled is null
};

CompileResult compile_policy(const std::filesystem::path& path);
CompileResult compile_policy_text(const std::string& path, std::string text);
// The rest of compile_policy for a policy already loaded (`check` loads it first to see whether
// it is a policy or a module, and so need not read and parse it twice).
CompileResult compile_loaded(std::string path, lang::SourceMap sources, lang::LoadResult loaded);

// The text of a span, with runs of whitespace (line breaks, indentation) folded to one space.
std::string span_text(const lang::SourceMap& sources, lang::SourceSpan span);

}  // namespace catengine::engine
