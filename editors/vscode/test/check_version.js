#!/usr/bin/env node
// The extension's version is catengine's (project VERSION in the top CMakeLists.txt, which
// base/version.cpp is compiled from), so a .vsix names the server it was built with. Fails when
// package.json or package-lock.json says otherwise.
// Usage: node test/check_version.js [REPOSITORY_ROOT]
'use strict';
const fs = require('fs');
const path = require('path');

const here = path.join(__dirname, '..');
const root = path.resolve(process.argv[2] || path.join(here, '..', '..'));
const cmake = fs.readFileSync(path.join(root, 'CMakeLists.txt'), 'utf8');
const m = cmake.match(/^project\(catengine\s+VERSION\s+([0-9.]+)/m);
if (!m) {
  console.error('no `project(catengine VERSION x.y.z` line in CMakeLists.txt');
  process.exit(1);
}
const want = m[1];
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
const found = { 'package.json': pkg.version, 'package-lock.json': lock.version,
  'package-lock.json (packages[""])': lock.packages[''].version };
const wrong = Object.entries(found).filter(([, v]) => v !== want);
if (wrong.length) {
  for (const [file, v] of wrong) console.error(`${file} has version ${v}, catengine is ${want}`);
  console.error(`run: (cd editors/vscode && npm version --no-git-tag-version ${want})`);
  process.exit(1);
}
console.log(`ok: the extension's version is catengine's, ${want}`);
