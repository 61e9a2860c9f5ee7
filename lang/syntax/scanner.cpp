// The one hand-written scanner of `.policy` text (see scanner.hpp). Hand-written rather than
// PEGTL so that the formatter, which scans every file it prints, and the loader, which scans a
// few bytes, need not pull in PEGTL; it agrees with grammar.hpp on every text that parses.
#include "lang/syntax/scanner.hpp"

#include <string_view>

namespace catengine::lang {
namespace {

bool digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  for (std::size_t k = 0; k < count; ++k) {
    if (!is_digit(text[at + k])) return false;
  }
  return true;
}

// DATE ::= digit{4} "-" digit{2} "-" digit{2}
bool date_at(std::string_view text, std::size_t i) {
  return digits(text, i, 4) && i + 4 < text.size() && text[i + 4] == '-' &&
         digits(text, i + 5, 2) && i + 7 < text.size() && text[i + 7] == '-' &&
         digits(text, i + 8, 2);
}

// The length of the UTF-8 sequence starting at `i`, or 1 for a byte that starts none.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  std::size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  len = std::min(len, text.size() - i);
  for (std::size_t k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return k;
  }
  return len;
}

constexpr std::string_view kSymbols = "()[],.:?+-*/<>=!";
constexpr std::array<std::string_view, 6> kPairs = {"<=", ">=", "!=", "==", "&&", "||"};

}  // namespace

Token scan_token(std::string_view text, std::size_t at) {
  const std::size_t n = text.size();
  Token t;
  if (at >= n) {
    t.begin = t.end = static_cast<std::uint32_t>(n);
    return t;
  }
  t.begin = static_cast<std::uint32_t>(at);
  std::size_t i = at;
  const char c = text[i];
  if (is_blank(c)) {
    t.kind = TokenKind::Blank;
    while (i < n && is_blank(text[i])) ++i;
  } else if (c == '#') {
    t.kind = TokenKind::Comment;
    while (i < n && text[i] != '\n') ++i;
    if (i > at + 1 && text[i - 1] == '\r') --i;
  } else if (c == '"') {
    // A `\` escapes the next byte, unless that ends the line: the string is then unclosed.
    t.kind = TokenKind::String;
    ++i;
    while (i < n && text[i] != '"' && text[i] != '\n' && text[i] != '\r') {
      i += (text[i] == '\\' && i + 1 < n && text[i + 1] != '\n') ? 2 : 1;
    }
    t.closed = i < n && text[i] == '"';
    if (t.closed) ++i;
  } else if (is_digit(c)) {
    t.kind = TokenKind::Number;
    if (date_at(text, i)) {
      i += 10;
    } else {
      while (i < n && is_word_char(text[i])) ++i;
      if (i + 1 < n && text[i] == '.' && is_digit(text[i + 1])) {
        ++i;
        while (i < n && is_word_char(text[i])) ++i;
      }
    }
  } else if (is_word_char(c)) {
    t.kind = TokenKind::Word;
    while (i < n && is_word_char(text[i])) ++i;
  } else if (kSymbols.find(c) != std::string_view::npos || c == '&' || c == '|') {
    const std::string_view rest = text.substr(i);
    const bool pair = std::any_of(kPairs.begin(), kPairs.end(),
                                  [&](std::string_view p) { return rest.starts_with(p); });
    t.kind = pair || (c != '&' && c != '|') ? TokenKind::Symbol : TokenKind::Invalid;
    i += pair ? 2 : 1;
  } else {
    t.kind = TokenKind::Invalid;
    i += utf8_length(text, i);
  }
  t.end = static_cast<std::uint32_t>(i);
  return t;
}

std::size_t skip_blanks(std::string_view text, std::size_t at) {
  while (at < text.size() && (is_blank(text[at]) || text[at] == '#')) {
    at = scan_token(text, at).end;
    // A comment stops before a CR it ends with; that CR is a blank and the loop takes it.
  }
  return at;
}

std::vector<Token> scan(std::string_view text) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < text.size();) {
    out.push_back(scan_token(text, i));
    i = out.back().end;
  }
  return out;
}

std::vector<Token> scan_code(std::string_view text) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < text.size();) {
    const Token t = scan_token(text, i);
    if (t.is_code()) out.push_back(t);
    i = t.end;
  }
  return out;
}

}  // namespace catengine::lang
