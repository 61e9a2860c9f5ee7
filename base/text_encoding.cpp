// Encoding names: compared on letters and digits only, so "Windows-1252", "windows_1252" and
// "WINDOWS 1252" are one name, as people write them.
#include "base/text_encoding.hpp"

#include <string>

namespace catengine {

namespace {

std::string folded(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

}  // namespace

std::optional<TextEncoding> encoding_named(std::string_view name) {
  const std::string f = folded(name);
  if (f == "utf8") return TextEncoding::Utf8;
  // Latin-1 is read as Windows-1252, as every web browser does (WHATWG Encoding Standard): the
  // two agree on every printable character, and files labelled Latin-1 often hold
  // Windows-1252's curly quotes and euro signs.
  if (f == "windows1252" || f == "cp1252" || f == "latin1" || f == "iso88591") {
    return TextEncoding::Windows1252;
  }
  return std::nullopt;
}

std::string_view encoding_name(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::Utf8:
      return "UTF-8";
    case TextEncoding::Windows1252:
      return "Windows-1252";
  }
  return "UTF-8";
}

}  // namespace catengine
