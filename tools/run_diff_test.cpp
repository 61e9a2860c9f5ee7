#define BOOST_TEST_MODULE run_diff
#include <boost/test/unit_test.hpp>

// Two saved runs compared by key and column name: changed cells, schools new to the later run,
// columns in one run only, and the level matrix over the schools in both.
#include "tools/run_diff.hpp"

using namespace catengine::engine;

namespace {

StoredRun run(std::string as_of, std::vector<std::string> columns,
              std::vector<std::vector<std::string>> rows) {
  StoredRun r;
  r.as_of = std::move(as_of);
  r.saved_at = "2026-01-06T09:00:00Z";
  r.key_column = "urn";
  for (auto& c : columns) {
    StoredColumn col{c, "", {}};
    if (c == "level") col.members = {"universal", "targeted", "intensive", "intervention"};
    r.columns.push_back(std::move(col));
  }
  r.rows = std::move(rows);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(changed_cells_new_schools_and_the_level_matrix) {
  const StoredRun autumn = run("2025-09-08", {"name", "level", "rule"},
                               {{"100001", "Ashby", "universal", "L10"},
                                {"100002", "Brampton", "targeted", "L6"},
                                {"100003", "Closed", "intensive", "L4"}});
  const StoredRun spring = run("2026-01-05", {"name", "level", "stuck"},
                               {{"100002", "Brampton", "intensive", "no"},
                                {"100001", "Ashby", "universal", "no"},
                                {"100004", "New", "targeted", "no"}});
  const PolicyDiff d = diff_runs(autumn, spring);
  BOOST_TEST(d.columns == (std::vector<std::string>{"name", "level"}),
             boost::test_tools::per_element());
  BOOST_TEST(d.only_old == (std::vector<std::string>{"rule"}), boost::test_tools::per_element());
  BOOST_TEST(d.only_new == (std::vector<std::string>{"stuck"}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(d.schools.size(), 2u);
  BOOST_TEST(d.schools[0].key == "100002");
  BOOST_REQUIRE_EQUAL(d.schools[0].cells.size(), 1u);
  BOOST_TEST(d.schools[0].cells[0].old_value == "targeted");
  BOOST_TEST(d.schools[0].cells[0].new_value == "intensive");
  BOOST_TEST(d.schools[1].key == "100004");  // new: every value against empty
  BOOST_TEST(d.schools[1].cells.size() == 2u);
  BOOST_TEST(d.matrix.column == "level");
  BOOST_REQUIRE_EQUAL(d.matrix.labels.size(), 4u);
  BOOST_TEST(d.matrix.counts[0][0] == 1u);  // universal -> universal
  BOOST_TEST(d.matrix.counts[1][2] == 1u);  // targeted -> intensive
  std::size_t total = 0;
  for (const auto& row : d.matrix.counts) {
    for (std::size_t n : row) total += n;
  }
  BOOST_TEST(total == 2u);  // only the schools in both runs
}
