// Number formats of workbook cells, and the exact decimal rendering of doubles; see
// xlsx_number_format.hpp.
#include "data/xlsx_number_format.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>

namespace catengine::engine {

namespace {

// A number rounded to 15 significant digits, exactly: value = ±digits × 10^exponent, digits
// without trailing zeros ("0" for zero). Rounding in decimal rather than in binary is what makes
// 59.899999999999999 read as 59.9 and 62.5% round up as Excel rounds it.
struct Decimal {
  bool negative = false;
  std::string digits;
  int exponent = 0;
};

Decimal to_decimal(double value) {
  char buf[64];
  // d.dddddddddddddde±XX: 15 significant digits, independent of the locale.
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific, 14);
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  Decimal d;
  if (s.front() == '-') {
    d.negative = true;
    s.remove_prefix(1);
  }
  const std::size_t e = s.find('e');
  d.digits.push_back(s[0]);
  d.digits.append(s.substr(2, e - 2));
  d.exponent = std::atoi(std::string(s.substr(e + 1)).c_str()) - 14;
  while (d.digits.size() > 1 && d.digits.back() == '0') {
    d.digits.pop_back();
    ++d.exponent;
  }
  if (d.digits == "0") {
    d.negative = false;  // never "-0"
    d.exponent = 0;
  }
  return d;
}

// `d` with exactly `places` decimals (none: no point), rounding half away from zero.
std::string fixed(Decimal d, int places) {
  if (d.exponent < -places) {
    const std::size_t drop = static_cast<std::size_t>(-places - d.exponent);
    bool up = false;
    if (drop > d.digits.size()) {
      d.digits = "0";
    } else {
      up = d.digits[d.digits.size() - drop] >= '5';
      d.digits.resize(d.digits.size() - drop);
      if (d.digits.empty()) d.digits = "0";
    }
    d.exponent = -places;
    if (up) {  // add one in the last place
      std::size_t i = d.digits.size();
      while (i > 0 && d.digits[i - 1] == '9') d.digits[--i] = '0';
      if (i == 0) {
        d.digits.insert(d.digits.begin(), '1');
      } else {
        ++d.digits[i - 1];
      }
    }
  }
  d.digits.append(static_cast<std::size_t>(d.exponent + places), '0');
  std::string& s = d.digits;
  if (places > 0) {
    if (s.size() <= static_cast<std::size_t>(places)) {
      s.insert(0, static_cast<std::size_t>(places) + 1 - s.size(), '0');
    }
    s.insert(s.size() - static_cast<std::size_t>(places), 1, '.');
  }
  const bool zero = s.find_first_not_of("0.") == std::string::npos;
  if (d.negative && !zero) s.insert(s.begin(), '-');
  return s;
}

std::string two(unsigned n) {
  return fmt::format("{:02}", n);
}

std::string time_of_day(double fraction) {
  auto seconds = static_cast<long>(std::llround(fraction * 86400.0));
  if (seconds >= 86400) seconds = 86399;
  return fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
}

// The calendar date of a serial day number, or "" when Excel would not show one.
std::string serial_date(double serial, bool date1904, double& fraction) {
  using namespace std::chrono;
  const double whole = std::floor(serial);
  fraction = serial - whole;
  // The last day Excel shows: 9999-12-31.
  const double last = date1904 ? 2957003 : 2958465;
  if (whole < (date1904 ? 0 : 1) || whole > last) return "";
  const auto n = static_cast<int>(whole);
  if (!date1904 && n == 60) return "1900-02-29";  // Lotus's leap day, kept by Excel
  sys_days day;
  if (date1904) {
    day = sys_days{1904y / January / 1} + days{n};
  } else {
    // Days 1-59 count from 1899-12-31; from day 61 the phantom 29 February shifts them by one.
    day = (n < 60 ? sys_days{1899y / December / 31} : sys_days{1899y / December / 30}) + days{n};
  }
  const year_month_day ymd{day};
  return fmt::format("{:04}-{}-{}", static_cast<int>(ymd.year()),
                     two(static_cast<unsigned>(ymd.month())),
                     two(static_cast<unsigned>(ymd.day())));
}

bool is_letter(char c, char lower) {
  return c == lower || c == lower - 'a' + 'A';
}

}  // namespace

