#!/usr/bin/env bash
# Output that cannot be written is never success, and --out never replaces what is not a file.
#   - every verb, and --help, with standard output on a full disk (/dev/full): a message naming
#     the reason and a non-zero status (74);
#   - a reader that goes away (a closed pipe) with SIGPIPE ignored: quiet, status 141;
#   - --out through a symbolic link replaces the file the link points to and keeps the link;
#     --out to a FIFO or to a link to /dev/null writes straight into it and replaces nothing;
#     --out to a folder or a dangling link is refused;
#   - fmt on a symbolic link to a policy formats the policy and keeps the link.
# Usage: tests/output_safety.sh path/to/catengine   (run from the repository root)
set -u
catengine=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
data="--data examples/peterborough/schools.csv --as-of 2018-09-17"

# A full disk, verb by verb.
while IFS= read -r args; do
  eval "\"\$catengine\" $args" > /dev/full 2> "$scratch/err" < /dev/null
  status=$?
  if [ "$status" -ne 74 ] || ! grep -q "cannot write standard output: No space left on device" "$scratch/err"; then
    fail "catengine $args > /dev/full: status $status, stderr: $(cat "$scratch/err")"
  fi
done << ARGS
evaluate policies/peterborough $data --format csv
evaluate policies/peterborough $data --format table
evaluate policies/peterborough $data --format json
explain policies/peterborough $data --school 110612
explain policies/peterborough $data --school 110612 --format json
schedule policies/peterborough $data --from 2018-09-01 --to 2018-12-31
schedule policies/peterborough $data --from 2018-09-01 --to 2018-12-31 --format json
check policies/peterborough
test policies/peterborough
diff policies/peterborough policies/gloucestershire/../peterborough $data
fmt --check tests/golden/fmt_check_messy/messy.policy
--help
--version
ARGS

# A closed pipe, with SIGPIPE ignored as some CI runners and language runtimes leave it.
(
  trap '' PIPE
  "$catengine" evaluate policies/peterborough $data --format csv 2> "$scratch/err" | true
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 141 ] || [ -s "$scratch/err" ]; then
    echo "FAIL: a closed pipe: status $status (expected 141), stderr: $(cat "$scratch/err")"
    exit 1
  fi
) || failures=$((failures + 1))

# --out through a symbolic link: the real file is replaced, the link stays.
echo old > "$scratch/real.csv"
ln -s real.csv "$scratch/link.csv"
"$catengine" evaluate policies/peterborough $data --format csv --out "$scratch/link.csv" 2> "$scratch/err" ||
  fail "--out to a link: $(cat "$scratch/err")"
[ -L "$scratch/link.csv" ] || fail "--out replaced the symbolic link itself"
"$catengine" evaluate policies/peterborough $data --format csv > "$scratch/expected.csv"
cmp -s "$scratch/real.csv" "$scratch/expected.csv" || fail "--out to a link left the real file unchanged"

# --out to a stream: written straight into, nothing replaced, no sidecar.
ln -s /dev/null "$scratch/sink"
"$catengine" evaluate policies/peterborough $data --format csv --out "$scratch/sink" 2> "$scratch/err" ||
  fail "--out to a link to /dev/null: $(cat "$scratch/err")"
[ -L "$scratch/sink" ] && [ -c /dev/null ] || fail "--out replaced a link to /dev/null"
[ -e "$scratch/sink.provenance.json" ] && fail "--out to a stream wrote a provenance sidecar"
mkfifo "$scratch/fifo"
cat "$scratch/fifo" > "$scratch/from_fifo.csv" &
reader=$!
"$catengine" evaluate policies/peterborough $data --format csv --out "$scratch/fifo" 2> "$scratch/err" ||
  fail "--out to a FIFO: $(cat "$scratch/err")"
wait "$reader"
[ -p "$scratch/fifo" ] || fail "--out replaced the FIFO with a file"
cmp -s "$scratch/from_fifo.csv" "$scratch/expected.csv" || fail "--out to a FIFO: the reader did not get the results"

# Refused: a folder, a dangling link.
mkdir "$scratch/folder"
"$catengine" evaluate policies/peterborough $data --format csv --out "$scratch/folder" 2> "$scratch/err"
[ $? -eq 2 ] && grep -q "it is a folder, not a file" "$scratch/err" || fail "--out to a folder: $(cat "$scratch/err")"
ln -s nowhere "$scratch/dangling"
"$catengine" evaluate policies/peterborough $data --format csv --out "$scratch/dangling" 2> "$scratch/err"
[ $? -eq 2 ] && [ -L "$scratch/dangling" ] && [ ! -e "$scratch/nowhere" ] || fail "--out to a dangling link: $(cat "$scratch/err")"

# fmt on a symbolic link: the policy it points to is formatted, the link stays.
cp tests/golden/fmt_check_messy/messy.policy "$scratch/messy.policy"
ln -s messy.policy "$scratch/linked.policy"
"$catengine" fmt "$scratch/linked.policy" > /dev/null 2> "$scratch/err" || fail "fmt on a link: $(cat "$scratch/err")"
[ -L "$scratch/linked.policy" ] || fail "fmt replaced the symbolic link with a copy"
"$catengine" fmt --check "$scratch/messy.policy" > /dev/null 2>&1 || fail "fmt on a link left the real policy unformatted"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "output safety: every check passed"
