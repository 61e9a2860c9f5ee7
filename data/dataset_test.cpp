#define BOOST_TEST_MODULE dataset
#include <boost/test/unit_test.hpp>

// The bound records' columns in the width they need: four-byte columns give back exactly what was
// stored (missing included), a value too wide for its column widens it, and binding picks four
// bytes for the fields whose kind and bounds allow it.
#include <cstdint>
#include <limits>
#include <vector>

#include "compile/compiled_policy.hpp"
#include "data/binder.hpp"
#include "data/dataset.hpp"
#include "tests/support/test_support.hpp"

using namespace catengine;
using namespace catengine::engine;
using W = DataSet::Width;

BOOST_AUTO_TEST_CASE(four_byte_columns_give_back_what_was_stored) {
  DataSet d(3, {W::Narrow, W::Whole, W::Wide});
  d.resize(4);
  const std::vector<Value> narrow{0, -5, std::numeric_limits<std::int32_t>::max(), kMissing};
  const std::vector<Value> whole{decimal::from_integer(999'999), kMissing, 0,
                                 decimal::from_integer(-2'000'000'000)};
  const std::vector<Value> wide{std::numeric_limits<Value>::max(), kMissing, 1, -1};
  for (std::size_t r = 0; r < 4; ++r) {
    d.set(r, 0, narrow[r]);
    d.set(r, 1, whole[r]);
    d.set(r, 2, wide[r]);
  }
  BOOST_TEST((d.width(0) == W::Narrow));
  BOOST_TEST((d.width(1) == W::Whole));
  for (std::size_t r = 0; r < 4; ++r) {
    BOOST_TEST(d.at(r, 0) == narrow[r]);
    BOOST_TEST(d.at(r, 1) == whole[r]);
    BOOST_TEST(d.at(r, 2) == wide[r]);
    BOOST_TEST(d.row(r) == (std::vector<Value>{narrow[r], whole[r], wide[r]}),
               boost::test_tools::per_element());
  }
  std::vector<Value> lanes(3);
  d.column_into(1, 1, 3, lanes.data());
  BOOST_TEST(lanes == (std::vector<Value>{kMissing, 0, whole[3]}),
             boost::test_tools::per_element());
  BOOST_TEST(d.value_bytes() == 4u * 4 + 4u * 4 + 8u * 4);
}

BOOST_AUTO_TEST_CASE(a_value_too_wide_widens_its_column) {
  DataSet d(2, {W::Narrow, W::Whole});
  d.resize(3);
  d.set(0, 0, 7);
  d.set(0, 1, decimal::from_integer(3));
  // The smallest 32-bit integer marks a missing value, so it cannot be stored in four bytes.
  BOOST_TEST(!d.try_set(1, 0, std::numeric_limits<std::int32_t>::min()));
  BOOST_TEST((d.width(0) == W::Narrow));
  d.set(1, 0, std::numeric_limits<std::int32_t>::min());
  BOOST_TEST((d.width(0) == W::Wide));
  BOOST_TEST(!d.try_set(1, 1, 1));  // a fraction in a whole-number column
  d.set(1, 1, 1);
  d.set(2, 1, decimal::from_integer(5'000'000'000));
  BOOST_TEST((d.width(1) == W::Wide));
  BOOST_TEST(d.row(0) == (std::vector<Value>{7, decimal::from_integer(3)}),
             boost::test_tools::per_element());
  BOOST_TEST(d.at(1, 0) == std::numeric_limits<std::int32_t>::min());
  BOOST_TEST(d.at(1, 1) == 1);
  BOOST_TEST(d.at(2, 0) == kMissing);
  BOOST_TEST(d.at(2, 1) == decimal::from_integer(5'000'000'000));
}

BOOST_AUTO_TEST_CASE(rows_move_down_in_every_column) {
  DataSet d(2, {W::Narrow, W::Wide});
  d.resize(5);
  for (std::size_t r = 0; r < 5; ++r) {
    d.set(r, 0, static_cast<Value>(r));
    d.set(r, 1, static_cast<Value>(r * 10));
    d.source_row[r] = static_cast<std::uint32_t>(r + 2);
  }
  d.move_rows(3, 2, 1);
  d.resize(3);
  BOOST_TEST(d.size() == 3u);
  BOOST_TEST(d.at(1, 0) == 3);
  BOOST_TEST(d.at(2, 1) == 40);
  BOOST_TEST(d.source_row[2] == 6u);
}

// The columns live in one block: a copy has a block of its own, a move takes the block, rows
// added one at a time grow it without losing any, and a widened column keeps its neighbours.
BOOST_AUTO_TEST_CASE(copies_moves_and_growth_keep_every_value) {
  DataSet d(3, {W::Narrow, W::Wide, W::Whole});
  for (std::size_t r = 0; r < 1000; ++r) {  // past several doublings of the block
    const std::size_t i = d.add_row();
    BOOST_REQUIRE(i == r);
    d.set(i, 0, static_cast<Value>(r));
    d.set(i, 2, decimal::from_integer(static_cast<std::int64_t>(r) * 3));
    d.source_row[i] = static_cast<std::uint32_t>(r + 2);
  }
  auto check = [](const DataSet& t, Value wide_at_5) {
    BOOST_REQUIRE(t.size() == 1000u);
    for (std::size_t r = 0; r < 1000; ++r) {
      BOOST_REQUIRE(t.at(r, 0) == static_cast<Value>(r));
      BOOST_REQUIRE(t.at(r, 1) == (r == 5 ? wide_at_5 : kMissing));
      BOOST_REQUIRE(t.at(r, 2) == decimal::from_integer(static_cast<std::int64_t>(r) * 3));
    }
  };
  check(d, kMissing);
  DataSet copy = d;
  d.set(5, 1, 77);  // the original only
  check(copy, kMissing);
  check(d, 77);
  // Widening column 0 lays the table out again; the other columns come along.
  d.set(6, 0, std::numeric_limits<Value>::max());
  BOOST_TEST((d.width(0) == W::Wide));
  BOOST_TEST(d.at(6, 0) == std::numeric_limits<Value>::max());
  d.set(6, 0, 6);
  check(d, 77);
  DataSet moved = std::move(d);
  check(moved, 77);
  copy = moved;
  check(copy, 77);
  BOOST_TEST(copy.value_bytes() == 1000u * (8 + 8 + 4));
  copy.release_values();
  BOOST_TEST(copy.value_bytes() == 0u);
  BOOST_TEST(copy.size() == 1000u);
  // A large table is one block: 100,000 rows of three columns are 2 MB.
  DataSet big(3, {W::Narrow, W::Wide, W::Whole});
  big.resize(100'000);
  BOOST_TEST(big.at(99'999, 1) == kMissing);
  big.set(99'999, 1, 9);
  BOOST_TEST(big.at(99'999, 1) == 9);
}

BOOST_AUTO_TEST_CASE(peterborough_binds_most_fields_in_four_bytes) {
  const auto r = compile_policy(std::string(CATENGINE_SOURCE_DIR) + "/policies/peterborough");
  BOOST_REQUIRE(r.compiled);
  const std::vector<W> widths = column_widths(r.compiled->schema);
  const auto& fields = r.compiled->schema.fields;
  std::size_t four = 0;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (widths[f] != W::Wide) ++four;
    // A URN (an integer between 100000 and 999999) as a whole number; a progress score (a
    // number without bounds) in eight bytes.
    if (fields[f].name == "urn") BOOST_TEST((widths[f] == W::Whole));
    if (fields[f].name == "ks2_read_prog") BOOST_TEST((widths[f] == W::Wide));
    if (fields[f].name == "ks2_rwm") BOOST_TEST((widths[f] == W::Narrow));
  }
  BOOST_TEST(four >= fields.size() - 8);
}
