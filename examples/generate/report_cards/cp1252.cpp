// UTF-8 to Windows-1252, the encoding of the GIAS extract, for the characters this generator
// uses (and the rest of Latin-1).

#include "cp1252.hpp"

#include <string>

namespace report_cards {

void put_cp1252(Buffer& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    unsigned cp = 0;
    std::size_t n = 0;
    if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1Fu;
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0Fu;
      n = 3;
    } else {
      cp = c & 0x07u;
      n = 4;
    }
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += n;
    char b = '?';
    if (cp >= 0xA0 && cp <= 0xFF) {
      b = static_cast<char>(cp);
    } else {
      switch (cp) {
        case 0x2018:
          b = '\x91';
          break;
        case 0x2019:
          b = '\x92';
          break;
        case 0x201C:
          b = '\x93';
          break;
        case 0x201D:
          b = '\x94';
          break;
        case 0x2013:
          b = '\x96';
          break;
        case 0x2014:
          b = '\x97';
          break;
        case 0x0152:
          b = '\x8C';
          break;
        case 0x0153:
          b = '\x9C';
          break;
        case 0x20AC:
          b = '\x80';
          break;
        default:
          break;
      }
    }
    out.push_back(b);
  }
}

// A CSV text field in Windows-1252, quoted when needed.
void put_text_cp1252(Buffer& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return put_cp1252(out, s);
  out.push_back('"');
  std::string doubled;
  for (char c : s) {
    if (c == '"') doubled.push_back('"');
    doubled.push_back(c);
  }
  put_cp1252(out, doubled);
  out.push_back('"');
}

}  // namespace report_cards
