// Binding CSV cells to a RecordSchema. Columns are resolved once from the header; each cell is
// then read as the CSV reader delivers its line, without copying. A cell that cannot be read
// yields a Problem, and a message is only built for it while there is still room in the error
// list, so a file where every cell is wrong stays cheap to reject.
#include "data/binder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/date.hpp"
#include "base/english.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "data/csv_reader.hpp"
#include "data/text_encoding.hpp"
#include "data/xlsx_reader.hpp"
#include "lang/diagnostics/diagnostic.hpp"
#include "system/parallel.hpp"

namespace catengine::engine {
namespace {

// ---- text helpers -------------------------------------------------------------------------

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// The first eight bytes of `t` (zero-padded), ASCII letters lowered, as one integer: a short
// word then compares ignoring case in one instruction. Lowers the same bytes ascii_lower does.
std::uint64_t packed_lower(std::string_view t) {
  std::uint64_t x = 0;
  if (t.size() >= 8) {
    std::memcpy(&x, t.data(), 8);
  } else {  // byte by byte: a memcpy of a variable length is a call
    for (std::size_t i = 0; i < t.size(); ++i) {
      x |= std::uint64_t{static_cast<unsigned char>(t[i])} << (8 * i);
    }
  }
  constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = ones * 0x7F, high = ones * 0x80;
  const std::uint64_t h = x & low7;
  const std::uint64_t at_least_a = h + ones * (0x80 - 'A');        // high bit: byte >= 'A'
  const std::uint64_t beyond_z = h + ones * (0x80 - 'Z' - 1);      // high bit: byte > 'Z'
  const std::uint64_t upper = at_least_a & ~beyond_z & ~x & high;  // ASCII only
  return x | (upper >> 2);                                         // 0x80 >> 2 is 0x20
}

// A short list of words matched ignoring ASCII case, the first match winning: missing codes,
// yes and no words, an enumeration's labels. Worked out once per field, so a cell is matched
// by its length and one integer comparison per word rather than a loop over characters.
class WordList {
 public:
  void add(std::string_view word, Value value) {
    entries_.push_back({packed_lower(word), word.size(), value, word});
    if (word.size() < 64) {
      lengths_ |= std::uint64_t{1} << word.size();
    } else {
      any_long_ = true;
    }
  }
  [[gnu::always_inline]] bool find(std::string_view t, Value& value) const {
    if (t.size() < 64 ? (lengths_ >> t.size() & 1) == 0 : !any_long_) return false;
    const std::uint64_t key = packed_lower(t);
    for (const Entry& e : entries_) {
      if (e.size == t.size() && e.packed == key && (e.size <= 8 || iequals(t, e.word))) {
        value = e.value;
        return true;
      }
    }
    return false;
  }

