// A `date,title` holiday file through read_csv; see holiday_calendar_csv.hpp.
#include "data/holiday_calendar_csv.hpp"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/date.hpp"
#include "data/csv_reader.hpp"

namespace catengine::engine {

std::optional<HolidayCalendar> read_holiday_calendar(std::string_view name,
                                                     std::string_view csv_text,
                                                     std::string& error) {
  CsvResult csv = read_csv(name, csv_text);
  // A file with nothing in it lists no holidays; say that rather than "no header".
  if (csv.table.header_row == 0) return HolidayCalendar::from_days(name, {}, error);
  if (!csv.errors.empty()) {
    const DataError& e = csv.errors.front();
    error = fmt::format("holiday calendar `{}`, line {}: the line is badly quoted ({})", name,
                        e.row, e.message);
    return std::nullopt;
  }
  const CsvTable& table = csv.table;
  if (table.header != std::vector<std::string>{"date", "title"}) {
    error =
        fmt::format("holiday calendar `{}`, line {}: expected the header `date,title`, found `{}`",
                    name, table.header_row, fmt::join(table.header, ","));
    return std::nullopt;
  }
  std::vector<HolidayCalendar::Holiday> rows;
  rows.reserve(table.size());
  for (const CsvRow& row : table.rows) {
    const std::vector<std::string_view> cells = table.cells(row);
    const auto day = cells.size() == 2 ? parse_iso_date(cells[0]) : std::nullopt;
    if (!day) {
      error = fmt::format(
          "holiday calendar `{}`, line {}: expected a date as YYYY-MM-DD then a comma and a "
          "title, found `{}`",
          name, row.row, fmt::join(cells, ","));
      return std::nullopt;
    }
    if (cells[1].empty()) {
      error = fmt::format("holiday calendar `{}`, line {}: the holiday on {} has an empty title",
                          name, row.row, format_iso(*day));
      return std::nullopt;
    }
    rows.push_back({*day, std::string(cells[1]), row.row});
  }
  return HolidayCalendar::from_days(name, std::move(rows), error);
}

}  // namespace catengine::engine
