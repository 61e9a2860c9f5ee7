// The results workbook: what goes on each sheet (the cells themselves: xlsx_book.cpp).
#include "report/xlsx_writer.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "base/date.hpp"
#include "base/version.hpp"
#include "report/xlsx_book.hpp"

namespace catengine::engine {

namespace {

// Rows in an Excel sheet, the header row included.
constexpr std::size_t kMaxSheetRows = 1'048'576;

// Digits after the point in a decimal's shortest form (59.9: 1, 60: 0).
int decimals_of(Value v) {
  Value fraction = v % decimal::kScale;
  if (fraction == 0) return 0;
  if (fraction < 0) fraction = -fraction;
  int digits = decimal::kDigits;
  for (; fraction % 10 == 0; fraction /= 10) --digits;
  return digits;
}

void results_sheet(XlsxBook& book, const CompiledPolicy& compiled, const DataSet& data,
                   const Results& results) {
  const auto& outputs = compiled.policy.outputs;
  std::vector<std::string> heads;
  for (const auto& o : outputs) heads.push_back(o.name);
  XlsxSheet sheet = book.add_sheet("Results", std::move(heads));
  for (std::size_t c = 0; c < outputs.size(); ++c) {
    const lang::BaseType base = outputs[c].type.base;
    if (base != lang::BaseType::Number && base != lang::BaseType::Percent) continue;
    int decimals = 0;
    for (std::size_t r = 0; r < data.size(); ++r) {
      const Value v = results.row(r)[c];
      if (v != kMissing) decimals = std::max(decimals, decimals_of(v));
    }
    sheet.set_decimals(c, decimals);
  }
  for (std::size_t r = 0; r < data.size() && book.ok(); ++r) {
    const Value* row = results.row(r);
    for (std::size_t c = 0; c < outputs.size(); ++c)
      sheet.put(static_cast<std::uint32_t>(r + 1), c, row[c], outputs[c].type);
  }
  sheet.finish(true, static_cast<std::uint32_t>(data.size()));
}

}  // namespace

void add_provenance_sheet(XlsxBook& book, const CompiledPolicy& compiled, const Provenance& p,
                          Value as_of, std::span<const std::pair<std::string, Value>> dates) {
  XlsxSheet sheet = book.add_sheet("Provenance", {"item", "value", "sha256"});
  std::uint32_t row = 1;
  auto line = [&](std::string_view item, std::string_view value, std::string_view sha256 = {}) {
    sheet.put_text(row, 0, item);
    sheet.put_text(row, 1, value);
    sheet.put_text(row, 2, sha256);
    ++row;
  };
  line("policy", p.policy_path, p.policy_sha256);
  line("policy title", compiled.policy.title);
  if (p.sources.empty()) {
    line("data", p.data_path, p.data_sha256);
  } else {
    for (const SourceProvenance& s : p.sources) line("data: " + s.name, s.path, s.sha256);
  }
  sheet.put_text(row, 0, "records");
  sheet.put(row++, 1, decimal::from_integer(static_cast<std::int64_t>(p.records)), lang::kInteger);
  sheet.put_text(row, 0, "as of");
  sheet.put(row++, 1, as_of, lang::kDate);
  for (const auto& [item, date] : dates) {
    sheet.put_text(row, 0, item);
    sheet.put(row++, 1, date, lang::kDate);
  }
  line("catengine version", catengine_version());
  sheet.finish(false, row - 1);
}

void add_warnings_sheet(XlsxBook& book, const CompiledPolicy& compiled, const DataSet& data,
                        std::span<const RaisedWarning> warnings) {
  const auto& fields = compiled.policy.record.fields;
  const std::optional<std::size_t> key = compiled.policy.record.key_field();
  std::vector<std::string> heads = {"row"};
  if (key) heads.push_back(fields[*key].name);
  heads.insert(heads.end(), {"warning", "message"});
  const std::size_t name_col = heads.size() - 2;
  XlsxSheet sheet = book.add_sheet("Warnings", std::move(heads));
  std::uint32_t row = 1;
  for (const RaisedWarning& w : warnings) {
    const lang::WarningInfo& info = compiled.policy.warnings.at(w.warning);
    sheet.put(row, 0, decimal::from_integer(data.source_row.at(w.record)), lang::kInteger);
    if (key) sheet.put(row, 1, data.at(w.record, *key), fields[*key].type);
    sheet.put_text(row, name_col, info.name);
    sheet.put_text(row, name_col + 1, warning_words(info, w));
    ++row;
  }
  sheet.finish(true, row - 1);
}

bool fits_in_a_sheet(std::size_t rows, std::string_view what, std::string& error) {
  if (rows < kMaxSheetRows) return true;
  error = fmt::format(
      "an Excel sheet holds at most {} {} under its header row, and this run has {}; write CSV "
      "instead (`--format csv`)",
      kMaxSheetRows - 1, what, rows);
  return false;
}

bool write_xlsx(const std::string& path, const CompiledPolicy& compiled, const DataSet& data,
                const Results& results, const Provenance& provenance,
                std::span<const RaisedWarning> warnings, std::string& error) {
  if (!fits_in_a_sheet(data.size(), "records", error)) return false;
  Value as_of = 0;
  if (parse_iso_date(provenance.as_of, as_of) != DateProblem::None) {
    error = fmt::format("the as-of date `{}` is not a date", provenance.as_of);
    return false;
  }
  XlsxBook book(path, compiled.policy, data.text);
  book.set_properties(compiled.policy.title, "Results as of " + provenance.as_of, as_of);
  results_sheet(book, compiled, data, results);
  add_provenance_sheet(book, compiled, provenance, as_of);
  if (!warnings.empty()) add_warnings_sheet(book, compiled, data, warnings);
  return book.close(error);
}

}  // namespace catengine::engine