 private:
  struct Entry {
    std::uint64_t packed;
    std::size_t size;
    Value value;
    std::string_view word;  // in the schema, which outlives the binder
  };
  std::vector<Entry> entries_;
  std::uint64_t lengths_ = 0;  // bit n: some word has n characters
  bool any_long_ = false;      // some word has 64 or more
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// A cell's text as it goes inside backticks in a one-line message: line breaks, other control
// characters and bytes that are not UTF-8 are escaped (cells may hold anything), and very long
// text is cut short.
std::string shown(std::string_view s) {
  return lang::shown_text(s, 60);
}

std::string quoted(std::string_view s) {
  // Built by appending: `"`" + std::string` trips a false -Wrestrict in GCC 12 at -O2.
  std::string out = "`";
  out += shown(s);
  out += '`';
  return out;
}

// Each item in backquotes: `a`, `b`, `c`.
std::vector<std::string> quoted_each(const std::vector<std::string_view>& items) {
  std::vector<std::string> shown;
  shown.reserve(items.size());
  for (std::string_view item : items) shown.push_back(quoted(item));
  return shown;
}

// Spreadsheet column letters for a 0-based index: A, B, ..., Z, AA, ...
std::string column_letters(std::size_t index) {
  std::string out;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return out;
}

// ---- reading one cell ---------------------------------------------------------------------

enum class Problem : std::uint8_t {
  None,
  BadNumber,    // not a decimal at all
  PercentSign,  // a `%` on a column that is not a percentage
  TooPrecise,   // more decimal places than a Value holds
  TooLarge,     // beyond the range of a Value
  NotWhole,     // Integer with a fractional part
  OutOfRange,   // outside the field's low/high (or 0-100 for a percentage)
  BadBoolean,
  BadDate,
  NoSuchDate,  // well formed but not in the calendar (2019-02-29)
  BadEnumeration,
  BadAcademicYear,
  WrongAcademicYearEnd,  // `2016/18`
  NotUtf8,               // text that is not UTF-8 (checked only when the file has such bytes)
};

// What a reading of a field needs, worked out once from the schema.
struct FieldReader {
  std::size_t field = 0;   // index in the schema (and in a DataSet row)
  std::size_t column = 0;  // index in the header
  const FieldSpec* spec = nullptr;
  Value low = kMissing;  // effective bounds: the spec's, narrowed to 0-100 for a percentage
  Value high = kMissing;
  WordList words;  // Boolean: yes words (1) then no words (0); Enumeration: labels (index)
};

// Why a malformed-looking number failed: sign, digits, point, digits is the shape decimal::parse
// takes; if the text has that shape the failure was precision or size.
Problem number_problem(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  const std::size_t whole_start = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  if (i == whole_start) return Problem::BadNumber;
  if (i < t.size() && t[i] == '.') {
    const std::size_t frac_start = ++i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == frac_start) return Problem::BadNumber;
    if (i == t.size() && i - frac_start > static_cast<std::size_t>(decimal::kDigits)) {
      return Problem::TooPrecise;
    }
  }
  return i == t.size() ? Problem::TooLarge : Problem::BadNumber;
}

Problem read_decimal(const FieldReader& f, std::string_view t, Value& out) {
  const ValueKind kind = f.spec->kind;
  if (kind == ValueKind::Percent && !t.empty() && t.back() == '%') {
    t = trim(t.substr(0, t.size() - 1));
  }
  const std::optional<Value> v = decimal::parse(t);
  if (!v) {
    // Only now look for a stray percent sign: a number that parsed has none.
    if (kind != ValueKind::Percent && t.find('%') != std::string_view::npos) {
      return Problem::PercentSign;
    }
    return number_problem(t);
  }
  if (kind == ValueKind::Integer && *v % decimal::kScale != 0) return Problem::NotWhole;
  if ((f.low != kMissing && *v < f.low) || (f.high != kMissing && *v > f.high)) {
    return Problem::OutOfRange;
  }
  out = *v;
  return Problem::None;
}

// A day/month/year cell's parts as a date: a real day in the years the one date parser accepts
// (lang/date.hpp), so a date reads the same whichever format it is written in.
Problem make_date(int y, unsigned m, unsigned d, Value& out) {
  const Value date = date_from_ymd(y, m, d);
  if (date == kMissing || !is_representable(date)) return Problem::NoSuchDate;
  out = date;
  return Problem::None;
}

// Problem::BadDate when `t` is not in this format at all.
Problem read_date_as(DateFormat format, std::string_view t, Value& out) {
  switch (format) {
    case DateFormat::Iso:
      switch (parse_iso_date(t, out)) {
        case DateProblem::None:
          return Problem::None;
        case DateProblem::NotIso:
          return Problem::BadDate;
        case DateProblem::NoSuchDate:
        case DateProblem::OutOfRange:
          return Problem::NoSuchDate;
      }
      return Problem::BadDate;
    case DateFormat::DayMonth: {
      // D/M/YYYY: one or two digits, a slash, one or two digits, a slash, four digits. Read in
      // one pass: a third of a national file's cells can be dates.
      const char* p = t.data();
      const char* const e = p + t.size();
      const auto number = [&](std::size_t least, std::size_t most, int& v) {
        std::size_t n = 0;
        v = 0;
        for (; p != e && is_digit(*p) && n <= most; ++p, ++n) v = v * 10 + (*p - '0');
        return n >= least && n <= most;
      };
      int d = 0, m = 0, y = 0;
      if (!number(1, 2, d) || p == e || *p++ != '/' || !number(1, 2, m) || p == e || *p++ != '/' ||
          !number(4, 4, y) || p != e) {
        return Problem::BadDate;
      }
      return make_date(y, static_cast<unsigned>(m), static_cast<unsigned>(d), out);
    }
  }
  return Problem::BadDate;
}

Problem read_date(const ReadingRules& rules, std::string_view t, Value& out) {
  Problem worst = Problem::BadDate;
  for (DateFormat format : rules.date_formats) {
    const Problem p = read_date_as(format, t, out);
    if (p == Problem::None) return p;
    if (p == Problem::NoSuchDate) worst = p;  // it had a date's shape: say why it is not one
  }
  return worst;
}

Problem read_academic_year(std::string_view t, Value& out) {
  if (t.size() != 7 || t[4] != '/') return Problem::BadAcademicYear;
  const auto start = t.substr(0, 4), end = t.substr(5, 2);
  if (!all_digits(start) || !all_digits(end)) return Problem::BadAcademicYear;
  const int y = digits_value(start);
  if (digits_value(end) != (y + 1) % 100) return Problem::WrongAcademicYearEnd;
  out = y;
  return Problem::None;
}

// `check_utf8`: refuse text that is not UTF-8. Only text is kept as written; a cell of any other
// kind that is not UTF-8 fails its own reading, with the bad bytes escaped in the message.
[[gnu::always_inline]] inline Problem read_cell(const FieldReader& f, const ReadingRules& rules,
                                                std::string_view t, TextPool& text, bool check_utf8,
                                                Value& out) {
  switch (f.spec->kind) {
    case ValueKind::Integer:
    case ValueKind::Number:
    case ValueKind::Percent:
      return read_decimal(f, t, out);
    case ValueKind::Boolean:
      return f.words.find(t, out) ? Problem::None : Problem::BadBoolean;
    case ValueKind::Text:
      if (check_utf8 && !lang::is_valid_utf8(t)) return Problem::NotUtf8;
      out = text.intern(t);
      return Problem::None;
    case ValueKind::Date:
      return read_date(rules, t, out);
    case ValueKind::Enumeration:
      return f.words.find(t, out) ? Problem::None : Problem::BadEnumeration;
    case ValueKind::AcademicYear:
      return read_academic_year(t, out);
  }
  return Problem::BadNumber;  // unreachable for a valid ValueKind
}

// ---- messages -----------------------------------------------------------------------------

std::string range_text(Value low, Value high) {
  if (low != kMissing && high != kMissing) {
    return "from " + decimal::format(low) + " to " + decimal::format(high);
  }
  if (low != kMissing) return "of at least " + decimal::format(low);
  return "of at most " + decimal::format(high);
}

std::string date_formats_text(const ReadingRules& rules) {
  std::vector<std::string_view> names;
  for (DateFormat format : rules.date_formats)
    names.push_back(format == DateFormat::Iso ? "YYYY-MM-DD" : "D/M/YYYY");
  return fmt::format("{}", fmt::join(names, " or "));
}

std::string describe(const FieldReader& f, const ReadingRules& rules, std::string_view t,
                     Problem p) {
  const ValueKind kind = f.spec->kind;
  const std::string found = ", found " + quoted(t);
  const std::string expected_number = kind == ValueKind::Integer   ? "a whole number"
                                      : kind == ValueKind::Percent ? "a percentage"
                                                                   : "a number";
  switch (p) {
    case Problem::None:
      break;
    case Problem::BadNumber:
      if (kind == ValueKind::Percent) {
        return "expected a percentage such as `64.9` or `64.9%`" + found;
      }
      if (kind == ValueKind::Integer) return "expected a whole number" + found;
      return "expected a number such as `-5`, `0.25` or `+3`" + found;
    case Problem::PercentSign:
      return "expected " + expected_number + found + " (`%` is only allowed on percentages)";
    case Problem::TooPrecise:
      return "expected " + expected_number + found + " (more than " +
             std::to_string(decimal::kDigits) + " decimal places)";
    case Problem::TooLarge:
      return "expected " + expected_number + found + " (too large)";
    case Problem::NotWhole:
      return "expected a whole number" + found;
    case Problem::OutOfRange:
      if (kind == ValueKind::Percent) {
        return quoted(t) + " is not a percentage " + range_text(f.low, f.high);
      }
      return quoted(t) + " is out of range: expected " + expected_number + " " +
             range_text(f.low, f.high);
    case Problem::BadBoolean: {
      std::string words;
      for (const auto* list : {&rules.yes_words, &rules.no_words}) {
        for (const std::string& w : *list) words += (words.empty() ? "`" : ", `") + w + "`";
      }
      return "expected yes or no (" + words + ")" + found;
    }
    case Problem::BadDate:
      if (rules.date_formats.empty()) return "expected a date" + found;
      return "expected a date as " + date_formats_text(rules) + found;
    case Problem::NoSuchDate:
      return "expected a date as " + date_formats_text(rules) + found + " (no such date)";
    case Problem::BadEnumeration: {
      std::vector<std::string_view> labels(f.spec->labels.begin(), f.spec->labels.end());
      return "expected one of " + fmt::format("{}", fmt::join(quoted_each(labels), ", ")) + found;
    }
    case Problem::NotUtf8:
      return "expected text in UTF-8" + found;
    case Problem::BadAcademicYear:
      return "expected an academic year as YYYY/YY such as `2016/17`" + found;
    case Problem::WrongAcademicYearEnd: {
      const int y = digits_value(t.substr(0, 4));
      const int next = (y + 1) % 100;
      return "expected an academic year as YYYY/YY such as `2016/17`" + found +
             " (the year after " + std::to_string(y) + " ends in `" + (next < 10 ? "0" : "") +
             std::to_string(next) + "`)";
    }
  }
  return "cannot read " + quoted(t);
}

// ---- binding ------------------------------------------------------------------------------

// Four bytes for a field whose values fit them: a whole number as itself, a percentage or a
// bounded decimal within ±2147 scaled. A value that does not fit widens its column (DataSet::set).
DataSet::Width width_of(const FieldSpec& f) {
  using W = DataSet::Width;
  if (!f.previous_of.empty()) return W::Wide;  // filled from a saved run
  const auto fits = [&](Value scale) {
    for (const Value v : {f.low, f.high, f.missing_means}) {
      if (v == kMissing) continue;
      if (v % scale != 0) return false;
      const Value n = v / scale;
      if (n <= std::numeric_limits<std::int32_t>::min() ||
          n > std::numeric_limits<std::int32_t>::max())
        return false;
    }
    return true;
  };
  switch (f.kind) {
    case ValueKind::Integer:
      return fits(decimal::kScale) ? W::Whole : W::Wide;
    case ValueKind::Number:  // without bounds it may be money: eight bytes from the start
      return f.low != kMissing && f.high != kMissing && fits(1) ? W::Narrow : W::Wide;
    case ValueKind::Percent:  // 0 to 100
      return fits(1) ? W::Narrow : W::Wide;
    case ValueKind::Boolean:
    case ValueKind::Text:
    case ValueKind::Date:
    case ValueKind::Enumeration:
    case ValueKind::AcademicYear:
      return fits(1) ? W::Narrow : W::Wide;
  }
  return W::Wide;
}

}  // namespace

std::vector<DataSet::Width> column_widths(const RecordSchema& schema) {
  std::vector<DataSet::Width> widths;
  for (const FieldSpec& f : schema.fields) widths.push_back(width_of(f));
  return widths;
}

namespace {

// Which row first had each value of a key column. A whole-number key with a narrow range (a
// URN has six digits) is a direct table of row numbers, a few bytes a value; any other key a
// hash map, a few dozen bytes a row.
class KeyIndex {
 public:
  void configure(const FieldReader& f, std::size_t rows_hint) {
    // Direct when the table is no larger than a hash map of the rows (about 56 bytes a row).
    const Value most = static_cast<Value>(std::max<std::size_t>(rows_hint, 1024)) * 14;
    if (f.spec->kind == ValueKind::Integer && f.low != kMissing && f.high != kMissing &&
        (f.high - f.low) / decimal::kScale < most) {
      low_ = f.low;
      direct_.assign(static_cast<std::size_t>((f.high - f.low) / decimal::kScale + 1), 0);
    } else {
      map_.reserve(rows_hint);
    }
  }
  // The row that already has `v`; or 0, after recording `row` (never 0) as its first.
  std::uint32_t first_or_add(Value v, std::uint32_t row) {
    if (!direct_.empty()) {  // v is whole and within the bounds: the binder checked both
      std::uint32_t& first = direct_[static_cast<std::size_t>((v - low_) / decimal::kScale)];
      if (first != 0) return first;
      first = row;
      return 0;
    }
    const auto [it, inserted] = map_.emplace(v, row);
    return inserted ? 0 : it->second;
  }

