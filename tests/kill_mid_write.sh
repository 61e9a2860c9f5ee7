#!/usr/bin/env bash
# A killed run never leaves a truncated results file. Starts `catengine evaluate --out` on a
# large generated file over an existing results file, waits until the output is being written
# (its temporary file has bytes in it), kills the process with SIGKILL, and checks the invariant:
# the results file is either exactly its old contents or exactly the complete new result (the
# kill can land after the rename), and new results always sit beside the provenance sidecar that
# names their SHA-256. A run left alone must leave the complete new file. Repeated, so the kill
# lands at different points of the write.
# (A file system on which rename is not atomic is beyond any program; this checks catengine's
# part: it never writes into the target itself.)
#
# Usage: tests/kill_mid_write.sh path/to/catengine path/to/generate_peterborough
#        (run from the repository root)
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 path/to/catengine path/to/generate_peterborough" >&2
  exit 2
fi
catengine=$1
generate=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
mid_write=0

"$generate" --count 200000 --seed 3 > "$scratch/schools.csv" || exit 2
out="$scratch/out/results.csv"
mkdir -p "$scratch/out"

# The complete result first: what an unkilled run must leave, and how big it is.
if ! "$catengine" evaluate policies/peterborough --data "$scratch/schools.csv" \
  --as-of 2018-09-17 --format csv --out "$scratch/complete.csv" 2> "$scratch/err"; then
  echo "FAIL: the complete run failed:"
  cat "$scratch/err"
  exit 1
fi
full=$(stat -c %s "$scratch/complete.csv")
complete_sha256=$(sha256sum "$scratch/complete.csv" | cut -d' ' -f1)
printf 'urn,category\n100000,2\n' > "$scratch/old.csv"

for attempt in $(seq 1 10); do
  cp "$scratch/old.csv" "$out"
  "$catengine" evaluate policies/peterborough --data "$scratch/schools.csv" --as-of 2018-09-17 \
    --format csv --out "$out" 2> "$scratch/err" &
  pid=$!
  # Kill once the temporary file holds attempt/11 of the result, so the kill lands early,
  # midway and late in the write.
  threshold=$((full * attempt / 11))
  killed=0
  for _ in $(seq 1 20000); do
    if ! kill -0 "$pid" 2> /dev/null; then break; fi
    size=$(find "$scratch/out" -name '.results.csv.tmp-*' -printf '%s\n' 2> /dev/null | head -1)
    if [ -n "$size" ] && [ "$size" -ge "$threshold" ]; then
      kill -9 "$pid" 2> /dev/null && killed=1
      break
    fi
    sleep 0.002
  done
  wait "$pid" 2> /dev/null
  if cmp -s "$out" "$scratch/complete.csv"; then
    # The new results: the sidecar beside them must describe exactly these bytes.
    if ! grep -q "\"sha256\": \"$complete_sha256\"" "$out.provenance.json" 2> /dev/null; then
      echo "FAIL: attempt $attempt: new results.csv without a sidecar naming its SHA-256"
      failures=$((failures + 1))
    fi
  elif [ "$killed" -eq 0 ]; then
    # The run finished before the kill: then the file must be the whole new result.
    echo "FAIL: attempt $attempt: the run finished but results.csv is not the complete result"
    failures=$((failures + 1))
  elif ! cmp -s "$out" "$scratch/old.csv"; then
    echo "FAIL: attempt $attempt: killed, and results.csv is neither its old contents nor the complete new result"
    failures=$((failures + 1))
  fi
  [ "$killed" -eq 1 ] && mid_write=$((mid_write + 1))
  rm -f "$out.provenance.json"
  # What a SIGKILL leaves behind is only ever the hidden temporary file, never the target.
  find "$scratch/out" -name '.results.csv*.tmp-*' -delete
done

lines=$(wc -l < "$scratch/complete.csv")
if [ "$lines" -ne 200001 ]; then
  echo "FAIL: the complete run wrote $lines lines, expected 200001"
  failures=$((failures + 1))
fi

# A test that never caught a run mid-write would prove nothing.
if [ "$mid_write" -lt 3 ]; then
  echo "FAIL: only $mid_write of 10 runs were killed while writing; the test did not exercise the write"
  failures=$((failures + 1))
fi
if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "$mid_write runs killed mid-write; results.csv was always its old or its complete new contents"
