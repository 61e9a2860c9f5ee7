// The parts of an .xlsx workbook around its sheets: which sheets there are and where their XML
// lives (workbook.xml and its relationships, never assuming sheet1.xml), the date system, the
// shared strings and the cell styles' number formats. Used by xlsx_reader.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "data/xlsx_number_format.hpp"
#include "data/zip_archive.hpp"

namespace catengine::engine {

// A sheet of a workbook being read: its tab name and the archive part that holds its cells. (Not
// report/xlsx_book.hpp's XlsxSheet, which writes one: two classes of one name in one namespace
// broke the one-definition rule, and the linker kept one destructor for both.)
struct WorkbookSheetPart {
  std::string name;  // as the tab shows it
  std::string part;  // e.g. xl/worksheets/sheet1.xml
};

struct XlsxWorkbook {
  std::vector<WorkbookSheetPart> sheets;  // in tab order
  bool date1904 = false;
  std::vector<std::string> shared_strings;  // by index
  std::vector<NumberFormat> cell_formats;   // by cell style index (a cell's s attribute)
};

// Reads the workbook's structure, shared strings and styles. nullopt with `error` set (a
// sentence fragment such as "it has no part xl/workbook.xml") when something is missing or
// damaged; shared strings and styles are optional, as in a workbook of numbers only.
std::optional<XlsxWorkbook> read_xlsx_workbook(ZipArchive& zip, std::string& error);

// XML helpers shared with the sheet reader. Element and attribute names are compared without
// their namespace prefix: some writers use `x:row` where Excel writes `row`.
namespace xlsx_xml {

// Parses `text` in place (it must outlive the document). False with `error` set, naming `part`,
// when the XML is not well formed.
bool parse(std::string& text, std::string_view part, pugi::xml_document& doc, std::string& error);

std::string_view local_name(const char* name);
pugi::xml_node child(pugi::xml_node node, std::string_view name);
// The attribute's value, or "" when it is absent.
std::string_view attribute(pugi::xml_node node, std::string_view name);
// The text of a string item (a shared string's <si> or an inline <is>): its <t>, or its rich
// text runs' <t>s joined; phonetic guides (<rPh>) left out; `_xHHHH_` escapes undone.
std::string string_item(pugi::xml_node item);
// `_xHHHH_` escapes (how Open XML stores control characters such as _x000D_) undone.
std::string unescape(std::string_view text);

}  // namespace xlsx_xml

}  // namespace catengine::engine
