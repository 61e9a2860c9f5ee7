#define BOOST_TEST_MODULE csv_reader
#include <boost/test/unit_test.hpp>

// The CSV reader: RFC 4180 quoting, line ends, the BOM, spreadsheet row numbers, and errors as
// values for the ways a file can be broken.
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/csv_reader.hpp"

using namespace catengine::engine;
using Cells = std::vector<std::string_view>;

namespace {

std::vector<std::string> rendered(const CsvResult& r) {
  std::vector<std::string> out;
  for (const DataError& e : r.errors) out.push_back(to_string(e));
  return out;
}

void check_errors(const CsvResult& r, const std::vector<std::string>& expected) {
  const std::vector<std::string> got = rendered(r);
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  BOOST_TEST(r.error_count == expected.size());
}

}  // namespace

BOOST_AUTO_TEST_CASE(header_and_rows) {
  const CsvResult r = read_csv("f.csv", "a,b,c\n1,2,3\n4,5,6\n");
  check_errors(r, {});
  const CsvTable& t = r.table;
  BOOST_TEST(t.header == (std::vector<std::string>{"a", "b", "c"}),
             boost::test_tools::per_element());
  BOOST_TEST(t.header_row == 1u);
  BOOST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t.rows[0].row == 2u);
  BOOST_TEST(t.cells(t.rows[0]) == (Cells{"1", "2", "3"}), boost::test_tools::per_element());
  BOOST_TEST(t.rows[1].row == 3u);
  BOOST_TEST(t.cells(t.rows[1]) == (Cells{"4", "5", "6"}), boost::test_tools::per_element());
  BOOST_TEST(t.cell(t.rows[1], 2) == "6");
}

