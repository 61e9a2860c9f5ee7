#!/usr/bin/env bash
# A killed save never damages the history store, nor leaves half a run in it. Saves one run of
# all of England (the report-card policy on generated national files) into a store, then, 20
# times in a row, starts saving the same as-of date again (which replaces that run) and kills the
# process with SIGKILL at a random moment, most of them while it is saving. After each kill the
# store must pass SQLite's integrity check, open in catengine, and hold exactly the old run (one
# run, current) or exactly the new one (the old kept in the audit trail), each with every school.
#
# Usage: tests/kill_mid_save.sh path/to/catengine path/to/generate_report_cards
#        (run from the repository root)
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 path/to/catengine path/to/generate_report_cards" >&2
  exit 2
fi
catengine=$1
generate=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$generate" --national --out "$scratch/data" > /dev/null || exit 2
# All of England: the policy without its one-LA row test.
mkdir -p "$scratch/policy"
sed 's/ and "LA (code)" is 874//' policies/report-cards/report-cards.policy \
  > "$scratch/policy/report-cards.policy"
data=()
for s in gias ofsted ks2 la overrides; do data+=(--data "$s=$scratch/data/$s.csv"); done
store=$scratch/h.sqlite

run() {  # run SAVED_AT [--save]: one evaluation of 2026-01-05, in the background
  CATENGINE_NOW=$1 "$catengine" evaluate "$scratch/policy" "${data[@]}" --as-of 2026-01-05 \
    --format csv --out "$scratch/out.csv" --threads 1 "${@:2}" 2> "$scratch/err" &
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The old run, and how long a run takes without and with saving: kills land between the two.
run 2026-01-05T09:00:00Z --history "$store" --save
wait $! || { echo "FAIL: the first save failed:"; cat "$scratch/err"; exit 1; }
cp "$store" "$scratch/old.sqlite"
start=$(now_ms); run 2026-01-06T09:00:00Z; wait $!; plain=$(($(now_ms) - start))
start=$(now_ms); run 2026-01-06T09:00:00Z --history "$scratch/timing.sqlite" --save; wait $!
full=$(($(now_ms) - start))
records=$(python3 -c "import sqlite3; print(sqlite3.connect('$store').execute('SELECT record_count FROM runs').fetchone()[0])")
echo "a run takes ${plain} ms, ${full} ms with --save; $records schools a run"

failures=0 old=0 new=0 mid_save=0 attempt=0
# At least 20 kills; on a loaded machine (CI runs tests two at a time) the timing window may be
# missed, so go on, up to 60, until one kill has landed while a save was under way.
while [ "$attempt" -lt 20 ] || { [ "$mid_save" -eq 0 ] && [ "$attempt" -lt 60 ]; }; do
  attempt=$((attempt + 1))
  rm -f "$store" "$store-wal" "$store-shm"
  cp "$scratch/old.sqlite" "$store"
  # From a little before the save begins to a little after a complete run would have ended.
  low=$((plain * 9 / 10)) high=$((full * 11 / 10))
  delay=$((low + RANDOM % (high - low + 1)))
  run 2026-01-06T09:00:00Z --history "$store" --save
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  # A write-ahead log with frames in it: the process died with a save begun or just committed.
  [ -s "$store-wal" ] && wal=1 || wal=0
  verdict=$(python3 - "$store" "$records" <<'PY'
import sqlite3, sys
path, records = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
if db.execute('PRAGMA integrity_check').fetchone()[0] != 'ok':
    print('integrity check failed'); sys.exit()
runs = db.execute('SELECT id, saved_at, replaced_at, record_count FROM runs ORDER BY id').fetchall()
current = [r for r in runs if r[2] is None]
rows = {r[0]: db.execute('SELECT count(*) FROM run_rows WHERE run = ?', (r[0],)).fetchone()[0]
        for r in runs}
if any(rows[r[0]] != records or r[3] != records for r in runs):
    print('a run without all its schools'); sys.exit()
if len(runs) == 1 and current and current[0][1] == '2026-01-05T09:00:00Z':
    print('old')
elif (len(runs) == 2 and len(current) == 1 and current[0][1] == '2026-01-06T09:00:00Z'
      and runs[0][2] == '2026-01-06T09:00:00Z'):
    print('new')
else:
    print('neither the old run nor the new one: %r' % runs)
PY
)
  if ! "$catengine" history "$store" > /dev/null 2> "$scratch/history-err"; then
    verdict="catengine history failed: $(cat "$scratch/history-err")"
  fi
  case $verdict in
    old) old=$((old + 1)); [ "$wal" = 1 ] && mid_save=$((mid_save + 1)) ;;
    new) new=$((new + 1)) ;;
    *) echo "FAIL: attempt $attempt (killed after ${delay} ms): $verdict"; failures=$((failures + 1)) ;;
  esac
done

echo "$attempt kills: $old left the old run ($mid_save of them with a save under way), $new the new one"
if [ "$failures" -ne 0 ]; then
  echo "$failures attempt(s) failed"
  exit 1
fi
# A test whose kills all missed the save would prove little; say so rather than pass quietly.
if [ "$mid_save" -eq 0 ]; then
  echo "FAIL: no kill landed while a save was under way; the test did not exercise the save"
  exit 1
fi
echo "the store always held exactly the old run or the new one, and passed its integrity check"
