// The canonical layout of a policy file (`catengine fmt`): one way to write any policy, so that
// reviews show changes of meaning and never changes of spacing. Pure: text in, text out.
#pragma once

#include <string>
#include <string_view>

#include "lang/source/source.hpp"
#include "lang/syntax/ast.hpp"

namespace catengine::lang {

// Lines longer than this are broken where the layout allows (comments do not count).
inline constexpr int kFormatWidth = 100;

// What `catengine fmt` may rewrite besides the layout.
struct FormatOptions {
  // `fmt --modernise`: write older idioms in the words the language now has for them, with the
  // same meaning: `(EXPR) if missing X` ending a definition, a rule's condition or value, a
  // column or a condition becomes `EXPR, or X if any figure is missing`, and `how_many of [...]`
  // becomes `how many of [...]`.
  bool modernise = false;
};

// The canonical text of `module`, which must have been parsed from `source` without errors.
// Every comment is kept, in order; parentheses, literals and names are kept as written (unless
// options.modernise); the result parses to the same syntax tree and formatting it again changes
// nothing.
std::string format_module(const SourceFile& source, const Module& module,
                          const FormatOptions& options = {});

// Whether two policy texts have the same tokens, comments and layout aside: the formatter's
// output always does with its input, which `catengine fmt` checks before writing anything.
bool same_tokens(std::string_view a, std::string_view b);

// Whether two modules mean the same: the same declarations in the same order and the same
// expressions, spans, brackets and the spelling of the missing-data clause and of `how many`
// aside. The safety net of `fmt --modernise`, whose output has different tokens.
bool same_meaning(const Module& a, const Module& b);

}  // namespace catengine::lang
