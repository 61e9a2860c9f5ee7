// The parser's words for what it found where it expected something else: the token at an
// offset (through the scanner), how messages quote it, and how they name an invalid character.
// Shared by the driver (parser.cpp) and the tree-to-AST pass (ast_builder.cpp); internal to
// lang/syntax.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lang/diagnostics/diagnostic.hpp"

namespace catengine::lang::syntax_detail {

// The token at an offset, for "found ..." in messages.
struct Found {
  enum class Kind { End, Word, Number, String, Symbol, Invalid } kind = Kind::End;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::string text;
};

Found token_at(const std::string& text, std::uint32_t at);

// `the end of the file`, or the token in backticks (a long string is just `a string`).
std::string describe(const Found& f);

// Names an invalid character: `$`, `é` (U+00E9), U+0007, or the byte 0xFF.
std::string name_invalid(const std::string& s);

// What to write instead of an invalid character.
std::string invalid_hint(const std::string& s);

Diagnostic make_diag(DiagnosticKind kind, SourceSpan span, std::string message,
                     std::string label = {}, std::vector<std::string> hints = {},
                     std::vector<DiagnosticNote> notes = {}, bool has_span = true);

}  // namespace catengine::lang::syntax_detail
