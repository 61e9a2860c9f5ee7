#define BOOST_TEST_MODULE binder
#include <boost/test/unit_test.hpp>

// The binder: every rule of the Peterborough spec section 1 for reading a record file, with the
// exact values produced and the exact error lines.
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "data/binder.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

FieldSpec field(std::string name, ValueKind kind, bool required = false) {
  FieldSpec f;
  f.name = name;
  f.column = std::move(name);
  f.kind = kind;
  f.required = required;
  return f;
}

// A cut-down School record with one field of every kind.
RecordSchema school() {
  RecordSchema s;
  s.optional_columns_may_be_absent = true;  // the Peterborough rule (spec section 1)
  s.name = "School";
  FieldSpec urn = field("urn", ValueKind::Integer, true);
  urn.key = true;
  urn.low = decimal::from_integer(100000);
  urn.high = decimal::from_integer(999999);
  s.fields.push_back(urn);
  s.fields.push_back(field("name", ValueKind::Text, true));
  FieldSpec phase = field("phase", ValueKind::Enumeration, true);
  phase.labels = {"primary", "secondary", "special", "pru"};
  s.fields.push_back(phase);
  s.fields.push_back(field("academic_year", ValueKind::AcademicYear, true));
  s.fields.push_back(field("in_network", ValueKind::Boolean, true));
  s.fields.push_back(field("ofsted_date", ValueKind::Date));
  s.fields.push_back(field("ks2_rwm", ValueKind::Percent));
  s.fields.push_back(field("ks4_p8", ValueKind::Number));
  FieldSpec safety = field("safety_threatened", ValueKind::Boolean);
  safety.missing_means = 0;
  s.fields.push_back(safety);
  FieldSpec category = field("ofsted_category", ValueKind::Enumeration);
  category.labels = {"none", "serious_weaknesses", "special_measures"};
  category.missing_means = 0;
  s.fields.push_back(category);
  return s;
}

enum F : std::size_t {
  kUrn,
  kName,
  kPhase,
  kYear,
  kNetwork,
  kOfstedDate,
  kRwm,
  kP8,
  kSafety,
  kCategory
};

constexpr std::string_view kHeader =
    "urn,name,phase,academic_year,in_network,ofsted_date,ks2_rwm,ks4_p8,safety_threatened,"
    "ofsted_category\n";

std::vector<std::string> rendered(const BindResult& r) {
  std::vector<std::string> out;
  for (const DataError& e : r.errors) out.push_back(to_string(e));
  return out;
}

void check_errors(const BindResult& r, const std::vector<std::string>& expected) {
  BOOST_TEST(rendered(r) == expected, boost::test_tools::per_element());
}

// Binds a file with the full header and the given data lines.
BindResult bind_rows(std::string_view rows) {
  return bind_records("schools.csv", std::string(kHeader) + std::string(rows), school());
}

// Binds one row where only the named column differs from a valid row, and returns the errors.
BindResult bind_with(std::string_view column, std::string_view cell) {
  const std::vector<std::pair<std::string_view, std::string_view>> base = {
      {"urn", "100001"},           {"name", "Ashby Primary"},
      {"phase", "primary"},        {"academic_year", "2016/17"},
      {"in_network", "yes"},       {"ofsted_date", "2018-09-02"},
      {"ks2_rwm", "64.9"},         {"ks4_p8", "-0.25"},
      {"safety_threatened", "no"}, {"ofsted_category", "none"}};
  std::string row;
  for (std::size_t i = 0; i < base.size(); ++i) {
    if (i > 0) row += ',';
    row += base[i].first == column ? cell : base[i].second;
  }
  return bind_rows(row + "\n");
}

Value date(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days(year_month_day{year{y}, month{m}, day{d}}).time_since_epoch().count();
}

Value dec(std::string_view s) {
  return *decimal::parse(s);
}

// The single error of binding one altered cell, rendered.
std::string one_error(std::string_view column, std::string_view cell) {
  const BindResult r = bind_with(column, cell);
  BOOST_REQUIRE_EQUAL(r.errors.size(), 1u);
  return to_string(r.errors[0]);
}

// The value of one altered cell, which must bind without error.
Value value_of(std::string_view column, std::string_view cell, std::size_t f) {
  const BindResult r = bind_with(column, cell);
  BOOST_TEST(rendered(r).empty(), "unexpected errors for `" << cell << "`");
  BOOST_REQUIRE_EQUAL(r.data.size(), 1u);
  return r.data.row(0)[f];
}

}  // namespace

BOOST_AUTO_TEST_CASE(binds_a_valid_row) {
  const BindResult r = bind_rows(
      "100001, Ashby Primary ,Primary,2016/17,YES,2018-09-02,64.9%,+3,y,Special_Measures\n");
  check_errors(r, {});
  BOOST_REQUIRE_EQUAL(r.data.size(), 1u);
  BOOST_TEST(r.data.field_count == 10u);
  const std::vector<Value> v = r.data.row(0);
  BOOST_TEST(r.data.source_row[0] == 2u);
  BOOST_TEST(v[kUrn] == 100001 * decimal::kScale);
  BOOST_TEST(r.data.text.text(v[kName]) == "Ashby Primary");
  BOOST_TEST(v[kPhase] == 0);
  BOOST_TEST(v[kYear] == 2016);
  BOOST_TEST(v[kNetwork] == 1);
  BOOST_TEST(v[kOfstedDate] == date(2018, 9, 2));
  BOOST_TEST(v[kRwm] == 64'900'000);
  BOOST_TEST(v[kP8] == 3'000'000);
  BOOST_TEST(v[kSafety] == 1);
  BOOST_TEST(v[kCategory] == 2);
}

