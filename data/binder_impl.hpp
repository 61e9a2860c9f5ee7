// Private to the binder (data/binder*.cpp), not part of data/'s interface: what the binder's
// files share. Reading one cell (the word lists, the per-kind readers and their Problem codes),
// the Binder visitor that resolves columns from the header and binds each row, and the message
// helpers the binder's error texts are built with. The cell readers are inline here so the row
// loop (binder.cpp) still inlines them into its per-cell path.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/date.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "data/binder.hpp"
#include "data/csv_reader.hpp"
#include "data/text_encoding.hpp"

namespace catengine::engine::binder_detail {

// ---- text helpers -------------------------------------------------------------------------

inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// The first eight bytes of `t` (zero-padded), ASCII letters lowered, as one integer: a short
// word then compares ignoring case in one instruction. Lowers the same bytes ascii_lower does.
inline std::uint64_t packed_lower(std::string_view t) {
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

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

inline bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

inline int digits_value(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// ---- message helpers (binder_messages.cpp) ------------------------------------------------

// A cell's text inside backticks, escaped and cut short for a one-line message.
std::string shown(std::string_view s);
std::string quoted(std::string_view s);
// Each item in backquotes: `a`, `b`, `c`.
std::vector<std::string> quoted_each(const std::vector<std::string_view>& items);
// Spreadsheet column letters for a 0-based index: A, B, ..., Z, AA, ...
std::string column_letters(std::size_t index);

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
inline Problem number_problem(std::string_view t) {
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

inline Problem read_decimal(const FieldReader& f, std::string_view t, Value& out) {
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
inline Problem make_date(int y, unsigned m, unsigned d, Value& out) {
  const Value date = date_from_ymd(y, m, d);
  if (date == kMissing || !is_representable(date)) return Problem::NoSuchDate;
  out = date;
  return Problem::None;
}

// Problem::BadDate when `t` is not in this format at all.
inline Problem read_date_as(DateFormat format, std::string_view t, Value& out) {
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

inline Problem read_date(const ReadingRules& rules, std::string_view t, Value& out) {
  Problem worst = Problem::BadDate;
  for (DateFormat format : rules.date_formats) {
    const Problem p = read_date_as(format, t, out);
    if (p == Problem::None) return p;
    if (p == Problem::NoSuchDate) worst = p;  // it had a date's shape: say why it is not one
  }
  return worst;
}

inline Problem read_academic_year(std::string_view t, Value& out) {
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

// Why a cell could not be read, as the message for its error (binder_messages.cpp).
std::string describe(const FieldReader& f, const ReadingRules& rules, std::string_view t,
                     Problem p);

// ---- binding ------------------------------------------------------------------------------

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
  // Always inlined into the row loop: since the binder's pieces share this header (external
  // linkage), GCC no longer inlines it on its own, which cost 3% of the instructions of a run.
  [[gnu::always_inline]] bool is_missing(std::string_view t) const {
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

}  // namespace catengine::engine::binder_detail
