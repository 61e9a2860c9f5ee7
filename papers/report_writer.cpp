// The pages of `catengine report`, written school by school (see report_writer.hpp). Every
// piece of text from the data or the policy goes through append_escaped; the explanation of a
// level is the one model explain_record builds, laid out as HTML here, never worked out again.
#include "papers/report_writer.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <fmt/format.h>
#include <mstch/mstch.hpp>

#include "base/calendar.hpp"
#include "base/date.hpp"
#include "papers/html.hpp"
#include "papers/svg_chart.hpp"
#include "report/explanation.hpp"
#include "report/schedule.hpp"
#include "report/value_format.hpp"

namespace catengine::engine {

namespace {

// How far ahead the sheets list visits: one term.
constexpr std::int64_t kScheduleDays = 122;

std::string esc(std::string_view s) {
  return html_escape(s);
}

struct Policy {
  const lang::CheckedPolicy& p;
  std::size_t key = 0;                    // the key field
  std::optional<std::size_t> name_field;  // `name`
  std::optional<std::size_t> level_out;   // the first output column on a scale
  std::vector<std::string> levels;        // its members, best first
  std::vector<std::string> level_titles;  // their descriptions
  std::optional<std::uint32_t> clinic;    // the cadence `on dates of` a parameter
};

Policy study(const lang::CheckedPolicy& p) {
  Policy out{p};
  out.key = schedule_key_field(p);
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

void reads_table(std::string& out, const std::vector<ValueRead>& reads) {
  if (reads.empty()) return;
  out += "<table><thead><tr><th>Figure</th><th>Value</th><th>Source</th></tr></thead><tbody>\n";
  std::set<std::string> seen;
  for (const auto& r : reads) {
    if (!seen.insert(r.name).second) continue;
    out += "<tr><td>" + esc(r.name) + "</td><td>" + esc(r.value) + "</td><td>" + esc(r.source) +
           "</td></tr>\n";
  }
  out += "</tbody></table>\n";
}

// A definition's reasoning as HTML: the fired rule with what it read, the rules before it that
// did not apply and which part failed; a formula with what it read; a notice's or cadence's lines.
void definition_html(std::string& out, const DefinitionExplanation& d) {
  out += "<h3>" + esc(d.name) + " = " + esc(d.value) + "</h3>\n";
  if (!d.cite.empty()) out += "<p class=\"cite\">" + esc(d.cite) + "</p>\n";
  if (!d.expression.empty()) {
    out += "<p>because <code>" + esc(d.expression) + "</code></p>\n";
    reads_table(out, d.reads);
  }
  for (const auto& r : d.rules) {
    if (r.fired) {
      out += "<p><strong>Decided by rule " + esc(r.id) + "</strong>: " + esc(r.title) + "</p>\n";
      if (!r.cite.empty()) out += "<p class=\"cite\">" + esc(r.cite) + "</p>\n";
      out += "<p>when <code>" + esc(r.condition) + "</code></p>\n";
      reads_table(out, r.reads);
    }
  }
  bool any_before = false;
  for (const auto& r : d.rules) {
    if (r.fired) continue;
    if (!any_before)
      out += "<details><summary>Rules tried first, which did not apply</summary><ul>\n";
    any_before = true;
    out += "<li>" + esc(r.id) + " " + esc(r.title) + ": <code>" + esc(r.condition) + "</code>";
    std::string failed;
    for (const auto& part : r.parts) {
      if (part.value != "yes")
        failed += (failed.empty() ? "" : "; ") + part.text + " is " + part.value;
    }
    if (!failed.empty()) out += " <span class=\"muted\">(" + esc(failed) + ")</span>";
    out += "</li>\n";
  }
  if (any_before) out += "</ul></details>\n";
  if (!d.details.empty()) {
    out += "<dl class=\"facts\">\n";
    for (const auto& [label, text] : d.details) {
      out += "<dt>" + esc(label) + "</dt><dd>" + esc(text) + "</dd>\n";
    }
    out += "</dl>\n";
  }
}

// The figures behind a ground: what its condition read, and, for each definition among them,
// what that definition read in turn (its formula's, or its deciding rule's), a few levels down,
// so that a letter shows the school's own numbers and not only `below_floor = yes`.
void underlying_figures(const RecordExplanation& e, const std::vector<ValueRead>& reads,
                        std::vector<ValueRead>& out, std::set<std::string>& seen, int depth) {
  for (const auto& r : reads) {
    if (!seen.insert(r.name).second) continue;
    out.push_back(r);
    if (depth >= 3 || r.source != "definition") continue;
    const DefinitionExplanation* d = definition(e, r.name);
    if (!d) continue;
    underlying_figures(e, d->reads, out, seen, depth + 1);
    for (const auto& rule : d->rules) {
      if (rule.fired) underlying_figures(e, rule.reads, out, seen, depth + 1);
    }
  }
}

// The overview's tables grow with the number of schools; their rows wait in an anonymous
// temporary file (std::tmpfile: removed when closed, even after a crash) rather than in memory,
// and are copied into index.html once every sheet is written. Held in memory only if no
// temporary file can be made.
class Spill {
 public:
  Spill() : file_(std::tmpfile()) {}
  Spill(const Spill&) = delete;
  Spill& operator=(const Spill&) = delete;
  ~Spill() {
    if (file_) std::fclose(file_);
  }
  Spill& operator+=(std::string_view text) {
    buffer_ += text;
    any_ = any_ || !text.empty();
    if (file_ && buffer_.size() >= (64u << 10)) flush();
    return *this;
  }
  bool empty() const { return !any_; }
  bool copy_to(PageSink& sink, std::string& error) {
    if (!file_) return sink.write(buffer_, error);
    if (!flush() || std::fseek(file_, 0, SEEK_SET) != 0) {
      error = "cannot read back the overview's rows from a temporary file";
      return false;
    }
    std::string chunk(64u << 10, '\0');
    for (;;) {
      const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), file_);
      if (n > 0 && !sink.write(std::string_view(chunk.data(), n), error)) return false;
      if (n < chunk.size()) break;
    }
    if (std::ferror(file_)) {
      error = "cannot read back the overview's rows from a temporary file";
      return false;
    }
    return true;
  }