 private:
  Value low_ = 0;
  std::vector<std::uint32_t> direct_;
  std::unordered_map<Value, std::uint32_t> map_;
};

// Binds rows as the reader delivers them, so the file's cells are never copied.
class Binder final : public CsvVisitor {
 public:
  Binder(std::string_view file, const RecordSchema& schema, BindResult& out,
         const KeySet* keep_keys = nullptr)
      : file_(file), schema_(schema), rules_(schema.reading), out_(out), keep_keys_(keep_keys) {
    out_.data = DataSet(schema.fields.size(), column_widths(schema));
    for (const std::string& m : rules_.missing_values) {
      missing_.add(m, kMissing);
      if (m.empty()) continue;
      const auto first = static_cast<unsigned char>(m.front());
      may_be_missing_[first] = true;
      may_be_missing_[static_cast<unsigned char>(ascii_lower(static_cast<char>(first)))] = true;
      if (first >= 'a' && first <= 'z') may_be_missing_[first - 'a' + 'A'] = true;
    }
  }

  // Reading in pieces: rows go into `capacity` rows of a table shared with the other pieces'
  // binders, starting at `cells` (and their row numbers at `rows`), not into out_.data.
  struct Region {
    DataSet* table = nullptr;  // shared by the pieces, sized for all of them
    std::size_t first = 0;     // this piece's first record in it
    std::size_t capacity = 0;
    std::size_t count = 0;
    bool overflow = false;  // more rows than capacity, text not UTF-8, or a value too wide
                            // for its column: this piece's result is unusable
  };
  // `check_keys` false: duplicate keys are left to the first piece's binder (add_keys).
  void write_into(Region* region, std::size_t rows_hint, bool check_keys) {
    region_ = region;
    rows_hint_ = rows_hint;
    check_keys_ = check_keys;
  }

