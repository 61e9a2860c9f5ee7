// How a number stored in a workbook cell reads in the sheet's "Save as CSV" export: the number
// formats that change what a cell says (dates, times, percentages) are recognised, and every
// other format gives the number as Excel's General format shows it. Used by xlsx_reader.
//
// Deliberate differences from Excel's export, for data that is read back by a program: dates
// come out as ISO `YYYY-MM-DD` (never in the locale's order), and formats that only dress a
// number (thousands separators, currency, a fixed number of decimals) give the plain number.
#pragma once

#include <string>
#include <string_view>

namespace catengine::engine {

enum class NumberStyle {
  General,   // the number itself
  Date,      // a serial day number shown as `YYYY-MM-DD`
  DateTime,  // `YYYY-MM-DD HH:MM:SS`
  Time,      // the time of day, `HH:MM:SS`
  Percent,   // the number times 100 with `decimals` decimals and a `%`
};

struct NumberFormat {
  NumberStyle style = NumberStyle::General;
  int decimals = 0;  // Percent only
};

// The style of a number format: `code` is the format's text from styles.xml, or empty for a
// built-in format, which `id` then names (14-17 dates, 22 date and time, 18-21 times, 9 and 10
// percentages). A custom format is a date when its first section has d, y or m (and no h or s
// beside an m, which would make it minutes) outside quotes and brackets, a time when it has only
// h, m and s; a percentage when it has `%`.
NumberFormat classify_number_format(unsigned id, std::string_view code);

// `value` as General shows it: at most 15 significant digits, as Excel keeps them (so
// 59.899999999999999 is `59.9`, and 0.1+0.2 is `0.3`), no trailing zeros, no decimal point for
// a whole number, no exponent unless the number is beyond 10^21 or below 10^-20 in size
// (`1.5E+25`, as Excel writes it). Precondition: value is finite.
std::string general_number(double value);

// `value` in `format`. The 1900 date system counts 1900-01-01 as day 1 and keeps Lotus 1-2-3's
// 1900-02-29 (day 60), so day 61 is 1900-03-01; the 1904 system counts 1904-01-01 as day 0.
// Days outside 1..9999-12-31, which Excel shows as ####, and percentages too large to show
// exactly, give the General form instead. Precondition: value is finite.
std::string format_number(double value, NumberFormat format, bool date1904);

}  // namespace catengine::engine
