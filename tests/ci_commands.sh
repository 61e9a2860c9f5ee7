#!/usr/bin/env bash
# Runs, from the repository root, the catengine commands of the GitHub Actions workflow that
# docs/ci.md documents, so a change that would break a user's CI breaks this test first.
# Keep in step with docs/ci.md: the same commands, in the same order, with the same arguments.
#
# Usage: tests/ci_commands.sh path/to/catengine   (run from the repository root)
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 path/to/catengine" >&2
  exit 2
fi
catengine=$1
if [ ! -x "$catengine" ]; then
  echo "error: \`$catengine\` is not an executable catengine" >&2
  exit 2
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0

# Runs one command; a non-zero exit fails the test, with the command and its status named.
step() {
  local name=$1
  shift
  echo "== $name: $*"
  "$@"
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $name: exit $status, expected 0" >&2
    failures=$((failures + 1))
  fi
}

# Like step, with standard output sent to a file, as the workflow does with `>`.
step_to() {
  local name=$1 out=$2
  shift 2
  echo "== $name: $* > $out"
  "$@" >"$out"
  local status=$?
  if [ "$status" -ne 0 ]; then
    echo "FAIL $name: exit $status, expected 0" >&2
    failures=$((failures + 1))
  fi
}

# docs/ci.md, GitHub Actions steps "Check", "Format", "Test" and "Test Gloucestershire".
step check "$catengine" check policies
step format "$catengine" fmt --check policies stdlib
step_to test "$scratch/test-report.xml" \
  "$catengine" test policies/peterborough --coverage-threshold 100 --format junit
step_to test-gloucestershire "$scratch/test-report-gloucestershire.xml" \
  "$catengine" test policies/gloucestershire --coverage-threshold 100 --format junit

# docs/ci.md, step "Which schools move": the old version comes from git. CI fetches `main`; a
# checkout without a `main` branch compares with HEAD instead.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if git rev-parse --verify --quiet main >/dev/null; then
    revision=main
  else
    revision=HEAD
  fi
  step_to diff "$scratch/diff.md" \
    "$catengine" diff "$revision:policies/peterborough" policies/peterborough \
    --data examples/peterborough/schools.csv --format markdown
else
  echo "== diff: skipped, $(pwd) is not a git repository"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures of the workflow's commands failed" >&2
  exit 1
fi
echo "every command of the workflow succeeded"