  // Adds the key values of `count` bound rows (from another piece) to this binder's; false when
  // one is already there.
  bool add_keys(const DataSet& table, std::size_t first, std::size_t count) {
    for (std::size_t i = 0; i < readers_.size(); ++i) {
      if (!readers_[i].spec->key) continue;
      for (std::size_t r = first; r < first + count; ++r) {
        const Value v = table.at(r, readers_[i].field);
        if (v != kMissing && keys_[i].first_or_add(v, 1) != 0) return false;
      }
    }
    return true;
  }

  // Check the header and every text cell read for UTF-8: set when the file holds a byte that is
  // not UTF-8 somewhere, so a clean file (nearly every file) pays for one pass over its bytes.
  void check_utf8(bool on) { check_utf8_ = on; }

  void reserve_rows(std::size_t n) {
    out_.data.reserve(n);
    rows_hint_ = n;
  }

  void on_header(std::uint32_t row, std::span<const std::string_view> cells) override;
  void on_row(std::uint32_t row, std::span<const std::string_view> cells) override;
  // A value into the table: a piece may not widen a column the others are writing, so a value
  // its column cannot hold makes the piece unusable (the file is then read whole).
  [[gnu::always_inline]] void store(DataSet& table, std::size_t at, std::size_t field, Value v) {
    if (region_ == nullptr) {
      table.set(at, field, v);
    } else if (!table.try_set(at, field, v)) {
      region_->overflow = true;
    }
  }
  // A cell's problems, out of line: on_row's loop stays small for the cells that have none.
  [[gnu::noinline, gnu::cold]] void report_undecodable(std::uint32_t row, const FieldSpec& spec,
                                                       std::string_view t, std::size_t bad);
  [[gnu::noinline, gnu::cold]] void report_required(std::uint32_t row, const FieldSpec& spec,
                                                    std::string_view t);
  [[gnu::noinline, gnu::cold]] void report_duplicate(std::uint32_t row, const FieldSpec& spec,
                                                     std::string_view t, std::uint32_t first);

  // The first kMaxDataErrors errors are kept and the rest counted; callers ask before building
  // a message, so errors past the limit cost nothing but the count.
  bool wants_error() override {
    if (out_.errors.size() < kMaxDataErrors) return true;
    ++dropped_;
    return false;
  }
  void on_error(DataError error) override { out_.errors.push_back(std::move(error)); }

  void finish() {
    warn_fractions();
    if (dropped_ == 0) return;
    push(0, "-",
         std::to_string(dropped_) + " more error" + (dropped_ == 1 ? "" : "s") +
             " not shown (only the first " + std::to_string(kMaxDataErrors) + " are listed)");
  }