 private:
  bool flush() {
    ok_ = ok_ && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
    return ok_;
  }
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool any_ = false;
  bool ok_ = true;
};

// How many schools' schedule is worked out at once.
constexpr std::size_t kBlock = 512;

// A school on the clinic agenda: kept for the pack, which comes after every sheet.
struct AgendaItem {
  std::size_t level = 0;  // 1 + the level's index (best first), 0 for none
  std::size_t record = 0;
  std::string focus;  // what the clinic discusses, from the policy
};

struct School {
  std::string key;
  std::string name;
  std::string level;
  std::string rule;
  std::vector<std::string> cells;  // identity fields shown in the overview
};

std::string field_text(const lang::CheckedPolicy& p, const DataSet& data, const ValueFormatter& f,
                       std::size_t record, std::size_t field) {
  return f.describe(data.row(record)[field], p.record.fields[field].type);
}

std::optional<double> as_number(std::string text) {
  std::erase(text, '%');
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == 0) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

// The identity fields a sheet names when the record has them.
constexpr std::array<std::string_view, 6> kIdentity = {"phase", "governance", "type_group",
                                                       "trust", "la",         "local_authority"};

class Writer {
 public:
  Writer(const ReportInputs& in, PageSink& sink)
      : in_(in),
        p_(in.compiled->policy),
        pol_(study(p_)),
        sink_(sink),
        format_(p_, in.data->text) {}