NumberFormat classify_number_format(unsigned id, std::string_view code) {
  if (code.empty()) {
    if (id >= 14 && id <= 17) return {NumberStyle::Date};
    if (id >= 18 && id <= 21) return {NumberStyle::Time};
    if (id == 22) return {NumberStyle::DateTime};
    if (id == 9) return {NumberStyle::Percent, 0};
    if (id == 10) return {NumberStyle::Percent, 2};
    return {};
  }
  bool y = false, d = false, m = false, h = false, s = false, percent = false, point = false;
  int decimals = 0;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;  // only the first section (positive numbers) decides
    if (c == '"') {       // literal text
      const std::size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped character, a space the width of one, or a fill character
    } else if (c == '[') {
      // [Red], [$-809], [>=100]; but [h], [mm], [ss] are elapsed time.
      const std::size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      const std::string_view inside = code.substr(i + 1, end - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
        h = true;
      }
      i = end;
    } else if (is_letter(c, 'y')) {
      y = true;
    } else if (is_letter(c, 'd')) {
      d = true;
    } else if (is_letter(c, 'm')) {
      m = true;
    } else if (is_letter(c, 'h')) {
      h = true;
    } else if (is_letter(c, 's')) {
      s = true;
    } else if (c == '%') {
      percent = true;
    } else if (c == '.') {
      point = true;
    } else if (point && !percent && (c == '0' || c == '#' || c == '?')) {
      ++decimals;
    }
  }
  const bool time = h || s;
  // An m is minutes when an h or an s is there and no d or y: `mm:ss`, `h:mm`.
  const bool date = y || d || (m && !time);
  if (date) return {time ? NumberStyle::DateTime : NumberStyle::Date};
  if (time) return {NumberStyle::Time};
  if (percent) return {NumberStyle::Percent, decimals};
  return {};
}

std::string general_number(double value) {
  const Decimal d = to_decimal(value);
  const int lead = d.exponent + static_cast<int>(d.digits.size()) - 1;  // power of the first digit
  if (lead >= 21 || lead < -20) {
    std::string out = d.negative ? "-" : "";
    out += d.digits[0];
    if (d.digits.size() > 1) {
      out += '.';
      out.append(d.digits, 1);
    }
    return out + fmt::format("E{}{:02}", lead < 0 ? '-' : '+', std::abs(lead));
  }
  return fixed(d, d.exponent < 0 ? -d.exponent : 0);
}

std::string format_number(double value, NumberFormat format, bool date1904) {
  double fraction = 0;
  switch (format.style) {
    case NumberStyle::General:
      break;
    case NumberStyle::Date: {
      std::string date = serial_date(value, date1904, fraction);
      if (!date.empty()) return date;
      break;
    }
    case NumberStyle::DateTime: {
      std::string date = serial_date(value, date1904, fraction);
      if (!date.empty()) return date + ' ' + time_of_day(fraction);
      break;
    }
    case NumberStyle::Time:
      if (value >= 0 && value < 2958466) return time_of_day(value - std::floor(value));
      break;
    case NumberStyle::Percent: {
      Decimal d = to_decimal(value);
      // Zero keeps exponent 0: shifted, its one digit would gain two zeros (`000.0%`).
      if (d.digits != "0") d.exponent += 2;
      if (format.decimals <= 30 && d.exponent + static_cast<int>(d.digits.size()) <= 30) {
        return fixed(d, format.decimals) + '%';
      }
      break;
    }
  }
  return general_number(value);
}

}  // namespace catengine::engine
