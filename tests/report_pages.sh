#!/usr/bin/env bash
# Golden test of `catengine report` on a small fixture (tests/report/schools.csv: five schools,
# one named `<script>alert(1)</script> & Sons' "School"`), with a history store of one earlier
# term. Compares index.html, one profile sheet, one notice draft and the clinic pack with
# tests/report/expected/ exactly (UPDATE_GOLDEN=1 rewrites them), then checks that:
#   - a second run writes the same bytes (every page);
#   - text from the data is escaped everywhere (no page holds the school's name as markup);
#   - the pages fetch nothing (no http(s) src or href);
#   - a run that fails leaves --out as it was, and creates nothing when --out did not exist.
# Usage: tests/report_pages.sh path/to/catengine   (run from the repository root)
set -u
catengine=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected=tests/report/expected
data=tests/report/schools.csv
fail() { echo "FAIL: $*" >&2; exit 1; }

CATENGINE_NOW=2018-01-10T09:00:00Z "$catengine" evaluate policies/peterborough --data "$data" \
  --as-of 2018-01-10 --history "$work/history.sqlite" --save --format csv >/dev/null 2>&1 ||
  fail "could not save the earlier term"
run() {
  "$catengine" report policies/peterborough --data "$data" --as-of 2018-09-17 \
    --history "$work/history.sqlite" --out "$1"
}
run "$work/out" 2>"$work/stderr" || { cat "$work/stderr" >&2; fail "report exited $?"; }
pages="index.html schools/999001.html schools/110612.html notices/110612-warning_notice.html clinic.html"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  for p in $pages; do mkdir -p "$expected/$(dirname "$p")"; cp "$work/out/$p" "$expected/$p"; done
  echo "updated $expected"
fi
for p in $pages; do
  diff -u --label "expected $p" --label "actual $p" "$expected/$p" "$work/out/$p" || fail "$p differs"
done

run "$work/again" 2>/dev/null || fail "second run failed"
diff -r "$work/out" "$work/again" >/dev/null || fail "a second run wrote different bytes"

if grep -rl '<script>alert' "$work/out" >/dev/null; then fail "a page holds the school's name as markup"; fi
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons&#39; &quot;School&quot;' "$work/out/index.html" ||
  fail "index.html does not show the school's name as text"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$work/out/schools/999001.html" ||
  fail "the profile sheet does not show the school's name as text"
if grep -rEl '(src|href)="https?:' "$work/out" >/dev/null; then fail "a page fetches from the network"; fi

# A template in the policy folder replaces the built-in letter, and still escapes the data.
cp -r policies/peterborough "$work/policy"
printf '<p class="custom">Dear {{addressed_to}}: {{school_name}} ({{#grounds}}{{id}} {{/grounds}}due {{due}})</p>\n' \
  >"$work/policy/letter_of_concern.mustache"
"$catengine" report "$work/policy" --data "$data" --as-of 2018-09-17 --out "$work/custom" 2>/dev/null ||
  fail "report with a template failed"
grep -q '<p class="custom">Dear the headteacher and the chair of governors: &lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; Sons&#39; &quot;School&quot; (due 2018-10-15)</p>' \
  "$work/custom/notices/999001-letter_of_concern.html" || fail "the policy folder's template was not used as expected"
grep -q 'Dear the chair of governors' "$work/custom/notices/110612-warning_notice.html" ||
  fail "a notice without a template of its own lost the built-in letter"

# A failing run (a data error) leaves the old folder as it was, and nothing beside it.
printf 'urn,name\n1,x\n' >"$work/bad.csv"
"$catengine" report policies/peterborough --data "$work/bad.csv" --as-of 2018-09-17 \
  --out "$work/again" 2>/dev/null && fail "a bad data file was accepted"
diff -r "$work/out" "$work/again" >/dev/null || fail "a failed run changed --out"
"$catengine" report policies/peterborough --data "$work/bad.csv" --as-of 2018-09-17 \
  --out "$work/new" 2>/dev/null
[ ! -e "$work/new" ] || fail "a failed run created --out"
# A folder of someone's own files is never replaced.
mkdir -p "$work/mine" && echo keep >"$work/mine/notes.txt"
"$catengine" report policies/peterborough --data "$data" --as-of 2018-09-17 --out "$work/mine" \
  2>/dev/null && fail "a folder the report did not write was replaced"
[ "$(cat "$work/mine/notes.txt")" = keep ] || fail "a folder the report did not write was changed"
leftovers=$(find "$work" -maxdepth 1 -name '.*tmp-*' -o -maxdepth 1 -name '.*old-*')
[ -z "$leftovers" ] || fail "left behind: $leftovers"
echo "report pages: as expected"