  std::optional<ReportSummary> run(std::string& error) {
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
      rows += "<tr><td><a href=\"schools/" + esc(s.key) + ".html\">" + esc(s.key) +
              "</a></td><td>" + esc(s.name) + "</td>";
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

 private:
  bool load_history(std::string& error) {
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

  std::string previous_level(const std::string& key) const {
    if (!in_.history || previous_as_of_.empty()) return "";
    auto it = previous_.find(key);
    return it == previous_.end() ? std::string("(new)") : it->second;
  }

  School identify(const RecordExplanation& e, std::size_t r) {
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

  std::vector<std::string> identity_headings() const {
    std::vector<std::string> out;
    for (std::string_view id : kIdentity) {
      for (const auto& f : p_.record.fields) {
        if (f.name == id && out.size() < 2) out.emplace_back(id);
      }
    }
    return out;
  }

  // The value of a field or a definition for the sheet, with where it came from.
  std::pair<std::string, std::string> figure(const RecordExplanation& e, std::size_t r,
                                             const std::string& name) {
    for (std::size_t f = 0; f < p_.record.fields.size(); ++f) {
      if (p_.record.fields[f].name == name) {
        return {field_text(p_, *in_.data, format_, r, f), "column " + p_.record.fields[f].column};
      }
    }
    if (const auto* d = definition(e, name)) return {d->value, "worked out by the policy"};
    return {"", ""};
  }

  bool put(const std::string& path, const std::string& html, std::string& error) {
    return sink_.begin(path, error) && sink_.write(html, error) && sink_.end(error);
  }

  bool sheet(const RecordExplanation& e, std::size_t r, const School& s, bool on_agenda,
             std::string& error) {
    std::string out = page_start(s.name + " — school profile sheet", "../");
    out += "<h1>" + esc(s.name) + "</h1>\n<p class=\"lede\">School profile sheet · " +
           esc(p_.record.fields[pol_.key].name) + " " + esc(s.key) + " · as of " +
           esc(format_iso(in_.as_of)) + "</p>\n<dl class=\"facts\">\n";
    for (std::string_view id : kIdentity) {
      for (std::size_t f = 0; f < p_.record.fields.size(); ++f) {
        if (p_.record.fields[f].name != id) continue;
        std::string v = field_text(p_, *in_.data, format_, r, f);
        out += "<dt>" + esc(id) + "</dt><dd>" + esc(v.empty() ? "(none)" : v) + "</dd>\n";
      }
    }
    if (pol_.level_out) {
      out +=
          "<dt>" + esc(p_.outputs[*pol_.level_out].name) + "</dt><dd>" + level_badge(pol_, s.level);
      if (const auto i = level_index(pol_, s.level); i && !pol_.level_titles[*i].empty())
        out += " " + esc(pol_.level_titles[*i]);
      out += "</dd>\n";
    }
    out += "<dt>clinic agenda</dt><dd>" + std::string(on_agenda ? "yes" : "no") + "</dd>\n</dl>\n";

    // Why: the level's decision, as the explanation model gives it.
    if (pol_.level_out) {
      const std::string& column = p_.outputs[*pol_.level_out].name;
      out += "<h2>Why this " + esc(column) + "</h2>\n";
      if (const auto* d = definition(e, column)) definition_html(out, *d);
    }

    // The policy's criteria, in the policy folder's order.
    bool any_criterion = false;
    for (const auto& part : in_.settings.parts) {
      if (part.kind != SheetPart::Kind::Criterion) continue;
      if (!any_criterion) {
        out +=
            "<h2>Criteria</h2>\n<table><thead><tr><th>#</th><th>Criterion</th><th>Figures</th>"
            "</tr></thead><tbody>\n";
      }
      ++criterion_count_;
      any_criterion = true;
      out += "<tr><td class=\"num\">" + std::to_string(criterion_count_) + "</td><td>" +
             esc(part.title) + "</td><td>";
      bool first = true;
      for (const auto& f : part.fields) {
        auto [value, source] = figure(e, r, f);
        out +=
            (first ? "" : "<br>") + esc(f) + ": " +
            (value.empty() ? std::string("<span class=\"muted\">not given</span>") : esc(value)) +
            " <span class=\"cite\">(" + esc(source) + ")</span>";
        first = false;
      }
      out += "</td></tr>\n";
    }
    criterion_count_ = 0;
    if (any_criterion) out += "</tbody></table>\n";

    // Charts: the level term by term, and the first measure with figures.
    out += "<h2>Over time</h2>\n";
    std::vector<LevelPoint> terms;
    if (in_.history) {
      std::string herr;
      if (auto rows = in_.history->school(s.key, herr)) {
        for (const auto& t : *rows) {
          if (t.run.policy_name != p_.title || t.run.as_of >= format_iso(in_.as_of)) continue;
          LevelPoint lp{t.run.as_of, std::nullopt};
          for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (pol_.level_out && t.columns[c] == p_.outputs[*pol_.level_out].name)
              lp.level = level_index(pol_, t.values[c]);
          }
          terms.push_back(lp);
        }
      }
    }
    terms.push_back({format_iso(in_.as_of), level_index(pol_, s.level)});
    if (pol_.level_out) {
      const std::string column = p_.outputs[*pol_.level_out].name;
      std::string desc = "The school's " + column + " by term: ";
      std::string table = "<table class=\"alt\"><thead><tr><th>Term (as of)</th><th>" +
                          esc(column) + "</th></tr></thead><tbody>\n";
      for (std::size_t i = 0; i < terms.size(); ++i) {
        const std::string v = terms[i].level ? pol_.levels[*terms[i].level] : "not recorded";
        desc += (i ? "; " : "") + terms[i].term + " " + v;
        table += "<tr><td>" + esc(terms[i].term) + "</td><td>" + esc(v) + "</td></tr>\n";
      }
      desc += ".";
      out += "<figure>" +
             svg_level_chart("levels", column + " term by term", desc, pol_.levels, terms) +
             "<figcaption>" + esc(column) + " term by term (best at the top)" +
             (in_.history ? "" : "; no history was given (--history), so only this term") +
             ".</figcaption></figure>\n" + table + "</tbody></table>\n";
    }
    for (const auto& part : in_.settings.parts) {
      if (part.kind != SheetPart::Kind::Trend) continue;
      std::vector<TrendPoint> points;
      bool any = false;
      std::string desc = part.title + ": ";
      std::string table =
          "<table class=\"alt\"><thead><tr><th>When</th><th>Value</th></tr></thead><tbody>\n";
      for (std::size_t i = 0; i < part.fields.size(); ++i) {
        const std::string label = i < part.labels.size() ? part.labels[i] : part.fields[i];
        auto [value, source] = figure(e, r, part.fields[i]);
        const auto v = as_number(value);
        any = any || v.has_value();
        points.push_back({label, v, value});
        desc += (i ? "; " : "") + label + " " + (value.empty() ? "missing" : value);
        table += "<tr><td>" + esc(label) + "</td><td>" + esc(value.empty() ? "missing" : value) +
                 "</td></tr>\n";
      }
      if (!any) continue;
      out += "<figure>" + svg_trend_chart("trend", part.title, desc + ".", points) +
             "<figcaption>" + esc(part.title) + "</figcaption></figure>\n" + table +
             "</tbody></table>\n";
      break;
    }

    // Overrides the data records, with reason and who agreed.
    std::string overrides;
    for (std::size_t f = 0; f < p_.record.fields.size(); ++f) {
      const auto& name = p_.record.fields[f].name;
      if (name.rfind("override_", 0) != 0) continue;
      if (in_.data->row(r)[f] == kMissing) continue;
      const std::string v = field_text(p_, *in_.data, format_, r, f);
      overrides += "<dt>" + esc(name.substr(9)) + "</dt><dd>" + esc(v) + "</dd>\n";
    }
    if (!overrides.empty())
      out += "<h2>Override</h2>\n<dl class=\"facts\">\n" + overrides + "</dl>\n";

    // Next visits and deadlines from the schedule.
    out += "<h2>Next visits and deadlines</h2>\n";
    if (!events_of(r).empty()) {
      out += "<table><thead><tr><th>Date</th><th>What</th><th>Detail</th></tr></thead><tbody>\n";
      for (std::size_t i : events_of(r)) {
        const auto& ev = schedule_.events[i];
        out +=
            "<tr><td class=\"date\">" + esc(format_iso(ev.date)) + "</td><td>" + esc(ev.title) +
            (ev.overdue ? " <strong>(overdue: due " + esc(format_iso(ev.due)) + ")</strong>" : "") +
            "</td><td>" + esc(ev.detail) + "</td></tr>\n";
      }
      out += "</tbody></table>\n";
    } else {
      out += "<p class=\"muted\">Nothing in the " + std::to_string(kScheduleDays) +
             " days from the as-of date.</p>\n";
    }
    // The rest of the reasoning, for the adviser who wants it.
    out += "<details class=\"noprint\"><summary>Every decision the policy made</summary>\n";
    for (const auto& d : e.definitions) definition_html(out, d);
    out += "</details>\n";
    out += page_end(footer_);
    return put("schools/" + s.key + ".html", out, error);
  }

  bool notice_page(const std::string& file, const RecordExplanation& e,
                   const DefinitionExplanation& d, const School& s, std::string& error) {
    const auto it = in_.settings.templates.count(d.name) ? in_.settings.templates.find(d.name)
                                                         : in_.settings.templates.find("");
    const std::string& tmpl =
        it == in_.settings.templates.end() ? default_notice_template() : it->second;
    mstch::map ctx{{"policy_title", p_.title},
                   {"notice_title", d.notice.title},
                   {"notice_name", d.name},
                   {"notice_cite", d.cite},
                   {"school_name", s.name},
                   {"school_key", s.key},
                   {"key_name", p_.record.fields[pol_.key].name},
                   {"level", s.level},
                   {"as_of", format_iso(in_.as_of)},
                   {"addressed_to", d.notice.addressed_to},
                   {"due", d.notice.due},
                   {"respond_days", d.notice.respond_days},
                   {"calendar", d.notice.calendar}};
    mstch::array copies;
    for (std::size_t i = 0; i < d.notice.copies.size(); ++i) {
      copies.push_back(
          mstch::map{{"copy", d.notice.copies[i]}, {"last", i + 1 == d.notice.copies.size()}});
    }
    ctx.emplace("has_copies", !copies.empty());
    ctx.emplace("copies", copies);
    mstch::array grounds;
    for (const auto& g : d.notice.grounds) {
      if (!g.holds) continue;
      mstch::array figures;
      std::vector<ValueRead> reads;
      std::set<std::string> seen;
      underlying_figures(e, g.reads, reads, seen, 0);
      for (const auto& rd : reads) {
        figures.push_back(
            mstch::map{{"name", rd.name}, {"value", rd.value}, {"source", rd.source}});
      }
      grounds.push_back(mstch::map{{"id", g.id},
                                   {"wording", g.wording},
                                   {"cite", g.cite},
                                   {"condition", g.condition},
                                   {"has_figures", !figures.empty()},
                                   {"figures", figures}});
    }
    ctx.emplace("grounds", grounds);
    mstch::array steps;
    for (std::size_t i = 0; i < d.notice.escalation.size(); ++i) {
      steps.push_back(mstch::map{{"number", static_cast<int>(i + 1)},
                                 {"step", d.notice.escalation[i].text},
                                 {"cite", d.notice.escalation[i].cite}});
    }
    ctx.emplace("has_escalation", !steps.empty());
    ctx.emplace("escalation", steps);
    std::string body;
    try {
      body = mstch::render(tmpl, ctx);
    } catch (const std::exception& ex) {
      error = fmt::format("the template for `{}` could not be rendered: {}", d.name, ex.what());
      return false;
    }
    std::string out = page_start(d.notice.title + " — " + s.name, "../");
    out += "<article class=\"letter\">\n" + body + "</article>\n" + page_end(footer_);
    return put(file, out, error);
  }

  bool clinic_pack(const std::vector<AgendaItem>& agenda, Value date, std::string& error) {
    if (!sink_.begin("clinic.html", error)) return false;
    std::string out = page_start("Performance clinic pack", "");
    out += "<section class=\"page\"><h1>Performance clinic pack</h1>\n<p class=\"lede\">";
    if (date == kMissing) {
      out += "The policy names no clinic in the " + std::to_string(kScheduleDays) + " days from " +
             esc(format_iso(in_.as_of)) + ".</p>\n";
    } else {
      out += "Clinic of " + esc(format_iso(date)) + " · " + std::to_string(agenda.size()) +
             " schools, most concern first</p>\n<ol>\n";
      for (const auto& item : agenda) {
        const std::size_t r = item.record;
        out +=
            "<li>" + esc(field_text(p_, *in_.data, format_, r, pol_.key)) + " " +
            (pol_.name_field ? esc(field_text(p_, *in_.data, format_, r, *pol_.name_field)) : "") +
            "</li>\n";
      }
      out += "</ol>\n";
    }
    out += "</section>\n";
    if (!sink_.write(out, error)) return false;
    std::size_t n = 0;
    for (const auto& item : agenda) {
      const std::size_t r = item.record;
      RecordExplanation e = explain_record(*in_.compiled, *in_.data, r, in_.as_of);
      School s = identify(e, r);
      std::string page = "<section class=\"page\">\n<h2>" + std::to_string(++n) + ". " +
                         esc(s.name) + " <span class=\"muted\">(" + esc(s.key) + ")</span></h2>\n";
      const std::string& focus = item.focus;
      page += "<dl class=\"facts\"><dt>Level</dt><dd>" + level_badge(pol_, s.level) + " rule " +
              esc(s.rule) + "</dd><dt>Discussion focus</dt><dd><strong>" +
              esc(focus.empty() ? "(the policy names none)" : focus) + "</strong></dd>";
      const std::string prev = previous_level(s.key);
      if (!prev.empty()) page += "<dt>Last term</dt><dd>" + esc(prev) + "</dd>";
      page += "</dl>\n";
      if (pol_.level_out) {
        if (const auto* d = definition(e, p_.outputs[*pol_.level_out].name)) {
          for (const auto& rule : d->rules) {
            if (!rule.fired) continue;
            page += "<p><strong>" + esc(rule.id) + "</strong> " + esc(rule.title) +
                    " <span class=\"cite\">" + esc(rule.cite) + "</span></p>\n";
            reads_table(page, rule.reads);
          }
        }
      }
      page +=
          "<h3>Notes of the discussion</h3>\n<p style=\"height:6em;border:1px dashed "
          "#d5d9e0\"></p>\n"
          "<p><a href=\"schools/" +
          esc(s.key) + ".html\">Profile sheet</a></p>\n</section>\n";
      if (!sink_.write(page, error)) return false;
    }
    return sink_.write(page_end(footer_), error) && sink_.end(error);
  }

  bool index(Spill& rows, Spill& notices, Spill& overdue, const std::vector<std::size_t>& counts,
             const std::vector<AgendaItem>& agenda, Value clinic_date, std::string& error) {
    std::string out = page_start(p_.title + " — overview", "");
    out += "<h1>" + esc(p_.title) + "</h1>\n<p class=\"lede\">Local authority overview as of " +
           esc(format_iso(in_.as_of)) + " · " + std::to_string(in_.data->size()) + " schools</p>\n";
    if (pol_.level_out) {
      const std::string& column = p_.outputs[*pol_.level_out].name;
      out += "<h2>Schools by " + esc(column) + "</h2>\n<table><thead><tr>";
      for (std::size_t i = 0; i < pol_.levels.size(); ++i)
        out +=
            "<th>" + level_badge(pol_, pol_.levels[i]) + " " + esc(pol_.level_titles[i]) + "</th>";
      out += "</tr></thead><tbody><tr>";
      for (std::size_t i = 0; i < pol_.levels.size(); ++i)
        out += "<td class=\"num\">" + std::to_string(counts[i]) + "</td>";
      out += "</tr></tbody></table>\n<h2>Moves since last term</h2>\n";
      if (!in_.history) {
        out +=
            "<p>No history was given (<code>--history FILE</code>), so there is no earlier term to "
            "compare with.</p>\n";
      } else if (previous_as_of_.empty()) {
        out +=
            "<p>The history holds no earlier run of this policy, so this is the first term.</p>\n";
      } else {
        out += "<p>From the run as of " + esc(previous_as_of_) +
               " (rows) to this one (columns).</p>\n"
               "<table><thead><tr><th>from \\ to</th>";
        for (const auto& l : pol_.levels) out += "<th class=\"num\">" + esc(l) + "</th>";
        out += "</tr></thead><tbody>\n";
        std::vector<std::string> from = pol_.levels;
        from.push_back("(new)");
        for (const auto& f : from) {
          out += "<tr><th>" + esc(f) + "</th>";
          for (const auto& t : pol_.levels) {
            auto it = moves_.find({f, t});
            const std::size_t n = it == moves_.end() ? 0 : it->second;
            out += std::string("<td class=\"num\">") +
                   (n ? (f == t ? std::to_string(n) : "<strong>" + std::to_string(n) + "</strong>")
                      : "·") +
                   "</td>";
          }
          out += "</tr>\n";
        }
        out += "</tbody></table>\n";
      }
    }
    out += "<h2>Clinic agenda</h2>\n";
    if (clinic_date == kMissing) {
      out += "<p>No clinic in the coming term.</p>\n";
    } else {
      out +=
          "<p>Clinic of " + esc(format_iso(clinic_date)) + ": " + std::to_string(agenda.size()) +
          " schools, most concern first (<a href=\"clinic.html\">the clinic pack</a>).</p>\n<ol>\n";
      for (const auto& item : agenda) {
        const std::size_t r = item.record;
        const std::string key = field_text(p_, *in_.data, format_, r, pol_.key);
        out +=
            "<li><a href=\"schools/" + esc(key) + ".html\">" +
            esc(pol_.name_field ? field_text(p_, *in_.data, format_, r, *pol_.name_field) : key) +
            "</a></li>\n";
      }
      out += "</ol>\n";
    }
    out += "<h2>Notices and letters due</h2>\n";
    if (!sink_.begin("index.html", error)) return false;
    if (notices.empty()) {
      out += "<p>None.</p>\n";
    } else {
      out +=
          "<table><thead><tr><th>School</th><th>Draft</th><th>Addressed to</th>"
          "<th>Response due</th></tr></thead><tbody>\n";
      if (!sink_.write(out, error) || !notices.copy_to(sink_, error)) return false;
      out = "</tbody></table>\n";
    }
    out += "<h2>Overdue visits</h2>\n";
    if (overdue.empty()) {
      out += "<p>None.</p>\n";
    } else {
      out +=
          "<table><thead><tr><th>School</th><th>Visit</th><th>Was due</th></tr>"
          "</thead><tbody>\n";
      if (!sink_.write(out, error) || !overdue.copy_to(sink_, error)) return false;
      out = "</tbody></table>\n";
    }
    out +=
        "<h2 class=\"page\">All schools</h2>\n<p class=\"noprint muted\">Click a heading to "
        "sort.</p>\n"
        "<table class=\"sortable\"><thead><tr><th>" +
        esc(p_.record.fields[pol_.key].name) + "</th><th>name</th>";
    for (const auto& h : identity_headings()) out += "<th>" + esc(h) + "</th>";
    out += "<th>" + esc(pol_.level_out ? p_.outputs[*pol_.level_out].name : "level") +
           "</th><th>rule</th><th>clinic</th><th>notices</th></tr></thead><tbody>\n";
    if (!sink_.write(out, error) || !rows.copy_to(sink_, error)) return false;
    return sink_.write("</tbody></table>\n" + page_end(footer_, true), error) && sink_.end(error);
  }

  const ReportInputs& in_;
  const lang::CheckedPolicy& p_;
  Policy pol_;
  PageSink& sink_;
  ValueFormatter format_;
  std::string footer_;
  // The schedule of the coming term for one block of records at a time, so that its events
  // (a few strings a visit) are held for kBlock schools, not all of them.
  void load_block(std::size_t first) {
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
  const std::vector<std::size_t>& events_of(std::size_t r) {
    if (by_record_.empty() || r < block_first_ || r >= block_first_ + by_record_.size())
      load_block(r - r % kBlock);
    return by_record_[r - block_first_];
  }

  Schedule schedule_;
  std::size_t block_first_ = 0;
  std::vector<std::vector<std::size_t>> by_record_;  // event indices by record - block_first_
  std::map<std::string, std::string> previous_;      // key -> level in the previous run
  std::string previous_as_of_;
  std::map<std::pair<std::string, std::string>, std::size_t> moves_;
  std::size_t criterion_count_ = 0;
};

}  // namespace

std::optional<ReportSummary> write_report(const ReportInputs& in, PageSink& sink,
                                          std::string& error) {
  if (schedule_key_field(in.compiled->policy) == in.compiled->policy.record.fields.size()) {
    error = "the policy's record has no `key` field, so pages cannot be named by school";
    return std::nullopt;
  }
  Writer w(in, sink);
  return w.run(error);
}

}  // namespace catengine::engine