 private:
  void push(std::uint32_t row, std::string_view column, std::string message) {
    out_.errors.push_back(
        DataError{std::string(file_), row, std::string(column), std::move(message)});
  }
  void warn(std::uint32_t row, std::string_view column, std::string message) {
    out_.warnings.push_back(
        DataError{std::string(file_), row, std::string(column), std::move(message)});
  }
  // A cell as UTF-8: converted from the file's encoding when it has bytes beyond ASCII (into a
  // scratch buffer, valid until the next call). False when it holds a byte the encoding lacks.
  bool decoded(std::string_view& t, std::string& scratch, std::size_t& bad) const {
    if (schema_.encoding == TextEncoding::Utf8) return true;
    const DecodedText d = windows1252_to_utf8(t, scratch);
    if (!d.ok()) return bad = d.bad_offset, false;
    t = d.text;
    return true;
  }
  // Whether a row passes the source's `rows count when` tests (read before any other cell).
  bool counts(std::span<const std::string_view> cells) {
    for (const auto& [column, values] : row_tests_) {
      std::string_view t = trim(cells[column]);
      std::size_t bad = 0;
      if (!decoded(t, test_scratch_, bad)) return false;
      if (std::none_of(values->begin(), values->end(),
                       [&](const std::string& v) { return iequals(t, v); })) {
        return false;
      }
    }
    return true;
  }
  // Whether a row's key is one the join keeps. A key that cannot be read is kept, so that its
  // reading reports the problem.
  bool kept(std::span<const std::string_view> cells) {
    if (keep_keys_ == nullptr || key_reader_ == nullptr) return true;
    std::string_view t = trim(cells[key_reader_->column]);
    if (is_missing(t)) return true;
    Value v = kMissing;
    if (read_cell(*key_reader_, rules_, t, key_scratch_, false, v) != Problem::None) return true;
    return keep_keys_->contains(v);
  }
  // Percentages written as fractions (0.65 for 65%) read as tiny percentages without a word:
  // a column whose every value lies between 0 and 1 is worth a warning.
  void warn_fractions() {
    for (const FieldReader& f : readers_) {
      if (f.spec->kind != ValueKind::Percent) continue;
      const auto& [count, most] = percent_seen_[f.field];
      if (count < 3 || most > decimal::from_integer(1) || most == 0) continue;
      warn(0, f.spec->column,
           fmt::format("every value of {} lies between 0 and 1 ({} values): a percentage is "
                       "written from 0 to 100 (`62` or `62%`), so these look like fractions",
                       quoted(f.spec->name), count));
    }
  }
  bool is_missing(std::string_view t) const {
    if (t.empty()) return true;  // an empty cell is missing whatever the reading rules list
    // Most cells are numbers or words no missing code starts like: one table lookup.
    if (!may_be_missing_[static_cast<unsigned char>(t.front())]) return false;
    Value ignored = kMissing;
    return missing_.find(t, ignored);
  }

  std::string_view file_;
  const RecordSchema& schema_;
  const ReadingRules& rules_;
  BindResult& out_;
  std::size_t dropped_ = 0;
  WordList missing_;                        // the reading rules' missing codes
  std::array<bool, 256> may_be_missing_{};  // by first byte: some missing code starts so
  std::size_t rows_hint_ = 0;
  Region* region_ = nullptr;  // null: append to out_.data
  bool check_keys_ = true;
  bool check_utf8_ = false;
  std::size_t width_ = 0;                     // header cells
  std::vector<FieldReader> readers_;          // fields whose column is present, in header order
  std::vector<Value> absent_row_;             // a row's starting values: missing_means where absent
  std::vector<std::size_t> absent_defaults_;  // the fields whose starting value is not missing
  std::vector<KeyIndex> keys_;  // per reader: the first row of each value of a key column
  const KeySet* keep_keys_ = nullptr;
  const FieldReader* key_reader_ = nullptr;  // the key field's reader, when keep_keys_ is set
  TextPool key_scratch_;                     // text keys read only to be looked up
  // Row tests by header index; a test whose column is absent was reported in on_header.
  std::vector<std::pair<std::size_t, const std::vector<std::string>*>> row_tests_;
  std::string cell_scratch_, test_scratch_;
  // Per field: how many percentages were read and the largest (for warn_fractions).
  std::vector<std::pair<std::size_t, Value>> percent_seen_;
};

void Binder::on_header(std::uint32_t row, std::span<const std::string_view> cells) {
  std::vector<std::string_view> header;
  header.reserve(cells.size());
  // One scratch string a cell, sized first so the views into them stay valid; a header cell
  // with a byte the encoding lacks is kept as written (it then matches no field).
  std::vector<std::string> decoded_header(cells.size());
  for (std::size_t c = 0; c < cells.size(); ++c) {
    std::string_view h = trim(cells[c]);
    std::size_t bad = 0;
    decoded(h, decoded_header[c], bad);
    header.push_back(h);
  }
  width_ = header.size();
  percent_seen_.assign(schema_.fields.size(), {0, 0});
  if (check_utf8_) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (lang::is_valid_utf8(header[c]) || !wants_error()) continue;
      push(row, "-",
           "expected text in UTF-8 in the header (column " + column_letters(c) + "), found " +
               quoted(header[c]));
    }
  }

