// The one date parser and formatter; see date.hpp.
#include "base/date.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iterator>

namespace catengine {

namespace chr = std::chrono;

Value date_from_ymd(int y, unsigned m, unsigned d) {
  // Range checks first: chr::year, month and day leave out-of-range constructor values
  // unspecified.
  if (y < static_cast<int>(chr::year::min()) || y > static_cast<int>(chr::year::max()) || m < 1 ||
      m > 12 || d < 1 || d > 31) {
    return kMissing;
  }
  const chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) return kMissing;
  return chr::sys_days{ymd}.time_since_epoch().count();
}

chr::year_month_day to_ymd(Value date) {
  if (date == kMissing) return chr::year{0} / chr::month{0} / chr::day{0};
  return chr::year_month_day{chr::sys_days{chr::days{date}}};
}

bool is_representable(Value date) {
  return date != kMissing && date >= kFirstDate && date <= kLastDate;
}

DateProblem parse_iso_date(std::string_view text, Value& out) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return DateProblem::NotIso;
  unsigned digits[8];
  unsigned n = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < '0' || c > '9') return DateProblem::NotIso;
    digits[n++] = c - '0';
  }
  const int year =
      static_cast<int>(digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]);
  const unsigned month = digits[4] * 10 + digits[5];
  const unsigned day = digits[6] * 10 + digits[7];
  const Value date = date_from_ymd(year, month, day);
  if (date == kMissing) return DateProblem::NoSuchDate;
  if (!is_representable(date)) return DateProblem::OutOfRange;
  out = date;
  return DateProblem::None;
}

std::optional<Value> parse_iso_date(std::string_view text) {
  Value out = kMissing;
  if (parse_iso_date(text, out) != DateProblem::None) return std::nullopt;
  return out;
}

void append_iso(std::string& out, Value date) {
  if (date == kMissing) return;
  const chr::year_month_day ymd = to_ymd(date);
  const int y = static_cast<int>(ymd.year());
  const auto m = static_cast<unsigned>(ymd.month());
  const auto d = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) {  // never in results (dates stay in years 1-9999), but be total
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}", y, m, d);
    return;
  }
  // Millions of dates go through here when writing results: digits by hand, no format string.
  const char text[10] = {static_cast<char>('0' + y / 1000),
                         static_cast<char>('0' + y / 100 % 10),
                         static_cast<char>('0' + y / 10 % 10),
                         static_cast<char>('0' + y % 10),
                         '-',
                         static_cast<char>('0' + m / 10),
                         static_cast<char>('0' + m % 10),
                         '-',
                         static_cast<char>('0' + d / 10),
                         static_cast<char>('0' + d % 10)};
  out.append(text, sizeof text);
}

Value today() {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return day.time_since_epoch().count();
}

std::string format_iso(Value date) {
  std::string out;
  append_iso(out, date);
  return out;
}

}  // namespace catengine