BOOST_AUTO_TEST_CASE(columns_in_any_order_extra_ignored_optional_absent) {
  const BindResult r = bind_records("s.csv",
                                    "comment,in_network,academic_year,phase,name,urn\n"
                                    "hello,no,2019/20,PRU,Xavier,999999\n",
                                    school());
  check_errors(r, {});
  BOOST_REQUIRE_EQUAL(r.data.size(), 1u);
  const std::vector<Value> v = r.data.row(0);
  BOOST_TEST(v[kUrn] == 999999 * decimal::kScale);
  BOOST_TEST(r.data.text.text(v[kName]) == "Xavier");
  BOOST_TEST(v[kPhase] == 3);
  BOOST_TEST(v[kYear] == 2019);
  BOOST_TEST(v[kNetwork] == 0);
  BOOST_TEST(v[kOfstedDate] == kMissing);  // absent optional column: missing
  BOOST_TEST(v[kRwm] == kMissing);
  BOOST_TEST(v[kSafety] == 0);    // missing means no
  BOOST_TEST(v[kCategory] == 0);  // missing means none
}

BOOST_AUTO_TEST_CASE(bom_crlf_blank_lines_and_quoted_line_breaks) {
  const std::string text =
      "\xEF\xBB\xBFurn,name,phase,academic_year,in_network\r\n"
      "100001,\"Ashby,\r\nPrimary\",primary,2016/17,yes\r\n"
      "\r\n"
      "100002,B,secondary,2016/17,nope\r\n";
  const BindResult r = bind_records("s.csv", text, school());
  check_errors(r, {"s.csv:4:in_network: expected yes or no (`yes`, `y`, `true`, `1`, `no`, `n`, "
                   "`false`, `0`), found `nope`"});
  BOOST_REQUIRE_EQUAL(r.data.size(), 2u);
  BOOST_TEST(r.data.text.text(r.data.row(0)[kName]) == "Ashby,\r\nPrimary");
  BOOST_TEST(r.data.source_row[1] == 4u);
}

BOOST_AUTO_TEST_CASE(header_only_is_a_valid_empty_data_set) {
  const BindResult r = bind_records("s.csv", std::string(kHeader), school());
  check_errors(r, {});
  BOOST_TEST(r.data.size() == 0u);
  BOOST_TEST(r.data.field_count == 10u);
}

BOOST_AUTO_TEST_CASE(empty_file) {
  check_errors(bind_records("s.csv", "", school()),
               {"s.csv:-:-: the file is empty; expected a header row"});
}

BOOST_AUTO_TEST_CASE(missing_codes_any_case) {
  for (std::string_view code : {"", "SUPP", "supp", "ne", "NP", "LowCov", "na", "x", "X", "  "}) {
    BOOST_TEST(value_of("ks2_rwm", code, kRwm) == kMissing);
    BOOST_TEST(value_of("ofsted_date", code, kOfstedDate) == kMissing);
    BOOST_TEST(value_of("safety_threatened", code, kSafety) == 0);  // missing_means
  }
}

BOOST_AUTO_TEST_CASE(missing_in_a_required_column) {
  BOOST_TEST(one_error("urn", "") == "schools.csv:2:urn: `urn` is required but the cell is empty");
  BOOST_TEST(one_error("urn", "  ") ==
             "schools.csv:2:urn: `urn` is required but the cell is empty");
  BOOST_TEST(one_error("name", "SUPP") ==
             "schools.csv:2:name: `name` is required but the cell holds `SUPP`, which means "
             "missing");
  BOOST_TEST(
      one_error("phase", "x") ==
      "schools.csv:2:phase: `phase` is required but the cell holds `x`, which means missing");
}

BOOST_AUTO_TEST_CASE(field_name_and_column_may_differ) {
  RecordSchema s;
  FieldSpec f = field("urn", ValueKind::Integer, true);
  f.column = "URN";
  s.fields.push_back(f);
  check_errors(bind_records("s.csv", "URN\nne\n", s),
               {"s.csv:2:URN: `urn` is required but the cell holds `ne`, which means missing"});
}

BOOST_AUTO_TEST_CASE(integers) {
  BOOST_TEST(value_of("urn", "  123456 ", kUrn) == 123456 * decimal::kScale);
  BOOST_TEST(value_of("urn", "+123456", kUrn) == 123456 * decimal::kScale);
  BOOST_TEST(value_of("urn", "123456.0", kUrn) == 123456 * decimal::kScale);
  BOOST_TEST(one_error("urn", "123456.5") ==
             "schools.csv:2:urn: expected a whole number, found `123456.5`");
  BOOST_TEST(one_error("urn", "12a") == "schools.csv:2:urn: expected a whole number, found `12a`");
  BOOST_TEST(one_error("urn", "100001%") ==
             "schools.csv:2:urn: expected a whole number, found `100001%` (`%` is only allowed on "
             "percentages)");
  BOOST_TEST(one_error("urn", "99999") ==
             "schools.csv:2:urn: `99999` is out of range: expected a whole number from 100000 to "
             "999999");
  BOOST_TEST(one_error("urn", "1000000") ==
             "schools.csv:2:urn: `1000000` is out of range: expected a whole number from 100000 "
             "to 999999");
  BOOST_TEST(one_error("urn", "99999999999999999999") ==
             "schools.csv:2:urn: expected a whole number, found `99999999999999999999` (too "
             "large)");
}

