// The limits the parser enforces on one policy file, in their own header so the grammar (which
// checks nesting) and the loader (which checks size) need not include the parser.
#pragma once

#include <cstddef>

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

}  // namespace catengine::lang