  const std::size_t nf = schema_.fields.size();
  absent_row_.assign(nf, kMissing);
  std::vector<std::string_view> missing_required;
  std::vector<const FieldSpec*> absent_optional;
  std::vector<std::string_view> duplicated;
  absent_defaults_.clear();
  for (std::size_t fi = 0; fi < nf; ++fi) {
    const FieldSpec& spec = schema_.fields[fi];
    if (!spec.previous_of.empty()) continue;  // filled from history, not from the file
    std::vector<std::size_t> found;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == spec.column) found.push_back(c);
    }
    if (found.empty()) {
      if (!spec.required) {
        absent_row_[fi] = spec.missing_means;
        if (spec.missing_means != kMissing) absent_defaults_.push_back(fi);
        absent_optional.push_back(&spec);
      } else if (std::find(missing_required.begin(), missing_required.end(), spec.column) ==
                 missing_required.end()) {
        missing_required.push_back(spec.column);
      }
      continue;
    }
    if (found.size() > 1 &&
        std::find(duplicated.begin(), duplicated.end(), spec.column) == duplicated.end()) {
      duplicated.push_back(spec.column);
    }
    FieldReader r;
    r.field = fi;
    r.column = found.front();  // carry on with the first, to report the rest of the file
    r.spec = &spec;
    r.low = spec.low;
    r.high = spec.high;
    if (spec.kind == ValueKind::Percent) {
      r.low = r.low == kMissing ? 0 : std::max<Value>(r.low, 0);
      r.high = r.high == kMissing ? decimal::from_integer(100)
                                  : std::min<Value>(r.high, decimal::from_integer(100));
    } else if (spec.kind != ValueKind::Integer && spec.kind != ValueKind::Number) {
      r.low = r.high = kMissing;  // bounds are for numbers only
    }
    if (spec.kind == ValueKind::Boolean) {
      for (const std::string& w : rules_.yes_words) r.words.add(w, 1);
      for (const std::string& w : rules_.no_words) r.words.add(w, 0);
    } else if (spec.kind == ValueKind::Enumeration) {
      for (std::size_t i = 0; i < spec.labels.size(); ++i) {
        r.words.add(spec.labels[i], static_cast<Value>(i));
      }
    }
    readers_.push_back(std::move(r));
  }
  // Reading cells left to right keeps each row's errors in the order a reader scans them.
  std::stable_sort(readers_.begin(), readers_.end(),
                   [](const FieldReader& a, const FieldReader& b) { return a.column < b.column; });
  keys_.resize(readers_.size());
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    if (readers_[i].spec->key && check_keys_) keys_[i].configure(readers_[i], rows_hint_);
  }

  if (keep_keys_ != nullptr) {
    for (const FieldReader& r : readers_) {
      if (r.spec->key) key_reader_ = &r;
    }
  }
  // Headers no field reads, for "did you mean" (a renamed column is the usual reason a
  // declared one is absent).
  std::vector<std::string> unread;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (std::none_of(readers_.begin(), readers_.end(),
                     [&](const FieldReader& r) { return r.column == c; })) {
      unread.emplace_back(header[c]);
    }
  }
  const auto near = [&](std::string_view column) -> std::string {
    const std::string close = lang::closest_match(column, unread);
    if (close.empty()) return "";
    const auto at = std::find(header.begin(), header.end(), close) - header.begin();
    return "; did you mean " + quoted(close) + " (column " +
           column_letters(static_cast<std::size_t>(at)) + ")?";
  };

  if (!missing_required.empty() && wants_error()) {
    std::string hints;
    for (std::string_view c : missing_required) hints += near(c);
    push(row, "-",
         (missing_required.size() == 1
              ? "required column " + quoted(missing_required[0]) + " is missing from the header"
              : "required columns " + list_in_words(quoted_each(missing_required), "and") +
                    " are missing from the header") +
             hints);
  }
  for (const FieldSpec* spec : absent_optional) {
    out_.absent_fields.push_back(static_cast<std::uint32_t>(spec - schema_.fields.data()));
    if (spec->absent_previous >= 0) {
      warn(row, "-",
           "optional column " + quoted(spec->column) + " is not in the header, so " +
               quoted(spec->name) + " is the previous saved run's `" +
               schema_.fields[static_cast<std::size_t>(spec->absent_previous)].previous_of +
               "` (missing without `--history`)");
    } else if (spec->may_be_absent || schema_.optional_columns_may_be_absent) {
      if (spec->silent_when_absent) continue;
      warn(row, "-",
           "optional column " + quoted(spec->column) + " is not in the header, so " +
               quoted(spec->name) + " is " +
               (spec->missing_means == kMissing ? std::string("missing")
                                                : std::string("its default")) +
               " for every record" + near(spec->column));
    } else if (wants_error()) {
      push(row, "-",
           "optional column " + quoted(spec->column) +
               " is missing from the header (an optional column's cells may be empty, but the "
               "column must be there, or the policy must say `may be absent`)" +
               near(spec->column));
    }
  }
  for (const RowTest& t : schema_.row_tests) {
    const auto at = std::find(header.begin(), header.end(), t.column);
    if (at == header.end()) {
      if (wants_error()) {
        push(row, "-",
             "column " + quoted(t.column) +
                 ", which says which rows count (`rows count when`), is missing from the "
                 "header" +
                 near(t.column));
      }
      row_tests_.clear();
      width_ = static_cast<std::size_t>(-1);  // no row can be read without its test
      break;
    }
    row_tests_.push_back({static_cast<std::size_t>(at - header.begin()), &t.values});
  }
  for (std::string_view name : duplicated) {
    if (!wants_error()) continue;
    std::vector<std::string> letters;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == name) letters.push_back(column_letters(c));
    }
    const std::string where = list_in_words(letters, "and");
    push(
        row, name,
        "column " + quoted(name) + " appears more than once in the header (columns " + where + ")");
  }
}

