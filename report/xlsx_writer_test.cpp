// Tests of the results workbook (report/xlsx_writer, report/xlsx_book): the workbook written for
// the fixture in tests/xlsx is read back with catengine's own workbook reader (data/xlsx_reader)
// and compared cell by cell with what each type should become; then the provenance and warnings
// sheets, identical bytes from two runs, and the errors (text longer than a cell holds).
#define BOOST_TEST_MODULE xlsx_writer
#include <boost/test/unit_test.hpp>

#include <span>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/version.hpp"
#include "compile/compiled_policy.hpp"
#include "data/xlsx_reader.hpp"
#include "data/zip_archive.hpp"
#include "eval/evaluator.hpp"
#include "report/run_warnings.hpp"
#include "report/xlsx_book.hpp"
#include "report/xlsx_writer.hpp"
#include "system/atomic_file.hpp"
#include "tests/support/policy_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace catengine;
using namespace catengine::engine;

namespace {

using SheetRows = std::vector<std::vector<std::string>>;

std::string fixture_file(const std::string& name) {
  std::string error;
  auto text = read_file(std::filesystem::path(CATENGINE_SOURCE_DIR) / "tests/xlsx" / name, error);
  BOOST_REQUIRE_MESSAGE(text, error);
  return *text;
}

// The tests/xlsx fixture evaluated as of 2018-09-17.
struct WorkbookRun {
  std::unique_ptr<CompiledPolicy> compiled =
      test::compile_or_fail("workbook.policy", fixture_file("workbook.policy"));
  DataSet data = test::bind_or_fail(*compiled, fixture_file("schools.csv"), "schools.csv");
  const Value as_of = date_from_ymd(2018, 9, 17);
  Results results = evaluate(compiled->program, data, {as_of, 0});
  std::vector<RaisedWarning> warnings = find_warnings(*compiled, data, as_of);
  const Provenance provenance{"tests/xlsx",         std::string(64, 'a'), "schools.csv",
                              std::string(64, 'b'), "2018-09-17",         5};
  test::TempDir dir{"xlsx-writer"};

  WorkbookRun() { BOOST_REQUIRE(results.errors.empty()); }