BOOST_AUTO_TEST_CASE(last_line_without_line_end) {
  const CsvResult r = read_csv("f.csv", "a,b\n1,2");
  check_errors(r, {});
  BOOST_REQUIRE(r.table.size() == 1u);
  BOOST_TEST(r.table.cells(r.table.rows[0]) == (Cells{"1", "2"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(crlf_and_bom) {
  const CsvResult r = read_csv("f.csv", "\xEF\xBB\xBFurn,name\r\n100001,A\r\n\r\n100002,B\r\n");
  check_errors(r, {});
  const CsvTable& t = r.table;
  BOOST_TEST(t.header == (std::vector<std::string>{"urn", "name"}),
             boost::test_tools::per_element());
  BOOST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t.rows[0].row == 2u);
  BOOST_TEST(t.cells(t.rows[0]) == (Cells{"100001", "A"}), boost::test_tools::per_element());
  BOOST_TEST(t.rows[1].row == 4u);  // the blank line is row 3
  BOOST_TEST(t.cells(t.rows[1]) == (Cells{"100002", "B"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(lone_cr_line_ends) {
  const CsvResult r = read_csv("f.csv", "a,b\r1,2\r3,4");
  check_errors(r, {});
  BOOST_REQUIRE(r.table.size() == 2u);
  BOOST_TEST(r.table.rows[1].row == 3u);
  BOOST_TEST(r.table.cells(r.table.rows[1]) == (Cells{"3", "4"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(quoted_cells) {
  const CsvResult r = read_csv("f.csv",
                               "name,note\n"
                               "\"Smith, J\",\"said \"\"hi\"\"\"\n"
                               "\"\",plain\n"
                               "\"a\"\"\"\"b\",\"\"\"c\"\"\"\n"
                               "  \"padded\"  ,x\"y\n");
  check_errors(r, {});
  const CsvTable& t = r.table;
  BOOST_REQUIRE(t.size() == 4u);
  BOOST_TEST(t.cells(t.rows[0]) == (Cells{"Smith, J", "said \"hi\""}),
             boost::test_tools::per_element());
  BOOST_TEST(t.cells(t.rows[1]) == (Cells{"", "plain"}), boost::test_tools::per_element());
  BOOST_TEST(t.cells(t.rows[2]) == (Cells{"a\"\"b", "\"c\""}), boost::test_tools::per_element());
  // Spaces around a quoted cell are dropped; a quote inside an unquoted cell is an ordinary
  // character.
  BOOST_TEST(t.cells(t.rows[3]) == (Cells{"padded", "x\"y"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(line_breaks_inside_quotes_do_not_count_as_rows) {
  const CsvResult r = read_csv("f.csv",
                               "a,b\n"
                               "\"line one\nline two\r\nline three\",1\n"
                               "\n"
                               "x,2\n");
  check_errors(r, {});
  const CsvTable& t = r.table;
  BOOST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t.rows[0].row == 2u);
  BOOST_TEST(t.cells(t.rows[0]) == (Cells{"line one\nline two\r\nline three", "1"}),
             boost::test_tools::per_element());
  BOOST_TEST(t.rows[1].row == 4u);  // row 3 is the blank line
}

BOOST_AUTO_TEST_CASE(blank_lines_are_skipped_but_counted) {
  const CsvResult r = read_csv("f.csv", "\n\na\n1\n\n   \n\t\n2\n\n");
  check_errors(r, {});
  const CsvTable& t = r.table;
  BOOST_TEST(t.header_row == 3u);
  BOOST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t.rows[0].row == 4u);
  BOOST_TEST(t.rows[1].row == 8u);
  BOOST_TEST(t.cells(t.rows[1]) == (Cells{"2"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(quoted_empty_cell_is_not_a_blank_line) {
  const CsvResult r = read_csv("f.csv", "a\n\"\"\n");
  check_errors(r, {});
  BOOST_REQUIRE(r.table.size() == 1u);
  BOOST_TEST(r.table.cells(r.table.rows[0]) == (Cells{""}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ragged_rows_are_kept_for_the_binder_to_judge) {
  const CsvResult r = read_csv("f.csv", "a,b\n1\n1,2,3\n,\n");
  check_errors(r, {});
  const CsvTable& t = r.table;
  BOOST_REQUIRE(t.size() == 3u);
  BOOST_TEST(t.rows[0].cell_count == 1u);
  BOOST_TEST(t.rows[1].cell_count == 3u);
  BOOST_TEST(t.cells(t.rows[2]) == (Cells{"", ""}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(header_only_is_an_empty_table) {
  const CsvResult r = read_csv("f.csv", "a,b\r\n");
  check_errors(r, {});
  BOOST_TEST(r.table.header_row == 1u);
  BOOST_TEST(r.table.size() == 0u);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_passes_through) {
  const CsvResult r = read_csv("f.csv", "a\n\xFF\xFEz\n");
  check_errors(r, {});
  BOOST_REQUIRE(r.table.size() == 1u);
  BOOST_TEST(r.table.cell(r.table.rows[0], 0) == "\xFF\xFEz");
}

BOOST_AUTO_TEST_CASE(empty_file) {
  check_errors(read_csv("f.csv", ""), {"f.csv:-:-: the file is empty; expected a header row"});
  check_errors(read_csv("f.csv", "\xEF\xBB\xBF"),
               {"f.csv:-:-: the file is empty; expected a header row"});
  const CsvResult r = read_csv("f.csv", "\n \r\n");
  check_errors(r, {"f.csv:-:-: the file has only blank lines; expected a header row"});
  BOOST_TEST(r.table.header_row == 0u);
}

BOOST_AUTO_TEST_CASE(unterminated_quote_reports_the_row_it_opened_on) {
  const CsvResult r = read_csv("f.csv", "a,b\n1,2\n\n3,\"open\nmore\n4,5\n");
  check_errors(r, {"f.csv:4:b: a quoted cell starting on this row is never closed (its `\"` runs "
                   "to the end of the file)"});
  BOOST_REQUIRE(r.table.size() == 1u);  // the broken row is left out
  BOOST_TEST(r.table.rows[0].row == 2u);
}

BOOST_AUTO_TEST_CASE(unterminated_quote_after_a_multiline_cell) {
  const CsvResult r = read_csv("f.csv", "a,b,c\n\"x\ny\",2,\"oops\n");
  check_errors(r, {"f.csv:2:c: a quoted cell starting on this row is never closed (its `\"` runs "
                   "to the end of the file)"});
  BOOST_TEST(r.table.size() == 0u);
}

BOOST_AUTO_TEST_CASE(characters_after_a_closing_quote) {
  const CsvResult r = read_csv("f.csv", "a,b\n\"x\"y,1\n2,3\n4,\"q\" \"r\"\n5,6\n");
  check_errors(
      r,
      {"f.csv:2:a: expected `,` or the end of the line after a closing quote, found `y` (a quote "
       "inside a quoted cell must be doubled)",
       "f.csv:4:b: expected `,` or the end of the line after a closing quote, found `\"r\"` (a "
       "quote inside a quoted cell must be doubled)"});
  // Reading resumes on the next line.
  const CsvTable& t = r.table;
  BOOST_REQUIRE(t.size() == 2u);
  BOOST_TEST(t.rows[0].row == 3u);
  BOOST_TEST(t.rows[1].row == 5u);
  BOOST_TEST(t.cells(t.rows[1]) == (Cells{"5", "6"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(broken_header) {
  const CsvResult r = read_csv("f.csv", "\"a\"b,c\n1,2\n");
  check_errors(r, {"f.csv:1:-: expected `,` or the end of the line after a closing quote, found "
                   "`b` (a quote inside a quoted cell must be doubled)"});
  BOOST_TEST(r.table.header_row == 0u);
}

BOOST_AUTO_TEST_CASE(column_beyond_the_header_is_dash) {
  const CsvResult r = read_csv("f.csv", "a\n1,\"x\"y\n");
  check_errors(r, {"f.csv:2:-: expected `,` or the end of the line after a closing quote, found "
                   "`y` (a quote inside a quoted cell must be doubled)"});
}

BOOST_AUTO_TEST_CASE(error_cap_counts_the_rest) {
  std::string text = "a\n";
  for (int i = 0; i < 5; ++i) text += "\"x\"y\n";
  const CsvResult r = read_csv("f.csv", text, 2);
  BOOST_TEST(r.errors.size() == 2u);
  BOOST_TEST(r.error_count == 5u);
  BOOST_TEST(r.errors[1].row == 3u);
}

BOOST_AUTO_TEST_CASE(large_file_row_numbers) {
  std::string text = "urn,name,score\n";
  for (int i = 0; i < 10000; ++i) {
    text += std::to_string(100000 + i) + ",\"School, " + std::to_string(i) + "\"," +
            std::to_string(i % 100) + "\r\n";
  }
  const CsvResult r = read_csv("f.csv", text);
  check_errors(r, {});
  BOOST_REQUIRE(r.table.size() == 10000u);
  const CsvRow& last = r.table.rows.back();
  BOOST_TEST(last.row == 10001u);
  BOOST_TEST(r.table.cells(last) == (Cells{"109999", "School, 9999", "99"}),
             boost::test_tools::per_element());
}

namespace {

// Records rows, taking plain lines as PlainLine (as the binder does) and the others as views.
class PlainRecorder final : public CsvVisitor {
 public:
  std::vector<std::vector<std::string>> rows;
  std::size_t plain = 0;
  void on_header(std::uint32_t, std::span<const std::string_view> cells) override {
    rows.emplace_back(cells.begin(), cells.end());
  }
  void on_row(std::uint32_t, std::span<const std::string_view> cells) override {
    rows.emplace_back(cells.begin(), cells.end());
  }
  bool on_plain_row(std::uint32_t, const PlainLine& line) override {
    ++plain;
    std::vector<std::string>& row = rows.emplace_back();
    for (std::uint32_t i = 0; i < line.cells; ++i) row.emplace_back(line.cell(i));
    return true;
  }
  bool wants_error() override { return true; }
  void on_error(DataError) override { ++errors; }
  std::size_t errors = 0;
};

}  // namespace

// The plain-line splitter reads 64 bytes at a time and hands cells over by their offsets; lines
// with plain quoted cells take a path of their own. Random files whose cells are known, with
// lines that cross the blocks anywhere, every line end, and with or without a last line end.
BOOST_AUTO_TEST_CASE(plain_and_quoted_lines_split_as_written) {
  std::uint64_t seed = 12345;
  const auto next = [&](std::uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  const std::string_view alphabet[] = {"a", "b", "7", " ", "\xC3\xA9", "-"};
  const std::string_view line_ends[] = {"\n", "\r\n", "\r"};
  for (int file = 0; file < 200; ++file) {
    const std::size_t columns = 1 + next(12);
    const std::size_t lines = 1 + next(30);
    std::string text;
    std::vector<std::vector<std::string>> expected;
    for (std::size_t l = 0; l < lines; ++l) {
      std::vector<std::string>& row = expected.emplace_back();
      for (std::size_t c = 0; c < columns; ++c) {
        std::string cell;
        // A cell of letters, never empty at the line's start (a blank line is skipped), and
        // never starting with a space before a quote (the grammar's business).
        const std::size_t n = (columns == 1 ? 1 : 0) + next(20);
        for (std::size_t i = 0; i < n; ++i) cell += alphabet[next(std::size(alphabet))];
        if (columns == 1 && cell.find_first_not_of(' ') == std::string::npos) cell = "x";
        const bool quoted = next(5) == 0;
        if (quoted) cell += ",b";
        if (c > 0) text += ',';
        text += quoted ? "\"" + cell + "\"" : cell;
        row.push_back(cell);
      }
      if (l + 1 < lines || next(2) == 0) text += line_ends[next(3)];
    }
    PlainRecorder seen;
    read_csv("f.csv", text, seen);
    BOOST_TEST(seen.errors == 0u);
    BOOST_TEST_REQUIRE(seen.rows.size() == expected.size());
    for (std::size_t r = 0; r < expected.size(); ++r) {
      BOOST_TEST(seen.rows[r] == expected[r], boost::test_tools::per_element());
    }
    const CsvResult table = read_csv("f.csv", text);
    BOOST_TEST_REQUIRE(table.table.size() + 1 == expected.size());
    for (std::size_t r = 1; r < expected.size(); ++r) {
      const std::vector<std::string_view> cells = table.table.cells(table.table.rows[r - 1]);
      BOOST_TEST(std::vector<std::string>(cells.begin(), cells.end()) == expected[r],
                 boost::test_tools::per_element());
    }
  }
}
