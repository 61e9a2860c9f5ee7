#define BOOST_TEST_MODULE source_join
#include <boost/test/unit_test.hpp>

// Joining named sources on the key: the school list's rows that count, in its order; the other
// files read only for those keys; absent schools missing or defaulted; errors named by source.
#include <string>
#include <vector>

#include "base/value.hpp"
#include "data/data_file.hpp"
#include "data/source_join.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

FieldSpec field(std::string name, std::string column, ValueKind kind, std::uint32_t source) {
  FieldSpec f;
  f.name = std::move(name);
  f.column = std::move(column);
  f.kind = kind;
  f.required = false;
  f.source = source;
  return f;
}

// gias (Windows-1252, only open rows count) and ofsted, joined on URN.
RecordSchema schema() {
  RecordSchema s;
  s.name = "School";
  SourceSpec gias;
  gias.name = "gias";
  gias.key_column = "URN";
  gias.encoding = TextEncoding::Windows1252;
  gias.row_tests = {{"Status", {"Open"}}};
  SourceSpec ofsted;
  ofsted.name = "ofsted";
  ofsted.key_column = "URN";
  ofsted.reading.missing_values = {"", "NULL"};
  s.sources = {gias, ofsted};
  FieldSpec urn = field("urn", "urn", ValueKind::Integer, 0);
  urn.key = true;
  urn.required = true;
  s.fields.push_back(urn);
  FieldSpec name = field("name", "Name", ValueKind::Text, 0);
  name.required = true;
  s.fields.push_back(name);
  s.fields.push_back(field("grade", "Overall", ValueKind::Integer, 1));
  FieldSpec flagged = field("flagged", "Flag", ValueKind::Boolean, 1);
  flagged.missing_means = 0;  // `missing means no`: also for a school absent from the file
  s.fields.push_back(flagged);
  return s;
}

BindResult join(const std::string& gias, const std::string& ofsted) {
  return bind_sources(schema(), {{true, "gias.csv", "", gias}, {true, "ofsted.csv", "", ofsted}});
}

