#!/usr/bin/env bash
# Same inputs, same bytes out: evaluates generated national-size data (50,000 Peterborough
# records, in blocks of 4,096 per thread) with 1, 2, 3 and 8 threads, twice each; JSON and the
# table on 5,000 of them; and the Gloucestershire example. Every result must be byte-identical.
#
# Usage: tests/determinism.sh path/to/catengine path/to/generate_peterborough
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

"$generate" --count 50000 --seed 7 > "$scratch/schools.csv" || exit 2

# Runs one evaluation into $scratch/$1 and compares it with the first run of its kind.
check() {
  local name=$1 reference=$2
  shift 2
  if ! "$@" > "$scratch/$name" 2> "$scratch/$name.err"; then
    echo "FAIL: $* exited non-zero:"
    cat "$scratch/$name.err"
    failures=$((failures + 1))
    return
  fi
  if [ "$name" != "$reference" ] && ! cmp -s "$scratch/$reference" "$scratch/$name"; then
    echo "FAIL: $name differs from $reference:"
    cmp "$scratch/$reference" "$scratch/$name" | head -1
    failures=$((failures + 1))
  fi
}

for threads in 1 2 3 8; do
  for run in 1 2; do
    check "p-csv-$threads-$run" "p-csv-1-1" \
      "$catengine" evaluate policies/peterborough --data "$scratch/schools.csv" \
      --as-of 2018-09-17 --format csv --threads "$threads"
  done
done
# JSON (with every record's trace) and the table are larger per record: a smaller file.
head -5001 "$scratch/schools.csv" > "$scratch/some.csv"
for format in json table; do
  for threads in 1 2 7; do
    check "p-$format-$threads" "p-$format-1" \
      "$catengine" evaluate policies/peterborough --data "$scratch/some.csv" \
      --as-of 2018-09-17 --format "$format" --threads "$threads"
  done
done
for threads in 1 2 8; do
  check "g-$threads" "g-1" "$catengine" evaluate policies/gloucestershire \
    --data examples/gloucestershire/schools.csv --as-of 2018-11-23 --format csv --threads "$threads"
done
# The whole file must really have been evaluated: one line per record and the header.
lines=$(wc -l < "$scratch/p-csv-1-1")
if [ "$lines" -ne 50001 ]; then
  echo "FAIL: expected 50001 lines of CSV, found $lines"
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures determinism check(s) failed"
  exit 1
fi
echo "all outputs byte-identical across runs and thread counts"
