// Loading a policy: its main file, and every module it uses, transitively. `use stdlib.x.y`
// reads <stdlib>/x/y.policy; `use "path.policy"` reads a path relative to the importing file.
// Import cycles are an error. Modules come back dependencies first, the main file last.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "lang/diagnostics/diagnostic.hpp"
#include "lang/source/source.hpp"
#include "lang/syntax/ast.hpp"

namespace catengine::lang {

struct LoadedPolicy {
  std::vector<std::string> paths;  // by module index
  std::vector<Module> modules;     // dependencies first; the main file last
};

struct LoadResult {
  LoadedPolicy policy;
  std::vector<Diagnostic> diagnostics;
};

// The stdlib folder: $CATENGINE_STDLIB, else the one beside the sources this was built from.
std::filesystem::path default_stdlib_dir();

// `path` is a .policy file, or a folder whose one file with a `policy` header is the main file.
LoadResult load_policy(const std::filesystem::path& path, SourceMap& sources,
                       const std::filesystem::path& stdlib_dir = default_stdlib_dir());

// Policy text supplied directly (tests, `git show` output): `path` names it in messages and
// anchors relative imports.
LoadResult load_policy_text(const std::string& path, std::string text, SourceMap& sources,
                            const std::filesystem::path& stdlib_dir = default_stdlib_dir());

// Texts that stand in for files on disk, keyed by the file's weakly canonical path: an editor's
// unsaved buffers (the language server loads a policy with its open modules as they are edited).
using SourceOverlay = std::map<std::string, std::string>;

// load_policy_text, with every `use`d module read from `overlay` when it holds the module's path.
LoadResult load_policy_text(const std::string& path, std::string text, SourceMap& sources,
                            const std::filesystem::path& stdlib_dir, const SourceOverlay& overlay);

}  // namespace catengine::lang
