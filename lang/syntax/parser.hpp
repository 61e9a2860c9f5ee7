// Parsing one policy file into a Module. Errors are values: the parser recovers at the next
// declaration and reports every error it can, with no follow-on errors from the same mistake.
#pragma once

#include <vector>

#include "lang/syntax/ast.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "lang/source/source.hpp"

namespace catengine::lang {

inline constexpr std::size_t kMaxSourceBytes = 4u << 20;  // larger files get E0005
inline constexpr int kMaxNesting = 64;                    // brackets, `if`, `not`: E0004
// Operators, calls, lists and `if`s inside each other, counted over every operator: a chain
// `a + b + c` is two levels, as it is a tree of binary nodes. Every walk over an expression
// recurses once per level, so this bounds their stack (docs/errors.md, E0010): at the limit the
// heaviest, the formatter, uses about 430 KiB of stack in a release build and 2.3 MiB under
// AddressSanitizer, of the 8 MiB a thread has.
inline constexpr int kMaxExpressionDepth = 256;
inline constexpr int kMaxDiagnostics = 50;  // then E0008 and stop

struct ParseResult {
  Module module;
  std::vector<Diagnostic> diagnostics;
};

ParseResult parse(const SourceFile& source, FileId id);

}  // namespace catengine::lang
