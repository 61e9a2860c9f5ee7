// The pages of one school in `catengine report`: its profile sheet (facts, level, the reasoning
// behind it as HTML, its figures against the policy's thresholds, the term's visits) and the
// drafts of the notices it is issued, worded from Mustache templates.
#include <mstch/mstch.hpp>

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

#include "base/calendar.hpp"
#include "base/date.hpp"
#include "papers/report_writer_impl.hpp"
#include "papers/svg_chart.hpp"

namespace catengine::engine::report_detail {
namespace {

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

}  // namespace

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
bool Writer::sheet(const RecordExplanation& e, std::size_t r, const School& s, bool on_agenda,
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
      out += (first ? "" : "<br>") + esc(f) + ": " +
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
    std::string table = "<table class=\"alt\"><thead><tr><th>Term (as of)</th><th>" + esc(column) +
                        "</th></tr></thead><tbody>\n";
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
    out += "<figure>" + svg_trend_chart("trend", part.title, desc + ".", points) + "<figcaption>" +
           esc(part.title) + "</figcaption></figure>\n" + table + "</tbody></table>\n";
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

bool Writer::notice_page(const std::string& file, const RecordExplanation& e,
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
      figures.push_back(mstch::map{{"name", rd.name}, {"value", rd.value}, {"source", rd.source}});
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

}  // namespace catengine::engine::report_detail
