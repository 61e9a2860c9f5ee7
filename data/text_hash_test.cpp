#define BOOST_TEST_MODULE text_hash
#include <boost/test/unit_test.hpp>

// The TextPool's hash (text_hash.hpp): texts one byte apart, of every length the loads treat
// differently, hash differently, and names that differ only in a few characters spread over the
// low bits the index keeps. The pool itself gives the same ids whatever the hash (dataset_test).
#include <cstdint>
#include <set>
#include <string>

#include "data/dataset.hpp"
#include "data/text_hash.hpp"

using namespace catengine;
using namespace catengine::engine;

BOOST_AUTO_TEST_CASE(texts_one_byte_apart_hash_apart) {
  for (std::size_t n = 1; n <= 40; ++n) {
    const std::string base(n, 'a');
    const std::uint64_t h = text_hash(base);
    BOOST_TEST(text_hash(base.substr(0, n - 1)) != h);  // one byte shorter
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = base;
      other[i] = 'b';
      BOOST_TEST_INFO("length " << n << ", byte " << i);
      BOOST_TEST(text_hash(other) != h);
    }
  }
}

BOOST_AUTO_TEST_CASE(similar_names_spread_over_the_index_bits) {
  std::set<std::uint64_t> slots;
  for (int i = 0; i < 1000; ++i) {
    slots.insert(text_hash("Orton Longueville Primary Academy " + std::to_string(i)) & 2047);
  }
  // 1,000 random slots of 2,048 would fill about 795.
  BOOST_TEST(slots.size() > 700U);
  TextPool pool;  // and interning is still by text: the same text, the same id
  const Value a = pool.intern("Orton Longueville Primary Academy");
  BOOST_TEST(pool.intern("Hampton Community Primary School") != a);
  BOOST_TEST(pool.intern("Orton Longueville Primary Academy") == a);
}
