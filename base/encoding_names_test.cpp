// Encoding names as policies write them: the one list behind `encoding is "..."`.
#define BOOST_TEST_MODULE text_encoding_names
#include <boost/test/unit_test.hpp>

#include "base/text_encoding.hpp"

using catengine::encoding_name;
using catengine::encoding_named;
using catengine::TextEncoding;

BOOST_AUTO_TEST_CASE(names) {
  for (const char* n : {"UTF-8", "utf-8", "utf8", " UTF8 ", "utf_8"}) {
    BOOST_TEST((encoding_named(n) == TextEncoding::Utf8), n);
  }
  for (const char* n : {"Windows-1252", "windows-1252", "WINDOWS 1252", "cp1252", "CP1252",
                        "latin-1", "Latin1", "ISO-8859-1"}) {
    BOOST_TEST((encoding_named(n) == TextEncoding::Windows1252), n);
  }
  for (const char* n : {"UTF-16", "", "ascii", "windows-1251", "utf-88"}) {
    BOOST_TEST(!encoding_named(n).has_value(), n);
  }
  BOOST_TEST(encoding_name(TextEncoding::Utf8) == "UTF-8");
  BOOST_TEST(encoding_name(TextEncoding::Windows1252) == "Windows-1252");
}
