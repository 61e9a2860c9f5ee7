// The lexical grammar of `.policy` files, once: source text to tokens with byte spans (words,
// numbers, strings, punctuation and operators, comments, blank runs), and the reserved words.
// The PEGTL grammar (grammar.hpp) parses with its own rules but takes its reserved words from
// here; the parser's messages, the formatter and the loader read tokens only through this.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace catengine::lang {

// Words that are never names (docs/grammar.md, `reserved`).
inline constexpr std::array<std::string_view, 37> kReservedWords = {
    "policy",   "cite",   "use",     "enumeration", "scale", "record",  "field",     "parameter",
    "define",   "decide", "output",  "column",      "when",  "then",    "otherwise", "if",
    "else",     "and",    "or",      "not",         "in",    "is",      "missing",   "of",
    "worse",    "better", "than",    "at",          "least", "between", "yes",       "no",
    "calendar", "notice", "cadence", "source",      "warn"};

// The reserved words that start a declaration, in the order messages list them.
inline constexpr std::array<std::string_view, 14> kDeclarationKeywords = {
    "policy", "use",    "enumeration", "scale",    "record", "source",  "parameter",
    "define", "decide", "output",      "calendar", "notice", "cadence", "warn"};

inline bool is_reserved(std::string_view word) {
  return std::find(kReservedWords.begin(), kReservedWords.end(), word) != kReservedWords.end();
}
inline bool is_declaration_keyword(std::string_view word) {
  return std::find(kDeclarationKeywords.begin(), kDeclarationKeywords.end(), word) !=
         kDeclarationKeywords.end();
}

inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum class TokenKind : std::uint8_t {
  End,      // past the last byte: an empty token at the end of the text
  Blank,    // a run of spaces, tabs, CRs and LFs
  Comment,  // `#` to the end of the line, without the line's CR or LF
  Word,     // a name or keyword: a letter or `_`, then letters, digits and `_`
  Number,   // starts with a digit: a date `2024-09-01`, a decimal `1.5`, else digits (and any
            // letters run into them, `12abc`, which the grammar rejects)
  String,   // `"` to its closing `"`, or to the end of the line if never closed
  Symbol,   // punctuation or an operator: one byte, or `<=` `>=` `!=` `==` `&&` `||`
  Invalid,  // a byte or UTF-8 character that cannot start a token (`$`, `é`, a lone `&`)
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::uint32_t begin = 0;  // byte offset of the first byte
  std::uint32_t end = 0;    // byte offset one past the last byte
  bool closed = true;       // a String: ends with its closing quote

  std::string_view text(std::string_view source) const { return source.substr(begin, end - begin); }
  bool is_code() const { return kind != TokenKind::Blank && kind != TokenKind::Comment; }
};

// The token that starts at byte `at` (an End token when `at` is past the end).
Token scan_token(std::string_view text, std::size_t at);

// The first byte at or after `at` that is neither blank nor in a comment.
std::size_t skip_blanks(std::string_view text, std::size_t at);

// Every token of `text` in order, blanks and comments included; no End token.
std::vector<Token> scan(std::string_view text);

// The tokens of `text` with blanks and comments left out.
std::vector<Token> scan_code(std::string_view text);

}  // namespace catengine::lang
