// What kind of data file some bytes are, judged by their content and never by the file's name:
// a CSV file saved with the wrong options or an old workbook renamed `.csv` must be caught with
// a message that says how to fix it, not read as one column of garbage.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "data/dataset.hpp"

namespace catengine::engine {

enum class FileKind {
  Csv,    // anything not recognised below is read as CSV text
  Xlsx,   // a zip archive (PK\x03\x04): an Excel 2007+ workbook, if anything
  Xls,    // an OLE2 compound file (D0 CF 11 E0): Excel 97-2003, or a password-protected .xlsx
  Ods,    // a zip whose first entry is OpenDocument's `mimetype`: LibreOffice Calc
  Utf16,  // text with a UTF-16 byte-order mark, or ASCII interleaved with zero bytes
};

// How the first (header) line of a CSV file is separated, counting outside quotes only.
enum class HeaderSeparator {
  Comma,      // at least one comma: a normal CSV file
  Semicolon,  // no comma but semicolons: a CSV saved where the decimal mark is a comma
  Tab,        // no comma but tabs: "Text (Tab delimited)" or a copy from a spreadsheet
  None,       // a single column, or no header line at all
};

struct FileKindReport {
  FileKind kind = FileKind::Csv;
  HeaderSeparator separator = HeaderSeparator::None;  // for Csv only
};

// Looks at the first bytes (and, for CSV, the first line that is not blank). Never fails.
FileKindReport sniff_file_kind(std::string_view bytes);

// The error for a file that cannot be read at all (Xls, Ods, Utf16), saying what to save it as;
// nullopt for Csv and Xlsx. The error is for the whole file (row 0, column "-").
std::optional<DataError> unreadable_file_error(std::string_view file_name,
                                               const FileKindReport& report);

// For a CSV file whose header holds no comma but semicolons or tabs, a message a caller can
// give as a warning or an error ("looks semicolon-separated; ..."); nullopt otherwise.
std::optional<std::string> separator_problem(const FileKindReport& report);

}  // namespace catengine::engine
