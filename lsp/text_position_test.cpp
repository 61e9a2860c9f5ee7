// Tests of lsp/text_position: UTF-16 positions to and from byte offsets (characters outside the
// Basic Multilingual Plane take two units, a byte that is not UTF-8 one), the three line endings,
// clamping as the protocol asks, and incremental edits applied in order.
#define BOOST_TEST_MODULE text_position
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>

#include "lsp/text_position.hpp"

namespace catengine::lsp {
// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& out, const Position& p) {
  return out << p.line << ':' << p.character;
}
}  // namespace catengine::lsp

using namespace catengine::lsp;

namespace {

Position at(std::string_view text, std::size_t offset) {
  return LineIndex(text).position(text, offset);
}
std::size_t offset_of(std::string_view text, std::uint32_t line, std::uint32_t character) {
  return LineIndex(text).offset(text, {line, character});
}
TextChange edit(std::uint32_t l1, std::uint32_t c1, std::uint32_t l2, std::uint32_t c2,
                std::string text) {
  return {true, {{l1, c1}, {l2, c2}}, std::move(text)};
}

}  // namespace

BOOST_AUTO_TEST_CASE(ascii_lines) {
  const std::string t = "ab\ncd\n";
  BOOST_TEST(at(t, 0) == (Position{0, 0}));
  BOOST_TEST(at(t, 2) == (Position{0, 2}));
  BOOST_TEST(at(t, 3) == (Position{1, 0}));
  BOOST_TEST(at(t, 6) == (Position{2, 0}));
  BOOST_TEST(at(t, 99) == (Position{2, 0}));  // clamped to the end
  BOOST_TEST(offset_of(t, 1, 1) == 4u);
}

BOOST_AUTO_TEST_CASE(utf16_units) {
  // é is 2 bytes and 1 unit; € 3 bytes, 1 unit; 🏫 4 bytes, 2 units (a surrogate pair).
  const std::string t =
      "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8F\xAB"
      "x";
  BOOST_TEST(at(t, 2) == (Position{0, 1}));
  BOOST_TEST(at(t, 5) == (Position{0, 2}));
  BOOST_TEST(at(t, 9) == (Position{0, 4}));
  BOOST_TEST(at(t, 7) == (Position{0, 2}));  // inside 🏫: its start
  BOOST_TEST(offset_of(t, 0, 4) == 9u);
  BOOST_TEST(offset_of(t, 0, 3) == 5u);  // between the surrogates: the character's start
  BOOST_TEST(offset_of(t, 0, 5) == 10u);
  BOOST_TEST(utf16_length(t) == 5u);
  // Every offset at a character's start comes back from its position.
  for (std::size_t o : {0u, 2u, 5u, 9u, 10u}) BOOST_TEST(offset_of(t, 0, at(t, o).character) == o);
}

BOOST_AUTO_TEST_CASE(invalid_bytes_count_one_unit) {
  const std::string t = "a\xFF\xC3z";
  BOOST_TEST(at(t, 2) == (Position{0, 2}));
  BOOST_TEST(at(t, 4) == (Position{0, 4}));
  BOOST_TEST(offset_of(t, 0, 3) == 3u);
}

BOOST_AUTO_TEST_CASE(line_endings_and_clamping) {
  const std::string t = "ab\r\ncd\ref\n";
  BOOST_TEST(at(t, 4) == (Position{1, 0}));
  BOOST_TEST(at(t, 7) == (Position{2, 0}));  // a lone CR ends a line
  BOOST_TEST(offset_of(t, 0, 99) == 2u);     // past the end of a line: before its CR LF
  BOOST_TEST(offset_of(t, 1, 99) == 6u);
  BOOST_TEST(offset_of(t, 9, 0) == t.size());  // past the last line: the end
  BOOST_TEST(LineIndex(t).line_count() == 4u);
}

BOOST_AUTO_TEST_CASE(incremental_edits) {
  std::string t = "define x: integer = 1\n";
  apply_changes(t, {edit(0, 20, 0, 21, "42")});
  BOOST_TEST(t == "define x: integer = 42\n");
  // Each change applies to the text the one before left.
  apply_changes(t, {edit(0, 7, 0, 8, "years"), edit(0, 7, 0, 7, "school_")});
  BOOST_TEST(t == "define school_years: integer = 42\n");
  // Across lines, and an insertion after a character outside the BMP.
  t = "# \xF0\x9F\x8F\xAB\nab\n";
  apply_changes(t, {edit(0, 4, 1, 1, "!")});
  BOOST_TEST(t == "# \xF0\x9F\x8F\xAB!b\n");
  // A range given end first is taken in order; a change without a range replaces everything.
  apply_changes(t, {edit(0, 5, 0, 4, "")});
  BOOST_TEST(t ==
             "# \xF0\x9F\x8F\xAB"
             "b\n");
  apply_changes(t, {TextChange{false, {}, "new"}});
  BOOST_TEST(t == "new");
}
