// Tests of papers/html: every character that could open markup or leave an attribute is escaped,
// other text (UTF-8 included) passes through, and the page frame escapes its title and footer.
#define BOOST_TEST_MODULE papers_html
#include <boost/test/unit_test.hpp>

#include <string>

#include "papers/html.hpp"

using namespace catengine::engine;

BOOST_AUTO_TEST_CASE(script_tag_becomes_text) {
  BOOST_TEST(html_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
}

BOOST_AUTO_TEST_CASE(attribute_breakers_are_escaped) {
  BOOST_TEST(html_escape(R"(a "b" & 'c')") == "a &quot;b&quot; &amp; &#39;c&#39;");
  BOOST_TEST(html_escape("&amp;") == "&amp;amp;");  // already-escaped text is escaped again
}

BOOST_AUTO_TEST_CASE(other_text_passes_through) {
  BOOST_TEST(html_escape("St Kyneburgha's — Ørsted ½") == "St Kyneburgha&#39;s — Ørsted ½");
  BOOST_TEST(html_escape("") == "");
}

BOOST_AUTO_TEST_CASE(page_frame_escapes_title_and_footer) {
  const std::string start = page_start("<b>x</b>", "../");
  BOOST_TEST(start.find("<title>&lt;b&gt;x&lt;/b&gt;</title>") != std::string::npos);
  BOOST_TEST(start.find("@page") != std::string::npos);  // A4 print rules are inline
  BOOST_TEST(start.find("href=\"../index.html\"") != std::string::npos);
  const std::string end = page_end("<i>f</i>", false);
  BOOST_TEST(end.find("&lt;i&gt;f&lt;/i&gt;") != std::string::npos);
  BOOST_TEST(end.find("<script>") == std::string::npos);
  BOOST_TEST(page_end("", true).find("<script>") != std::string::npos);  // only when asked
}
