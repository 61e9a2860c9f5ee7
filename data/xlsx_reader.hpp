// Reads one sheet of an Excel workbook (.xlsx, Office Open XML) and hands it to a CsvVisitor
// exactly as read_csv would hand over the sheet's "Save as CSV UTF-8" export, so everything
// after reading (binding, errors, row numbers) is the same for a workbook as for a CSV file.
//
// What each cell reads as: shared and inline strings as their text (rich-text runs joined,
// `_x000D_` escapes undone); numbers as General shows them (see xlsx_number_format.hpp: at most
// 15 significant digits, `59.9`, `42`); numbers with a date format as `YYYY-MM-DD`, in the
// workbook's 1900 or 1904 date system; with a percent format as `62%`; booleans as TRUE and
// FALSE; error values as their text (`#N/A`); formulas as their cached result. Missing cells in a
// row are empty cells, rows shorter than the header are filled out to its width, and empty cells
// at the end of a row beyond that are dropped. Row numbers are the spreadsheet's: a row missing
// from the file or holding only empty cells is a blank row, skipped but counted. Column A is
// always the first column, even when it is empty.
//
// Untrusted input: an archive may unpack to no more than the input limit (max_input_bytes(),
// CATENGINE_MAX_INPUT_BYTES, 2 GiB unless set) in all, the parts read counted together, so a
// workbook costs no more than the largest CSV file catengine would read; the XML is parsed by
// pugixml, which expands no entities and loads no DTD. Any damage is reported, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "data/csv_reader.hpp"

namespace catengine::engine {

struct XlsxOptions {
  std::string sheet;                     // the sheet's name as its tab shows it; empty: the first
  std::uint64_t max_unpacked_bytes = 0;  // 0: max_input_bytes()
};

// Reads the sheet from the workbook in `bytes`, calling `visitor` as read_csv would. Never
// throws. A problem with the whole file (not a zip archive, no workbook inside, no such sheet,
// XML that is not well formed, too large unpacked) is one error for row 0, and nothing else is
// delivered; a problem with one cell (a shared string that does not exist, a number that is not
// one, cells out of order) is an error for that row and column, and the row is left out, as
// read_csv leaves out a broken line.
void read_xlsx(std::string_view file_name, std::string_view bytes, CsvVisitor& visitor,
               const XlsxOptions& options = {});

}  // namespace catengine::engine
