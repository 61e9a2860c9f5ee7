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

// The canonical text of `module`, which must have been parsed from `source` without errors.
// Every comment is kept, in order; parentheses, literals and names are kept as written; the
// result parses to the same syntax tree and formatting it again changes nothing.
std::string format_module(const SourceFile& source, const Module& module);

// Whether two policy texts have the same tokens, comments and layout aside: the formatter's
// output always does with its input, which `catengine fmt` checks before writing anything.
bool same_tokens(std::string_view a, std::string_view b);

}  // namespace catengine::lang
