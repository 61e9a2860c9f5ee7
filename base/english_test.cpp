// Lists read aloud, as every message names several things.
#define BOOST_TEST_MODULE english
#include <boost/test/unit_test.hpp>

#include "base/english.hpp"

using namespace catengine;

BOOST_AUTO_TEST_CASE(lists_read_aloud) {
  using V = std::vector<std::string>;
  BOOST_TEST(list_in_words(V{}, "and") == "");
  BOOST_TEST(list_in_words(V{"a"}, "and") == "a");
  BOOST_TEST(list_in_words(V{"a", "b"}, "or") == "a or b");
  BOOST_TEST(list_in_words(V{"`a`", "`b`", "`c`"}, "and") == "`a`, `b` and `c`");
  BOOST_TEST(list_in_words(std::vector<std::string_view>{"text", "json", "sarif"}, "or") ==
             "text, json or sarif");
}
