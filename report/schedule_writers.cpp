// Writers for the schedule: an aligned table, CSV (spreadsheet-safe), JSON with provenance, and
// an RFC 5545 iCalendar file whose bytes depend only on the inputs (fixed DTSTAMP, stable UIDs).
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/calendar.hpp"
#include "report/result_writers.hpp"
#include "report/schedule.hpp"
#include "report/text_table.hpp"
#include "report/value_format.hpp"
#include "system/sha256.hpp"

namespace catengine::engine {

namespace {

// The record's text field called `name`, or the number of fields when it has none.
std::size_t name_field(const lang::CheckedPolicy& p) {
  const auto& fields = p.record.fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == "name" && fields[i].type.base == lang::BaseType::Text) return i;
  }
  return fields.size();
}

// The columns every tabular format shares, formatted once.
struct Row {
  std::string date, key, name, event, title, detail, overdue;
};

struct Columns {
  std::string key_name;
  bool has_name = false;
  std::vector<Row> rows;
};

Columns columns_of(const CompiledPolicy& compiled, const DataSet& data, const Schedule& s) {
  const auto& p = compiled.policy;
  ValueFormatter format(p, data.text);
  const std::size_t name = name_field(p);
  Columns out;
  out.key_name = p.record.fields.at(s.key_field).name;
  out.has_name = name < p.record.fields.size();
  for (const auto& e : s.events) {
    const std::vector<Value> rec = data.row(e.record);
    Row r;
    r.date = format_iso(e.date);
    r.key = format.format(rec[s.key_field], p.record.fields[s.key_field].type);
    if (out.has_name) r.name = format.format(rec[name], lang::kText);
    r.event = e.event;
    r.title = e.title;
    r.detail = e.detail;
    r.overdue = e.overdue ? "yes" : "no";
    out.rows.push_back(std::move(r));
  }
  return out;
}

// The heads and cells of the table and the CSV, in the same order; the name only when the record
// has one.
std::vector<std::string> heads_of(const Columns& cols) {
  std::vector<std::string> heads{"date", cols.key_name};
  if (cols.has_name) heads.push_back("name");
  for (const char* h : {"event", "title", "detail", "overdue"}) heads.emplace_back(h);
  return heads;
}

std::vector<std::string> cells_of(const Columns& cols, const Row& r) {
  std::vector<std::string> row{r.date, r.key};
  if (cols.has_name) row.push_back(r.name);
  for (const auto* s : {&r.event, &r.title, &r.detail, &r.overdue}) row.push_back(*s);
  return row;
}

std::string ics_date(Value d) {
  std::string iso = format_iso(d);
  iso.erase(std::remove(iso.begin(), iso.end(), '-'), iso.end());
  return iso;
}

bool is_utf8_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

}  // namespace

std::string write_schedule_table(const CompiledPolicy& compiled, const DataSet& data,
                                 const Schedule& schedule, const ScheduleRange& range,
                                 const Provenance& provenance) {
  constexpr std::size_t kMaxCell = 40;
  const Columns cols = columns_of(compiled, data, schedule);
  TextTable t;
  t.heads = heads_of(cols);
  for (const auto& r : cols.rows) {
    auto row = cells_of(cols, r);
    for (auto& c : row) c = clip(c, kMaxCell);
    t.rows.push_back(std::move(row));
  }
  std::string out = render_text_table(t);
  const std::size_t n = schedule.events.size();
  fmt::format_to(std::back_inserter(out), "\n{} event{} · {} · {} to {} · as of {}\n", n,
                 n == 1 ? "" : "s", compiled.policy.title, format_iso(range.from),
                 format_iso(range.to), provenance.as_of);
  return out + provenance_line(provenance);
}

std::string write_schedule_csv(const CompiledPolicy& compiled, const DataSet& data,
                               const Schedule& schedule) {
  const Columns cols = columns_of(compiled, data, schedule);
  std::string out;
  append_csv_row(out, heads_of(cols));
  for (const auto& r : cols.rows) append_csv_row(out, cells_of(cols, r));
  return out;
}

