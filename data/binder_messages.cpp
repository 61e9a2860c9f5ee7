// The binder's error messages: how a cell that could not be read is described (what was
// expected, what was found and why it is not that), and the messages for undecodable bytes,
// empty required cells and duplicate keys. Built only while the error list has room.
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/text_encoding.hpp"
#include "base/utf8.hpp"
#include "data/binder_impl.hpp"

namespace catengine::engine::binder_detail {

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

// ---- messages about one cell --------------------------------------------------------------

namespace {

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

}  // namespace

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

void Binder::report_undecodable(std::uint32_t row, const FieldSpec& spec, std::string_view t,
                                std::size_t bad) {
  if (!wants_error()) return;
  push(row, spec.column,
       fmt::format("byte 0x{:02X} (character {} of {}) is not a character in {}",
                   static_cast<unsigned char>(t[bad]), bad + 1, quoted(t),
                   encoding_name(schema_.encoding)));
}

void Binder::report_problem(std::uint32_t row, const FieldReader& f, std::string_view t,
                            Problem p) {
  if (!wants_error()) return;
  push(row, f.spec->column, describe(f, rules_, t, p));
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

}  // namespace catengine::engine::binder_detail
