// Typed cells, formats and widths over libxlsxwriter (see xlsx_book.hpp).
#include "report/xlsx_book.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include <fmt/format.h>

#include "base/date.hpp"
#include "report/text_table.hpp"

namespace catengine::engine {

namespace {

using lang::BaseType;

// Excel holds at most this many characters in a cell; libxlsxwriter refuses longer text.
constexpr std::size_t kMaxCellCharacters = 32'767;
// Columns are never narrower than a short word with the filter button beside it, nor wider
// than a long school name: longer text is still there, shown when the cell is selected.
constexpr std::size_t kMinWidth = 6;
constexpr std::size_t kMaxWidth = 60;

// A decimal as the nearest double: exact for whole numbers, and for fractions the correctly
// rounded value of the exact decimal text (shifted two places left for a percentage, so 62.5%
// is the 0.625 a spreadsheet means by it, not 62.5/100 rounded twice).
double to_double(Value v, bool percent) {
  if (!percent && v % decimal::kScale == 0) return static_cast<double>(v / decimal::kScale);
  std::string text = decimal::format(v);
  if (percent) text += "e-2";
  return std::strtod(text.c_str(), nullptr);
}

// Characters a number takes when shown with `decimals` digits after the point.
std::size_t number_width(Value v, int decimals, bool percent) {
  Value whole = v / decimal::kScale;
  std::size_t n = v < 0 ? 2 : 1;
  for (whole = whole < 0 ? -whole : whole; whole >= 10; whole /= 10) ++n;
  return n + (decimals > 0 ? static_cast<std::size_t>(decimals) + 1 : 0) + (percent ? 1 : 0);
}

std::string decimals_code(int decimals) {
  return decimals > 0 ? "0." + std::string(static_cast<std::size_t>(decimals), '0') : "0";
}

// Text as Open XML stores it literally: `_xHHHH_` in a cell means the character HHHH (how control
// characters are written, which libxlsxwriter does), so a text that holds those seven characters
// itself has its underscore written as `_x005F_`, as Excel does.
void escape_underscores(std::string& text) {
  auto is_hex = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  };
  for (std::size_t i = text.find("_x"); i != std::string::npos; i = text.find("_x", i + 1)) {
    if (i + 7 > text.size() || text[i + 6] != '_') continue;
    if (!std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i) + 2,
                     text.begin() + static_cast<std::ptrdiff_t>(i) + 6, is_hex))
      continue;
    text.insert(i + 1, "x005F_");
    i += 6;
  }
}

}  // namespace

double excel_serial_day(Value date) {
  static const Value kEpoch = date_from_ymd(1899, 12, 30);
  static const Value kFirst = date_from_ymd(1900, 3, 1);
  if (date < kFirst || !is_representable(date)) return -1;
  return static_cast<double>(date - kEpoch);
}

std::uint32_t scale_fill(std::size_t index, std::size_t count) {
  // Excel's own "good", "neutral" and "bad" fills, mixed in between for longer scales.
  constexpr std::array<std::uint32_t, 3> kStops = {0xC6EFCE, 0xFFEB9C, 0xFFC7CE};
  if (count < 2) return kStops[0];
  // The place on the way from the first stop to the last, in 1/1000ths.
  const std::size_t at = index * 2000 / (count - 1);
  const std::size_t stop = std::min<std::size_t>(at / 1000, 1);
  const std::size_t part = at - stop * 1000;
  std::uint32_t out = 0;
  for (int shift : {16, 8, 0}) {
    const auto a = static_cast<int>((kStops[stop] >> shift) & 0xFF);
    const auto b = static_cast<int>((kStops[stop + 1] >> shift) & 0xFF);
    const int mixed = a + (b - a) * static_cast<int>(part) / 1000;
    out |= static_cast<std::uint32_t>(mixed) << shift;
  }
  return out;
}

XlsxSheet::XlsxSheet(XlsxBook& book, lxw_worksheet* sheet, std::string name,
                     std::vector<std::string> heads)
    : book_(&book),
      sheet_(sheet),
      name_(std::move(name)),
      heads_(std::move(heads)),
      decimals_(heads_.size(), 0),
      widths_(heads_.size(), 0),
      column_formats_(heads_.size(), nullptr),
      mixed_(heads_.size(), false) {
  for (std::size_t c = 0; c < heads_.size(); ++c) {
    if (sheet_ != nullptr)
      worksheet_write_string(sheet_, 0, static_cast<lxw_col_t>(c), heads_[c].c_str(), book.bold_);
    // Room for the filter button beside the head.
    widen(c, display_width(heads_[c]) + 3);
  }
}

