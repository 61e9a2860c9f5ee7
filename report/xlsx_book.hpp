// A thin layer over libxlsxwriter for catengine's workbooks: typed cells written by the
// policy's types (numbers as numbers, dates as dates, yes/no and labels as text, missing as an
// empty cell), text always as a string (never a formula), a bold frozen header row with filters,
// column widths from what the cells show, scale cells filled by level, and the first error kept
// as a sentence. Used by the results and schedule workbooks (xlsx_writer.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/value.hpp"
#include "lang/check/checked_policy.hpp"
#include "report/value_format.hpp"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace catengine::engine {

class XlsxBook;

// One sheet: row 0 holds the heads, cells go below. Widths are worked out as cells are written
// and set by finish().
class XlsxSheet {
 public:
  // Digits after the point that every number of column `col` is shown with (the most any of
  // its values has, so none is shown rounded and the points line up); 0 unless set.
  void set_decimals(std::size_t col, int decimals);
  // A value of the policy's `type`, as ValueFormatter shows it; missing leaves the cell empty.
  void put(std::uint32_t row, std::size_t col, Value v, const lang::Type& type);
  // Text, as a string whatever it starts with (`=`, `+`, `-`, `@` stay text).
  void put_text(std::uint32_t row, std::size_t col, std::string_view text);
  // Column widths; with `table`, the header row frozen and filters over rows 0..last_row.
  void finish(bool table, std::uint32_t last_row);

 private:
  friend class XlsxBook;
  XlsxSheet(XlsxBook& book, lxw_worksheet* sheet, std::string name, std::vector<std::string> heads);
  void widen(std::size_t col, std::size_t characters);
  void note_format(std::size_t col, lxw_format* format);

  XlsxBook* book_;
  lxw_worksheet* sheet_;
  std::string name_;
  std::vector<std::string> heads_;
  std::vector<int> decimals_;
  std::vector<std::size_t> widths_;  // characters
  // The number format every typed cell of the column had (nullptr: none, or several), given to
  // the whole column, so a row an analyst adds below shows its figures the same way.
  std::vector<lxw_format*> column_formats_;
  std::vector<bool> mixed_;
  std::string scratch_;
};

class XlsxBook {
 public:
  // A workbook to be written to `path` by close(); values are shown as ValueFormatter shows
  // them for `policy` and the data's `text`.
  XlsxBook(const std::string& path, const lang::CheckedPolicy& policy, const TextPool& text);
  ~XlsxBook();  // without close(): nothing is written
  XlsxBook(const XlsxBook&) = delete;
  XlsxBook& operator=(const XlsxBook&) = delete;

  // Title and subject as Excel's file properties show them; the creation time is `as_of`'s
  // midnight (UTC), so two runs give the same bytes.
  void set_properties(const std::string& title, const std::string& subject, Value as_of);
  // A new sheet named `name`, its heads written in bold in row 0.
  XlsxSheet add_sheet(const std::string& name, std::vector<std::string> heads);

  bool ok() const { return error_.empty(); }
  // Keeps the first problem only: later ones are usually its echoes.
  void fail(std::string sentence);
  // Writes the file. False with `error` set on the first problem met on the way.
  bool close(std::string& error);

 private:
  friend class XlsxSheet;
  // The cell format for a value of `type` shown with `decimals` digits after the point;
  // nullptr for text.
  lxw_format* format_for(const lang::Type& type, int decimals);
  // The fill of a scale's member, by its place from best (green) to worst (red).
  lxw_format* fill_for(const lang::Type& type, Value member);
  lxw_format* number_format(const std::string& code);

  lxw_workbook* book_ = nullptr;
  ValueFormatter formatter_;
  const lang::CheckedPolicy& policy_;
  lxw_format* bold_ = nullptr;
  std::map<std::string, lxw_format*> number_formats_;
  std::map<std::pair<std::uint16_t, Value>, lxw_format*> fills_;
  std::string error_;
};

// Excel's serial day number for a date (days since 1899-12-30), or -1 before 1900-03-01,
// where Excel's count is one out (it has a 29 February 1900), and such dates are written as text.
double excel_serial_day(Value date);

// The fill colour (0xRRGGBB) of member `index` of a scale of `count` members: light green for
// the best, through light yellow, to light red for the worst, each readable under black text.
std::uint32_t scale_fill(std::size_t index, std::size_t count);

}  // namespace catengine::engine
