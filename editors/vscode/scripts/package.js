#!/usr/bin/env node
// Packages the extension with vsce into the .vsix named on the command line, then checks what the
// .vsix holds (`unzip -Z1`): the manifest at catengine's version, the client, the grammar, the
// language configuration, the README, every production dependency of package-lock.json (vsce
// bundles them; the client cannot start without them) and nothing of the tests or dev tools.
// Usage: node scripts/package.js OUT.vsix      (run by `make editor` and the editor/vsix test)
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const here = path.join(__dirname, '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/package.js OUT.vsix');
  process.exit(2);
}
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));

// catengine states no licence (there is no LICENSE file at the repository root), so the package
// carries none; nor a repository URL, which it has none of.
// Relative links in README.md would need a repository URL to resolve: vsce refuses them.
try {
  execFileSync(process.execPath, [path.join(here, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package',
    '--out', path.resolve(out), '--skip-license', '--allow-missing-repository'],
  { cwd: here, stdio: ['ignore', 'inherit', 'inherit'] });
} catch (error) {
  console.error(`vsce package failed (exit ${error.status}): see its message above`);
  process.exit(1);
}

const entries = execFileSync('unzip', ['-Z1', path.resolve(out)], { encoding: 'utf8' }).split('\n').filter(Boolean);
const has = new Set(entries);
const problems = [];
const want = ['extension/package.json', 'extension/extension.js', 'extension/language-configuration.json',
  'extension/syntaxes/catengine-policy.tmLanguage.json', 'extension/readme.md', '[Content_Types].xml',
  'extension.vsixmanifest', 'extension/node_modules/vscode-languageclient/lib/node/main.js'];
for (const e of want) {
  if (!has.has(e) && !has.has(e.replace('readme.md', 'README.md'))) problems.push(`missing ${e}`);
}
const production = Object.entries(lock.packages).filter(([p, info]) => p.startsWith('node_modules/') && !info.dev);
for (const [p] of production) {
  if (!has.has(`extension/${p}/package.json`)) problems.push(`missing the production dependency ${p}`);
}
for (const e of entries) {
  if (/^extension\/(test|scripts)\//.test(e)) problems.push(`holds a test or build file: ${e}`);
  const m = e.match(/^extension\/((?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  if (m && lock.packages[m[1]]?.dev) problems.push(`holds the dev dependency ${m[1]}`);
}
const read = (entry) => execFileSync('unzip', ['-p', path.resolve(out), entry], { encoding: 'utf8' });
const inVsix = (file) => has.has(`extension/${path.posix.normalize(file).replace(/^\.\//, '')}`);
const manifest = JSON.parse(read('extension/package.json'));
if (manifest.version !== pkg.version) problems.push(`the packaged manifest says version ${manifest.version}`);

// What VS Code reads from the manifest is in the package: the client, each language's
// configuration, each grammar (valid JSON, under the scope name the manifest gives it).
if (!inVsix(manifest.main)) problems.push(`the manifest's main, ${manifest.main}, is not in the package`);
for (const language of manifest.contributes.languages) {
  if (!inVsix(language.configuration)) problems.push(`${language.configuration} is not in the package`);
}
for (const grammar of manifest.contributes.grammars) {
  if (!inVsix(grammar.path)) {
    problems.push(`${grammar.path} is not in the package`);
    continue;
  }
  const scope = JSON.parse(read(`extension/${path.posix.normalize(grammar.path)}`)).scopeName;
  if (scope !== grammar.scopeName) problems.push(`${grammar.path} has scope ${scope}, the manifest says ${grammar.scopeName}`);
}
if (!manifest.activationEvents.includes('onLanguage:catengine-policy')) problems.push('the extension does not start on .policy files');

// Every module the client requires, other than VS Code's and Node's own, resolves inside the
// package: the package's folder, and the file its `exports` map gives the subpath.
const builtin = new Set(require('module').builtinModules);
const client = read(`extension/${path.posix.normalize(manifest.main)}`);
for (const [, spec] of client.matchAll(/require\(\s*'([^']+)'\s*\)/g)) {
  if (spec === 'vscode' || builtin.has(spec)) continue;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const sub = '.' + spec.slice(name.length);
  if (!inVsix(`node_modules/${name}/package.json`)) {
    problems.push(`the client requires ${spec}, and ${name} is not in the package`);
    continue;
  }
  const info = JSON.parse(read(`extension/node_modules/${name}/package.json`));
  // With an `exports` map, Node resolves through it alone; without, as a file or a folder.
  const exported = info.exports?.[sub];
  const candidates = info.exports
    ? [exported?.node || exported?.require || exported?.default || exported]
    : sub === '.'
      ? [info.main || 'index.js', `${info.main}.js`, `${info.main}/index.js`]
      : [sub, `${sub}.js`, `${sub}/index.js`];
  if (!candidates.some((c) => typeof c === 'string' && inVsix(`node_modules/${name}/${c}`))) {
    problems.push(`the client requires ${spec}, which does not resolve to a file in the package`);
  }
}
if (problems.length) {
  console.error(`${out}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const kb = Math.round(fs.statSync(out).size / 1024);
console.log(`ok: ${out} (${kb} KiB, ${entries.length} files, ${production.length} production packages)`);
