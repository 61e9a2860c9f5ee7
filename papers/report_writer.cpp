// The pages of `catengine report`, written school by school (see report_writer.hpp). Every
// piece of text from the data or the policy goes through append_escaped; the explanation of a
// level is the one model explain_record builds, laid out as HTML here, never worked out again.
//
// This file holds the walk over the schools that writes every page in turn, and what the pages
// share: the policy's study and the lookups into an explanation. The pages themselves are in
// report_school_pages.cpp and report_overview_pages.cpp.
#include "papers/report_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/date.hpp"
#include "papers/report_writer_impl.hpp"

namespace catengine::engine {
namespace report_detail {

Policy study(const lang::CheckedPolicy& p) {
  Policy out{p};
  out.key = p.record.key_field().value();
  for (std::size_t i = 0; i < p.record.fields.size(); ++i) {
    if (p.record.fields[i].name == "name") out.name_field = i;
  }
  for (std::size_t i = 0; i < p.outputs.size(); ++i) {
    const auto& t = p.outputs[i].type;
    if (t.base == lang::BaseType::Enum && p.enums[t.enum_id].ordered) {
      out.level_out = i;
      for (const auto& m : p.enums[t.enum_id].members) {
        out.levels.push_back(m.key);
        out.level_titles.push_back(m.description);
      }
      break;
    }
  }
  for (std::uint32_t c = 0; c < p.cadences.size(); ++c) {
    if (p.cadences[c].dates_param && !out.clinic) out.clinic = c;
  }
  return out;
}

std::optional<std::size_t> level_index(const Policy& pol, std::string_view level) {
  for (std::size_t i = 0; i < pol.levels.size(); ++i) {
    if (pol.levels[i] == level) return i;
  }
  return std::nullopt;
}

std::string level_badge(const Policy& pol, std::string_view level) {
  const auto i = level_index(pol, level);
  if (!i) return "<span class=\"muted\">" + esc(level.empty() ? "none" : level) + "</span>";
  std::string title = pol.level_titles[*i];
  return fmt::format("<span class=\"level l{}\" title=\"{}\">{}</span>",
                     std::min<std::size_t>(*i, 5), esc(title), esc(level));
}

const std::string* output_value(const RecordExplanation& e, std::string_view column) {
  for (const auto& [name, value] : e.outputs) {
    if (name == column) return &value;
  }
  return nullptr;
}

const DefinitionExplanation* definition(const RecordExplanation& e, std::string_view name) {
  for (const auto& d : e.definitions) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string field_text(const lang::CheckedPolicy& p, const DataSet& data, const ValueFormatter& f,
                       std::size_t record, std::size_t field) {
  return f.describe(data.row(record)[field], p.record.fields[field].type);
}

std::optional<ReportSummary> Writer::run(std::string& error) {
  DataSet& data = *in_.data;
  const std::string as_of = format_iso(in_.as_of);
  footer_ = fmt::format("{} · as of {} · policy sha256 {} · data sha256 {} · catengine", p_.title,
                        as_of, in_.provenance.policy_sha256.substr(0, 12),
                        in_.provenance.data_sha256.substr(0, 12));
  if (!load_history(error)) return std::nullopt;
  // The clinic agenda: schools with the clinic cadence's first date in the range. A first
  // pass over the schedule, block by block, finds that date.
  Value clinic_date = kMissing;
  if (pol_.clinic) {
    for (std::size_t first = 0; first < data.size(); first += kBlock) {
      load_block(first);
      for (const auto& ev : schedule_.events) {
        if (ev.kind == ScheduleEventKind::Cadence && ev.owner == *pol_.clinic) {
          if (clinic_date == kMissing || ev.date < clinic_date) clinic_date = ev.date;
        }
      }
    }
  }
  std::vector<AgendaItem> agenda;
  ReportSummary summary;
  Spill rows, notices, overdue;
  std::vector<std::size_t> counts(pol_.levels.size() + 1, 0);
  for (std::size_t r = 0; r < data.size(); ++r) {
    RecordExplanation e = explain_record(*in_.compiled, data, r, in_.as_of);
    if (!e.fault.empty()) {
      error = fmt::format("row {}: could not work out the record: {}", e.row, e.fault);
      return std::nullopt;
    }
    School s = identify(e, r);
    const auto li = level_index(pol_, s.level);
    ++counts[li ? *li : pol_.levels.size()];
    moves_[{previous_level(s.key), s.level}]++;
    bool on_agenda = false;
    std::string focus;
    {
      for (std::size_t i : events_of(r)) {
        const auto& ev = schedule_.events[i];
        if (ev.kind == ScheduleEventKind::Cadence && pol_.clinic && ev.owner == *pol_.clinic &&
            ev.date == clinic_date) {
          on_agenda = true;
          focus = ev.focus;
        }
        if (ev.overdue) {
          overdue += "<tr><td><a href=\"schools/" + esc(s.key) + ".html\">" + esc(s.name) +
                     "</a></td><td>" + esc(ev.title) + "</td><td>" + esc(format_iso(ev.due)) +
                     "</td></tr>\n";
        }
      }
    }
    if (on_agenda) agenda.push_back({li ? *li + 1 : 0, r, focus});  // worst level first
    std::vector<std::string> issued;
    for (const auto& d : e.definitions) {
      if (!d.is_notice || !d.notice.issued) continue;
      issued.push_back(d.name);
      ++summary.notices;
      const std::string file = "notices/" + s.key + "-" + d.name + ".html";
      notices += "<tr><td><a href=\"schools/" + esc(s.key) + ".html\">" + esc(s.name) +
                 "</a></td><td><a href=\"" + esc(file) + "\">" + esc(d.notice.title) +
                 "</a></td><td>" + esc(d.notice.addressed_to) + "</td><td>" + esc(d.notice.due) +
                 "</td></tr>\n";
      if (!notice_page(file, e, d, s, error)) return std::nullopt;
    }
    if (!sheet(e, r, s, on_agenda, error)) return std::nullopt;
    rows += "<tr><td><a href=\"schools/" + esc(s.key) + ".html\">" + esc(s.key) + "</a></td><td>" +
            esc(s.name) + "</td>";
    for (const auto& c : s.cells) rows += "<td>" + esc(c) + "</td>";
    rows += "<td data-sort=\"" + std::to_string(li ? *li : 99) + "\">" +
            level_badge(pol_, s.level) + "</td><td>" + esc(s.rule) + "</td><td>" +
            (on_agenda ? "yes" : "") + "</td><td>";
    for (std::size_t k = 0; k < issued.size(); ++k) {
      rows += (k ? ", " : "") + std::string("<a href=\"notices/") + esc(s.key) + "-" +
              esc(issued[k]) + ".html\">" + esc(issued[k]) + "</a>";
    }
    rows += "</td></tr>\n";
    ++summary.schools;
  }
  std::sort(agenda.begin(), agenda.end(), [&](const auto& a, const auto& b) {
    return a.level != b.level ? a.level > b.level : a.record < b.record;
  });
  summary.on_agenda = agenda.size();
  if (!clinic_pack(agenda, clinic_date, error)) return std::nullopt;
  if (!index(rows, notices, overdue, counts, agenda, clinic_date, error)) return std::nullopt;
  return summary;
}

bool Writer::load_history(std::string& error) {
  if (!in_.history || !pol_.level_out) return true;
  auto prev = in_.history->previous_run(p_.title, format_iso(in_.as_of), error);
  if (!prev) return error.empty();
  previous_as_of_ = prev->as_of;
  const std::string& column = p_.outputs[*pol_.level_out].name;
  std::size_t at = prev->columns.size();
  for (std::size_t c = 0; c < prev->columns.size(); ++c) {
    if (prev->columns[c].name == column) at = c;
  }
  if (at == prev->columns.size()) return true;
  for (const auto& row : prev->rows) previous_[row[0]] = row[at + 1];
  return true;
}

std::string Writer::previous_level(const std::string& key) const {
  if (!in_.history || previous_as_of_.empty()) return "";
  auto it = previous_.find(key);
  return it == previous_.end() ? std::string("(new)") : it->second;
}

School Writer::identify(const RecordExplanation& e, std::size_t r) {
  School s;
  s.key = field_text(p_, *in_.data, format_, r, pol_.key);
  if (pol_.name_field) s.name = field_text(p_, *in_.data, format_, r, *pol_.name_field);
  if (pol_.level_out) {
    if (const auto* v = output_value(e, p_.outputs[*pol_.level_out].name)) s.level = *v;
  }
  if (const auto* v = output_value(e, "rule")) s.rule = *v;
  for (std::string_view id : kIdentity) {
    for (std::size_t f = 0; f < p_.record.fields.size(); ++f) {
      if (p_.record.fields[f].name == id && s.cells.size() < 2) {
        s.cells.push_back(format_.format(in_.data->row(r)[f], p_.record.fields[f].type));
      }
    }
  }
  return s;
}

std::vector<std::string> Writer::identity_headings() const {
  std::vector<std::string> out;
  for (std::string_view id : kIdentity) {
    for (const auto& f : p_.record.fields) {
      if (f.name == id && out.size() < 2) out.emplace_back(id);
    }
  }
  return out;
}

std::pair<std::string, std::string> Writer::figure(const RecordExplanation& e, std::size_t r,
                                                   const std::string& name) {
  for (std::size_t f = 0; f < p_.record.fields.size(); ++f) {
    if (p_.record.fields[f].name == name) {
      return {field_text(p_, *in_.data, format_, r, f), "column " + p_.record.fields[f].column};
    }
  }
  if (const auto* d = definition(e, name)) return {d->value, "worked out by the policy"};
  return {"", ""};
}

void Writer::load_block(std::size_t first) {
  DataSet& data = *in_.data;
  const std::size_t end = std::min(first + kBlock, data.size());
  std::vector<DataSet::Width> widths;
  for (std::size_t f = 0; f < data.field_count; ++f) widths.push_back(data.width(f));
  DataSet part(data.field_count, std::move(widths));
  part.resize(end - first);
  for (std::size_t r = first; r < end; ++r) {
    for (std::size_t f = 0; f < data.field_count; ++f) part.set(r - first, f, data.at(r, f));
  }
  part.source_row.assign(data.source_row.begin() + static_cast<std::ptrdiff_t>(first),
                         data.source_row.begin() + static_cast<std::ptrdiff_t>(end));
  part.text = data.text;
  const ScheduleRange range{in_.as_of, in_.as_of, add_days(in_.as_of, kScheduleDays)};
  schedule_ = compute_schedule(*in_.compiled, part, range);
  block_first_ = first;
  by_record_.assign(end - first, {});
  for (std::size_t i = 0; i < schedule_.events.size(); ++i) {
    by_record_[schedule_.events[i].record].push_back(i);
  }
}

}  // namespace report_detail

std::optional<ReportSummary> write_report(const ReportInputs& in, PageSink& sink,
                                          std::string& error) {
  if (!in.compiled->policy.record.key_field()) {
    error = "the policy's record has no `key` field, so pages cannot be named by school";
    return std::nullopt;
  }
  report_detail::Writer w(in, sink);
  return w.run(error);
}

}  // namespace catengine::engine
