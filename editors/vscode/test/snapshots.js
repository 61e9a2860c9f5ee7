#!/usr/bin/env node
// Snapshot tests of the grammar over every shipped policy (policies/*/*.policy, stdlib/*.policy):
// vscode-tmgrammar-snap compares each file's scopes with test/snapshots/<name>.snap. The tool keeps
// a snapshot beside its source, so the policies are copied into a scratch folder with their
// snapshots, and the snapshots copied back when UPDATE_GOLDEN=1 (as for the golden tests).
// A shipped policy without a snapshot, or a snapshot without its policy, fails the test.
// Usage: node test/snapshots.js [REPOSITORY_ROOT]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const here = path.join(__dirname, '..');
const root = path.resolve(process.argv[2] || path.join(here, '..', '..'));
const snapshots = path.join(__dirname, 'snapshots');
const update = process.env.UPDATE_GOLDEN === '1';

// policies/peterborough/peterborough.policy -> peterborough.policy; stdlib/ofsted.policy ->
// stdlib.ofsted.policy (the name `use` gives it).
const sources = new Map();
for (const dir of fs.readdirSync(path.join(root, 'policies')).sort()) {
  const d = path.join(root, 'policies', dir);
  if (!fs.statSync(d).isDirectory()) continue;
  for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.policy')) sources.set(f, path.join(d, f));
}
for (const f of fs.readdirSync(path.join(root, 'stdlib')).sort()) {
  if (f.endsWith('.policy')) sources.set(`stdlib.${f}`, path.join(root, 'stdlib', f));
}

const problems = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'catengine-snap-'));
try {
  fs.mkdirSync(snapshots, { recursive: true });
  for (const [name, file] of sources) {
    fs.copyFileSync(file, path.join(scratch, name));
    const snap = path.join(snapshots, `${name}.snap`);
    if (fs.existsSync(snap)) fs.copyFileSync(snap, path.join(scratch, `${name}.snap`));
    else if (!update) problems.push(`${path.relative(root, file)} has no snapshot (run with UPDATE_GOLDEN=1 to make test/snapshots/${name}.snap)`);
  }
  for (const f of fs.readdirSync(snapshots)) {
    if (f.endsWith('.snap') && !sources.has(f.slice(0, -'.snap'.length))) {
      if (update) fs.unlinkSync(path.join(snapshots, f));
      else problems.push(`test/snapshots/${f} has no shipped policy any more: delete it`);
    }
  }
  const tool = require.resolve('vscode-tmgrammar-test/dist/snapshot.js');
  const args = [tool, '-g', path.join(here, 'syntaxes', 'catengine-policy.tmLanguage.json'),
    '--config', path.join(here, 'package.json'), '--expandDiff'];
  if (update) args.push('--updateSnapshot');
  // The tool takes a glob; the scratch folder holds nothing else.
  args.push(path.join(scratch, '*.policy').split(path.sep).join('/'));
  const run = spawnSync(process.execPath, args, { cwd: here, encoding: 'utf8' });
  process.stdout.write(run.stdout.split(scratch + path.sep).join('test/snapshots/'));
  process.stderr.write(run.stderr);
  if (run.status !== 0) problems.push(`vscode-tmgrammar-snap failed (exit ${run.status}): if the change is intended, re-run with UPDATE_GOLDEN=1 and review the diff`);
  if (update) {
    for (const name of sources.keys()) {
      fs.copyFileSync(path.join(scratch, `${name}.snap`), path.join(snapshots, `${name}.snap`));
    }
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`ok: ${sources.size} shipped policies match their snapshots${update ? ' (updated)' : ''}`);