BOOST_AUTO_TEST_CASE(numbers) {
  BOOST_TEST(value_of("ks4_p8", "-5", kP8) == -5'000'000);
  BOOST_TEST(value_of("ks4_p8", "0.25", kP8) == 250'000);
  BOOST_TEST(value_of("ks4_p8", "+3", kP8) == 3'000'000);
  BOOST_TEST(value_of("ks4_p8", "64.9", kP8) == dec("64.9"));
  BOOST_TEST(one_error("ks4_p8", "5%") ==
             "schools.csv:2:ks4_p8: expected a number, found `5%` (`%` is only allowed on "
             "percentages)");
  BOOST_TEST(one_error("ks4_p8", "1e3") ==
             "schools.csv:2:ks4_p8: expected a number such as `-5`, `0.25` or `+3`, found `1e3`");
  BOOST_TEST(one_error("ks4_p8", ".5") ==
             "schools.csv:2:ks4_p8: expected a number such as `-5`, `0.25` or `+3`, found `.5`");
  BOOST_TEST(one_error("ks4_p8", "1.") ==
             "schools.csv:2:ks4_p8: expected a number such as `-5`, `0.25` or `+3`, found `1.`");
  BOOST_TEST(one_error("ks4_p8", "0.1234567") ==
             "schools.csv:2:ks4_p8: expected a number, found `0.1234567` (more than 6 decimal "
             "places)");
}

BOOST_AUTO_TEST_CASE(number_bounds) {
  RecordSchema s;
  FieldSpec low = field("low", ValueKind::Number);
  low.low = 0;
  FieldSpec high = field("high", ValueKind::Number);
  high.high = decimal::from_integer(4);
  s.fields = {low, high};
  const BindResult r = bind_records("s.csv", "low,high\n0,4\n-0.5,4.01\n", s);
  check_errors(r, {"s.csv:3:low: `-0.5` is out of range: expected a number of at least 0",
                   "s.csv:3:high: `4.01` is out of range: expected a number of at most 4"});
  BOOST_TEST(r.data.row(0)[0] == 0);
  BOOST_TEST(r.data.row(0)[1] == 4'000'000);
}

BOOST_AUTO_TEST_CASE(percentages) {
  BOOST_TEST(value_of("ks2_rwm", "64.9", kRwm) == 64'900'000);
  BOOST_TEST(value_of("ks2_rwm", "64.9%", kRwm) == 64'900'000);
  BOOST_TEST(value_of("ks2_rwm", " 100 % ", kRwm) == 100'000'000);
  BOOST_TEST(value_of("ks2_rwm", "0%", kRwm) == 0);
  BOOST_TEST(one_error("ks2_rwm", "101%") ==
             "schools.csv:2:ks2_rwm: `101%` is not a percentage from 0 to 100");
  BOOST_TEST(one_error("ks2_rwm", "105") ==
             "schools.csv:2:ks2_rwm: `105` is not a percentage from 0 to 100");
  BOOST_TEST(one_error("ks2_rwm", "-1") ==
             "schools.csv:2:ks2_rwm: `-1` is not a percentage from 0 to 100");
  BOOST_TEST(
      one_error("ks2_rwm", "50%%") ==
      "schools.csv:2:ks2_rwm: expected a percentage such as `64.9` or `64.9%`, found `50%%`");
  BOOST_TEST(one_error("ks2_rwm", "%") ==
             "schools.csv:2:ks2_rwm: expected a percentage such as `64.9` or `64.9%`, found `%`");
}

BOOST_AUTO_TEST_CASE(booleans) {
  for (std::string_view w : {"yes", "Y", "TRUE", "1", "yEs"}) {
    BOOST_TEST(value_of("in_network", w, kNetwork) == 1);
  }
  for (std::string_view w : {"no", "N", "False", "0"}) {
    BOOST_TEST(value_of("in_network", w, kNetwork) == 0);
  }
  BOOST_TEST(one_error("in_network", "2") ==
             "schools.csv:2:in_network: expected yes or no (`yes`, `y`, `true`, `1`, `no`, `n`, "
             "`false`, `0`), found `2`");
}

BOOST_AUTO_TEST_CASE(dates) {
  BOOST_TEST(value_of("ofsted_date", "2018-09-02", kOfstedDate) == date(2018, 9, 2));
  BOOST_TEST(value_of("ofsted_date", "2/9/2018", kOfstedDate) == date(2018, 9, 2));
  BOOST_TEST(value_of("ofsted_date", "02/09/2018", kOfstedDate) == date(2018, 9, 2));
  BOOST_TEST(value_of("ofsted_date", "1970-01-01", kOfstedDate) == 0);
  BOOST_TEST(value_of("ofsted_date", "2020-02-29", kOfstedDate) == date(2020, 2, 29));
  BOOST_TEST(value_of("ofsted_date", "29/2/2020", kOfstedDate) == date(2020, 2, 29));
  BOOST_TEST(one_error("ofsted_date", "29/2/2019") ==
             "schools.csv:2:ofsted_date: expected a date as YYYY-MM-DD or D/M/YYYY, found "
             "`29/2/2019` (no such date)");
  BOOST_TEST(one_error("ofsted_date", "2019-02-29") ==
             "schools.csv:2:ofsted_date: expected a date as YYYY-MM-DD or D/M/YYYY, found "
             "`2019-02-29` (no such date)");
  BOOST_TEST(one_error("ofsted_date", "31/02/2018") ==
             "schools.csv:2:ofsted_date: expected a date as YYYY-MM-DD or D/M/YYYY, found "
             "`31/02/2018` (no such date)");
  BOOST_TEST(one_error("ofsted_date", "2018-13-01") ==
             "schools.csv:2:ofsted_date: expected a date as YYYY-MM-DD or D/M/YYYY, found "
             "`2018-13-01` (no such date)");
  for (std::string_view bad : {"2018-9-2", "2/9/18", "002/9/2018", "2018/09/02", "yesterday"}) {
    BOOST_TEST(one_error("ofsted_date", bad) ==
               "schools.csv:2:ofsted_date: expected a date as YYYY-MM-DD or D/M/YYYY, found `" +
                   std::string(bad) + "`");
  }
}

BOOST_AUTO_TEST_CASE(date_formats_come_from_the_reading_rules) {
  RecordSchema s;
  s.fields.push_back(field("d", ValueKind::Date));
  s.reading.date_formats = {DateFormat::Iso};
  check_errors(bind_records("s.csv", "d\n2/9/2018\n", s),
               {"s.csv:2:d: expected a date as YYYY-MM-DD, found `2/9/2018`"});
}

BOOST_AUTO_TEST_CASE(enumerations_ignore_case) {
  BOOST_TEST(value_of("phase", "SECONDARY", kPhase) == 1);
  BOOST_TEST(value_of("phase", "Special", kPhase) == 2);
  BOOST_TEST(value_of("ofsted_category", "Serious_Weaknesses", kCategory) == 1);
  BOOST_TEST(one_error("phase", "junior") ==
             "schools.csv:2:phase: expected one of `primary`, `secondary`, `special`, `pru`, "
             "found `junior`");
}

BOOST_AUTO_TEST_CASE(academic_years) {
  BOOST_TEST(value_of("academic_year", "2016/17", kYear) == 2016);
  BOOST_TEST(value_of("academic_year", "1999/00", kYear) == 1999);
  BOOST_TEST(one_error("academic_year", "2016/18") ==
             "schools.csv:2:academic_year: expected an academic year as YYYY/YY such as "
             "`2016/17`, found `2016/18` (the year after 2016 ends in `17`)");
  BOOST_TEST(one_error("academic_year", "2008/10") ==
             "schools.csv:2:academic_year: expected an academic year as YYYY/YY such as "
             "`2016/17`, found `2008/10` (the year after 2008 ends in `09`)");
  for (std::string_view bad : {"2016", "2016/2017", "16/17", "2016-17"}) {
    BOOST_TEST(one_error("academic_year", bad) ==
               "schools.csv:2:academic_year: expected an academic year as YYYY/YY such as "
               "`2016/17`, found `" +
                   std::string(bad) + "`");
  }
}

BOOST_AUTO_TEST_CASE(text_is_trimmed_and_interned) {
  const BindResult r = bind_rows(
      "100001,  Same  ,primary,2016/17,yes,,,,,\n"
      "100002,Same,primary,2016/17,yes,,,,,\n"
      "100003,\"  Other\t\",primary,2016/17,yes,,,,,\n");
  check_errors(r, {});
  BOOST_REQUIRE_EQUAL(r.data.size(), 3u);
  BOOST_TEST(r.data.row(0)[kName] == r.data.row(1)[kName]);
  BOOST_TEST(r.data.text.text(r.data.row(2)[kName]) == "Other");
  BOOST_TEST(r.data.text.size() == 2u);
}

BOOST_AUTO_TEST_CASE(duplicate_key_names_the_first_row) {
  const BindResult r = bind_rows(
      "100001,A,primary,2016/17,yes,,,,,\n"
      "\n"
      "100002,B,primary,2016/17,yes,,,,,\n"
      "+100001,C,primary,2016/17,yes,,,,,\n");
  check_errors(r, {"schools.csv:5:urn: `+100001` is a duplicate: `urn` must be unique and row 2 "
                   "already has it"});
}

BOOST_AUTO_TEST_CASE(duplicate_keys_at_the_ends_of_the_range_and_three_times) {
  // The URN's direct table (a seen bit and a first row per value): the lowest and highest
  // values, neighbours sharing a word of bits, and a value met three times, whose later rows
  // both name the first.
  const BindResult r = bind_rows(
      "100000,A,primary,2016/17,yes,,,,,\n"
      "999999,B,primary,2016/17,yes,,,,,\n"
      "100001,C,primary,2016/17,yes,,,,,\n"
      "100000,D,primary,2016/17,yes,,,,,\n"
      "999999,E,primary,2016/17,yes,,,,,\n"
      "100000,F,primary,2016/17,yes,,,,,\n");
  check_errors(r, {"schools.csv:5:urn: `100000` is a duplicate: `urn` must be unique and row 2 "
                   "already has it",
                   "schools.csv:6:urn: `999999` is a duplicate: `urn` must be unique and row 3 "
                   "already has it",
                   "schools.csv:7:urn: `100000` is a duplicate: `urn` must be unique and row 2 "
                   "already has it"});
}

BOOST_AUTO_TEST_CASE(rows_with_the_wrong_number_of_cells) {
  const BindResult r = bind_rows(
      "100001,A,primary,2016/17,yes,,,,\n"
      "100002,A,primary,2016/17,yes,,,,,,\n"
      "100003\n"
      "100004,A,primary,2016/17,yes,,,,,\n");
  check_errors(r, {"schools.csv:2:-: found 9 cells, expected 10 (one per header column)",
                   "schools.csv:3:-: found 11 cells, expected 10 (one per header column)",
                   "schools.csv:4:-: found 1 cell, expected 10 (one per header column)"});
  BOOST_REQUIRE_EQUAL(r.data.size(), 1u);  // the good row is still bound
  BOOST_TEST(r.data.source_row[0] == 5u);
}

BOOST_AUTO_TEST_CASE(required_columns_absent) {
  check_errors(bind_records("s.csv", "urn,name,phase,in_network\n100001,A,primary,yes\n", school()),
               {"s.csv:1:-: required column `academic_year` is missing from the header"});
  // Several in one error; the rows are still checked.
  check_errors(bind_records("s.csv", "name,ks2_rwm\nA,120\n", school()),
               {"s.csv:1:-: required columns `urn`, `phase`, `academic_year` and `in_network` are "
                "missing from the header",
                "s.csv:2:ks2_rwm: `120` is not a percentage from 0 to 100"});
}

BOOST_AUTO_TEST_CASE(duplicate_header_names) {
  // `urn` is used by the schema: an error. `note` is not: ignored.
  const BindResult r = bind_records("s.csv",
                                    "urn,note,name,phase,academic_year,in_network,note,urn\n"
                                    "100001,a,A,primary,2016/17,yes,b,100002\n",
                                    school());
  check_errors(r, {"s.csv:1:urn: column `urn` appears more than once in the header (columns A "
                   "and H)"});
}

BOOST_AUTO_TEST_CASE(csv_syntax_errors_are_merged_in_row_order) {
  const BindResult r = bind_rows(
      "100001,A,primary,2016/17,maybe,,,,,\n"
      "100002,\"B\"x,primary,2016/17,yes,,,,,\n"
      "100003,C,primary,2016/17,yes,,,,,\"open\n");
  check_errors(
      r, {"schools.csv:2:in_network: expected yes or no (`yes`, `y`, `true`, `1`, `no`, `n`, "
          "`false`, `0`), found `maybe`",
          "schools.csv:3:name: expected `,` or the end of the line after a closing quote, found "
          "`x` (a quote inside a quoted cell must be doubled)",
          "schools.csv:4:ofsted_category: a quoted cell starting on this row is never closed (its "
          "`\"` runs to the end of the file)"});
}

BOOST_AUTO_TEST_CASE(every_error_reported_in_order) {
  const BindResult r = bind_rows(
      "12,,junior,2016/18,maybe,29/2/2019,101%,5%,perhaps,bad\n"
      "\n"
      "100001,ok,primary,2016/17,yes,2/9/2018,SUPP,ne,X,NONE\n"
      "100001,ok,primary,2016/17,yes,,,,,\n");
  check_errors(
      r,
      {"schools.csv:2:urn: `12` is out of range: expected a whole number from 100000 to 999999",
       "schools.csv:2:name: `name` is required but the cell is empty",
       "schools.csv:2:phase: expected one of `primary`, `secondary`, `special`, `pru`, found "
       "`junior`",
       "schools.csv:2:academic_year: expected an academic year as YYYY/YY such as `2016/17`, found "
       "`2016/18` (the year after 2016 ends in `17`)",
       "schools.csv:2:in_network: expected yes or no (`yes`, `y`, `true`, `1`, `no`, `n`, `false`, "
       "`0`), found `maybe`",
       "schools.csv:2:ofsted_date: expected a date as YYYY-MM-DD or D/M/YYYY, found `29/2/2019` "
       "(no such date)",
       "schools.csv:2:ks2_rwm: `101%` is not a percentage from 0 to 100",
       "schools.csv:2:ks4_p8: expected a number, found `5%` (`%` is only allowed on percentages)",
       "schools.csv:2:safety_threatened: expected yes or no (`yes`, `y`, `true`, `1`, `no`, `n`, "
       "`false`, `0`), found `perhaps`",
       "schools.csv:2:ofsted_category: expected one of `none`, `serious_weaknesses`, "
       "`special_measures`, found `bad`",
       "schools.csv:5:urn: `100001` is a duplicate: `urn` must be unique and row 4 already has "
       "it"});
}

BOOST_AUTO_TEST_CASE(errors_follow_column_order_in_the_file) {
  // The file's columns run in a different order from the schema's fields.
  const BindResult r = bind_records("s.csv",
                                    "in_network,academic_year,phase,name,urn\n"
                                    "maybe,2016,infant,A,1\n",
                                    school());
  BOOST_REQUIRE_EQUAL(r.errors.size(), 4u);
  BOOST_TEST(r.errors[0].column == "in_network");
  BOOST_TEST(r.errors[1].column == "academic_year");
  BOOST_TEST(r.errors[2].column == "phase");
  BOOST_TEST(r.errors[3].column == "urn");
}

BOOST_AUTO_TEST_CASE(error_values_are_shown_on_one_line) {
  BOOST_TEST(one_error("phase", "\"a\nb\xFF\"") ==
             "schools.csv:2:phase: expected one of `primary`, `secondary`, `special`, `pru`, "
             "found `a\\nb\\xff`");
  BOOST_TEST(one_error("phase", "caf\xC3\xA9") ==
             "schools.csv:2:phase: expected one of `primary`, `secondary`, `special`, `pru`, "
             "found `caf\xC3\xA9`");
}

// Text is kept as written and reaches every writer (JSON refuses bytes that are not UTF-8), so a
// text cell or a header that is not UTF-8 is a data error, shown with the bad bytes escaped.
BOOST_AUTO_TEST_CASE(text_that_is_not_utf8_is_a_data_error) {
  BOOST_TEST(one_error("name", "Caf\xE9 School") ==
             "schools.csv:2:name: expected text in UTF-8, found `Caf\\xe9 School`");
  BOOST_TEST(one_error("name", "Ashby\xC3") ==  // a sequence cut short
             "schools.csv:2:name: expected text in UTF-8, found `Ashby\\xc3`");
  BOOST_TEST(one_error("name", "\xED\xA0\x80") ==  // a surrogate
             "schools.csv:2:name: expected text in UTF-8, found `\\xed\\xa0\\x80`");
  // Valid UTF-8, and a file whose only bad bytes are in a column the record does not read.
  BOOST_TEST(rendered(bind_with("name", "Caf\xC3\xA9 \xF0\x9F\x8F\xAB")).empty());
  const BindResult unread =
      bind_records("schools.csv",
                   std::string(kHeader.substr(0, kHeader.size() - 1)) + ",notes\n" +
                       "100001,Ashby,primary,2016/17,yes,,,,,,caf\xE9\n",
                   school());
  BOOST_TEST(rendered(unread).empty());
  // The header, and every bad cell of the file in one run, in row order.
  const BindResult r = bind_records(
      "schools.csv",
      std::string(kHeader.substr(0, kHeader.size() - 1)) + ",not\xE9s\n" +
          "100001,Ashby\xFF,primary,2016/17,yes,,,,,,x\n100002,Birch,primary,2016/17,yes,,,,,,x\n"
          "100003,Cedar\x80,primary,2016/17,yes,,,,,,x\n",
      school());
  check_errors(r, {"schools.csv:1:-: expected text in UTF-8 in the header (column K), found "
                   "`not\\xe9s`",
                   "schools.csv:2:name: expected text in UTF-8, found `Ashby\\xff`",
                   "schools.csv:4:name: expected text in UTF-8, found `Cedar\\x80`"});
}

// A file read in pieces, one per thread, reports the same errors as one read whole.
BOOST_AUTO_TEST_CASE(text_that_is_not_utf8_is_found_when_read_in_pieces) {
  std::string csv(kHeader);
  for (int i = 0; i < 400; ++i) {
    csv += std::to_string(100001 + i) + (i == 321 ? ",Bad\xFE," : ",Good,") +
           "primary,2016/17,yes,,,,,\n";
  }
  const BindResult whole = bind_records("schools.csv", csv, school(), {.threads = 1});
  const BindResult pieces =
      bind_records("schools.csv", csv, school(), {.threads = 4, .min_piece_bytes = 64});
  check_errors(whole, {"schools.csv:323:name: expected text in UTF-8, found `Bad\\xfe`"});
  check_errors(pieces, {"schools.csv:323:name: expected text in UTF-8, found `Bad\\xfe`"});
}

// Percentages that all look like fractions are warned about once for the whole file, whether it
// is read whole or in pieces (the pieces' counts are added up before the warning is judged).
BOOST_AUTO_TEST_CASE(fraction_warning_is_the_same_when_read_in_pieces) {
  std::string csv(kHeader);
  for (int i = 0; i < 400; ++i) {
    csv += std::to_string(100001 + i) + ",Good,primary,2016/17,yes,,0." +
           std::to_string(10 + i % 80) + ",,,\n";
  }
  const auto warnings = [](const BindResult& r) {
    std::vector<std::string> out;
    for (const DataError& e : r.warnings) out.push_back(to_string(e));
    return out;
  };
  const BindResult whole = bind_records("schools.csv", csv, school(), {.threads = 1});
  const BindResult pieces =
      bind_records("schools.csv", csv, school(), {.threads = 4, .min_piece_bytes = 64});
  check_errors(whole, {});
  check_errors(pieces, {});
  const std::vector<std::string> expected = {
      "schools.csv:-:ks2_rwm: every value of `ks2_rwm` lies between 0 and 1 (400 values): a "
      "percentage is written from 0 to 100 (`62` or `62%`), so these look like fractions"};
  BOOST_TEST(warnings(whole) == expected, boost::test_tools::per_element());
  BOOST_TEST(warnings(pieces) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(errors_are_capped_at_1000) {
  std::string rows;
  for (int i = 0; i < 1500; ++i) rows += "1,A,primary,2016/17,yes,,,,,\n";  // urn out of range
  const BindResult r = bind_rows(rows);
  BOOST_REQUIRE_EQUAL(r.errors.size(), 1001u);
  BOOST_TEST(to_string(r.errors[999]) ==
             "schools.csv:1001:urn: `1` is out of range: expected a whole number from 100000 to "
             "999999");
  BOOST_TEST(to_string(r.errors[1000]) ==
             "schools.csv:-:-: 500 more errors not shown (only the first 1000 are listed)");
}

BOOST_AUTO_TEST_CASE(csv_errors_count_towards_the_cap) {
  std::string rows;
  for (int i = 0; i < 1200; ++i) rows += "\"x\"y\n";
  const BindResult r = bind_rows(rows);
  BOOST_REQUIRE_EQUAL(r.errors.size(), 1001u);
  BOOST_TEST(r.errors[999].row == 1001u);
  BOOST_TEST(r.errors[1000].message ==
             "200 more errors not shown (only the first 1000 are listed)");
}

BOOST_AUTO_TEST_CASE(to_string_format) {
  BOOST_TEST(to_string(DataError{"a.csv", 7, "urn", "bad"}) == "a.csv:7:urn: bad");
  BOOST_TEST(to_string(DataError{"a.csv", 0, "-", "whole file"}) == "a.csv:-:-: whole file");
}

BOOST_AUTO_TEST_CASE(random_bytes_never_throw) {
  RecordSchema s;
  FieldSpec key = field("k", ValueKind::Integer, true);
  key.key = true;
  s.fields.push_back(key);
  s.fields.push_back(field("t", ValueKind::Text));
  s.fields.push_back(field("d", ValueKind::Date));
  s.fields.push_back(field("p", ValueKind::Percent));
  FieldSpec e = field("e", ValueKind::Enumeration);
  e.labels = {"a", "b"};
  s.fields.push_back(e);
  s.fields.push_back(field("y", ValueKind::AcademicYear));
  s.fields.push_back(field("b", ValueKind::Boolean));

  std::mt19937 rng(20240607);
  // Mostly bytes that matter to CSV, so the grammar's corners are reached often.
  const std::string alphabet = ",,,\"\"\"\n\n\r \t%-+./0123456789kxaybSUPP\xEF\xBB\xBF\xFF";
  std::size_t bound_rows = 0, errors = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string bytes;
    if (i % 2 == 0) bytes = "k,t,d,p,e,y,b\n";
    const std::size_t n = rng() % 200;
    for (std::size_t j = 0; j < n; ++j) {
      bytes += i % 5 == 0 ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    }
    BOOST_CHECK_NO_THROW({
      const BindResult r = bind_records("fuzz.csv", bytes, s);
      bound_rows += r.data.size();
      errors += r.errors.size();
      const std::size_t values = r.data.size() * r.data.field_count;
      BOOST_REQUIRE(r.data.value_bytes() >= values * 4);
      BOOST_REQUIRE(r.data.value_bytes() <= values * 8);
      for (const DataError& err : r.errors) BOOST_REQUIRE(!to_string(err).empty());
    });
  }
  BOOST_TEST(errors > 0u);
}

// Streaming (BindOptions::window): the records handed over window by window are, in order,
// exactly the records the file binds to whole, text included; the table is reused, so a window's
// records start missing again (a default is written again, a missing cell stays missing); and a
// window after an error is handed over as not clean.
BOOST_AUTO_TEST_CASE(windows_hand_over_every_record_as_binding_whole_gives_them) {
  std::string rows;
  for (int i = 0; i < 50; ++i) {
    const std::string urn = std::to_string(100000 + i);
    // Every third row leaves its optional cells empty, so a reused record must be reset.
    rows += urn + ",School " + std::to_string(i % 7) + (i % 2 ? ",primary" : ",secondary") +
            ",2016/17,yes," + (i % 3 ? "2018-09-02,64.9,-0.25,yes,special_measures" : ",,,,") +
            "\n";
  }
  const BindResult whole = bind_rows(rows);
  BOOST_REQUIRE(whole.errors.empty());
  BOOST_REQUIRE_EQUAL(whole.data.size(), 50u);
  for (const std::size_t size :
       {std::size_t{1}, std::size_t{3}, std::size_t{49}, std::size_t{50}, std::size_t{2048}}) {
    BOOST_TEST_CONTEXT("windows of " << size) {
      std::vector<std::vector<std::string>> seen;  // each record's values, text as text
      std::vector<std::uint32_t> source_rows;
      BindOptions options;
      options.window_rows = size;
      std::size_t read = 0;
      options.window = [&](const BoundWindow& w) {
        BOOST_TEST(w.clean);
        BOOST_TEST(w.count <= size);
        // The bytes read only grow, and never past the start of the window's last row.
        BOOST_TEST(w.bytes_read >= read);
        read = w.bytes_read;
        const DataSet& d = w.records;
        for (std::size_t r = w.first; r < w.first + w.count; ++r) {
          std::vector<std::string> values;
          for (std::size_t f = 0; f < d.field_count; ++f) {
            const Value v = d.at(r, f);
            values.push_back(f == kName && v != kMissing ? std::string(d.text.text(v))
                                                         : std::to_string(v));
          }
          seen.push_back(values);
          source_rows.push_back(d.source_row[r]);
        }
      };
      const BindResult streamed =
          bind_records("schools.csv", std::string(kHeader) + rows, school(), options);
      BOOST_TEST(streamed.errors.empty());
      BOOST_TEST(streamed.windowed == 50u);
      BOOST_REQUIRE_EQUAL(seen.size(), 50u);
      for (std::size_t r = 0; r < 50; ++r) {
        BOOST_TEST(source_rows[r] == whole.data.source_row[r]);
        for (std::size_t f = 0; f < whole.data.field_count; ++f) {
          const Value v = whole.data.at(r, f);
          const std::string expected = f == kName && v != kMissing
                                           ? std::string(whole.data.text.text(v))
                                           : std::to_string(v);
          BOOST_TEST(seen[r][f] == expected, "record " << r << ", field " << f);
        }
      }
    }
  }
  // A bad cell in row 12 (record 10): the windows from the one holding it on are not clean, and
  // the errors are those of binding whole.
  std::string bad = rows;
  bad.replace(bad.find(",primary", bad.find("100010,")), 8, ",primery");
  std::vector<bool> clean;
  BindOptions options;
  options.window_rows = 4;
  options.window = [&](const BoundWindow& w) { clean.push_back(w.clean); };
  const BindResult streamed =
      bind_records("schools.csv", std::string(kHeader) + bad, school(), options);
  check_errors(streamed, rendered(bind_rows(bad)));
  BOOST_REQUIRE_EQUAL(streamed.errors.size(), 1u);
  BOOST_REQUIRE_EQUAL(clean.size(), 13u);  // 50 records in windows of four
  for (std::size_t w = 0; w < clean.size(); ++w) BOOST_TEST(clean[w] == (w < 2), "window " << w);
}

// The row loop reads a cell before trimming it (its fast paths take no padded text) and sends
// any other cell, trimmed, to the general reading: a padded cell must bind exactly as the same
// cell unpadded, value and message alike, whatever its kind, and also when a missing code or a
// yes word is itself padded (those fields are trimmed first).
BOOST_AUTO_TEST_CASE(padded_cells_bind_as_trimmed_ones) {
  const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> cells = {
      {"urn", {"100002", "99", "1000x", "SUPP"}},
      {"phase", {"primary", "PRU", "prim", "x", "well below"}},
      {"academic_year", {"2016/17", "2016/18", "16/17"}},
      {"in_network", {"yes", "N", "1", "maybe", "NA"}},
      {"ofsted_date", {"2018-09-02", "2/9/2018", "2019-02-29", "2018/09/02", "x"}},
      {"ks2_rwm", {"64.9", "64.9%", "101", "-1", ".5", "5.", "1e5", "LOWCOV", "x", "%"}},
      {"ks4_p8", {"-0.25", "+3", "12345678901234", "0.1234567", "5%", "NP"}},
      {"safety_threatened", {"no", "y", "x", "0"}},
      {"ofsted_category", {"none", "Special_Measures", "x", "bad"}}};
  RecordSchema padded_words = school();
  padded_words.reading.missing_values.push_back(" n/a");
  padded_words.reading.yes_words.push_back("oui\t");
  RecordSchema plain_words = school();
  for (const RecordSchema* schema : {&plain_words, &padded_words}) {
    const auto bound = [&](std::string_view column, std::string_view cell) {
      std::string row;
      for (std::string_view c :
           {"urn", "name", "phase", "academic_year", "in_network", "ofsted_date", "ks2_rwm",
            "ks4_p8", "safety_threatened", "ofsted_category"}) {
        if (!row.empty()) row += ',';
        row += c == column            ? std::string(cell)
               : c == "urn"           ? std::string("100001")
               : c == "name"          ? std::string("Ashby")
               : c == "phase"         ? std::string("primary")
               : c == "academic_year" ? std::string("2016/17")
               : c == "in_network"    ? std::string("yes")
                                      : std::string();
      }
      const std::string file = std::string(kHeader) + row + "\n";
      return bind_records("schools.csv", file, *schema);
    };
    for (const auto& [column, texts] : cells) {
      std::vector<std::string_view> all = texts;
      if (schema == &padded_words) {
        all.push_back("n/a");
        all.push_back("oui");
      }
      for (std::string_view t : all) {
        const BindResult plain = bound(column, t);
        for (const std::string& pad :
             {" " + std::string(t), std::string(t) + "\t", "\t " + std::string(t) + "  "}) {
          const BindResult padded = bound(column, pad);
          BOOST_TEST_INFO("column " << column << ", cell `" << pad << "`");
          BOOST_TEST(rendered(padded) == rendered(plain), boost::test_tools::per_element());
          BOOST_TEST_INFO("column " << column << ", cell `" << pad << "`");
          BOOST_REQUIRE_EQUAL(padded.data.size(), plain.data.size());
          for (std::size_t r = 0; r < plain.data.size(); ++r) {
            BOOST_TEST(padded.data.row(r) == plain.data.row(r), boost::test_tools::per_element());
          }
        }
      }
    }
  }
}

// A duplicate key in the direct table (a small range) is reported in its place: after the row's
// earlier cells' errors, before its later ones, and within the first kMaxDataErrors by that
// order (a check made later in the row, to let its seen bit arrive from memory, would have to
// keep all three).
BOOST_AUTO_TEST_CASE(a_duplicate_key_checked_at_the_end_of_its_row_is_reported_in_its_place) {
  RecordSchema s = school();
  s.fields[kUrn].high = decimal::from_integer(100999);  // a small range: the direct table
  const std::string header =
      "phase,urn,name,academic_year,in_network,ofsted_date,ks2_rwm,ks4_p8,safety_threatened,"
      "ofsted_category\n";
  const BindResult r = bind_records("schools.csv",
                                    header +
                                        "primary,100001,A,2016/17,yes,,,,,\n"
                                        "primery,100001,B,2016/17,maybe,,,,,\n",
                                    s);
  BOOST_REQUIRE_EQUAL(r.errors.size(), 3u);
  BOOST_TEST(r.errors[0].column == "phase");
  BOOST_TEST(to_string(r.errors[1]) ==
             "schools.csv:3:urn: `100001` is a duplicate: `urn` must be unique and row 2 already "
             "has it");
  BOOST_TEST(r.errors[2].column == "in_network");
  // 999 bad rows (one error each: no URN), then a duplicate with two bad cells after it: the
  // duplicate is the 1,000th error kept, and the two after it are counted.
  std::string many = header + "primary,100001,A,2016/17,yes,,,,,\n";
  for (int i = 0; i < 999; ++i) many += "primary,,Y,2016/17,yes,,,,,\n";
  many += "primary,100001,B,2016/17,maybe,not a date,,,,\n";
  const BindResult capped = bind_records("schools.csv", many, s);
  BOOST_REQUIRE_EQUAL(capped.errors.size(), kMaxDataErrors + 1);
  BOOST_TEST(capped.errors[kMaxDataErrors - 1].column == "urn");
  BOOST_TEST(capped.errors[kMaxDataErrors - 1].row == 1002u);
  BOOST_TEST(capped.errors[kMaxDataErrors].message ==
             "2 more errors not shown (only the first 1000 are listed)");
  // One more bad row first: the duplicate is the 1,001st, so it is counted, not listed.
  const std::string more =
      many.substr(0, header.size()) + "primary,,Y,2016/17,yes,,,,,\n" + many.substr(header.size());
  const BindResult full = bind_records("schools.csv", more, s);
  BOOST_REQUIRE_EQUAL(full.errors.size(), kMaxDataErrors + 1);
  BOOST_TEST(full.errors[kMaxDataErrors - 1].row == 1002u);  // a row without a URN
  BOOST_TEST(full.errors[kMaxDataErrors - 1].message.find("required") != std::string::npos);
  BOOST_TEST(full.errors[kMaxDataErrors].message ==
             "3 more errors not shown (only the first 1000 are listed)");
}

// A file's records are made ahead from its first 64 KiB (long lines there, short ones after, so
// far more rows than that foretells; or the other way round): the table grows, or is cut back,
// and every record is bound as it would be with the exact number made ahead.
BOOST_AUTO_TEST_CASE(more_or_fewer_rows_than_the_first_64_kib_foretell) {
  for (const bool long_first : {true, false}) {
    std::string rows;
    std::vector<std::string> names;
    for (int i = 0; i < 20'300; ++i) {
      const bool long_line = long_first ? i < 300 : i >= 20'000;
      names.push_back((long_line ? std::string(300, 'L') : "S") + std::to_string(i));
      rows += std::to_string(100000 + i) + "," + names.back() + ",primary,2016/17,yes,,,,,\n";
    }
    const BindResult r = bind_rows(rows);
    BOOST_TEST_CONTEXT("long lines first: " << long_first) {
      BOOST_REQUIRE(r.errors.empty());
      BOOST_REQUIRE_EQUAL(r.data.size(), names.size());
      for (std::size_t i = 0; i < names.size(); ++i) {
        BOOST_REQUIRE(r.data.at(i, kUrn) == decimal::from_integer(100000 + static_cast<int>(i)));
        BOOST_REQUIRE(r.data.text.text(r.data.at(i, kName)) == names[i]);
        BOOST_REQUIRE(r.data.source_row[i] == i + 2);
      }
    }
  }
}