void XlsxSheet::set_decimals(std::size_t col, int decimals) {
  decimals_.at(col) = std::clamp(decimals, 0, decimal::kDigits);
}

void XlsxSheet::widen(std::size_t col, std::size_t characters) {
  widths_.at(col) = std::max(widths_[col], characters);
}

void XlsxSheet::note_format(std::size_t col, lxw_format* format) {
  if (column_formats_.at(col) == nullptr && !mixed_[col]) {
    column_formats_[col] = format;
  } else if (column_formats_[col] != format) {
    column_formats_[col] = nullptr;
    mixed_[col] = true;
  }
}

void XlsxSheet::put_text(std::uint32_t row, std::size_t col, std::string_view text) {
  if (sheet_ == nullptr || !book_->ok() || text.empty()) return;
  const std::size_t characters = display_width(text);
  if (characters > kMaxCellCharacters) {
    book_->fail(fmt::format(
        "`{}` in row {} of the sheet {} is {} characters long, more than an Excel cell holds "
        "({}); write CSV instead (`--format csv`)",
        heads_.at(col), row + 1, name_, characters, kMaxCellCharacters));
    return;
  }
  widen(col, characters + 1);
  scratch_.assign(text);
  escape_underscores(scratch_);
  // write_string, never write_formula: text is stored as a string, whatever it starts with.
  const lxw_error e =
      worksheet_write_string(sheet_, row, static_cast<lxw_col_t>(col), scratch_.c_str(), nullptr);
  if (e != LXW_NO_ERROR)
    book_->fail(fmt::format("`{}` in row {} of the sheet {}: {}", heads_.at(col), row + 1, name_,
                            lxw_strerror(e)));
}

void XlsxSheet::put(std::uint32_t row, std::size_t col, Value v, const lang::Type& type) {
  if (sheet_ == nullptr || !book_->ok() || v == kMissing) return;
  const auto c = static_cast<lxw_col_t>(col);
  lxw_error e = LXW_NO_ERROR;
  switch (type.base) {
    case BaseType::Integer:
    case BaseType::Number:
    case BaseType::Percent: {
      const bool percent = type.base == BaseType::Percent;
      const int decimals = type.base == BaseType::Integer ? 0 : decimals_.at(col);
      widen(col, number_width(v, decimals, percent) + 1);
      lxw_format* format = book_->format_for(type, decimals);
      note_format(col, format);
      e = worksheet_write_number(sheet_, row, c, to_double(v, percent), format);
      break;
    }
    case BaseType::Date: {
      const double serial = excel_serial_day(v);
      if (serial < 0) {
        put_text(row, col, book_->formatter_.format(v, type));
        return;
      }
      widen(col, 11);
      lxw_format* format = book_->format_for(type, 0);
      note_format(col, format);
      e = worksheet_write_number(sheet_, row, c, serial, format);
      break;
    }
    case BaseType::Enum: {
      scratch_ = book_->formatter_.format(v, type);
      widen(col, display_width(scratch_) + 1);
      e = worksheet_write_string(sheet_, row, c, scratch_.c_str(), book_->fill_for(type, v));
      break;
    }
    case BaseType::Boolean:
    case BaseType::Text:
    case BaseType::AcademicYear:
      put_text(row, col, book_->formatter_.format(v, type));
      return;
    case BaseType::Error:
      return;
  }
  if (e != LXW_NO_ERROR)
    book_->fail(fmt::format("`{}` in row {} of the sheet {}: {}", heads_.at(col), row + 1, name_,
                            lxw_strerror(e)));
}

