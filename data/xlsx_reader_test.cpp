#define BOOST_TEST_MODULE xlsx_reader
#include <boost/test/unit_test.hpp>

// The workbook reader against real workbooks written by libxlsxwriter (numbers, 59.9, dates,
// percentages, shared and inline strings, rich text, gaps, two sheets), against workbooks put
// together part by part with libzip (the 1904 date system, namespace prefixes, escapes, broken
// references), and against bytes that are no workbook at all.
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "data/xlsx_reader.hpp"
#include "data/zip_archive.hpp"
#include "system/atomic_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace catengine::engine;
using Row = std::vector<std::string>;

namespace {

struct Collected {
  std::uint32_t header_row = 0;
  Row header;
  std::vector<std::pair<std::uint32_t, Row>> rows;
  std::vector<std::string> errors;
};

class Collector : public CsvVisitor {
 public:
  Collected got;
  void on_header(std::uint32_t row, std::span<const std::string_view> cells) override {
    got.header_row = row;
    got.header.assign(cells.begin(), cells.end());
  }
  void on_row(std::uint32_t row, std::span<const std::string_view> cells) override {
    got.rows.emplace_back(row, Row(cells.begin(), cells.end()));
  }
  bool wants_error() override { return true; }
  void on_error(DataError error) override { got.errors.push_back(to_string(error)); }
};

Collected read(std::string_view bytes, XlsxOptions options = {}) {
  Collector c;
  read_xlsx("schools.xlsx", bytes, c, options);
  return c.got;
}

std::string slurp(const std::filesystem::path& path) {
  std::string error;
  std::optional<std::string> bytes = catengine::read_file(path, error);
  BOOST_REQUIRE_MESSAGE(bytes.has_value(), error);
  return *bytes;
}

// A workbook written by libxlsxwriter: `fill` writes its sheets.
template <typename Fill>
std::string workbook(Fill fill, bool constant_memory = false) {
  catengine::test::TempDir dir("xlsx-reader");
  const std::string path = (dir.path / "book.xlsx").string();
  lxw_workbook_options options = {};
  options.constant_memory = constant_memory;  // inline strings instead of shared ones
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  BOOST_REQUIRE(wb != nullptr);
  fill(wb);
  BOOST_REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
  return slurp(path);
}

// A zip archive of the given parts, put together with libzip.
std::string zip_of(const std::vector<std::pair<std::string, std::string>>& parts) {
  catengine::test::TempDir dir("xlsx-zip");
  const std::string path = (dir.path / "book.xlsx").string();
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  BOOST_REQUIRE(z != nullptr);
  for (const auto& [name, text] : parts) {
    zip_source_t* s = zip_source_buffer(z, text.data(), text.size(), 0);
    BOOST_REQUIRE(zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8) >= 0);
  }
  BOOST_REQUIRE(zip_close(z) == 0);
  return slurp(path);
}

const char* kRels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";

// A workbook of one sheet, `sheet_data` inside <sheetData>, with `workbook_pr` and styles.
std::string handmade(const std::string& sheet_data, const std::string& workbook_pr = "",
                     const std::string& shared = "", const std::string& cell_xfs = "") {
  const std::string ns = R"(xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")";
  const std::string rel_ns =
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")";
  std::vector<std::pair<std::string, std::string>> parts = {
      {"_rels/.rels", kRels},
      {"xl/workbook.xml", "<workbook " + ns + " " + rel_ns + ">" + workbook_pr +
                              R"(<sheets><sheet name="Data" sheetId="1" r:id="rId7"/></sheets>)"
                              "</workbook>"},
      {"xl/_rels/workbook.xml.rels",
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
       R"(<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>)"
       R"(<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>)"
       R"(<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
       "</Relationships>"},
      {"xl/worksheets/data.xml",
       "<worksheet " + ns + "><sheetData>" + sheet_data + "</sheetData></worksheet>"},
  };
  if (!shared.empty()) parts.emplace_back("xl/strings.xml", "<sst " + ns + ">" + shared + "</sst>");
  if (!cell_xfs.empty()) {
    parts.emplace_back("xl/styles.xml", "<styleSheet " + ns + ">" + cell_xfs + "</styleSheet>");
  }
  return zip_of(parts);
}

