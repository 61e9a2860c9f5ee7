// Windows-1252 to UTF-8 by table, and encoding names; see text_encoding.hpp for why a table.
#include "data/text_encoding.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "base/utf8.hpp"

namespace catengine::engine {

namespace {

// Unicode code points of bytes 0x80-0x9F (0xA0-0xFF are U+00A0-U+00FF, as in Latin-1).
// 0 marks the five undefined bytes. From the Unicode Consortium's CP1252.TXT.
constexpr std::array<std::uint16_t, 32> kHigh = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 0x88
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 0x98
};

// UTF-8 of bytes 0x80-0xFF, built once from kHigh: a length (0: undefined) and up to 3 bytes.
struct Utf8Bytes {
  std::uint8_t length = 0;
  std::array<char, 3> bytes{};
};

constexpr std::array<Utf8Bytes, 128> make_table() {
  std::array<Utf8Bytes, 128> table{};
  for (unsigned i = 0; i < 128; ++i) {
    const unsigned cp = i < 32 ? kHigh[i] : 0x80 + i;
    Utf8Bytes& u = table[i];
    if (cp == 0) continue;
    if (cp < 0x800) {
      u.length = 2;
      u.bytes = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F)), 0};
    } else {
      u.length = 3;
      u.bytes = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<char>(0x80 | (cp & 0x3F))};
    }
  }
  return table;
}

constexpr std::array<Utf8Bytes, 128> kTable = make_table();

// The offset of the first byte with its top bit set, or the size: eight bytes at a time.
std::size_t ascii_prefix(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, sizeof word);
    if ((word & 0x8080808080808080ull) != 0) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

}  // namespace

DecodedText windows1252_to_utf8(std::string_view bytes, std::string& scratch) {
  std::size_t i = ascii_prefix(bytes);
  if (i == bytes.size()) return {.text = bytes};
  scratch.clear();
  scratch.reserve(bytes.size() + (bytes.size() - i) * 2);
  scratch.append(bytes.data(), i);
  for (; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b < 0x80) {
      scratch.push_back(static_cast<char>(b));
      continue;
    }
    const Utf8Bytes& u = kTable[b - 0x80];
    if (u.length == 0) return {.bad_offset = i, .bad_byte = b};
    scratch.append(u.bytes.data(), u.length);
  }
  return {.text = scratch};
}

DecodedText to_utf8(TextEncoding encoding, std::string_view bytes, std::string& scratch) {
  if (encoding == TextEncoding::Windows1252) return windows1252_to_utf8(bytes, scratch);
  const std::size_t bad = lang::first_invalid_utf8(bytes);
  if (bad == std::string_view::npos) return {.text = bytes};
  return {.bad_offset = bad, .bad_byte = static_cast<unsigned char>(bytes[bad])};
}

std::string decode_error_message(TextEncoding encoding, const DecodedText& decoded) {
  if (encoding == TextEncoding::Utf8) {
    return fmt::format(
        "byte 0x{:02X} at offset {} is not valid UTF-8; if the file was saved as \"CSV (Comma "
        "delimited)\", declare it Windows-1252 or save it as \"CSV UTF-8\"",
        decoded.bad_byte, decoded.bad_offset);
  }
  return fmt::format(
      "byte 0x{:02X} at offset {} is not a character in Windows-1252; is the file in another "
      "encoding?",
      decoded.bad_byte, decoded.bad_offset);
}

}  // namespace catengine::engine
