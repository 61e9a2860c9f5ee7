// Tests of engine/provenance: SHA-256 against published vectors and the file-set framing.
#define BOOST_TEST_MODULE provenance
#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

#include "system/sha256.hpp"

using namespace catengine;

using Files = std::vector<std::pair<std::string, std::string>>;

BOOST_AUTO_TEST_CASE(sha256_known_vectors) {
  // FIPS 180-2 examples.
  BOOST_TEST(sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  BOOST_TEST(sha256_hex(std::string(1'000'000, 'a')) ==
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(sha256_hashes_every_byte) {
  const std::string with_nul("a\0b", 3);
  BOOST_TEST(sha256_hex(with_nul) != sha256_hex("a"));
  BOOST_TEST(sha256_hex(with_nul).size() == 64u);
}

BOOST_AUTO_TEST_CASE(files_hash_is_independent_of_order) {
  const Files one{{"a.policy", "x"}, {"b.policy", "yz"}, {"stdlib/c.policy", ""}};
  const Files two{{"stdlib/c.policy", ""}, {"b.policy", "yz"}, {"a.policy", "x"}};
  BOOST_TEST(sha256_of_files(one) == sha256_of_files(two));
}

BOOST_AUTO_TEST_CASE(files_hash_pins_the_documented_framing) {
  // Computed independently (Python hashlib + struct.pack('>Q')) from the framing in
  // provenance.hpp; if this changes, old provenance records stop matching.
  BOOST_TEST(sha256_of_files({{"b.policy", "yz"}, {"a.policy", "x"}}) ==
             "65debfb9284a0914ea1f76dcdce7d6850db35c50d71e8b4afb93726e23ab6055");
  BOOST_TEST(sha256_of_files({}) ==
             "0f9c14982cc08d0c5d331b46c4400763fd2425c8c8f8326993f11ea5f23ba37d");
}

BOOST_AUTO_TEST_CASE(files_hash_framing_is_unambiguous) {
  // Moving bytes between path and contents, or between files, must change the hash.
  BOOST_TEST(sha256_of_files({{"ab", "c"}}) != sha256_of_files({{"a", "bc"}}));
  BOOST_TEST(sha256_of_files({{"a", "bc"}, {"d", ""}}) !=
             sha256_of_files({{"a", "b"}, {"d", "c"}}));
  BOOST_TEST(sha256_of_files({{"a", ""}}) != sha256_of_files({}));
  BOOST_TEST(sha256_of_files({{"a", "x"}}) != sha256_of_files({{"a", "x"}, {"a", "x"}}));
  BOOST_TEST(sha256_of_files({{"a", "x"}}) != sha256_of_files({{"a", "y"}}));
  BOOST_TEST(sha256_of_files({{"a", "x"}}) != sha256_hex("x"));
}
