// Tests of system/table_memory: small blocks from operator new, large ones mapped on 2 MiB
// boundaries, zeroed when asked, and moved without copying.
#define BOOST_TEST_MODULE table_memory
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "system/table_memory.hpp"

using namespace catengine;

BOOST_AUTO_TEST_CASE(blocks_are_aligned_zeroed_when_asked_and_writable_to_the_end) {
  for (const std::size_t bytes : {std::size_t{1}, std::size_t{4096}, TableMemory::kMappedFrom - 1,
                                  TableMemory::kMappedFrom, TableMemory::kMappedFrom * 3 + 5}) {
    TableMemory m(bytes, true);
    BOOST_TEST_CONTEXT("bytes " << bytes) {
      BOOST_TEST(m.size() == bytes);
      BOOST_TEST(m.mapped() == (bytes >= TableMemory::kMappedFrom));
      const auto at = reinterpret_cast<std::uintptr_t>(m.data());
      BOOST_TEST(at % 64 == 0u);
      // A huge page can only back a block that starts on a 2 MiB boundary.
      if (m.mapped()) BOOST_TEST(at % (std::uintptr_t{2} << 20) == 0u);
      BOOST_TEST(
          std::all_of(m.data(), m.data() + bytes, [](std::byte b) { return b == std::byte{0}; }));
      std::fill(m.data(), m.data() + bytes, std::byte{0xAB});
      BOOST_TEST((m.data()[bytes - 1] == std::byte{0xAB}));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_moved_block_keeps_its_address_and_leaves_nothing_behind) {
  TableMemory a(TableMemory::kMappedFrom, false);
  std::byte* const where = a.data();
  where[7] = std::byte{42};
  TableMemory b(std::move(a));
  BOOST_TEST(b.data() == where);
  BOOST_TEST((b.data()[7] == std::byte{42}));
  BOOST_TEST(a.data() == nullptr);
  BOOST_TEST(a.size() == 0u);
  TableMemory c(16, false);
  c = std::move(b);  // c's own block is given back
  BOOST_TEST(c.data() == where);
  BOOST_TEST(b.data() == nullptr);
  TableMemory empty(0, true);
  BOOST_TEST(empty.data() == nullptr);
  BOOST_TEST(!empty.mapped());
}
