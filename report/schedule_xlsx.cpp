// The schedule as a workbook: sheet "Schedule" with the CSV's columns as typed cells (dates as
// dates, the key as the record types it, overdue as yes/no), then Provenance (with the range)
// and Warnings, as the results workbook has them (xlsx_writer.cpp).
#include <fmt/format.h>

#include "base/date.hpp"
#include "report/schedule.hpp"
#include "report/xlsx_book.hpp"
#include "report/xlsx_writer.hpp"

namespace catengine::engine {

bool write_schedule_xlsx(const std::string& path, const CompiledPolicy& compiled,
                         const DataSet& data, const Schedule& schedule, const ScheduleRange& range,
                         const Provenance& provenance, std::span<const RaisedWarning> warnings,
                         std::string& error) {
  if (!fits_in_a_sheet(schedule.events.size(), "events", error)) return false;
  const auto& p = compiled.policy;
  const auto& fields = p.record.fields;
  const lang::FieldInfo& key = fields.at(schedule.key_field);
  // The record's text field called `name`, as the other schedule writers show it.
  std::size_t name = fields.size();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == "name" && fields[i].type.base == lang::BaseType::Text) name = i;
  }
  std::vector<std::string> heads{"date", key.name};
  if (name < fields.size()) heads.emplace_back("name");
  for (const char* h : {"event", "title", "detail", "overdue"}) heads.emplace_back(h);

  XlsxBook book(path, p, data.text);
  book.set_properties(
      p.title, fmt::format("Schedule from {} to {}", format_iso(range.from), format_iso(range.to)),
      range.as_of);
  XlsxSheet sheet = book.add_sheet("Schedule", heads);
  std::uint32_t row = 1;
  for (const ScheduleEvent& e : schedule.events) {
    const std::vector<Value> rec = data.row(e.record);
    std::size_t c = 0;
    sheet.put(row, c++, e.date, lang::kDate);
    sheet.put(row, c++, rec[schedule.key_field], key.type);
    if (name < fields.size()) sheet.put(row, c++, rec[name], lang::kText);
    sheet.put_text(row, c++, e.event);
    sheet.put_text(row, c++, e.title);
    sheet.put_text(row, c++, e.detail);
    sheet.put(row, c++, e.overdue ? 1 : 0, lang::kBoolean);
    ++row;
  }
  sheet.finish(true, row - 1);
  const std::pair<std::string, Value> dates[] = {{"from", range.from}, {"to", range.to}};
  add_provenance_sheet(book, compiled, provenance, range.as_of, dates);
  if (!warnings.empty()) add_warnings_sheet(book, compiled, data, warnings);
  return book.close(error);
}

}  // namespace catengine::engine
