#!/usr/bin/env bash
# Builds the example history store the `history_*` golden cases read: the report-card policy
# run on its example files for three terms, the middle one saved twice (so one run is in the
# audit trail). Saved-at times come from CATENGINE_NOW, so the store, and what `catengine
# history` prints of it, is the same on every run.
#
# Usage: tests/history_example_store.sh path/to/catengine STORE   (run from the repository root)
set -eu
catengine=$1
store=$2
rm -f "$store" "$store-wal" "$store-shm"
data=()
for s in gias ofsted ks2 la overrides; do data+=(--data "$s=examples/report-cards/$s.csv"); done
save() {
  CATENGINE_NOW=$2 "$catengine" evaluate policies/report-cards "${data[@]}" --as-of "$1" \
    --history "$store" --save --format csv > /dev/null
}
save 2025-09-08 2025-09-08T09:00:00Z
save 2026-01-05 2026-01-05T09:00:00Z
save 2026-04-20 2026-04-20T09:00:00Z
save 2026-01-05 2026-01-06T14:30:00Z
