// Tests of lang/utf8: which byte sequences are UTF-8 (the ASCII fast path included), and how
// untrusted text is shown in messages and under a caret.
#define BOOST_TEST_MODULE utf8
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

#include "base/utf8.hpp"

using namespace catengine::lang;
constexpr auto npos = std::string_view::npos;

BOOST_AUTO_TEST_CASE(sequence_lengths) {
  BOOST_TEST(utf8_sequence_length("") == 0u);
  BOOST_TEST(utf8_sequence_length("a") == 1u);
  BOOST_TEST(utf8_sequence_length("\xC3\xA9") == 2u);          // é
  BOOST_TEST(utf8_sequence_length("\xE2\x82\xAC") == 3u);      // €
  BOOST_TEST(utf8_sequence_length("\xF0\x9F\x8F\xAB") == 4u);  // 🏫
  BOOST_TEST(utf8_sequence_length("\xC0\xAF") == 0u);          // overlong `/`
  BOOST_TEST(utf8_sequence_length("\xE0\x80\xAF") == 0u);      // overlong
  BOOST_TEST(utf8_sequence_length("\xF0\x80\x80\xAF") == 0u);  // overlong
  BOOST_TEST(utf8_sequence_length("\xED\xA0\x80") == 0u);      // a surrogate
  BOOST_TEST(utf8_sequence_length("\xF4\x90\x80\x80") == 0u);  // above U+10FFFF
  BOOST_TEST(utf8_sequence_length("\xF5\x80\x80\x80") == 0u);
  BOOST_TEST(utf8_sequence_length("\x80") == 0u);      // a continuation byte alone
  BOOST_TEST(utf8_sequence_length("\xE2\x82") == 0u);  // cut short
  BOOST_TEST(utf8_sequence_length("\xE2\x82x") == 0u);
  BOOST_TEST(utf8_sequence_length("\xFF") == 0u);
}

BOOST_AUTO_TEST_CASE(first_invalid_byte) {
  BOOST_TEST(first_invalid_utf8("") == npos);
  BOOST_TEST(first_invalid_utf8("plain ASCII text, longer than eight bytes") == npos);
  BOOST_TEST(first_invalid_utf8("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8F\xAB") == npos);
  // A bad byte at every offset of a long ASCII run: before, inside and after each 8-byte word.
  for (std::size_t at = 0; at < 40; ++at) {
    std::string s(40, 'x');
    s[at] = '\xE9';
    BOOST_TEST(first_invalid_utf8(s) == at);
    BOOST_TEST(!is_valid_utf8(s));
  }
  // The first of several, after valid multi-byte characters; a sequence cut off at the end.
  BOOST_TEST(first_invalid_utf8("\xC3\xA9\xC3\xA9 ok \xFF\xFE") == 8u);
  BOOST_TEST(first_invalid_utf8("ends in \xE2\x82") == 8u);
  BOOST_TEST(first_invalid_utf8("\xA9 leading continuation") == 0u);
}

BOOST_AUTO_TEST_CASE(text_in_messages) {
  BOOST_TEST(shown_text("plain") == "plain");
  BOOST_TEST(shown_text("Caf\xC3\xA9") == "Caf\xC3\xA9");
  BOOST_TEST(shown_text("a\nb\r\tc\x01\xE9") == "a\\nb\\r\\tc\\x01\\xe9");
  BOOST_TEST(shown_text("abcdef", 3) == "abc...");
  BOOST_TEST(is_valid_utf8(shown_text("\xFF\xC3\x28\xED\xA0\x80")));
}

BOOST_AUTO_TEST_CASE(text_under_a_caret) {
  BOOST_TEST(replace_invalid_utf8("Caf\xC3\xA9") == "Caf\xC3\xA9");
  BOOST_TEST(replace_invalid_utf8("Caf\xE9!") == "Caf\xEF\xBF\xBD!");
  BOOST_TEST(replace_invalid_utf8("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
