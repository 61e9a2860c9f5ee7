#!/usr/bin/env bash
# Renders the pages of `catengine report` in a real browser (Debian's chromium, headless) and
# checks what a reader would see:
#   - the DOM of the overview, a profile sheet, a notice draft and the clinic pack holds the
#     expected text (a school named `<script>...` is text, and the only script is the sorter);
#   - printed to PDF (A4), the clinic pack has one page per school on the agenda after its
#     cover page, the overview starts its table of schools on a new page, and a notice draft
#     is at most two pages; every page type also renders to PNG.
# Skipped (exit 77, which ctest reports as skipped) only when chromium is not installed.
# Usage: tests/browser/report_in_browser.sh path/to/catengine   (from the repository root)
set -u
catengine=$1
chromium=${CATENGINE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "SKIP: $chromium is not installed (apt-get install chromium poppler-utils; make test does)"
  exit 77
fi
command -v pdfinfo >/dev/null || { echo "FAIL: pdfinfo (poppler-utils) is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
browse() {
  timeout 90 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --no-pdf-header-footer "$@" 2>/dev/null
}

"$catengine" report policies/peterborough --data tests/report/schools.csv --as-of 2018-09-17 \
  --out "$work/out" 2>/dev/null || fail "catengine report failed"
url() { echo "file://$work/out/$1"; }

expect_text() {  # PAGE TEXT...: the page's DOM, as the browser built it, holds each TEXT
  local page=$1; shift
  browse --dump-dom "$(url "$page")" >"$work/dom.html" || fail "$page: chromium could not load it"
  for t in "$@"; do
    grep -qF -- "$t" "$work/dom.html" || fail "$page: the DOM does not hold \"$t\""
  done
}
expect_text index.html "Peterborough school categorisation" "Schools by category" \
  "Moves since last term" "Clinic of 2018-09-27: 4 schools" "Formal warning notice" \
  "Overdue visits" "&lt;script&gt;alert(1)&lt;/script&gt;"
[ "$(grep -c '<script' "$work/dom.html")" = 1 ] || fail "index.html: a script other than the sorter"
expect_text schools/110612.html "Dogsthorpe Green Junior School" "Decided by rule R1" \
  "In an Ofsted category of concern" "Attainment on entry" "Capacity to improve" \
  "category term by term" "Next visits and deadlines"
grep -q '<svg' "$work/dom.html" || fail "the profile sheet has no chart"
expect_text schools/999001.html "&lt;script&gt;alert(1)&lt;/script&gt;"
if grep -q '<script' "$work/dom.html"; then fail "schools/999001.html: the school's name became a script"; fi
expect_text notices/110612-warning_notice.html "To the chair of governors" "Copy to: the headteacher" \
  "The standards of performance of pupils at the school are unacceptably low" \
  "Education and Inspections Act 2006, section 60(2)" "2018-10-08" "Appoint additional governors" \
  "ks2_rwm"
expect_text clinic.html "Performance clinic pack" "Discussion focus" "provision data"

pages() {  # PAGE: its page count printed to A4
  browse --print-to-pdf="$work/page.pdf" "$(url "$1")" || fail "$1: chromium could not print it"
  pdfinfo "$work/page.pdf" | awk '/^Pages:/ {print $2}'
}
n=$(pages clinic.html); [ "$n" = 5 ] || fail "clinic.html printed to $n pages, expected 5 (a cover and 4 schools)"
n=$(pages index.html); [ "$n" -ge 2 ] || fail "index.html printed to $n pages; the table of schools should start a new page"
n=$(pages notices/110612-warning_notice.html); [ "$n" -le 2 ] || fail "the notice draft printed to $n pages, expected at most 2"

for p in index.html schools/110612.html notices/110612-warning_notice.html; do
  browse --window-size=1000,1400 --screenshot="$work/shot.png" "$(url "$p")" || fail "$p: no screenshot"
  [ -s "$work/shot.png" ] || fail "$p: an empty screenshot"
  rm -f "$work/shot.png"
done
echo "browser: every page type renders, prints and reads as expected"
