// Tests of the scanner (lang/syntax/scanner.cpp): every kind of token with its span, the rules
// where tokens meet (dates, decimals, two-byte operators, unclosed strings, CRLF comments), and
// that the grammar's `reserved` rule and the scanner agree on the reserved words.
#define BOOST_TEST_MODULE scanner
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "lang/syntax/grammar.hpp"
#include "lang/syntax/scanner.hpp"

using namespace catengine::lang;
namespace p = tao::pegtl;

namespace {

// "Kind:text" for every token, so a test reads as the tokens it expects.
std::vector<std::string> shown(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) {
    std::string kind;
    switch (t.kind) {
      case TokenKind::End:
        kind = "End";
        break;
      case TokenKind::Blank:
        kind = "Blank";
        break;
      case TokenKind::Comment:
        kind = "Comment";
        break;
      case TokenKind::Word:
        kind = "Word";
        break;
      case TokenKind::Number:
        kind = "Number";
        break;
      case TokenKind::String:
        kind = t.closed ? "String" : "Unclosed";
        break;
      case TokenKind::Symbol:
        kind = "Symbol";
        break;
      case TokenKind::Invalid:
        kind = "Invalid";
        break;
    }
    out.push_back(kind + ":" + std::string(t.text(text)));
  }
  return out;
}

std::vector<std::string> all(std::string_view text) {
  return shown(text, scan(text));
}
std::vector<std::string> code(std::string_view text) {
  return shown(text, scan_code(text));
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_kind_of_token_with_its_span) {
  const std::string text = "define x = 1.5 # why\n  \"a \\\"b\\\"\" <= $";
  const std::vector<std::string> want = {"Word:define",
                                         "Blank: ",
                                         "Word:x",
                                         "Blank: ",
                                         "Symbol:=",
                                         "Blank: ",
                                         "Number:1.5",
                                         "Blank: ",
                                         "Comment:# why",
                                         "Blank:\n  ",
                                         "String:\"a \\\"b\\\"\"",
                                         "Blank: ",
                                         "Symbol:<=",
                                         "Blank: ",
                                         "Invalid:$"};
  BOOST_TEST(all(text) == want, boost::test_tools::per_element());
  // The spans tile the text exactly.
  std::uint32_t at = 0;
  for (const Token& t : scan(text)) {
    BOOST_TEST(t.begin == at);
    at = t.end;
  }
  BOOST_TEST(at == text.size());
}

BOOST_AUTO_TEST_CASE(numbers_dates_and_operators) {
  const std::vector<std::string> want = {
      "Number:2024-09-01", "Symbol:-",     "Number:1",  "Number:1.5", "Symbol:.",
      "Number:2",          "Number:12abc", "Symbol:>=", "Symbol:!=",  "Symbol:==",
      "Symbol:<",          "Symbol:&&",    "Invalid:&", "Symbol:||"};
  BOOST_TEST(code("2024-09-01-1 1.5.2 12abc >= != == < && & ||") == want,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(strings_end_at_their_quote_or_the_line) {
  // `#` inside a string is no comment; an unclosed string stops before the line ends.
  const std::vector<std::string> want = {"String:\"# no\"", "Blank: ", "Unclosed:\"open",
                                         "Blank:\r\n", "Word:x"};
  BOOST_TEST(all("\"# no\" \"open\r\nx") == want, boost::test_tools::per_element());
  // A backslash at the end of the line escapes nothing.
  const std::vector<std::string> unclosed = {"Unclosed:\"a\\", "Blank:\n", "Word:b"};
  BOOST_TEST(all("\"a\\\nb") == unclosed, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(comments_stop_before_a_crlf_line_end) {
  const std::vector<std::string> want = {"Comment:# note", "Blank:\r\n", "Word:use"};
  BOOST_TEST(all("# note\r\nuse") == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(invalid_characters_are_whole_utf8_sequences) {
  const std::vector<std::string> want = {"Invalid:\xC3\xA9", "Invalid:\xE2\x80\x9C", "Word:a",
                                         "Invalid:\xFF", "Invalid:;"};
  BOOST_TEST(code("\xC3\xA9\xE2\x80\x9C"
                  "a\xFF;") == want,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(skip_blanks_passes_blanks_and_comments_only) {
  const std::string text = "  # one\r\n\t# two\n  x";
  BOOST_TEST(skip_blanks(text, 0) == text.size() - 1);
  BOOST_TEST(skip_blanks(text, text.size() - 1) == text.size() - 1);
  BOOST_TEST(skip_blanks(text, text.size()) == text.size());
  const Token end = scan_token(text, text.size());
  BOOST_TEST((end.kind == TokenKind::End));
  BOOST_TEST(end.begin == text.size());
}

BOOST_AUTO_TEST_CASE(the_grammar_reserves_exactly_the_scanners_words) {
  auto reserved = [](const std::string& word) {
    p::memory_input in(word, "test");
    return p::parse<p::seq<grammar::reserved, p::eof>>(in);
  };
  auto ident = [](const std::string& word) {
    p::memory_input in(word, "test");
    return p::parse<p::seq<grammar::ident, p::eof>>(in);
  };
  for (std::string_view w : kReservedWords) {
    BOOST_TEST(reserved(std::string(w)), w);
    BOOST_TEST(!ident(std::string(w)), w);
    BOOST_TEST(ident(std::string(w) + "_x"), w);  // a reserved word is reserved only whole
  }
  for (std::string_view w : kDeclarationKeywords) BOOST_TEST(is_reserved(w), w);
  for (const char* w : {"from", "rule", "best", "Policy", "x1"}) {
    BOOST_TEST(!reserved(w), w);
    BOOST_TEST(ident(w), w);
  }
}
