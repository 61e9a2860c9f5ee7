#!/bin/sh
# Runs the scripted Neovim session (tests/lsp/nvim_init.lua) on a copy of the Peterborough policy
# with one error (`floor is bellow`) and one badly laid out line, with a time limit.
# Usage: nvim_test.sh CATENGINE REPOSITORY_ROOT
set -eu
catengine=$(realpath "$1")
root=$(realpath "$2")
nvim=${NVIM:-/usr/bin/nvim}
[ -x "$nvim" ] || { echo "nvim_test: $nvim is not installed (Debian package neovim)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/policies/peterborough" "$work/peterborough"
policy="$work/peterborough/peterborough.policy"
# Positions are written against a frozen copy of the policy, so editing the shipped one moves none.
cp "$root/tests/lsp/peterborough.policy" "$policy"
sed -i -e '115s/floor is below/floor is bellow/' \
  -e '114s/^define below_floor: boolean cite/define   below_floor :boolean cite/' "$policy"
cd "$work"
HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_STATE_HOME="$work/state" \
  XDG_CACHE_HOME="$work/cache" CATENGINE="$catengine" CATENGINE_POLICY="$policy" \
  timeout 60 "$nvim" --headless -n -i NONE -u "$root/tests/lsp/nvim_init.lua"