void check_rows(const Collected& got, const std::vector<std::pair<std::uint32_t, Row>>& expected) {
  BOOST_REQUIRE_EQUAL(got.rows.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST(got.rows[i].first == expected[i].first, "row " << i);
    BOOST_TEST(got.rows[i].second == expected[i].second, boost::test_tools::per_element());
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(numbers_dates_percentages_and_strings) {
  const std::string bytes = workbook([](lxw_workbook* wb) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Schools");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "dd/mm/yyyy");
    lxw_format* builtin_date = workbook_add_format(wb);
    format_set_num_format_index(builtin_date, 14);
    lxw_format* percent = workbook_add_format(wb);
    format_set_num_format(percent, "0%");
    lxw_format* percent1 = workbook_add_format(wb);
    format_set_num_format(percent1, "0.0%");
    lxw_format* thousands = workbook_add_format(wb);
    format_set_num_format(thousands, "#,##0.00");
    const char* header[] = {"urn",  "name",       "score",  "inspected", "opened",
                            "pass", "attendance", "pupils", "open"};
    for (lxw_col_t c = 0; c < 9; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
    worksheet_write_number(ws, 1, 0, 110740, nullptr);
    worksheet_write_string(ws, 1, 1, "St Mary\u2019s Lyc\u00e9e", nullptr);
    worksheet_write_number(ws, 1, 2, 59.9, nullptr);
    lxw_datetime d1 = {2018, 9, 17, 0, 0, 0.0};
    worksheet_write_datetime(ws, 1, 3, &d1, date);
    lxw_datetime d2 = {1900, 3, 1, 0, 0, 0.0};
    worksheet_write_datetime(ws, 1, 4, &d2, builtin_date);
    worksheet_write_number(ws, 1, 5, 0.62, percent);
    worksheet_write_number(ws, 1, 6, 0.9545, percent1);
    worksheet_write_number(ws, 1, 7, 1234.5, thousands);
    worksheet_write_boolean(ws, 1, 8, 1, nullptr);
    // Row 3 is missing; row 4 has gaps and a blank cell with a format.
    worksheet_write_number(ws, 3, 0, 110741, nullptr);
    worksheet_write_blank(ws, 3, 1, date);
    worksheet_write_number(ws, 3, 2, -0.5, nullptr);
    worksheet_write_number(ws, 3, 5, 0.625, percent);
    worksheet_write_boolean(ws, 3, 8, 0, nullptr);
    worksheet_write_formula_str(ws, 4, 0, "=NA()", nullptr, "#N/A");
    worksheet_write_number(ws, 4, 2, 1e-7, nullptr);
    worksheet_write_number(ws, 4, 3, 123456789012345.0, nullptr);
  });
  const Collected got = read(bytes);
  BOOST_TEST(got.errors.empty(), (got.errors.empty() ? std::string() : got.errors.front()));
  BOOST_TEST(got.header_row == 1u);
  BOOST_TEST(got.header == (Row{"urn", "name", "score", "inspected", "opened", "pass", "attendance",
                                "pupils", "open"}),
             boost::test_tools::per_element());
  check_rows(got, {
                      {2,
                       {"110740", "St Mary\u2019s Lyc\u00e9e", "59.9", "2018-09-17", "1900-03-01",
                        "62%", "95.5%", "1234.5", "TRUE"}},
                      {4, {"110741", "", "-0.5", "", "", "63%", "", "", "FALSE"}},
                      {5, {"#N/A", "", "0.0000001", "123456789012345", "", "", "", "", ""}},
                  });
}

BOOST_AUTO_TEST_CASE(inline_strings_and_rich_text) {
  const std::string bytes = workbook(
      [](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
        worksheet_write_string(ws, 0, 0, "name", nullptr);
        worksheet_write_string(ws, 0, 1, "note", nullptr);
        worksheet_write_string(ws, 1, 0, "Ysgol Gymraeg Bro Dinefwr", nullptr);
        worksheet_write_string(ws, 1, 1, " spaced ", nullptr);
      },
      /*constant_memory=*/true);
  {
    std::string error;
    std::optional<ZipArchive> zip = ZipArchive::open(bytes, 1 << 20, error);
    BOOST_REQUIRE(zip.has_value());
    const std::optional<std::string> sheet = zip->read("xl/worksheets/sheet1.xml", error);
    BOOST_REQUIRE(sheet.has_value());
    BOOST_TEST(sheet->find("t=\"inlineStr\"") != std::string::npos);
  }
  const Collected inline_got = read(bytes);
  BOOST_TEST(inline_got.errors.empty());
  check_rows(inline_got, {{2, {"Ysgol Gymraeg Bro Dinefwr", " spaced "}}});

  const std::string rich = workbook([](lxw_workbook* wb) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    worksheet_write_string(ws, 0, 0, "name", nullptr);
    lxw_rich_string_tuple a = {.format = nullptr, .string = const_cast<char*>("Acad\u00e9mie ")};
    lxw_rich_string_tuple b = {.format = bold, .string = const_cast<char*>("St Jean")};
    lxw_rich_string_tuple* runs[] = {&a, &b, nullptr};
    worksheet_write_rich_string(ws, 1, 0, runs, nullptr);
  });
  const Collected rich_got = read(rich);
  BOOST_TEST(rich_got.errors.empty());
  check_rows(rich_got, {{2, {"Acad\u00e9mie St Jean"}}});
}

BOOST_AUTO_TEST_CASE(first_sheet_or_a_named_one) {
  const std::string bytes = workbook([](lxw_workbook* wb) {
    lxw_worksheet* notes = workbook_add_worksheet(wb, "Notes");
    worksheet_write_string(notes, 2, 1, "read me", nullptr);
    lxw_worksheet* data = workbook_add_worksheet(wb, "Schools 2018");
    worksheet_write_string(data, 0, 0, "urn", nullptr);
    worksheet_write_number(data, 1, 0, 1, nullptr);
  });
  const Collected first = read(bytes);
  BOOST_TEST(first.errors.empty());
  BOOST_TEST(first.header_row == 3u);  // blank rows before the header count
  BOOST_TEST(first.header == (Row{"", "read me"}), boost::test_tools::per_element());

  const Collected named = read(bytes, {.sheet = "Schools 2018"});
  BOOST_TEST(named.errors.empty());
  BOOST_TEST(named.header == Row{"urn"}, boost::test_tools::per_element());
  check_rows(named, {{2, {"1"}}});
  BOOST_TEST(read(bytes, {.sheet = "schools 2018"}).header == Row{"urn"},
             boost::test_tools::per_element());  // Excel ignores case in sheet names

  const Collected missing = read(bytes, {.sheet = "Schools"});
  BOOST_TEST(missing.errors == (Row{"schools.xlsx:-:-: the workbook has no sheet named "
                                    "`Schools`; its sheets are `Notes`, `Schools 2018`"}),
             boost::test_tools::per_element());
  BOOST_TEST(missing.header.empty());
}

BOOST_AUTO_TEST_CASE(date_system_1904_prefixes_and_escapes) {
  const std::string bytes = handmade(
      R"(<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>)"
      R"(<row r="3"><c r="B3" s="1"><v>0</v></c><c r="C3" s="1"><v>43358</v></c>)"
      R"(<c r="D3" t="inlineStr"><is><t>a_x000D_b _x005F_x0041_</t></is></c></row>)"
      R"(<row><c t="str"><f>A1</f><v>formula text</v></c><c/><c t="e"><v>#DIV/0!</v></c></row>)",
      R"(<workbookPr date1904="1"/>)",
      R"(<si><t>name</t></si><si><r><t>Lyc</t></r><r><rPr><b/></rPr><t>ée</t></r>)"
      R"(<rPh sb="0" eb="1"><t>ignored</t></rPh></si>)",
      R"(<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>)");
  const Collected got = read(bytes);
  BOOST_TEST(got.errors.empty(), (got.errors.empty() ? std::string() : got.errors.front()));
  BOOST_TEST(got.header_row == 2u);
  BOOST_TEST(got.header == (Row{"", "name", "Lycée"}), boost::test_tools::per_element());
  check_rows(got, {{3, {"", "1904-01-01", "2022-09-16", "a\rb _x0041_"}},
                   {4, {"formula text", "", "#DIV/0!"}}});

  // The same with a namespace prefix on every element, as some writers do.
  const std::string prefixed = zip_of({
      {"xl/workbook.xml",
       R"(<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" r:id="a"/></x:sheets></x:workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="a" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/s.xml"/></Relationships>)"},
      {"xl/sheets/s.xml",
       R"(<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>k</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>)"},
  });
  const Collected p = read(prefixed);
  BOOST_TEST(p.errors.empty(), (p.errors.empty() ? std::string() : p.errors.front()));
  BOOST_TEST(p.header == Row{"k"}, boost::test_tools::per_element());
  check_rows(p, {{2, {"7"}}});
}

BOOST_AUTO_TEST_CASE(broken_cells_are_errors_and_their_rows_left_out) {
  const std::string bytes = handmade(
      R"(<row r="1"><c r="A1" t="inlineStr"><is><t>urn</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>)"
      R"(<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>5</v></c></row>)"
      R"(<row r="3"><c r="A3"><v>abc</v></c></row>)"
      R"(<row r="4"><c r="B4"><v>1</v></c><c r="A4"><v>2</v></c></row>)"
      R"(<row r="5"><c r="A5"><v>3</v></c></row>)"
      R"(<row r="5"><c r="A5"><v>4</v></c></row>)");
  const Collected got = read(bytes);
  BOOST_TEST(
      got.errors == (Row{"schools.xlsx:2:name: the cell refers to shared string `5`, which the "
                         "workbook does not have",
                         "schools.xlsx:3:urn: the cell's number `abc` is not a number",
                         "schools.xlsx:4:-: the cell reference `A4` is not a column after B",
                         "schools.xlsx:6:-: the sheet's row `5` is not a row number after row 5"}),
      boost::test_tools::per_element());
  check_rows(got, {{5, {"3", ""}}});
}

BOOST_AUTO_TEST_CASE(not_a_workbook) {
  const auto only_error = [](const Collected& c) {
    BOOST_TEST(c.header.empty());
    BOOST_TEST(c.rows.empty());
    BOOST_REQUIRE_EQUAL(c.errors.size(), 1u);
    return c.errors.front();
  };
  BOOST_TEST(only_error(read("urn,name\n1,A\n"))
                 .starts_with("schools.xlsx:-:-: is not an Excel workbook: it is not a zip "
                              "archive, or a damaged or truncated one ("));
  BOOST_TEST(only_error(read("")).starts_with("schools.xlsx:-:-: is not an Excel workbook"));

  const std::string good = workbook([](lxw_workbook* wb) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
    worksheet_write_string(ws, 0, 0, "urn", nullptr);
  });
  // Cut anywhere, a workbook is refused with one error and never crashes the reader.
  for (std::size_t cut : {std::size_t{4}, std::size_t{100}, good.size() / 2, good.size() - 1}) {
    const Collected c = read(std::string_view(good).substr(0, cut));
    BOOST_TEST(c.errors.size() == 1u, "cut at " << cut);
    BOOST_TEST(c.rows.empty());
  }
  // A zip archive of something else.
  BOOST_TEST(only_error(read(zip_of({{"readme.txt", "hello"}}))) ==
             "schools.xlsx:-:-: cannot be read as an Excel workbook: it is a zip archive but not "
             "an Excel workbook: it has no part xl/workbook.xml");
  // XML that is not well formed.
  BOOST_TEST(only_error(read(handmade("<row><c><v>1</v></row>")))
                 .starts_with("schools.xlsx:-:-: cannot be read as an Excel workbook: its part "
                              "xl/worksheets/data.xml is not well-formed XML ("));
  // Random bytes, with and without a zip signature in front.
  std::mt19937 random(20180917);
  for (int i = 0; i < 200; ++i) {
    std::string noise(static_cast<std::size_t>(random() % 4096), '\0');
    for (char& ch : noise) ch = static_cast<char>(random());
    if (i % 2 == 0) noise.replace(0, std::min<std::size_t>(4, noise.size()), "PK\x03\x04");
    const Collected c = read(noise);
    BOOST_TEST(c.errors.size() == 1u);
  }
  // Every single byte of a real workbook flipped in turn: an error or a sheet, never a crash.
  for (std::size_t i = 0; i < good.size(); i += 7) {
    std::string bent = good;
    bent[i] = static_cast<char>(bent[i] ^ 0x5A);
    (void)read(bent);
  }
}

BOOST_AUTO_TEST_CASE(unpacked_size_is_limited) {
  // A megabyte of spaces in the sheet compresses to about a kilobyte.
  const std::string bytes =
      handmade(std::string(1 << 20, ' ') + R"(<row><c t="inlineStr"><is><t>a</t></is></c></row>)");
  BOOST_TEST(bytes.size() < 20000u);
  const Collected limited = read(bytes, {.max_unpacked_bytes = 100000});
  BOOST_TEST(limited.errors ==
                 Row{"schools.xlsx:-:-: cannot be read as an Excel workbook: it unpacks to more "
                     "than 100000 bytes, the limit on input (set by CATENGINE_MAX_INPUT_BYTES)"},
             boost::test_tools::per_element());
  BOOST_TEST(limited.header.empty());
  const Collected fine = read(bytes, {.max_unpacked_bytes = 2 << 20});
  BOOST_TEST(fine.errors.empty());
  BOOST_TEST(fine.header == Row{"a"}, boost::test_tools::per_element());
}
