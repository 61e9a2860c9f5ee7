// A `term,half,starts,ends` term-date file through read_csv; see term_calendar_csv.hpp.
#include "data/term_calendar_csv.hpp"

#include <array>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/date.hpp"
#include "data/csv_reader.hpp"

namespace catengine::engine {

std::optional<TermCalendar> read_term_calendar(std::string_view name, std::string_view file,
                                               std::string_view csv_text, std::string& error) {
  static constexpr std::array<std::string_view, 4> kColumns = {"term", "half", "starts", "ends"};
  CsvResult csv = read_csv(file, csv_text);
  if (csv.table.header_row == 0) {
    error = fmt::format(
        "term calendar `{}` ({}) is empty; it needs the header `{}` and one half "
        "term a row",
        name, file, fmt::join(kColumns, ","));
    return std::nullopt;
  }
  if (!csv.errors.empty()) {
    const DataError& e = csv.errors.front();
    error = fmt::format("term calendar `{}` ({}), row {}: the row is badly quoted ({})", name, file,
                        e.row, e.message);
    return std::nullopt;
  }
  const CsvTable& table = csv.table;
  if (table.header != std::vector<std::string>(kColumns.begin(), kColumns.end())) {
    error =
        fmt::format("term calendar `{}` ({}), row {}: expected the header `{}`, found `{}`", name,
                    file, table.header_row, fmt::join(kColumns, ","), fmt::join(table.header, ","));
    return std::nullopt;
  }
  std::vector<TermCalendar::HalfTerm> rows;
  rows.reserve(table.size());
  for (const CsvRow& row : table.rows) {
    const std::vector<std::string_view> cells = table.cells(row);
    auto at = [&](std::size_t column, std::string_view what) {
      error = fmt::format("term calendar `{}` ({}), row {}, column `{}`: expected {}, found `{}`",
                          name, file, row.row, kColumns[column], what,
                          column < cells.size() ? cells[column] : "");
      return std::nullopt;
    };
    if (cells.size() != kColumns.size()) {
      error = fmt::format("term calendar `{}` ({}), row {}: expected 4 cells ({}), found {}", name,
                          file, row.row, fmt::join(kColumns, ","), cells.size());
      return std::nullopt;
    }
    if (cells[0].empty()) return at(0, "the term's name, e.g. `Autumn 2024`");
    if (cells[1] != "1" && cells[1] != "2") return at(1, "1 or 2 (the first or second half)");
    const auto starts = parse_iso_date(cells[2]);
    if (!starts) return at(2, "a date as YYYY-MM-DD");
    const auto ends = parse_iso_date(cells[3]);
    if (!ends) return at(3, "a date as YYYY-MM-DD");
    rows.push_back({std::string(cells[0]), cells[1] == "1" ? 1 : 2, *starts, *ends, row.row});
  }
  auto cal = TermCalendar::from_half_terms(name, std::move(rows), error);
  if (!cal) {
    // Say which file, as every other message here does: "term calendar `t` (terms.csv), row 4".
    const std::string plain = fmt::format("term calendar `{}`", name);
    if (error.starts_with(plain)) error.insert(plain.size(), fmt::format(" ({})", file));
  }
  return cal;
}

}  // namespace catengine::engine