void Binder::on_row(std::uint32_t row, std::span<const std::string_view> cells) {
  if (width_ == static_cast<std::size_t>(-1)) return;  // the header is unusable (reported)
  if (cells.size() == width_ && (!counts(cells) || !kept(cells))) return;
  if (cells.size() != width_) {
    if (wants_error()) {
      push(row, "-",
           "found " + std::to_string(cells.size()) + " cell" + (cells.size() == 1 ? "" : "s") +
               ", expected " + std::to_string(width_) + " (one per header column)");
    }
    return;
  }
  DataSet& data = out_.data;
  DataSet* table = &data;
  std::size_t at = 0;
  if (region_ != nullptr) {
    if (region_->count == region_->capacity) {
      region_->overflow = true;
      return;
    }
    table = region_->table;
    at = region_->first + region_->count++;
  } else {
    at = data.add_row();
  }
  // A record starts missing: only the defaults of absent columns are written.
  for (const std::size_t f : absent_defaults_) store(*table, at, f, absent_row_[f]);
  table->source_row[at] = row;
  const bool utf8 = schema_.encoding == TextEncoding::Utf8;
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    const FieldReader& f = readers_[i];
    const FieldSpec& spec = *f.spec;
    std::string_view t = trim(cells[f.column]);
    if (std::size_t bad = 0; !utf8 && !decoded(t, cell_scratch_, bad)) {
      report_undecodable(row, spec, t, bad);
      continue;
    }
    if (is_missing(t)) {
      if (!spec.required) {
        store(*table, at, f.field, spec.missing_means);
      } else {
        report_required(row, spec, t);
      }
      continue;
    }
    Value v = kMissing;
    const Problem p = read_cell(f, rules_, t, data.text, check_utf8_, v);
    if (p != Problem::None) [[unlikely]] {
      if (wants_error()) push(row, spec.column, describe(f, rules_, t, p));
      continue;
    }
    store(*table, at, f.field, v);
    if (spec.kind == ValueKind::Percent) {
      auto& [count, most] = percent_seen_[f.field];
      ++count;
      most = std::max(most, v);
    }
    if (spec.key && check_keys_) {
      const std::uint32_t first = keys_[i].first_or_add(v, row);
      if (first != 0) report_duplicate(row, spec, t, first);
    }
  }
}

void Binder::report_undecodable(std::uint32_t row, const FieldSpec& spec, std::string_view t,
                                std::size_t bad) {
  if (!wants_error()) return;
  push(row, spec.column,
       fmt::format("byte 0x{:02X} (character {} of {}) is not a character in {}",
                   static_cast<unsigned char>(t[bad]), bad + 1, quoted(t),
                   encoding_name(schema_.encoding)));
}

void Binder::report_required(std::uint32_t row, const FieldSpec& spec, std::string_view t) {
  if (!wants_error()) return;
  push(row, spec.column,
       quoted(spec.name) + " is required but the cell " +
           (t.empty() ? std::string("is empty") : "holds " + quoted(t) + ", which means missing"));
}

void Binder::report_duplicate(std::uint32_t row, const FieldSpec& spec, std::string_view t,
                              std::uint32_t first) {
  if (!wants_error()) return;
  push(row, spec.column,
       quoted(t) + " is a duplicate: " + quoted(spec.name) + " must be unique and row " +
           std::to_string(first) + " already has it");
}

}  // namespace