std::string write_schedule_json(const CompiledPolicy& compiled, const DataSet& data,
                                const Schedule& schedule, const ScheduleRange& range,
                                const Provenance& provenance) {
  const auto& p = compiled.policy;
  ValueFormatter format(p, data.text);
  const std::size_t name = name_field(p);
  const auto& key = p.record.fields.at(schedule.key_field);
  nlohmann::ordered_json doc;
  doc["provenance"] = provenance_json(provenance);
  doc["policy"] = {{"title", p.title}, {"cite", p.cite ? p.cite->text : ""}};
  doc["range"] = {{"from", format_iso(range.from)},
                  {"to", format_iso(range.to)},
                  {"as_of", format_iso(range.as_of)}};
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const auto& e : schedule.events) {
    const std::vector<Value> rec = data.row(e.record);
    nlohmann::ordered_json j;
    j["date"] = format_iso(e.date);
    j[key.name] = format.json(rec[schedule.key_field], key.type);
    if (name < p.record.fields.size()) j["name"] = format.json(rec[name], lang::kText);
    j["row"] = data.source_row[e.record];
    j["kind"] = e.kind == ScheduleEventKind::Cadence ? "cadence" : "notice";
    j["event"] = e.event;
    j["title"] = e.title;
    j["detail"] = e.detail;
    j["due"] = format_iso(e.due);
    j["overdue"] = e.overdue;
    if (e.kind == ScheduleEventKind::Cadence) {
      const auto& c = p.cadences[e.owner];
      if (!e.focus.empty()) j[p.parameters[*c.dates_param].name] = e.focus;
      if (!e.lasting.empty()) j["lasting"] = e.lasting;
      if (e.reviewers_value != kMissing)
        j["reviewers"] = format.json(e.reviewers_value, c.reviewers_type);
    } else {
      j["addressed_to"] = e.addressed_to;
      j["copy_to"] = e.copies;
    }
    events.push_back(std::move(j));
  }
  doc["events"] = std::move(events);
  return doc.dump(2) + "\n";
}

std::string ics_escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\n";
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;  // CRLF is one line break
        break;
      default:
        // TEXT allows horizontal tab but no other control character.
        out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F ? ' ' : c;
    }
  }
  return out;
}

std::string ics_fold_line(std::string_view line) {
  constexpr std::size_t kMaxOctets = 75;
  std::string out;
  std::size_t limit = kMaxOctets;  // the first line has no leading space
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && is_utf8_continuation(static_cast<unsigned char>(line[cut]))) --cut;
    if (cut == 0) cut = limit;  // not UTF-8 at all: any cut is as good as another
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kMaxOctets - 1;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string write_schedule_ics(const CompiledPolicy& compiled, const DataSet& data,
                               const Schedule& schedule, const ScheduleRange& range) {
  const auto& p = compiled.policy;
  const Columns cols = columns_of(compiled, data, schedule);
  std::string out;
  auto prop = [&](std::string_view name, std::string_view value) {
    out += ics_fold_line(fmt::format("{}:{}", name, value));
  };
  prop("BEGIN", "VCALENDAR");
  prop("VERSION", "2.0");
  prop("PRODID", "-//catengine//schedule//EN");
  prop("CALSCALE", "GREGORIAN");
  prop("METHOD", "PUBLISH");
  prop("X-WR-CALNAME", ics_escape_text(p.title));
  // DTSTAMP is required; the as-of date keeps two runs byte-identical.
  const std::string stamp = ics_date(range.as_of) + "T000000Z";
  for (std::size_t i = 0; i < schedule.events.size(); ++i) {
    const auto& e = schedule.events[i];
    const Row& r = cols.rows[i];
    // Identity: the same event on the same day for the same school keeps its UID across runs,
    // so a calendar that imports the file again updates events instead of duplicating them.
    const std::string identity =
        fmt::format("{}\x1f{}\x1f{}\x1f{}", p.title, r.key, e.event, r.date);
    const std::string who = cols.has_name ? r.name : fmt::format("{} {}", cols.key_name, r.key);
    std::string description = fmt::format("{} {}", cols.key_name, r.key);
    if (cols.has_name) description += " " + r.name;
    description += "\n" + e.title;
    if (!e.detail.empty()) description += "\n" + e.detail;
    description += "\n" + p.title;
    prop("BEGIN", "VEVENT");
    prop("UID", sha256_hex(identity).substr(0, 32) + "@catengine");
    prop("DTSTAMP", stamp);
    prop("DTSTART;VALUE=DATE", ics_date(e.date));
    prop("DTEND;VALUE=DATE", ics_date(add_days(e.date, e.lasting_days)));
    prop("SUMMARY",
         ics_escape_text(fmt::format("{}: {}{}", e.title, who, e.overdue ? " (overdue)" : "")));
    prop("DESCRIPTION", ics_escape_text(description));
    prop("CATEGORIES", ics_escape_text(e.title));
    prop("TRANSP", "TRANSPARENT");
    prop("END", "VEVENT");
  }
  prop("END", "VCALENDAR");
  return out;
}

}  // namespace catengine::engine
