// Private to the binder (data/binder*.cpp): reading one cell as its field's kind. Each field's
// reading is planned once from the schema (FieldReader, made by plan_field): which reader its
// kind takes, its effective bounds, its word table, which date shapes its file may hold. A cell
// is first tried on its kind's fast path (digits-only decimals, dates at fixed positions, words
// by a perfect hash), which accepts only text the general reading gives the same value for; any
// other text, and every cell that cannot be read, goes to the general reading, which says why.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "base/civil_date.hpp"
#include "base/date.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "base/value.hpp"
#include "data/dataset.hpp"
#include "data/record_schema.hpp"
#include "data/word_list.hpp"

namespace catengine::engine::binder_detail {

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

// A cell without the spaces and tabs around it. Nearly every cell starts and ends with a byte
// above the space, which two comparisons show; only the others go to trim.
[[gnu::always_inline]] inline std::string_view trim_cell(std::string_view t) {
  if (t.empty() ||
      (static_cast<unsigned char>(t.front()) > ' ' && static_cast<unsigned char>(t.back()) > ' ')) {
    return t;
  }
  return trim(t);
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

// Which reader a field's cells take.
enum class Reading : std::uint8_t { Decimal, Words, Text, Date, AcademicYear };

// What the row loop does with a field's cell, planned once from its reader (plan_action): one
// switch per cell in place of loading the reader's flags and testing them one after another.
// Each action but General reads its kind's fast path and stores into a column whose width it
// knows; General reads by `reading` and stores by the column's width, as every field once did.
enum class CellAction : std::uint8_t {
  General,       // anything else: a whole number, a text key, a file not in UTF-8, ...
  Words,         // yes/no or an enumeration, into a four-byte column
  Number,        // a bounded number (not whole; a percentage is watched) into a four-byte column
  WideNumber,    // a number (not whole) into an eight-byte column
  Date,          // into a four-byte column
  Text,          // interned, its id into a four-byte column
  AcademicYear,  // into a four-byte column
  Key,           // a whole number checked unique by a direct table (a URN), stored by its width
};
static_assert(static_cast<unsigned>(CellAction::Key) == 7,
              "the row loop switches on an action masked to three bits");

// What the row loop does with a missing cell (empty, or a missing code), planned with the action.
enum class OnMissing : std::uint8_t {
  Nothing,   // the record starts missing: nothing to write (most optional fields)
  Narrow,    // write the field's default into its four-byte column
  Wide,      // ... into its eight-byte column
  Store,     // ... by the column's width (General)
  Required,  // an error
};

// What a reading of a field needs, worked out once from the schema (plan_field).
struct FieldReader {
  std::size_t field = 0;   // index in the schema (and in a DataSet row)
  std::size_t column = 0;  // index in the header
  const FieldSpec* spec = nullptr;
  Value low = kMissing;  // effective bounds: the spec's, narrowed to 0-100 for a percentage
  Value high = kMissing;
  Value at_most = std::numeric_limits<Value>::max();  // `high`, or the largest Value for none
  Reading reading = Reading::Text;
  bool whole = false;      // Integer: a fractional part is an error
  bool percent = false;    // Percent: may end in `%`; its values are watched for fractions
  bool iso = false;        // Date: the reading rules allow YYYY-MM-DD
  bool day_month = false;  // Date: the reading rules allow D/M/YYYY
  bool check_key = false;  // a key whose values this binder checks are unique (set by it)
  bool narrow = false;     // its values always fit its four-byte column (set by the binder)
  bool wide = false;       // its column is eight bytes (set by the binder)
  bool watched = false;    // percent or check_key: something to do after storing a value
  CellAction action = CellAction::General;         // set by the binder (plan_action)
  OnMissing on_missing = OnMissing::Nothing;       // set by the binder (plan_missing)
  Value missing_means = kMissing;                  // the spec's, or kMissing for a required field
  Problem word_problem = Problem::BadEnumeration;  // Words: when a cell is none of them
  WordList words;  // Boolean: yes words (1) then no words (0); Enumeration: labels (index)
  // Words: the reading rules' missing codes (as kMissing), then `words`: one look-up tells a
  // missing cell, a word and anything else apart (a missing code wins, as is_missing is first).
  WordList cell_words;
};

// A field's reading, from its spec and the file's reading rules.
inline FieldReader plan_field(const FieldSpec& spec, std::size_t field, std::size_t column,
                              const ReadingRules& rules) {
  FieldReader r;
  r.field = field;
  r.column = column;
  r.spec = &spec;
  r.low = spec.low;
  r.high = spec.high;
  r.missing_means = spec.required ? kMissing : spec.missing_means;
  switch (spec.kind) {
    case ValueKind::Integer:
    case ValueKind::Number:
    case ValueKind::Percent:
      r.reading = Reading::Decimal;
      break;
    case ValueKind::Boolean:
    case ValueKind::Enumeration:
      r.reading = Reading::Words;
      break;
    case ValueKind::Text:
      r.reading = Reading::Text;
      break;
    case ValueKind::Date:
      r.reading = Reading::Date;
      break;
    case ValueKind::AcademicYear:
      r.reading = Reading::AcademicYear;
      break;
  }
  r.whole = spec.kind == ValueKind::Integer;
  r.percent = spec.kind == ValueKind::Percent;
  if (r.percent) {
    r.low = r.low == kMissing ? 0 : std::max<Value>(r.low, 0);
    r.high = r.high == kMissing ? decimal::from_integer(100)
                                : std::min<Value>(r.high, decimal::from_integer(100));
  } else if (r.reading != Reading::Decimal) {
    r.low = r.high = kMissing;  // bounds are for numbers only
  }
  if (r.high != kMissing) r.at_most = r.high;
  for (DateFormat format : rules.date_formats) {
    (format == DateFormat::Iso ? r.iso : r.day_month) = true;
  }
  if (spec.kind == ValueKind::Boolean) {
    r.word_problem = Problem::BadBoolean;
    for (const std::string& w : rules.yes_words) r.words.add(w, 1);
    for (const std::string& w : rules.no_words) r.words.add(w, 0);
  } else if (spec.kind == ValueKind::Enumeration) {
    for (std::size_t i = 0; i < spec.labels.size(); ++i) {
      r.words.add(spec.labels[i], static_cast<Value>(i));
    }
  }
  r.words.plan();
  if (r.reading == Reading::Words) {
    for (const std::string& m : rules.missing_values) r.cell_words.add(m, kMissing);
    if (spec.kind == ValueKind::Boolean) {
      for (const std::string& w : rules.yes_words) r.cell_words.add(w, 1);
      for (const std::string& w : rules.no_words) r.cell_words.add(w, 0);
    } else {
      for (std::size_t i = 0; i < spec.labels.size(); ++i) {
        r.cell_words.add(spec.labels[i], static_cast<Value>(i));
      }
    }
    r.cell_words.plan();
  }
  return r;
}

// The row loop's action for a field whose reading is planned and whose store flags (`narrow`,
// `wide`, `check_key`) are set. `utf8`: the file is UTF-8, so its cells need no decoding (the
// fast actions read the file's bytes as they are). `padded_missing`: some missing code starts
// or ends with a space or a tab. The fast actions read a cell before trimming it, which is
// only the same when no word they match a cell against is padded so. `direct_key`: the key
// this binder checks has a direct table (KeyIndex). Other keys, whole numbers that are not
// keys and decoding are General's.
inline CellAction plan_action(const FieldReader& r, bool utf8, bool padded_missing,
                              bool direct_key) {
  if (!utf8 || padded_missing) return CellAction::General;
  if (r.check_key) {
    return r.reading == Reading::Decimal && r.whole && direct_key ? CellAction::Key
                                                                  : CellAction::General;
  }
  switch (r.reading) {
    case Reading::Decimal:
      if (r.whole) return CellAction::General;
      if (r.narrow) return CellAction::Number;
      return r.wide && !r.percent ? CellAction::WideNumber : CellAction::General;
    case Reading::Words:
      return r.narrow && !r.cell_words.any_padded() ? CellAction::Words : CellAction::General;
    case Reading::Text:
      return r.narrow ? CellAction::Text : CellAction::General;
    case Reading::Date:
      return r.narrow ? CellAction::Date : CellAction::General;
    case Reading::AcademicYear:
      return r.narrow ? CellAction::AcademicYear : CellAction::General;
  }
  return CellAction::General;
}

// What the row loop does with a missing cell of a field whose action is planned.
inline OnMissing plan_missing(const FieldReader& r) {
  if (r.spec->required) return OnMissing::Required;
  if (r.missing_means == kMissing) return OnMissing::Nothing;
  switch (r.action) {
    case CellAction::General:
    case CellAction::Key:
      return OnMissing::Store;
    case CellAction::WideNumber:
      return OnMissing::Wide;
    default:
      return OnMissing::Narrow;
  }
}

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

// The general reading of a number, for the text plain_decimal leaves (and the reason it fails).
[[gnu::noinline]] inline Problem read_decimal(const FieldReader& f, std::string_view t,
                                              Value& out) {
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

[[gnu::noinline]] inline Problem read_date(const ReadingRules& rules, std::string_view t,
                                           Value& out) {
  Problem worst = Problem::BadDate;
  for (DateFormat format : rules.date_formats) {
    const Problem p = read_date_as(format, t, out);
    if (p == Problem::None) return p;
    if (p == Problem::NoSuchDate) worst = p;  // it had a date's shape: say why it is not one
  }
  return worst;
}

// YYYY/YY, its digits at fixed positions.
[[gnu::always_inline]] inline Problem read_academic_year(std::string_view t, Value& out) {
  if (t.size() != 7 || t[4] != '/') return Problem::BadAcademicYear;
  const char* s = t.data();
  if (!is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) || !is_digit(s[5]) ||
      !is_digit(s[6])) {
    return Problem::BadAcademicYear;
  }
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  if ((s[5] - '0') * 10 + (s[6] - '0') != (y + 1) % 100) return Problem::WrongAcademicYearEnd;
  out = y;
  return Problem::None;
}

// ---- the fast paths ------------------------------------------------------------------------

// A number as nearly every cell of a file writes it: an optional sign, one to twelve digits, and
// optionally a point and one to kDigits digits (and, for a percentage, a `%` straight after).
// Twelve whole digits cannot overflow, so none of decimal::parse's checks are needed; the value
// is the one decimal::parse gives. False for any other text, which read_decimal then reads.
[[gnu::always_inline]] inline bool plain_decimal(const FieldReader& f, std::string_view t,
                                                 Value& out) {
  if (t.empty() || t.size() > 21) return false;
  if (f.percent && t.back() == '%') t.remove_suffix(1);
  const char* p = t.data();
  const char* const e = p + t.size();
  bool negative = false;
  if (p != e && (*p == '-' || *p == '+')) negative = *p++ == '-';
  const char* const whole_begin = p;
  std::uint64_t v = 0;
  for (unsigned d; p != e && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) < 10; ++p) {
    v = v * 10 + d;
  }
  if (p == whole_begin || p - whole_begin > 12) return false;
  v *= static_cast<std::uint64_t>(decimal::kScale);
  if (p != e) {
    if (*p++ != '.' || p == e || e - p > decimal::kDigits) return false;
    static constexpr std::uint64_t kScaleOf[] = {1'000'000, 100'000, 10'000, 1'000, 100, 10, 1};
    std::uint64_t fraction = 0;
    const auto digits = e - p;
    for (unsigned d; p != e; ++p) {
      if ((d = static_cast<unsigned char>(*p) - unsigned{'0'}) >= 10) return false;
      fraction = fraction * 10 + d;
    }
    v += fraction * kScaleOf[digits];
  }
  out = negative ? -static_cast<Value>(v) : static_cast<Value>(v);
  return true;
}

// Bit 7 of each byte of `word` that is not an ASCII digit is set (other bits are noise): a
// byte's value less '0' is at most 9 exactly when adding 0x76 leaves bit 7 clear. A byte
// above 0x89 carries into the next one, which then may look wrong: only ever a false alarm,
// and the text goes to the general reading.
[[gnu::always_inline]] inline std::uint64_t not_digits(std::uint64_t word) {
  const std::uint64_t x = word ^ 0x3030'3030'3030'3030ULL;
  return x | (x + 0x7676'7676'7676'7676ULL);
}

// A real day written YYYY-MM-DD or D/M/YYYY (as the field's rules allow), read at fixed
// positions; the day number is the one date_from_ymd gives. False for any other text (and for
// a day that does not exist), which read_date then reads and explains.
[[gnu::always_inline]] inline bool plain_date(const FieldReader& f, std::string_view t,
                                              Value& out) {
  const char* s = t.data();
  const std::size_t n = t.size();
  // Macros rather than lambdas: in the binder's large row loop GCC stops inlining lambdas.
#define CATENGINE_DIGIT(i) (static_cast<unsigned char>(s[i]) - unsigned{'0'})
#define CATENGINE_NOT_DIGIT(i) (unsigned{CATENGINE_DIGIT(i) >= 10})
  unsigned y = 0, m = 0, d = 0;
  unsigned bad = 0;  // some digit is not one (or-ed without branches)
  if (n == 10 && s[4] == '-' && s[7] == '-') {
    if (!f.iso) return false;
    y = CATENGINE_DIGIT(0) * 1000 + CATENGINE_DIGIT(1) * 100 + CATENGINE_DIGIT(2) * 10 +
        CATENGINE_DIGIT(3);
    m = CATENGINE_DIGIT(5) * 10 + CATENGINE_DIGIT(6);
    d = CATENGINE_DIGIT(8) * 10 + CATENGINE_DIGIT(9);
    // Bytes 0-7 and 2-9 as two words: digits at 0, 1, 2, 3, 5, 6 of the first, 6 and 7 of the
    // second (the text's 8 and 9).
    std::uint64_t first = 0, last = 0;
    std::memcpy(&first, s, 8);
    std::memcpy(&last, s + 2, 8);
    bad = static_cast<unsigned>((not_digits(first) & 0x0080'8000'8080'8080ULL) != 0 ||
                                (not_digits(last) & 0x8080'0000'0000'0000ULL) != 0);
  } else if (f.day_month && n >= 8 && n <= 10 && s[n - 5] == '/') {
    y = CATENGINE_DIGIT(n - 4) * 1000 + CATENGINE_DIGIT(n - 3) * 100 + CATENGINE_DIGIT(n - 2) * 10 +
        CATENGINE_DIGIT(n - 1);
    std::uint32_t year = 0;
    std::memcpy(&year, s + n - 4, 4);
    bad = static_cast<unsigned>((not_digits(year) & 0x8080'8080ULL) != 0);
    std::size_t month = 0;  // where the month starts
    if (s[1] == '/') {
      d = CATENGINE_DIGIT(0);
      bad |= CATENGINE_NOT_DIGIT(0);
      month = 2;
    } else if (s[2] == '/') {
      d = CATENGINE_DIGIT(0) * 10 + CATENGINE_DIGIT(1);
      bad |= CATENGINE_NOT_DIGIT(0) | CATENGINE_NOT_DIGIT(1);
      month = 3;
    } else {
      return false;
    }
    if (n - 5 - month == 1) {
      m = CATENGINE_DIGIT(month);
      bad |= CATENGINE_NOT_DIGIT(month);
    } else if (n - 5 - month == 2) {
      m = CATENGINE_DIGIT(month) * 10 + CATENGINE_DIGIT(month + 1);
      bad |= CATENGINE_NOT_DIGIT(month) | CATENGINE_NOT_DIGIT(month + 1);
    } else {
      return false;
    }
  } else {
    return false;
  }
#undef CATENGINE_DIGIT
#undef CATENGINE_NOT_DIGIT
  // Years outside the calendar table (1600 to 2399) take the general reading, which gives the
  // same day number or the same problem.
  if (bad || !civil::covers_year(y) || m - 1 >= 12 || d == 0 || d > civil::days_in_month(y, m))
    return false;
  out = civil::to_days(static_cast<int>(y), m, d);
  return true;
}

// `check_utf8`: refuse text that is not UTF-8. Only text is kept as written; a cell of any other
// kind that is not UTF-8 fails its own reading, with the bad bytes escaped in the message.
[[gnu::always_inline]] inline Problem read_cell(const FieldReader& f, const ReadingRules& rules,
                                                std::string_view t, TextPool& text, bool check_utf8,
                                                Value& out) {
  switch (f.reading) {
    case Reading::Decimal: {
      Value v = 0;
      if (!plain_decimal(f, t, v)) [[unlikely]] {
        return read_decimal(f, t, out);
      }
      if (f.whole && v % decimal::kScale != 0) return Problem::NotWhole;
      if (v < f.low || v > f.at_most) return Problem::OutOfRange;  // kMissing is the least
      out = v;
      return Problem::None;
    }
    case Reading::Words:
      return f.words.find(t, out) ? Problem::None : f.word_problem;
    case Reading::Text:
      if (check_utf8 && !lang::is_valid_utf8(t)) return Problem::NotUtf8;
      out = text.intern(t);
      return Problem::None;
    case Reading::Date:
      if (plain_date(f, t, out)) return Problem::None;
      return read_date(rules, t, out);
    case Reading::AcademicYear:
      return read_academic_year(t, out);
  }
  return Problem::BadNumber;  // unreachable for a valid Reading
}

// Why a cell could not be read, as the message for its error (binder_messages.cpp).
std::string describe(const FieldReader& f, const ReadingRules& rules, std::string_view t,
                     Problem p);

}  // namespace catengine::engine::binder_detail