void XlsxSheet::finish(bool table, std::uint32_t last_row) {
  if (sheet_ == nullptr || heads_.empty()) return;
  for (std::size_t c = 0; c < heads_.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    worksheet_set_column(sheet_, col, col,
                         static_cast<double>(std::clamp(widths_[c], kMinWidth, kMaxWidth)),
                         column_formats_[c]);
  }
  // Labels such as "1" or "3" of a scale are text on purpose: no green "number stored as text"
  // triangles on them.
  worksheet_ignore_errors(sheet_, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
  if (!table) return;
  worksheet_freeze_panes(sheet_, 1, 0);
  worksheet_autofilter(sheet_, 0, 0, last_row, static_cast<lxw_col_t>(heads_.size() - 1));
}

XlsxBook::XlsxBook(const std::string& path, const lang::CheckedPolicy& policy, const TextPool& text)
    : formatter_(policy, text), policy_(policy) {
  // Each row goes to disk as soon as the next one starts, so memory stays flat in the number of
  // records (24,000 schools: 24 MB in all, against 76 MB with every cell held to the end) and
  // the run is faster; text is stored in its cell rather than in a shared table, which makes
  // the file about a tenth larger. Rows must be written in order, and they are.
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  book_ = workbook_new_opt(path.c_str(), &options);
  if (book_ == nullptr) {
    error_ = "libxlsxwriter could not start a workbook (out of memory)";
    return;
  }
  bold_ = workbook_add_format(book_);
  format_set_bold(bold_);
}

XlsxBook::~XlsxBook() {
  if (book_ != nullptr) lxw_workbook_free(book_);
}

void XlsxBook::fail(std::string sentence) {
  if (error_.empty()) error_ = std::move(sentence);
}

void XlsxBook::set_properties(const std::string& title, const std::string& subject, Value as_of) {
  if (book_ == nullptr) return;
  std::string t = title, s = subject;
  lxw_doc_properties properties = {};
  properties.title = t.data();
  properties.subject = s.data();
  // 0 would mean "now" to libxlsxwriter; the as-of date 1970-01-01 is one second later instead.
  const std::int64_t seconds = as_of * 86'400;
  properties.created = static_cast<time_t>(seconds == 0 ? 1 : seconds);
  const lxw_error e = workbook_set_properties(book_, &properties);
  if (e != LXW_NO_ERROR) fail(fmt::format("the file properties: {}", lxw_strerror(e)));
}

XlsxSheet XlsxBook::add_sheet(const std::string& name, std::vector<std::string> heads) {
  lxw_worksheet* sheet = book_ ? workbook_add_worksheet(book_, name.c_str()) : nullptr;
  if (sheet == nullptr) fail(fmt::format("could not add the sheet `{}`", name));
  return XlsxSheet(*this, sheet, name, std::move(heads));
}

lxw_format* XlsxBook::number_format(const std::string& code) {
  auto [it, added] = number_formats_.try_emplace(code, nullptr);
  if (added) {
    it->second = workbook_add_format(book_);
    format_set_num_format(it->second, code.c_str());
  }
  return it->second;
}

lxw_format* XlsxBook::format_for(const lang::Type& type, int decimals) {
  switch (type.base) {
    case BaseType::Integer:
      return number_format("0");
    case BaseType::Number:
      return number_format(decimals_code(decimals));
    case BaseType::Percent:
      return number_format(decimals_code(decimals) + "%");
    case BaseType::Date:
      // ISO, as every other output writes dates: unambiguous, and it sorts as text too.
      return number_format("yyyy-mm-dd");
    default:
      return nullptr;
  }
}

lxw_format* XlsxBook::fill_for(const lang::Type& type, Value member) {
  const lang::EnumInfo& e = policy_.enums.at(type.enum_id);
  if (!e.ordered || member < 0) return nullptr;
  auto [it, added] = fills_.try_emplace({type.enum_id, member}, nullptr);
  if (added) {
    it->second = workbook_add_format(book_);
    format_set_pattern(it->second, LXW_PATTERN_SOLID);
    format_set_bg_color(it->second, scale_fill(static_cast<std::size_t>(member), e.members.size()));
  }
  return it->second;
}

bool XlsxBook::close(std::string& error) {
  if (book_ == nullptr || !ok()) {
    error = error_;
    return false;
  }
  lxw_workbook* book = book_;
  book_ = nullptr;  // workbook_close frees it, whatever happens
  const lxw_error e = workbook_close(book);
  if (e != LXW_NO_ERROR) {
    error = fmt::format("libxlsxwriter could not write the workbook: {}", lxw_strerror(e));
    return false;
  }
  return true;
}

}  // namespace catengine::engine
