// One sheet of a workbook, row by row, to a CsvVisitor; see xlsx_reader.hpp.
#include "data/xlsx_reader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "data/xlsx_workbook.hpp"
#include "data/zip_archive.hpp"
#include "system/atomic_file.hpp"

namespace catengine::engine {

namespace {

using namespace xlsx_xml;

constexpr std::uint32_t kMaxColumns = 16384;  // XFD, Excel's last column

std::string column_letters(std::uint32_t column) {  // 1-based
  std::string out;
  for (; column > 0; column = (column - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (column - 1) % 26));
  }
  return out;
}

// The column of a cell reference such as `C5` (1-based), or 0 when it is not one.
std::uint32_t reference_column(std::string_view ref) {
  std::uint32_t column = 0;
  std::size_t i = 0;
  for (; i < ref.size(); ++i) {
    const char c = ref[i];
    const char upper = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    if (upper < 'A' || upper > 'Z') break;
    column = column * 26 + static_cast<std::uint32_t>(upper - 'A' + 1);
    if (column > kMaxColumns) return 0;
  }
  if (i == 0 || i == ref.size()) return 0;
  for (; i < ref.size(); ++i) {
    if (ref[i] < '0' || ref[i] > '9') return 0;
  }
  return column;
}

// A cell's text as the row is built: a view that outlives the row (into the shared strings or
// the sheet's XML), or a range of the row's own text buffer.
struct Pending {
  std::string_view view;
  std::size_t offset = 0, size = 0;
  bool owned = false;
};

class SheetReader {
 public:
  SheetReader(std::string_view file_name, const XlsxWorkbook& book, CsvVisitor& visitor)
      : file_(file_name), book_(book), visitor_(visitor) {}

  void read(pugi::xml_node sheet_data) {
    std::uint32_t last_row = 0;
    for (pugi::xml_node row = sheet_data.first_child(); row; row = row.next_sibling()) {
      if (row.type() != pugi::node_element || local_name(row.name()) != "row") continue;
      const std::string_view r = attribute(row, "r");
      std::uint32_t number = last_row + 1;
      if (!r.empty()) {
        const auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), number);
        if (ec != std::errc() || end != r.data() + r.size() || number <= last_row) {
          // Out of order or not a number: nothing sensible can be numbered after it.
          error(last_row + 1, "-",
                fmt::format("the sheet's row `{}` is not a row number after row {}", r, last_row));
          return;
        }
      }
      if (number == std::numeric_limits<std::uint32_t>::max()) return;
      last_row = number;
      read_row(number, row);
    }
    if (!header_seen_) error(0, "-", "the sheet is empty: it has no header row");
  }

 private:
  void read_row(std::uint32_t number, pugi::xml_node row) {
    pending_.clear();
    text_.clear();
    for (pugi::xml_node c = row.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || local_name(c.name()) != "c") continue;
      const std::string_view ref = attribute(c, "r");
      std::uint32_t column = static_cast<std::uint32_t>(pending_.size()) + 1;
      if (!ref.empty()) {
        column = reference_column(ref);
        if (column == 0 || column <= pending_.size()) {
          error(number, "-",
                fmt::format("the cell reference `{}` is not a column after {}", ref,
                            column_letters(static_cast<std::uint32_t>(pending_.size()))));
          return;
        }
      } else if (column > kMaxColumns) {
        error(number, "-", "the row has more than 16384 cells");
        return;
      }
      pending_.resize(column - 1);  // the gap: empty cells
      if (!read_cell(number, column, c)) return;
    }
    // Trailing empty cells say nothing; then every row is as wide as the header.
    while (!pending_.empty() && !pending_.back().owned && pending_.back().view.empty()) {
      pending_.pop_back();
    }
    if (pending_.empty()) return;  // a blank row
    if (header_seen_ && pending_.size() < header_.size()) pending_.resize(header_.size());
    cells_.clear();
    for (const Pending& p : pending_) {
      cells_.push_back(p.owned ? std::string_view(text_).substr(p.offset, p.size) : p.view);
    }
    if (!header_seen_) {
      header_seen_ = true;
      header_.assign(cells_.begin(), cells_.end());
      visitor_.on_header(number, cells_);
    } else {
      visitor_.on_row(number, cells_);
    }
  }

  void keep(std::string_view view) { pending_.push_back({.view = view}); }
  void own(std::string_view text) {
    pending_.push_back({.offset = text_.size(), .size = text.size(), .owned = true});
    text_ += text;
  }

  // Appends the cell's text; false (with an error reported) when the cell is broken.
  bool read_cell(std::uint32_t row, std::uint32_t column, pugi::xml_node c) {
    const std::string_view type = attribute(c, "t");
    const std::string_view v = child(c, "v").child_value();
    if (type == "inlineStr") {
      own(string_item(child(c, "is")));
    } else if (type == "s") {
      unsigned index = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), index);
      if (ec != std::errc() || end != v.data() + v.size() || index >= book_.shared_strings.size()) {
        return cell_error(row, column,
                          fmt::format("the cell refers to shared string `{}`, which the workbook "
                                      "does not have",
                                      v));
      }
      keep(book_.shared_strings[index]);
    } else if (type == "str") {
      if (v.find('_') == std::string_view::npos) {
        keep(v);
      } else {
        own(unescape(v));
      }
    } else if (type == "e") {
      keep(v);  // #N/A, #DIV/0!, ...
    } else if (type == "b") {
      if (v != "0" && v != "1") {
        return cell_error(row, column, fmt::format("the cell's boolean `{}` is not 0 or 1", v));
      }
      keep(v == "1" ? "TRUE" : "FALSE");
    } else if (type == "d") {
      // An ISO 8601 date (strict Open XML): the date alone when there is no time of day.
      const std::size_t t = v.find('T');
      if (t != std::string_view::npos && v.substr(t + 1).starts_with("00:00:00")) {
        keep(v.substr(0, t));
      } else {
        own(v);
        if (t != std::string_view::npos) text_[pending_.back().offset + t] = ' ';
      }
    } else if (type.empty() || type == "n") {
      if (v.empty()) {
        keep({});
        return true;
      }
      double value = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
      if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(value)) {
        return cell_error(row, column, fmt::format("the cell's number `{}` is not a number", v));
      }
      NumberFormat format;
      const std::string_view s = attribute(c, "s");
      unsigned style = 0;
      if (!s.empty() && std::from_chars(s.data(), s.data() + s.size(), style).ec == std::errc() &&
          style < book_.cell_formats.size()) {
        format = book_.cell_formats[style];
      }
      own(format_number(value, format, book_.date1904));
    } else {
      return cell_error(row, column,
                        fmt::format("the cell's type `{}` is not one Excel writes", type));
    }
    return true;
  }

  bool cell_error(std::uint32_t row, std::uint32_t column, std::string message) {
    std::string name = column_letters(column);
    if (column <= header_.size() && !header_[column - 1].empty()) {
      name = header_[column - 1];
    }
    error(row, name, std::move(message));
    return false;
  }

  void error(std::uint32_t row, std::string column, std::string message) {
    if (!visitor_.wants_error()) return;
    visitor_.on_error({.file = std::string(file_),
                       .row = row,
                       .column = std::move(column),
                       .message = std::move(message)});
  }

  std::string_view file_;
  const XlsxWorkbook& book_;
  CsvVisitor& visitor_;
  bool header_seen_ = false;
  std::vector<std::string> header_;
  std::vector<Pending> pending_;  // this row's cells, by column
  std::string text_;              // this row's cells that are not views
  std::vector<std::string_view> cells_;
};

