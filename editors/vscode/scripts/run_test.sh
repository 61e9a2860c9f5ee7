#!/bin/sh
# Runs one test of the VS Code extension for ctest (editors/vscode/CMakeLists.txt):
#   setup      installs the pinned npm packages into node_modules with `npm ci`, once (no
#              install scripts: none is needed to test or package)
#   version    package.json's version is catengine's
#   language   language-configuration.json: comments, brackets, words, indentation
#   generated  the grammar's JSON is what syntaxes/generate.js writes
#   keywords   the grammar colours every word of the language (test/check_keywords.js)
#   cases      the hand-written assertions in test/cases (vscode-tmgrammar-test)
#   snapshots  the shipped policies against test/snapshots (vscode-tmgrammar-snap)
#   vsix       packages the extension with vsce into a scratch folder and checks what it holds
# Exits 77, which ctest reports as skipped, when node or npm is not installed.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

skip() { echo "SKIPPED: $*"; exit 77; }
command -v node >/dev/null 2>&1 || skip "node is not installed (the editor tests need Node.js 20 and npm)"

# node_modules is current when npm's record of what it installed there has every package of the
# lock file at the lock file's version (compared by content: a checkout changes the times). An
# optional package may be absent: those of other systems, and keytar, which vsce uses only to
# publish and which npm leaves out when it may not build it.
current() {
  node -e '
    const fs = require("fs");
    const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
    const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
    const stale = Object.keys(want).filter((p) => p && (have[p] ? have[p].version !== want[p].version : !want[p].optional));
    process.exit(stale.length ? 1 : 0);' 2>/dev/null
}
need_modules() {
  current && return 0
  command -v npm >/dev/null 2>&1 || skip "npm is not installed, and editors/vscode/node_modules is missing or out of date"
  echo "editors/vscode/node_modules is missing or does not match package-lock.json: the editor/npm_ci test installs it" >&2
  exit 1
}

case "${1:-}" in
  setup)
    if current; then echo "node_modules matches package-lock.json"; exit 0; fi
    command -v npm >/dev/null 2>&1 || skip "npm is not installed"
    npm ci --no-audit --no-fund --ignore-scripts
    ;;
  version) exec node test/check_version.js "$root" ;;
  language) exec node test/check_language_configuration.js ;;
  generated) exec node syntaxes/generate.js --check ;;
  keywords) need_modules; exec node test/check_keywords.js "$root" ;;
  cases)
    need_modules
    exec node node_modules/vscode-tmgrammar-test/dist/unit.js --compact \
      -g syntaxes/catengine-policy.tmLanguage.json 'test/cases/*.policy'
    ;;
  snapshots) need_modules; exec node test/snapshots.js "$root" ;;
  vsix)
    need_modules
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
    node scripts/package.js "$out/catengine-policy.vsix"
    ;;
  *) echo "usage: $0 setup|version|language|generated|keywords|cases|snapshots|vsix" >&2; exit 2 ;;
esac
