#define BOOST_TEST_MODULE file_kind
#include <boost/test/unit_test.hpp>

// Sniffing by content: workbooks old and new, OpenDocument, UTF-16, and CSV headers separated
// by something other than commas.
#include <string>
#include <string_view>

#include "data/file_kind.hpp"

using namespace catengine::engine;

namespace {

FileKind kind(std::string_view bytes) {
  return sniff_file_kind(bytes).kind;
}
HeaderSeparator separator(std::string_view bytes) {
  return sniff_file_kind(bytes).separator;
}

}  // namespace

BOOST_AUTO_TEST_CASE(workbooks_by_signature) {
  using namespace std::literals;
  BOOST_TEST((kind("PK\x03\x04\x14\x00\x06\x00"sv) == FileKind::Xlsx));
  BOOST_TEST((kind("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv) == FileKind::Xls));
  std::string ods = "PK\x03\x04"s;
  ods.resize(30, '\0');
  ods += "mimetypeapplication/vnd.oasis.opendocument.spreadsheet";
  BOOST_TEST((kind(ods) == FileKind::Ods));
  // A name ending .xlsx is no evidence: these bytes are CSV.
  BOOST_TEST((kind("urn,name\n1,A\n") == FileKind::Csv));
  BOOST_TEST((kind("PK,name\n") == FileKind::Csv));
  BOOST_TEST((kind("") == FileKind::Csv));
}

BOOST_AUTO_TEST_CASE(utf16_with_and_without_a_byte_order_mark) {
  using namespace std::literals;
  BOOST_TEST((kind("\xFF\xFEu\0r\0n\0"sv) == FileKind::Utf16));
  BOOST_TEST((kind("\xFE\xFF\0u\0r\0n"sv) == FileKind::Utf16));
  BOOST_TEST((kind("u\0r\0n\0,\0"sv) == FileKind::Utf16));
  BOOST_TEST((kind("\0u\0r\0n\0,"sv) == FileKind::Utf16));
  // A UTF-8 byte-order mark is fine.
  BOOST_TEST((kind("\xEF\xBB\xBFurn,name\n") == FileKind::Csv));
}

BOOST_AUTO_TEST_CASE(header_separators) {
  BOOST_TEST((separator("urn,name\n1,A\n") == HeaderSeparator::Comma));
  BOOST_TEST((separator("\xEF\xBB\xBFurn;name;score\n1;A;59,9\n") == HeaderSeparator::Semicolon));
  BOOST_TEST((separator("urn\tname\tscore\r\n") == HeaderSeparator::Tab));
  BOOST_TEST((separator("urn\n1\n") == HeaderSeparator::None));
  BOOST_TEST((separator("") == HeaderSeparator::None));
  // Only the header line counts, after blank lines; later lines may hold anything.
  BOOST_TEST((separator("\n  \t \r\nurn;name\n1,2\n") == HeaderSeparator::Semicolon));
  BOOST_TEST((separator("urn;name\n1,2\n") == HeaderSeparator::Semicolon));
  // Separators inside quotes are text, even across a line break.
  BOOST_TEST((separator("\"a,b\";c\n") == HeaderSeparator::Semicolon));
  BOOST_TEST((separator("\"a\nb,c\";d\n") == HeaderSeparator::Semicolon));
  BOOST_TEST((separator("\"a;b\",c\n") == HeaderSeparator::Comma));
  // A comma anywhere wins: a header may hold a semicolon in a name.
  BOOST_TEST((separator("urn,name;alias\n") == HeaderSeparator::Comma));
  BOOST_TEST((separator("a;b\tc;d\n") == HeaderSeparator::Semicolon));
  BOOST_TEST((separator("a\tb\tc;d\n") == HeaderSeparator::Tab));
}

BOOST_AUTO_TEST_CASE(messages) {
  BOOST_TEST(!unreadable_file_error("s.csv", sniff_file_kind("a,b\n")).has_value());
  BOOST_TEST(!unreadable_file_error("s.xlsx", sniff_file_kind("PK\x03\x04")).has_value());
  const auto xls = unreadable_file_error("schools.xls", sniff_file_kind("\xD0\xCF\x11\xE0"));
  BOOST_REQUIRE(xls.has_value());
  BOOST_TEST(to_string(*xls).starts_with("schools.xls"));
  BOOST_TEST(xls->row == 0u);
  BOOST_TEST(xls->column == "-");
  BOOST_TEST(xls->message.find("save it as \"Excel Workbook (.xlsx)\"") != std::string::npos);
  const auto utf16 = unreadable_file_error("s.csv", sniff_file_kind("\xFF\xFE"));
  BOOST_REQUIRE(utf16.has_value());
  BOOST_TEST(utf16->message.find("UTF-16") != std::string::npos);
  BOOST_TEST(utf16->message.find("CSV UTF-8") != std::string::npos);

  BOOST_TEST(!separator_problem(sniff_file_kind("a,b\n")).has_value());
  BOOST_TEST(!separator_problem(sniff_file_kind("a\n")).has_value());
  const auto semi = separator_problem(sniff_file_kind("a;b\n"));
  BOOST_REQUIRE(semi.has_value());
  BOOST_TEST(semi->starts_with("looks semicolon-separated"));
  const auto tab = separator_problem(sniff_file_kind("a\tb\n"));
  BOOST_REQUIRE(tab.has_value());
  BOOST_TEST(tab->starts_with("looks tab-separated"));
}
