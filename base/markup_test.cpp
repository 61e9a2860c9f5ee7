// The one HTML/XML escaper and the hexadecimal digit reader.
#include <boost/test/unit_test.hpp>

#include "base/markup.hpp"

namespace catengine {

BOOST_AUTO_TEST_CASE(markup_escaping_is_safe_in_html_and_xml) {
  BOOST_TEST(markup_escaped(R"(<script>a "b" & 'c'</script>)") ==
             "&lt;script&gt;a &quot;b&quot; &amp; &#39;c&#39;&lt;/script&gt;");
  // Control characters XML 1.0 forbids become `?`; tab, line feed and carriage return stay.
  BOOST_TEST(markup_escaped(std::string_view("a\x01\tb\r\n\x1f", 7)) == "a?\tb\r\n?");
  BOOST_TEST(markup_escaped("Ørsted ½") == "Ørsted ½");  // UTF-8 passes through
  std::string out = "x";
  append_markup_escaped(out, "&");
  BOOST_TEST(out == "x&amp;");
}

BOOST_AUTO_TEST_CASE(hex_digits_in_either_case) {
  BOOST_TEST(hex_digit_value('0') == 0);
  BOOST_TEST(hex_digit_value('9') == 9);
  BOOST_TEST(hex_digit_value('a') == 10);
  BOOST_TEST(hex_digit_value('F') == 15);
  BOOST_TEST(hex_digit_value('g') == -1);
  BOOST_TEST(hex_digit_value('%') == -1);
}

}  // namespace catengine