std::vector<std::string> rendered(const std::vector<DataError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(to_string(e));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(joins_in_list_order_with_absent_schools_missing) {
  const BindResult r = join(
      "URN,Name,Status\r\n200002,Lyc\xE9"
      "e,Open\r\n100001,St Mary\x92s,Open\r\n300003,Shut,Closed\r\n",
      "\xEF\xBB\xBFURN,Overall,Flag\n100001,2,yes\n999999,not a number,what\n");
  BOOST_TEST(rendered(r.errors).empty());
  BOOST_REQUIRE_EQUAL(r.data.size(), 2u);
  // The list's order, its row numbers, and its text converted to UTF-8.
  BOOST_TEST(r.data.row(0)[0] == decimal::from_integer(200002));
  BOOST_TEST(r.data.text.text(r.data.row(0)[1]) ==
             "Lyc\xC3\xA9"
             "e");
  BOOST_TEST(r.data.source_row[0] == 2u);
  BOOST_TEST(r.data.text.text(r.data.row(1)[1]) == "St Mary\xE2\x80\x99s");
  // 200002 is not in ofsted: its grade is missing and its flag takes the default.
  BOOST_TEST(r.data.row(0)[2] == kMissing);
  BOOST_TEST(r.data.row(0)[3] == 0);
  BOOST_TEST(r.data.row(1)[2] == decimal::from_integer(2));
  BOOST_TEST(r.data.row(1)[3] == 1);
}

BOOST_AUTO_TEST_CASE(every_error_of_every_source_named) {
  const BindResult r = join("URN,Name,Status\n100001,Bad \x81,Open\n100002,Fine,Open\n",
                            "URN,Overall,Flag\n100002,x,no\n100002,3,yes\n");
  BOOST_TEST(rendered(r.errors) ==
                 (std::vector<std::string>{
                     "gias.csv:2:Name: [gias] byte 0x81 (character 5 of `Bad \\x81`) is not a "
                     "character in Windows-1252",
                     "ofsted.csv:2:Overall: [ofsted] expected a whole number, found `x`",
                     "ofsted.csv:3:URN: [ofsted] `100002` is a duplicate: `urn` must be unique "
                     "and row 2 already has it"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_optional_source_not_given_leaves_its_fields_missing) {
  RecordSchema s = schema();
  s.sources[1].may_be_absent = true;
  const BindResult r = bind_sources(
      s, {{true, "gias.csv", "", "URN,Name,Status\n100001,A,open\n"}, {false, "", "", ""}});
  BOOST_TEST(rendered(r.errors).empty());
  BOOST_REQUIRE_EQUAL(r.data.size(), 1u);  // `open` counts: row tests ignore case
  BOOST_TEST(r.data.row(0)[2] == kMissing);
  BOOST_TEST(r.data.row(0)[3] == 0);
}

BOOST_AUTO_TEST_CASE(a_row_test_column_missing_from_the_header_is_an_error) {
  const BindResult r = join("URN,Name,State\n100001,A,Open\n", "URN,Overall,Flag\n");
  BOOST_TEST(rendered(r.errors) ==
                 (std::vector<std::string>{
                     "gias.csv:1:-: [gias] column `Status`, which says which rows count (`rows "
                     "count when`), is missing from the header; did you mean `State` (column "
                     "C)?"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(required_in_its_file_is_required_in_the_file_but_missing_when_absent) {
  RecordSchema s = schema();
  s.fields[2].required_in_file = true;  // grade: every ofsted row must have one
  const BindResult bad =
      bind_sources(s, {{true, "gias.csv", "", "URN,Name,Status\n100001,A,Open\n100002,B,Open\n"},
                       {true, "ofsted.csv", "", "URN,Overall,Flag\n100001,,yes\n"}});
  BOOST_TEST(rendered(bad.errors) ==
                 (std::vector<std::string>{"ofsted.csv:2:Overall: [ofsted] `grade` is required "
                                           "but the cell is empty"}),
             boost::test_tools::per_element());
  const BindResult good =
      bind_sources(s, {{true, "gias.csv", "", "URN,Name,Status\n100001,A,Open\n100002,B,Open\n"},
                       {true, "ofsted.csv", "", "URN,Overall,Flag\n100001,3,yes\n"}});
  BOOST_TEST(rendered(good.errors).empty());
  BOOST_REQUIRE_EQUAL(good.data.size(), 2u);
  BOOST_TEST(good.data.row(0)[2] == decimal::from_integer(3));
  BOOST_TEST(good.data.row(1)[2] == kMissing);  // 100002 is not in the file
}

// A window (BindOptions::window) is given the joined records, not each source's: the sources are
// bound and joined whole first, then handed over in windows, which together are the join.
BOOST_AUTO_TEST_CASE(a_window_is_given_the_joined_records) {
  std::vector<GivenFile> files(2);
  files[0] = {true, "gias.csv", "",
              FileBytes(std::string("URN,Name,Status\n100001,A,Open\n"
                                    "100002,B,Closed\n100003,C,Open\n"
                                    "100004,D,Open\n"))};
  files[1] = {true, "ofsted.csv", "", FileBytes(std::string("URN,Overall,Flag\n100004,2,yes\n"))};
  const BindResult whole = bind_files(schema(), files);
  BOOST_REQUIRE(whole.errors.empty());
  BOOST_REQUIRE_EQUAL(whole.data.size(), 3u);
  std::vector<std::vector<Value>> seen;
  std::vector<std::size_t> counts;
  BindOptions options;
  options.window_rows = 2;
  options.window = [&](const BoundWindow& w) {
    BOOST_TEST(w.clean);
    counts.push_back(w.count);
    for (std::size_t r = w.first; r < w.first + w.count; ++r) seen.push_back(w.records.row(r));
  };
  const BindResult windowed = bind_files(schema(), files, options);
  BOOST_TEST(windowed.windowed == 3u);
  BOOST_TEST(counts == (std::vector<std::size_t>{2, 1}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(seen.size(), 3u);
  for (std::size_t r = 0; r < 3; ++r)
    BOOST_TEST(seen[r] == whole.data.row(r), boost::test_tools::per_element());
  BOOST_TEST(seen[2][2] == decimal::from_integer(2));  // 100004's grade, from the second file
}
