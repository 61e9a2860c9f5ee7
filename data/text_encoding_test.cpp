#define BOOST_TEST_MODULE text_encoding
#include <boost/test/unit_test.hpp>

// Encoding names, and Windows-1252 to UTF-8: the real names that need it, every byte checked
// against the Unicode mapping (written out here independently of the table in the code) and
// against glibc's iconv, the undefined bytes refused with their offset, and the ASCII fast path.
#include <iconv.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "data/text_encoding.hpp"

using namespace catengine::engine;
using catengine::TextEncoding;

namespace {

// CP1252.TXT (unicode.org), bytes 0x80-0x9F; 0 where the file says UNDEFINED.
constexpr std::array<std::uint32_t, 32> kMapping = {
    /*0x80*/ 0x20AC, /*0x81*/ 0,      /*0x82*/ 0x201A, /*0x83*/ 0x0192,
    /*0x84*/ 0x201E, /*0x85*/ 0x2026, /*0x86*/ 0x2020, /*0x87*/ 0x2021,
    /*0x88*/ 0x02C6, /*0x89*/ 0x2030, /*0x8A*/ 0x0160, /*0x8B*/ 0x2039,
    /*0x8C*/ 0x0152, /*0x8D*/ 0,      /*0x8E*/ 0x017D, /*0x8F*/ 0,
    /*0x90*/ 0,      /*0x91*/ 0x2018, /*0x92*/ 0x2019, /*0x93*/ 0x201C,
    /*0x94*/ 0x201D, /*0x95*/ 0x2022, /*0x96*/ 0x2013, /*0x97*/ 0x2014,
    /*0x98*/ 0x02DC, /*0x99*/ 0x2122, /*0x9A*/ 0x0161, /*0x9B*/ 0x203A,
    /*0x9C*/ 0x0153, /*0x9D*/ 0,      /*0x9E*/ 0x017E, /*0x9F*/ 0x0178,
};

// The code point of a byte per CP1252.TXT: ASCII and 0xA0-0xFF are themselves.
std::uint32_t code_point(unsigned b) {
  return b >= 0x80 && b < 0xA0 ? kMapping[b - 0x80] : b;
}

std::string utf8(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string decoded(std::string_view bytes) {
  std::string scratch;
  const DecodedText d = windows1252_to_utf8(bytes, scratch);
  BOOST_REQUIRE(d.ok());
  return std::string(d.text);
}

}  // namespace

BOOST_AUTO_TEST_CASE(school_names) {
  BOOST_TEST(decoded("St Mary\x92s") == "St Mary\xE2\x80\x99s");  // right single quote
  BOOST_TEST(decoded("Lyc\xE9"
                     "e") ==
             "Lyc\xC3\xA9"
             "e");
  BOOST_TEST(decoded("\x80"
                     "5") ==
             "\xE2\x82\xAC"
             "5");  // euro sign
  BOOST_TEST(decoded("\xC9\xE9\xFF") == "\xC3\x89\xC3\xA9\xC3\xBF");
}

BOOST_AUTO_TEST_CASE(ascii_is_returned_untouched) {
  const std::string_view welsh = "Ysgol Gymraeg Bro Dinefwr";
  std::string scratch = "left alone";
  const DecodedText d = windows1252_to_utf8(welsh, scratch);
  BOOST_REQUIRE(d.ok());
  BOOST_TEST(d.text == welsh);
  BOOST_TEST(static_cast<const void*>(d.text.data()) == static_cast<const void*>(welsh.data()));
  BOOST_TEST(scratch == "left alone");
  // Longer than the eight-byte stride, with the one non-ASCII byte last.
  BOOST_TEST(decoded("Ysgol Gymraeg Bro Dinefwr\xE2") == "Ysgol Gymraeg Bro Dinefwr\xC3\xA2");
  BOOST_TEST(decoded("").empty());
}

BOOST_AUTO_TEST_CASE(every_byte_against_the_unicode_mapping) {
  std::string scratch;
  for (unsigned b = 0x20; b <= 0xFF; ++b) {
    const std::string in(1, static_cast<char>(b));
    const DecodedText d = windows1252_to_utf8(in, scratch);
    const std::uint32_t cp = code_point(b);
    if (cp == 0) {
      BOOST_TEST(!d.ok(), "byte " << b);
      BOOST_TEST(d.bad_offset == 0u);
      BOOST_TEST(d.bad_byte == b);
      continue;
    }
    BOOST_REQUIRE_MESSAGE(d.ok(), "byte " << b);
    BOOST_TEST(std::string(d.text) == utf8(cp), "byte " << b);
    // What comes out is valid UTF-8 by the check every reader uses.
    std::string again;
    BOOST_TEST(to_utf8(TextEncoding::Utf8, d.text, again).ok(), "byte " << b);
  }
}

BOOST_AUTO_TEST_CASE(every_byte_against_glibc_iconv) {
  iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    BOOST_TEST_MESSAGE("glibc iconv has no WINDOWS-1252 here; skipped");
    return;
  }
  std::string scratch;
  for (unsigned b = 0x20; b <= 0xFF; ++b) {
    char in[1] = {static_cast<char>(b)};
    char out[8] = {};
    char* pin = in;
    char* pout = out;
    std::size_t in_left = 1, out_left = sizeof out;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    const bool iconv_ok = iconv(cd, &pin, &in_left, &pout, &out_left) != static_cast<size_t>(-1);
    const DecodedText d = windows1252_to_utf8(std::string_view(in, 1), scratch);
    BOOST_TEST(d.ok() == iconv_ok, "byte " << b);
    if (iconv_ok && d.ok()) {
      BOOST_TEST(std::string(d.text) == std::string(out, sizeof out - out_left), "byte " << b);
    }
  }
  iconv_close(cd);
}

