// HTML escaping and the page frame shared by every page of a report.
#include "papers/html.hpp"

#include "base/markup.hpp"

namespace catengine::engine {

void append_escaped(std::string& out, std::string_view text) {
  append_markup_escaped(out, text);
}

std::string html_escape(std::string_view text) {
  return markup_escaped(text);
}

namespace {

// One stylesheet for every page: plain type, a narrow measure, level colours that print in grey
// as well as colour, and A4 print rules (each `.page` starts a new sheet of paper).
constexpr std::string_view kStyle = R"css(
@page { size: A4; margin: 16mm 14mm; }
:root { --ink: #1d2433; --muted: #5b6475; --rule: #d5d9e0; --accent: #1f5f8b; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
header.top { display: flex; justify-content: space-between; align-items: baseline;
             border-bottom: 2px solid var(--accent); margin-bottom: 1rem; }
header.top a { color: var(--accent); margin-left: 1rem; }
h1 { font-size: 1.6rem; margin: 0.4rem 0; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 0.4rem; color: var(--accent);
     border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
p.lede { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 0.95em; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--rule);
         vertical-align: top; }
th { background: #f1f3f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.date { white-space: nowrap; }
table.sortable th { cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.level { display: inline-block; min-width: 2.2em; padding: 0 0.4em; border-radius: 0.3em;
         border: 1px solid #888; text-align: center; font-weight: bold; }
.level.l0 { background: #d8eeda; } .level.l1 { background: #e6f2d3; } .level.l2 { background: #fbf0c9; }
.level.l3 { background: #f8d9b8; } .level.l4 { background: #f2c1bd; } .level.l5 { background: #e8a9a4; }
.holds { font-weight: bold; } .muted { color: var(--muted); }
.cite { color: var(--muted); font-size: 0.9em; }
.reason { margin: 0.2rem 0 0.6rem 1rem; }
figure { margin: 0.6rem 0; } figcaption { color: var(--muted); font-size: 0.9em; }
svg text { font-family: inherit; }
.page { break-before: page; page-break-before: always; }
.page:first-of-type { break-before: auto; page-break-before: auto; }
.letter address { font-style: normal; margin: 1rem 0; }
footer { margin-top: 2rem; border-top: 1px solid var(--rule); color: var(--muted);
         font-size: 0.85em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  header.top a, .noprint { display: none; }
  h2, h3 { break-after: avoid; } tr, figure, dl { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)css";

// Sorts the rows of a `table.sortable` by the clicked column: numbers as numbers, else text;
// a second click reverses. No framework, nothing fetched.
constexpr std::string_view kSortScript = R"js(
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], up = th.dataset.dir !== 'up';
    var rows = Array.from(body.rows), key = function (r) { return r.cells[col].dataset.sort || r.cells[col].textContent; };
    rows.sort(function (a, b) { var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y); return up ? c : -c; });
    th.dataset.dir = up ? 'up' : 'down'; rows.forEach(function (r) { body.appendChild(r); });
  });
});
)js";

}  // namespace

std::string page_start(std::string_view title, std::string_view root) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_escaped(out, title);
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header class=\"top\"><span>catengine report</span><nav>";
  out += "<a href=\"";
  append_escaped(out, root);
  out += "index.html\">Overview</a><a href=\"";
  append_escaped(out, root);
  out += "clinic.html\">Clinic pack</a></nav></header>\n";
  return out;
}

std::string page_end(std::string_view footer, bool sortable) {
  std::string out = "<footer>";
  append_escaped(out, footer);
  out += "</footer>\n";
  if (sortable) {
    out += "<script>";
    out += kSortScript;
    out += "</script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace catengine::engine