// `name` compared ignoring ASCII case, as Excel compares sheet names.
bool same_sheet_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

void read_xlsx(std::string_view file_name, std::string_view bytes, CsvVisitor& visitor,
               const XlsxOptions& options) {
  const auto fail = [&](std::string message) {
    if (!visitor.wants_error()) return;
    visitor.on_error(
        {.file = std::string(file_name), .row = 0, .column = "-", .message = std::move(message)});
  };
  std::string error;
  std::uint64_t limit = options.max_unpacked_bytes;
  if (limit == 0) {
    const std::optional<std::uint64_t> cap = max_input_bytes(error);
    if (!cap) return fail(error);
    limit = *cap;
  }
  std::optional<ZipArchive> zip = ZipArchive::open(bytes, limit, error);
  if (!zip) {
    return fail(fmt::format(
        "is not an Excel workbook: it is not a zip archive, or a damaged or truncated one ({})",
        error));
  }
  const std::optional<XlsxWorkbook> book = read_xlsx_workbook(*zip, error);
  if (!book) return fail(fmt::format("cannot be read as an Excel workbook: {}", error));

  const WorkbookSheetPart* sheet = &book->sheets.front();
  if (!options.sheet.empty()) {
    sheet = nullptr;
    for (const WorkbookSheetPart& s : book->sheets) {
      if (same_sheet_name(s.name, options.sheet)) {
        sheet = &s;
        break;
      }
    }
    if (sheet == nullptr) {
      std::string names;
      for (const WorkbookSheetPart& s : book->sheets) {
        names += fmt::format("{}`{}`", names.empty() ? "" : ", ", s.name);
      }
      return fail(fmt::format("the workbook has no sheet named `{}`; its sheets are {}",
                              options.sheet, names));
    }
  }
  std::optional<std::string> text = zip->read(sheet->part, error);
  pugi::xml_document doc;
  if (!text || !parse(*text, sheet->part, doc, error)) {
    return fail(fmt::format("cannot be read as an Excel workbook: {}", error));
  }
  SheetReader(file_name, *book, visitor).read(child(child(doc, "worksheet"), "sheetData"));
}

}  // namespace catengine::engine
