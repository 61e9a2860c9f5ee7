// Splits an RFC 4180 CSV file into a header and rows of cells, numbering rows the way a
// spreadsheet does. Knows nothing of schemas or value types: that is the binder's job.
//
// Two ways to read: a CsvVisitor sees each line as it is parsed, with cells as views into the
// input (copied only when a doubled quote must be undone); a CsvTable keeps everything, storing
// cells end to end in one buffer so that a large file costs a few allocations, not one per cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"

namespace catengine::engine {

// One data row. The cells live in the owning CsvTable.
struct CsvRow {
  std::uint32_t row = 0;         // spreadsheet row: the header's line is 1, a blank line is a
                                 // row, a line break inside quotes is not
  std::uint32_t first_cell = 0;  // index of the row's first cell in the table
  std::uint32_t cell_count = 0;
};

class CsvTable {
 public:
  std::vector<std::string> header;  // header cells, unescaped, not trimmed
  std::uint32_t header_row = 0;     // 0 when the file has no usable header
  std::vector<CsvRow> rows;         // data rows in file order; blank and broken lines left out

  std::size_t size() const { return rows.size(); }
  // Precondition: i < r.cell_count.
  std::string_view cell(const CsvRow& r, std::size_t i) const {
    const std::size_t k = r.first_cell + i;
    const std::size_t begin = k == 0 ? 0 : ends_[k - 1];
    return std::string_view(text_).substr(begin, ends_[k] - begin);
  }
  // Convenience for tests and small files: the row's cells as views into the table.
  std::vector<std::string_view> cells(const CsvRow& r) const;

  // Copies a row's cells into the table.
  void add_row(std::uint32_t row, std::span<const std::string_view> cells);

 private:
  std::string text_;                 // every cell's text, end to end
  std::vector<std::uint32_t> ends_;  // end offset of each cell in text_; a cell starts where
                                     // the one before it ends (read_csv refuses files of 4 GiB)
};

struct CsvResult {
  CsvTable table;
  std::vector<DataError> errors;  // in row order; at most max_errors of them
  std::size_t error_count = 0;    // all errors found, including those not stored
};

// A line without quotes as the splitter found it: where each of its cells starts, as offsets in
// the input, so a visitor can take any cell in two loads without a list of views being built.
// Cell i is the bytes from origin + starts[i] up to (not including) origin + starts[i + 1] - 1,
// the comma or line end after it.
struct PlainLine {
  const char* origin = nullptr;  // the input the offsets count from
  const char* begin = nullptr;   // the line's first byte
  const char* end = nullptr;     // just past its last cell (at its line feed or carriage return)
  const std::uint32_t* starts = nullptr;  // cells + 1 of them
  std::uint32_t cells = 0;
  bool ascii = true;  // no byte of the line is 0x80 or above (so it is valid UTF-8)

  [[gnu::always_inline]] std::string_view cell(std::size_t i) const {
    return {origin + starts[i], starts[i + 1] - 1 - starts[i]};
  }
};

// Receives a file line by line as read_csv goes, so a caller that binds rows straight away need
// not keep a copy of the file's cells. Cells are unescaped but not trimmed; the views are valid
// only during the call (they point into the input or into a scratch buffer).
class CsvVisitor {
 public:
  virtual ~CsvVisitor() = default;
  // The first line that is neither blank nor broken. Not called when the file has none (an
  // error has then been reported).
  virtual void on_header(std::uint32_t row, std::span<const std::string_view> cells) = 0;
  // Every later line that is neither blank nor broken, in file order. Cell counts are not
  // checked against the header.
  virtual void on_row(std::uint32_t row, std::span<const std::string_view> cells) = 0;
  // A later line without quotes, of more than one cell, offered first as a PlainLine: a visitor
  // that reads it returns true; false (the default) and the reader hands it to on_row as views.
  virtual bool on_plain_row(std::uint32_t /*row*/, const PlainLine& /*line*/) { return false; }
  // Asked before each error's message is built; returning false means the error is only
  // counted by the visitor, which keeps a file of a million broken lines cheap.
  virtual bool wants_error() = 0;
  // Errors arrive in row order, interleaved with the rows.
  virtual void on_error(DataError error) = 0;
};

// Reads the whole file in one pass over `bytes`. Accepts a UTF-8 byte-order mark, CRLF, LF or
// CR line ends, quoted cells holding commas, doubled quotes and line breaks, and spaces around a
// quoted cell. Bytes that are not valid UTF-8 pass through unchanged. A line that is empty or
// holds only spaces and tabs is blank: it is skipped but counts as a row. The first line that is
// not blank is the header.
//
// Never throws. Errors (the file has no header; a quote is never closed; characters follow a
// closing quote) are reported as they are found; a broken line is left out and reading resumes
// on the next line. `file_name` is used only in errors.
void read_csv(std::string_view file_name, std::string_view bytes, CsvVisitor& visitor);

// For reading one file in pieces at once: `bytes` is a run of whole lines of a file. The first
// piece is read as read_csv reads a file; a continuation piece has no byte-order mark and no
// header (every line is a data row), and numbers its rows from 1. Returns the row number the
// next line would have, so a caller can renumber a continuation's rows. A piece that does not
// end where the whole file's reading would end a line shows it by an error (its last quoted
// cell is never closed).
std::uint32_t read_csv_part(std::string_view file_name, std::string_view bytes, CsvVisitor& visitor,
                            bool continuation);

// The same, collected into a table.
CsvResult read_csv(std::string_view file_name, std::string_view bytes,
                   std::size_t max_errors = std::numeric_limits<std::size_t>::max());

}  // namespace catengine::engine
