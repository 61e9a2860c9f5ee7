#!/usr/bin/env bash
# Runs one golden test of the command line and compares its output exactly.
#   run_golden.sh CATENGINE CASE_DIR
# CASE_DIR/cmd holds the arguments (one line, shell words; paths relative to the repository
# root). Expected: CASE_DIR/stdout, CASE_DIR/stderr, CASE_DIR/status. With UPDATE_GOLDEN=1 the
# expected files are rewritten from this run instead. CASE_DIR/stdout_from may name a file
# (relative to the repository root) to use as the expected stdout, such as a policy's
# hand-worked expected results, which are never rewritten. CASE_DIR/env, if present, holds
# NAME=VALUE lines set in catengine's environment for this case only.
set -u
catengine=$1
case_dir=$2
args=$(cat "$case_dir/cmd")
actual=$(mktemp -d)
trap 'rm -rf "$actual"' EXIT
( if [ -f "$case_dir/env" ]; then set -a; . "$case_dir/env"; set +a; fi
  eval "exec \"\$catengine\" $args" ) >"$actual/stdout" 2>"$actual/stderr" </dev/null
echo $? >"$actual/status"
expected_stdout="$case_dir/stdout"
[ -f "$case_dir/stdout_from" ] && expected_stdout=$(cat "$case_dir/stdout_from")
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$actual/stderr" "$actual/status" "$case_dir/"
  [ -f "$case_dir/stdout_from" ] || cp "$actual/stdout" "$case_dir/"
  echo "updated $case_dir"
  exit 0
fi
failed=0
for f in status stdout stderr; do
  expected="$case_dir/$f"
  [ "$f" = stdout ] && expected=$expected_stdout
  if ! diff -u --label "expected $f" --label "actual $f" "$expected" "$actual/$f"; then
    failed=1
  fi
done
exit $failed
