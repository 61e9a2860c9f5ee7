// The overview pages of `catengine report`: index.html (levels counted, movements since the
// previous run, every school, the notices issued and the visits overdue) and the clinic pack
// (the agenda's schools, most concern first, each with its reasoning).
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

namespace catengine::engine::report_detail {

bool Writer::clinic_pack(const std::vector<AgendaItem>& agenda, Value date, std::string& error) {
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
      out += "<li>" + esc(field_text(p_, *in_.data, format_, r, pol_.key)) + " " +
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
    std::string page = "<section class=\"page\">\n<h2>" + std::to_string(++n) + ". " + esc(s.name) +
                       " <span class=\"muted\">(" + esc(s.key) + ")</span></h2>\n";
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

bool Writer::index(Spill& rows, Spill& notices, Spill& overdue,
                   const std::vector<std::size_t>& counts, const std::vector<AgendaItem>& agenda,
                   Value clinic_date, std::string& error) {
  std::string out = page_start(p_.title + " — overview", "");
  out += "<h1>" + esc(p_.title) + "</h1>\n<p class=\"lede\">Local authority overview as of " +
         esc(format_iso(in_.as_of)) + " · " + std::to_string(in_.data->size()) + " schools</p>\n";
  if (pol_.level_out) {
    const std::string& column = p_.outputs[*pol_.level_out].name;
    out += "<h2>Schools by " + esc(column) + "</h2>\n<table><thead><tr>";
    for (std::size_t i = 0; i < pol_.levels.size(); ++i)
      out += "<th>" + level_badge(pol_, pol_.levels[i]) + " " + esc(pol_.level_titles[i]) + "</th>";
    out += "</tr></thead><tbody><tr>";
    for (std::size_t i = 0; i < pol_.levels.size(); ++i)
      out += "<td class=\"num\">" + std::to_string(counts[i]) + "</td>";
    out += "</tr></tbody></table>\n<h2>Moves since last term</h2>\n";
    if (!in_.history) {
      out +=
          "<p>No history was given (<code>--history FILE</code>), so there is no earlier term to "
          "compare with.</p>\n";
    } else if (previous_as_of_.empty()) {
      out += "<p>The history holds no earlier run of this policy, so this is the first term.</p>\n";
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
      out += "<li><a href=\"schools/" + esc(key) + ".html\">" +
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

}  // namespace catengine::engine::report_detail
