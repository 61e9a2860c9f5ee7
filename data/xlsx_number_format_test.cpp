#define BOOST_TEST_MODULE xlsx_number_format
#include <boost/test/unit_test.hpp>

// Number formats of workbook cells: which formats are dates, times and percentages, and how
// doubles read: 15 significant digits, no exponent for ordinary values, dates in both systems.
#include <string>

#include "data/xlsx_number_format.hpp"

using namespace catengine::engine;

namespace {

NumberStyle style(unsigned id, std::string_view code = {}) {
  return classify_number_format(id, code).style;
}

}  // namespace

BOOST_AUTO_TEST_CASE(built_in_and_custom_formats) {
  BOOST_TEST((style(0) == NumberStyle::General));
  BOOST_TEST((style(2) == NumberStyle::General));  // 0.00
  for (unsigned id = 14; id <= 17; ++id) BOOST_TEST((style(id) == NumberStyle::Date));
  for (unsigned id = 18; id <= 21; ++id) BOOST_TEST((style(id) == NumberStyle::Time));
  BOOST_TEST((style(22) == NumberStyle::DateTime));
  BOOST_TEST((style(9) == NumberStyle::Percent));
  BOOST_TEST(classify_number_format(10, {}).decimals == 2);
  BOOST_TEST((style(164, "dd/mm/yyyy") == NumberStyle::Date));
  BOOST_TEST((style(164, "[$-809]d mmmm yyyy;@") == NumberStyle::Date));
  BOOST_TEST((style(164, "mmm-yy") == NumberStyle::Date));
  BOOST_TEST((style(164, "yyyy-mm-dd hh:mm") == NumberStyle::DateTime));
  BOOST_TEST((style(164, "h:mm AM/PM") == NumberStyle::Time));
  BOOST_TEST((style(164, "mm:ss") == NumberStyle::Time));
  BOOST_TEST((style(164, "[h]:mm") == NumberStyle::Time));
  BOOST_TEST((style(164, "General") == NumberStyle::General));
  BOOST_TEST((style(164, "0.00E+00") == NumberStyle::General));
  BOOST_TEST((style(164, "#,##0.00 \"days\"") == NumberStyle::General));  // quoted: no date
  BOOST_TEST((style(164, "[Red]0.0") == NumberStyle::General));
  BOOST_TEST((style(164, "0.0%") == NumberStyle::Percent));
  BOOST_TEST(classify_number_format(164, "0.0%").decimals == 1);
  BOOST_TEST(classify_number_format(164, "0%;[Red]-0.000%").decimals == 0);
  // A custom format may replace a built-in one.
  BOOST_TEST((style(14, "0.00") == NumberStyle::General));
}

BOOST_AUTO_TEST_CASE(general_numbers) {
  BOOST_TEST(general_number(59.899999999999999) == "59.9");
  BOOST_TEST(general_number(0.1 + 0.2) == "0.3");
  BOOST_TEST(general_number(42) == "42");
  BOOST_TEST(general_number(-0.5) == "-0.5");
  BOOST_TEST(general_number(0) == "0");
  BOOST_TEST(general_number(-0.0) == "0");
  BOOST_TEST(general_number(110740) == "110740");
  BOOST_TEST(general_number(100000000000000000000.0) == "100000000000000000000");
  BOOST_TEST(general_number(1e21) == "1E+21");
  BOOST_TEST(general_number(-1.5e25) == "-1.5E+25");
  BOOST_TEST(general_number(1e-7) == "0.0000001");
  BOOST_TEST(general_number(1.25e-30) == "1.25E-30");
  BOOST_TEST(general_number(123456789012345678.0) == "123456789012346000");  // 15 digits kept
  BOOST_TEST(general_number(2.5) == "2.5");
}

BOOST_AUTO_TEST_CASE(dates_in_both_systems) {
  const NumberFormat date{NumberStyle::Date};
  BOOST_TEST(format_number(1, date, false) == "1900-01-01");
  BOOST_TEST(format_number(59, date, false) == "1900-02-28");
  BOOST_TEST(format_number(60, date, false) == "1900-02-29");  // Lotus's day that never was
  BOOST_TEST(format_number(61, date, false) == "1900-03-01");
  BOOST_TEST(format_number(43360, date, false) == "2018-09-17");
  BOOST_TEST(format_number(43360.75, date, false) == "2018-09-17");
  BOOST_TEST(format_number(2958465, date, false) == "9999-12-31");
  BOOST_TEST(format_number(2958466, date, false) == "2958466");  // #### in Excel
  BOOST_TEST(format_number(0, date, false) == "0");
  BOOST_TEST(format_number(-3, date, false) == "-3");
  BOOST_TEST(format_number(0, date, true) == "1904-01-01");
  BOOST_TEST(format_number(41898, date, true) == "2018-09-17");
  BOOST_TEST(format_number(43360.75, {NumberStyle::DateTime}, false) == "2018-09-17 18:00:00");
  BOOST_TEST(format_number(0.5, {NumberStyle::Time}, false) == "12:00:00");
  BOOST_TEST(format_number(0.99999999, {NumberStyle::Time}, false) == "23:59:59");
}

BOOST_AUTO_TEST_CASE(percentages) {
  BOOST_TEST(format_number(0.62, {NumberStyle::Percent, 0}, false) == "62%");
  BOOST_TEST(format_number(0.625, {NumberStyle::Percent, 0}, false) == "63%");  // half up
  BOOST_TEST(format_number(-0.625, {NumberStyle::Percent, 0}, false) == "-63%");
  BOOST_TEST(format_number(0.9545, {NumberStyle::Percent, 1}, false) == "95.5%");
  BOOST_TEST(format_number(0.5, {NumberStyle::Percent, 2}, false) == "50.00%");
  BOOST_TEST(format_number(0, {NumberStyle::Percent, 0}, false) == "0%");
  BOOST_TEST(format_number(0, {NumberStyle::Percent, 3}, false) == "0.000%");
  BOOST_TEST(format_number(-0.0, {NumberStyle::Percent, 1}, false) == "0.0%");
  BOOST_TEST(format_number(0.00001, {NumberStyle::Percent, 2}, false) == "0.00%");
  BOOST_TEST(format_number(-0.00001, {NumberStyle::Percent, 0}, false) == "0%");
  BOOST_TEST(format_number(0.999, {NumberStyle::Percent, 0}, false) == "100%");
  BOOST_TEST(format_number(12, {NumberStyle::Percent, 0}, false) == "1200%");
  BOOST_TEST(format_number(0.0006, {NumberStyle::Percent, 1}, false) == "0.1%");
}