BOOST_AUTO_TEST_CASE(undefined_bytes_are_errors_with_their_offset) {
  std::string scratch;
  for (const unsigned char b : {0x81, 0x8D, 0x8F, 0x90, 0x9D}) {
    std::string in = "Caf\xE9 ";
    in += static_cast<char>(b);
    const DecodedText d = windows1252_to_utf8(in, scratch);
    BOOST_TEST(!d.ok());
    BOOST_TEST(d.bad_offset == 5u);
    BOOST_TEST(d.bad_byte == b);
    BOOST_TEST(d.text.empty());
  }
  const DecodedText d = windows1252_to_utf8("ab\x81", scratch);
  BOOST_TEST(decode_error_message(TextEncoding::Windows1252, d) ==
             "byte 0x81 at offset 2 is not a character in Windows-1252; is the file in another "
             "encoding?");
}

BOOST_AUTO_TEST_CASE(utf8_input_is_checked_not_copied) {
  std::string scratch;
  const std::string_view ok =
      "Lyc\xC3\xA9"
      "e";
  const DecodedText d = to_utf8(TextEncoding::Utf8, ok, scratch);
  BOOST_REQUIRE(d.ok());
  BOOST_TEST(static_cast<const void*>(d.text.data()) == static_cast<const void*>(ok.data()));
  BOOST_TEST(scratch.empty());
  const DecodedText bad = to_utf8(TextEncoding::Utf8,
                                  "Lyc\xE9"
                                  "e",
                                  scratch);
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.bad_offset == 3u);
  BOOST_TEST(decode_error_message(TextEncoding::Utf8, bad) ==
             "byte 0xE9 at offset 3 is not valid UTF-8; if the file was saved as \"CSV (Comma "
             "delimited)\", declare it Windows-1252 or save it as \"CSV UTF-8\"");
  // The same bytes declared Windows-1252 convert.
  const DecodedText w = to_utf8(TextEncoding::Windows1252, "Lyc\xE9", scratch);
  BOOST_TEST(w.ok());
  BOOST_TEST(w.text == "Lyc\xC3\xA9");
}