  // The workbook's bytes; `error` holds the writer's message when it fails.
  std::string write(std::string& error, std::span<const RaisedWarning> raised) {
    const auto path = dir.path / "results.xlsx";
    std::filesystem::remove(path);
    if (!write_xlsx(path.string(), *compiled, data, results, provenance, raised, error)) return "";
    auto bytes = read_file(path, error);
    BOOST_REQUIRE_MESSAGE(bytes, error);
    return *bytes;
  }
  std::string write() {
    std::string error;
    std::string bytes = write(error, warnings);
    BOOST_REQUIRE_MESSAGE(!bytes.empty(), error);
    return bytes;
  }
};

// A sheet as catengine's reader sees it: header first, then each row; errors fail the test.
class SheetCollector : public CsvVisitor {
 public:
  SheetRows rows;
  void on_header(std::uint32_t, std::span<const std::string_view> cells) override {
    rows.emplace_back(cells.begin(), cells.end());
  }
  void on_row(std::uint32_t, std::span<const std::string_view> cells) override {
    rows.emplace_back(cells.begin(), cells.end());
  }
  bool wants_error() override { return true; }
  void on_error(DataError error) override { BOOST_ERROR(to_string(error)); }
};

SheetRows read_sheet(const std::string& bytes, const std::string& sheet) {
  SheetCollector c;
  read_xlsx("results.xlsx", bytes, c, {.sheet = sheet});
  return c.rows;
}

std::string part(const std::string& bytes, const std::string& name) {
  std::string error;
  auto zip = ZipArchive::open(bytes, 1 << 24, error);
  BOOST_REQUIRE_MESSAGE(zip, error);
  auto text = zip->read(name, error);
  BOOST_REQUIRE_MESSAGE(text, error);
  return *text;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_type_reads_back_as_it_should, WorkbookRun) {
  const SheetRows got = read_sheet(write(), "Results");
  // Numbers as General shows them (the reader drops the fixed decimals of the format); percents
  // with the column's three decimals and a %, so 62.5 is 0.625 in the cell; dates from the
  // date format as YYYY-MM-DD, but 1899-12-31 (before Excel's dates) is text; formula-looking
  // names exactly as given, with no apostrophe (a string cell is never run); missing is empty.
  const SheetRows expected = {
      {"urn", "name", "phase", "score", "share", "opened", "year", "funded", "level", "strong",
       "score and a half"},
      {"100001", "=HYPERLINK(\"x\")", "primary", "61.25", "62.500%", "2001-09-01", "2017/18", "yes",
       "good", "yes", "91.875"},
      {"100002", "+44 1733 747474", "secondary", "40", "50.000%", "1899-12-31", "2016/17", "no",
       "fair", "yes", "60"},
      {"100003", "-minus school", "primary", "", "12.125%", "", "", "", "poor", "no", ""},
      {"100004", "@mention school", "secondary", "39.9", "100.000%", "2018-09-17", "2018/19", "yes",
       "poor", "yes", "59.85"},
      {"100005", "Smith, Jones & Co \"Ünïcode\"", "primary", "-3", "0.000%", "1900-03-01",
       "2015/16", "no", "poor", "no", "-4.5"},
  };
  BOOST_REQUIRE_EQUAL(got.size(), expected.size());
  for (std::size_t r = 0; r < expected.size(); ++r) {
    // The reader fills short rows out to the header's width.
    std::vector<std::string> want = expected[r];
    want.resize(got[r].size());
    BOOST_TEST(got[r] == want, boost::test_tools::per_element());
  }
}

BOOST_FIXTURE_TEST_CASE(the_sheet_is_a_table_and_text_is_never_a_formula, WorkbookRun) {
  const std::string sheet = part(write(), "xl/worksheets/sheet1.xml");
  BOOST_TEST(
      sheet.find(R"(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>)") !=
      std::string::npos);
  BOOST_TEST(sheet.find(R"(<autoFilter ref="A1:K6"/>)") != std::string::npos);
  BOOST_TEST(sheet.find("<f>") == std::string::npos);
  // The level column (a scale) is filled by level: three fills, green for the best, red for the
  // worst, and nothing else in the styles has a fill of its own.
  const std::string styles = part(write(), "xl/styles.xml");
  BOOST_TEST(styles.find("FFC6EFCE") != std::string::npos);
  BOOST_TEST(styles.find("FFFFEB9C") != std::string::npos);
  BOOST_TEST(styles.find("FFFFC7CE") != std::string::npos);
  BOOST_TEST(styles.find(R"(formatCode="yyyy-mm-dd")") != std::string::npos);
  BOOST_TEST(styles.find(R"(formatCode="0.000%")") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(provenance_and_warnings_have_sheets_of_their_own, WorkbookRun) {
  const std::string bytes = write();
  const SheetRows provenance = read_sheet(bytes, "Provenance");
  const SheetRows expected = {
      {"item", "value", "sha256"},
      {"policy", "tests/xlsx", std::string(64, 'a')},
      {"policy title", "Workbook fixture", ""},
      {"data", "schools.csv", std::string(64, 'b')},
      {"records", "5", ""},
      {"as of", "2018-09-17", ""},
      {"catengine version", catengine_version(), ""},
  };
  BOOST_TEST(provenance == expected);
  const SheetRows warnings = read_sheet(bytes, "Warnings");
  const SheetRows expected_warnings = {{"row", "urn", "warning", "message"},
                                       {"4", "100003", "no_score", "The school has no score"}};
  BOOST_TEST(warnings == expected_warnings);
  // Without warnings there is no third sheet.
  std::string error;
  const std::string quiet = write(error, {});
  BOOST_TEST(part(quiet, "xl/workbook.xml").find("Warnings") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(two_runs_give_the_same_bytes, WorkbookRun) {
  const std::string first = write();
  BOOST_TEST(first == write());
  // The creation time is the as-of date, not the clock.
  BOOST_TEST(part(first, "docProps/core.xml").find("2018-09-17T00:00:00Z") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(text_longer_than_a_cell_holds_is_an_error, WorkbookRun) {
  data = test::bind_or_fail(*compiled,
                            "urn,name,phase,score,share,opened,year,funded\n"
                            "100001,short,primary,,,,,\n100002," +
                                std::string(32'768, 'x') + ",primary,,,,,\n");
  results = evaluate(compiled->program, data, {as_of, 0});
  std::string error;
  BOOST_TEST(write(error, {}).empty());
  BOOST_TEST(error ==
             "`name` in row 3 of the sheet Results is 32768 characters long, more than an Excel "
             "cell holds (32767); write CSV instead (`--format csv`)");
}

BOOST_FIXTURE_TEST_CASE(control_characters_and_escapes_read_back_as_written, WorkbookRun) {
  // A line break, a carriage return, a control character, and text that looks like Open XML's
  // own escape for a character (`_x0041_` is "A"), which must stay those seven characters.
  const std::string name = "two\nlines\r\nand\x01 _x0041_ _x00_ _x0041";
  data = test::bind_or_fail(*compiled, "urn,name,phase,score,share,opened,year,funded\n100001,\"" +
                                           name + "\",primary,,,,,\n");
  results = evaluate(compiled->program, data, {as_of, 0});
  std::string error;
  const SheetRows got = read_sheet(write(error, {}), "Results");
  BOOST_REQUIRE_EQUAL(got.size(), 2u);
  BOOST_TEST(got[1].at(1) == name);
}

BOOST_AUTO_TEST_CASE(excel_days_and_scale_fills) {
  BOOST_TEST(excel_serial_day(date_from_ymd(1900, 3, 1)) == 61.0);
  BOOST_TEST(excel_serial_day(date_from_ymd(2018, 9, 17)) == 43360.0);
  BOOST_TEST(excel_serial_day(date_from_ymd(1900, 2, 28)) == -1.0);
  BOOST_TEST(scale_fill(0, 5) == 0xC6EFCEu);
  BOOST_TEST(scale_fill(2, 5) == 0xFFEB9Cu);
  BOOST_TEST(scale_fill(4, 5) == 0xFFC7CEu);
  BOOST_TEST(scale_fill(0, 1) == 0xC6EFCEu);
  // Between the stops, a mix: each of five steps differs from the next.
  for (std::size_t i = 0; i + 1 < 5; ++i) BOOST_TEST(scale_fill(i, 5) != scale_fill(i + 1, 5));
}