namespace {

// How many times `c` occurs: memchr from one to the next (the C library's is vectorised),
// about a tenth of the instructions of std::count's byte loop on a file's line feeds.
std::size_t count_of(std::string_view bytes, char c) {
  std::size_t n = 0;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p != end) {
    const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
    if (hit == nullptr) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

BindResult bind_whole(std::string_view file_name, std::string_view bytes,
                      const RecordSchema& schema, const KeySet* keep_keys) {
  BindResult result;
  Binder binder(file_name, schema, result, keep_keys);
  binder.check_utf8(schema.encoding == TextEncoding::Utf8 && !lang::is_valid_utf8(bytes));
  // Line breaks bound the number of rows: reserving once avoids copying a large table as it grows.
  const std::size_t lf = count_of(bytes, '\n');
  binder.reserve_rows(lf != 0 ? lf : count_of(bytes, '\r'));
  try {
    read_csv(file_name, bytes, binder);
  } catch (const std::bad_alloc&) {
    result.data = DataSet(schema.fields.size(), column_widths(schema));
    if (binder.wants_error()) {
      result.errors.push_back(
          DataError{std::string(file_name), 0, "-", "not enough memory to bind the file"});
    }
  }
  binder.finish();
  return result;
}

// Reading a large file in pieces, one per core. Every piece but the first starts just after a
// line feed near its share of the bytes, and is read as if that were the start of a line. That
// holds exactly when the first piece up to there reads without error (a line feed inside quotes
// leaves a quote open at the piece's end, which is an error). Only clean files take this path:
// any error, anywhere, and the caller reads the file whole, so messages and their order are
// exactly those of one reader. Rows go straight into one shared table, each piece into its own
// stretch of it, and are closed up afterwards, so no piece's rows are ever copied to a second
// table.
std::optional<BindResult> bind_in_pieces(std::string_view file_name, std::string_view bytes,
                                         const RecordSchema& schema, std::size_t pieces) {
  const std::size_t nf = schema.fields.size();
  for (const FieldSpec& f : schema.fields) {
    // Text read by another piece is re-interned below; a text default would not be.
    if (f.kind == ValueKind::Text && f.missing_means != kMissing) return std::nullopt;
  }
  // The header: the first line, when it is plain (no quotes, not blank).
  const std::size_t header_end = bytes.find('\n');
  if (header_end == std::string_view::npos) return std::nullopt;
  const std::string_view first_line = bytes.substr(0, header_end + 1);
  if (first_line.find('"') != std::string_view::npos) return std::nullopt;
  const CsvResult head = read_csv(file_name, first_line, 1);
  if (!head.errors.empty() || head.table.header_row != 1) return std::nullopt;
  std::vector<std::string_view> header(head.table.header.begin(), head.table.header.end());

  std::vector<std::size_t> starts{0};
  for (std::size_t k = 1; k < pieces; ++k) {
    const std::size_t from = std::max(bytes.size() / pieces * k, header_end + 1);
    const std::size_t lf = bytes.find('\n', from);
    if (lf == std::string_view::npos || lf + 1 >= bytes.size()) break;
    if (lf + 1 > starts.back()) starts.push_back(lf + 1);
  }
  if (starts.size() < 2) return std::nullopt;
  starts.push_back(bytes.size());
  const std::size_t n = starts.size() - 1;

  // Each piece's stretch: room for as many rows as it has line feeds, and one more.
  std::vector<std::string_view> text(n);
  std::vector<std::size_t> first_row(n + 1, 0);
  for (std::size_t k = 0; k < n; ++k) {
    text[k] = bytes.substr(starts[k], starts[k + 1] - starts[k]);
    first_row[k + 1] = first_row[k] + count_of(text[k], '\n') + 1;
  }
  BindResult result;

  std::vector<BindResult> side(n);  // pieces after the first: their errors and text
  std::vector<Binder::Region> regions(n);
  std::vector<std::unique_ptr<Binder>> binders;
  for (std::size_t k = 0; k < n; ++k) {
    regions[k] = {&result.data, first_row[k], first_row[k + 1] - first_row[k]};
    binders.push_back(std::make_unique<Binder>(file_name, schema, k == 0 ? result : side[k]));
    binders[k]->write_into(&regions[k], k == 0 ? first_row[n] : regions[k].capacity, k == 0);
    if (k > 0) binders[k]->on_header(head.table.header_row, header);
  }
  // Set up after the binders, whose constructor gives their result an empty table.
  result.data = DataSet(nf, column_widths(schema));
  result.data.resize(first_row[n]);
  std::vector<std::uint32_t> next_row(n, 0);
  auto read = [&](std::size_t k) {
    // Pieces start after a line feed, which is never inside a UTF-8 sequence, so each piece can
    // be checked on its own. A file with bytes that are not UTF-8 is read whole, for its errors.
    if (!lang::is_valid_utf8(text[k])) {
      regions[k].overflow = true;
      return;
    }
    try {
      next_row[k] = read_csv_part(file_name, text[k], *binders[k], k > 0);
    } catch (const std::bad_alloc&) {
      regions[k].overflow = true;  // give up on pieces; the whole-file reader reports it
    }
  };
  run_in_parallel(n, read);
  for (std::size_t k = 0; k < n; ++k) {
    if (regions[k].overflow || !(k == 0 ? result : side[k]).errors.empty()) return std::nullopt;
  }

  // Close up the stretches, renumber rows, move text into the one pool, and check keys across
  // pieces.
  std::size_t rows = regions[0].count;
  std::uint32_t row_offset = next_row[0] - 1;
  std::vector<std::size_t> text_fields;
  for (std::size_t fi = 0; fi < nf; ++fi) {
    if (schema.fields[fi].kind == ValueKind::Text) text_fields.push_back(fi);
  }
  DataSet& table = result.data;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t count = regions[k].count;
    table.move_rows(regions[k].first, count, rows);
    const std::vector<Value> ids = table.text.absorb(std::move(side[k].data.text));
    for (std::size_t r = rows; r < rows + count; ++r) {
      table.source_row[r] += row_offset;
      for (std::size_t fi : text_fields) {
        const Value v = table.at(r, fi);
        if (v != kMissing) table.set(r, fi, ids[static_cast<std::size_t>(v)]);
      }
    }
    if (!binders[0]->add_keys(table, rows, count)) return std::nullopt;
    rows += count;
    row_offset += next_row[k] - 1;
  }
  table.resize(rows);
  return result;
}

}  // namespace

BindResult bind_workbook(std::string_view file_name, std::string_view bytes,
                         const RecordSchema& schema, const std::string& sheet,
                         const BindOptions& options) {
  RecordSchema unicode = schema;  // a workbook's text is Unicode whatever the CSV's encoding
  unicode.encoding = TextEncoding::Utf8;
  BindResult result;
  Binder binder(file_name, unicode, result, options.keep_keys);
  XlsxOptions xlsx;
  xlsx.sheet = sheet;
  try {
    read_xlsx(file_name, bytes, binder, xlsx);
  } catch (const std::bad_alloc&) {
    result.data = DataSet(schema.fields.size(), column_widths(schema));
    result.errors.push_back(
        DataError{std::string(file_name), 0, "-", "not enough memory to read the workbook"});
  }
  binder.finish();
  return result;
}

BindResult bind_records(std::string_view file_name, std::string_view bytes,
                        const RecordSchema& schema, const BindOptions& options) {
  const std::size_t cores = thread_count(options.threads);
  const std::size_t pieces = std::min<std::size_t>(
      {cores, 8, bytes.size() / std::max<std::size_t>(1, options.min_piece_bytes)});
  // Row tests, joins and other encodings are for the smaller files of a multi-source policy:
  // those are read whole.
  const bool plain = schema.row_tests.empty() && options.keep_keys == nullptr &&
                     schema.encoding == TextEncoding::Utf8;
  if (pieces >= 2 && plain) {
    if (auto result = bind_in_pieces(file_name, bytes, schema, pieces)) return std::move(*result);
  }
  return bind_whole(file_name, bytes, schema, options.keep_keys);
}

}  // namespace catengine::engine
