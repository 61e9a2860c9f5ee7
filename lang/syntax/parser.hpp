// Parsing one policy file into a Module. Errors are values: the parser recovers at the next
// declaration and reports every error it can, with no follow-on errors from the same mistake.
#pragma once

#include <vector>

#include "lang/diagnostics/diagnostic.hpp"
#include "lang/source/source.hpp"
#include "lang/syntax/ast.hpp"
#include "lang/syntax/limits.hpp"

namespace catengine::lang {

struct ParseResult {
  Module module;
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& source, FileId id);

}  // namespace catengine::lang
