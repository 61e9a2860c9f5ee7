// The parser's messages about found tokens (see parse_messages.hpp).
#include "lang/syntax/parse_messages.hpp"

#include <cstdio>
#include <utility>

#include "lang/syntax/scanner.hpp"

namespace catengine::lang::syntax_detail {

Found token_at(const std::string& text, std::uint32_t at) {
  const Token t = scan_token(text, at);
  std::uint32_t end = t.end;
  Found f;
  f.begin = t.begin;
  switch (t.kind) {
    case TokenKind::End:
      f.kind = Found::Kind::End;
      break;
    case TokenKind::Word:
      f.kind = Found::Kind::Word;
      break;
    case TokenKind::Number:
      // A number run into letters or into another number (`12abc`, `1-2`, `1.2.3`) is quoted
      // whole, as the reader sees one thing there.
      f.kind = Found::Kind::Number;
      while (end < text.size() &&
             (is_word_char(text[end]) || ((text[end] == '.' || text[end] == '-') &&
                                          end + 1 < text.size() && is_digit(text[end + 1])))) {
        ++end;
      }
      break;
    case TokenKind::String:
      f.kind = Found::Kind::String;
      break;
    case TokenKind::Invalid:
      f.kind = Found::Kind::Invalid;
      break;
    case TokenKind::Symbol:
    case TokenKind::Blank:
    case TokenKind::Comment:
      // An error at a blank or `#` names just that byte.
      f.kind = Found::Kind::Symbol;
      if (t.kind != TokenKind::Symbol) end = at + 1;
      break;
  }
  f.end = end;
  f.text = text.substr(f.begin, end - f.begin);
  return f;
}

std::string describe(const Found& f) {
  switch (f.kind) {
    case Found::Kind::End:
      return "the end of the file";
    case Found::Kind::String:
      if (f.text.size() > 30) return "a string";
      return "`" + f.text + "`";
    default:
      return "`" + f.text + "`";
  }
}

std::string name_invalid(const std::string& s) {
  const auto b0 = static_cast<unsigned char>(s.empty() ? 0 : s[0]);
  std::uint32_t cp = b0;
  bool valid = true;
  if (s.size() == 1) {
    valid = b0 < 0x80;
  } else if (s.size() == 2 && (b0 & 0xE0) == 0xC0) {
    cp = ((b0 & 0x1F) << 6) | (static_cast<unsigned char>(s[1]) & 0x3F);
  } else if (s.size() == 3 && (b0 & 0xF0) == 0xE0) {
    cp = ((b0 & 0x0F) << 12) | ((static_cast<unsigned char>(s[1]) & 0x3F) << 6) |
         (static_cast<unsigned char>(s[2]) & 0x3F);
  } else if (s.size() == 4 && (b0 & 0xF8) == 0xF0) {
    cp = ((b0 & 0x07) << 18) | ((static_cast<unsigned char>(s[1]) & 0x3F) << 12) |
         ((static_cast<unsigned char>(s[2]) & 0x3F) << 6) |
         (static_cast<unsigned char>(s[3]) & 0x3F);
  } else {
    valid = false;
  }
  char buf[32];
  if (!valid) {
    std::snprintf(buf, sizeof buf, "the byte 0x%02X", b0);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  if (cp < 0x20 || cp == 0x7F) return buf;
  if (cp < 0x80) return "`" + s + "`";
  return "`" + s + "` (" + buf + ")";
}

std::string invalid_hint(const std::string& s) {
  if (s == "&" || s == "&&") return "write `and`";
  if (s == "|" || s == "||") return "write `or`";
  if (s == "'") return "strings are written in double quotes: `\"...\"`";
  if (s == "\xE2\x80\x9C" || s == "\xE2\x80\x9D" || s == "\xE2\x80\x98" || s == "\xE2\x80\x99") {
    return "use straight double quotes `\"` around strings";
  }
  if (s == ";") return "declarations need no `;`";
  if (static_cast<unsigned char>(s[0]) >= 0x80) {
    return "names use only ASCII letters, digits and `_`; other characters may appear only in "
           "strings and comments";
  }
  return "this character may appear only in strings and comments";
}

Diagnostic make_diag(DiagnosticKind kind, SourceSpan span, std::string message, std::string label,
                     std::vector<std::string> hints, std::vector<DiagnosticNote> notes,
                     bool has_span) {
  return Diagnostic{
      kind,    span, std::move(message), std::move(label), std::move(hints), std::move(notes),
      has_span};
}

}  // namespace catengine::lang::syntax_detail
