#!/usr/bin/env node
// Fails when the TextMate grammar has fallen behind the language: the words are read from the
// C++ sources that define them, so a word added there and not here is caught.
//   - every reserved word (kReservedWords, lang/syntax/scanner.hpp) is coloured as a keyword
//     wherever it stands, and the grammar colours no other word as reserved;
//   - every other word of the grammar (TAO_PEGTL_KEYWORD in lang/syntax/grammar.hpp), which is a
//     keyword only where the grammar expects it, is coloured as a keyword somewhere in the shipped
//     policies or the hand-written cases (test/cases), so each construct has a colour and a test;
//   - the built-in functions are exactly the rows of lang/check/builtins.def.
// Usage: node test/check_keywords.js [REPOSITORY_ROOT]   (default: two folders up)
'use strict';
const fs = require('fs');
const path = require('path');
const { loadGrammar, tokenize } = require('./tokenize');
const generator = require('../syntaxes/generate');

const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..', '..'));
const read = (p) => fs.readFileSync(path.join(root, p), 'utf8');
const problems = [];

// The words of a C++ initialiser `name = { "a", "b", ... };`.
function cppList(text, name) {
  const m = text.match(new RegExp(name + '\\s*=\\s*\\{([^}]*)\\}'));
  if (!m) throw new Error(`no ${name} found`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

const reserved = cppList(read('lang/syntax/scanner.hpp'), 'kReservedWords');
const grammarWords = [...new Set([...read('lang/syntax/grammar.hpp')
  .matchAll(/TAO_PEGTL_KEYWORD\("([a-z_]+)"\)/g)].map((m) => m[1]))];
const builtins = [...read('lang/check/builtins.def').matchAll(/^BUILTIN\(\w+,\s*"([a-z_]+)"/gm)]
  .map((m) => m[1]);
if (reserved.length < 30 || grammarWords.length < 60 || builtins.length < 20) {
  throw new Error('the word lists read from the C++ sources look wrong: has their form changed?');
}

const isKeyword = (scopes) => scopes.some((s) =>
  /^(keyword|storage\.type|constant\.language)\./.test(s));
// `academic year` is a type name, coloured as one.
const isKeywordOrType = (scopes) => isKeyword(scopes) ||
  scopes.some((s) => s.startsWith('support.type.primitive.'));
const last = (scopes) => scopes[scopes.length - 1];

(async () => {
  const grammar = await loadGrammar();

  // 1. Reserved words: alone on a line, inside an expression, and in a rule's condition.
  for (const word of reserved) {
    const contexts = [word, `define x = a ${word} b`, `decide d: T by first match\n  rule R1 "t"\n    when a ${word} b then c`];
    for (const text of contexts) {
      const t = tokenize(grammar, text).filter((x) => x.text === word);
      if (t.length === 0 || !t.every((x) => isKeyword(x.scopes))) {
        problems.push(`reserved word \`${word}\` is not coloured as a keyword in: ${JSON.stringify(text)}` +
          (t.length ? ` (got ${last(t[0].scopes)})` : ''));
      }
    }
  }
  // ... and nothing else is treated as reserved (a name like `worst` must stay a name).
  const grammarReserved = generator.RESERVED;
  for (const w of grammarReserved) {
    if (!reserved.includes(w)) problems.push(`the grammar colours \`${w}\` as reserved, but scanner.hpp does not reserve it`);
  }
  for (const w of reserved) {
    if (!grammarReserved.includes(w)) problems.push(`repository.reserved has no pattern for \`${w}\``);
  }
  // A non-reserved word of the grammar is an ordinary name in an expression.
  for (const w of grammarWords.filter((x) => !reserved.includes(x) && !builtins.includes(x))) {
    const t = tokenize(grammar, `define x = a + ${w} + b`).find((x) => x.text === w);
    if (!t || isKeyword(t.scopes)) problems.push(`\`${w}\` is free as a name, but is coloured as a keyword in an expression`);
  }

  // 2. Words of the grammar: coloured as keywords somewhere in the policies and the cases.
  const corpus = [];
  for (const dir of fs.readdirSync(path.join(root, 'policies'))) {
    const d = path.join(root, 'policies', dir);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith('.policy')) corpus.push(path.join(d, f));
  }
  for (const f of fs.readdirSync(path.join(root, 'stdlib'))) if (f.endsWith('.policy')) corpus.push(path.join(root, 'stdlib', f));
  const cases = path.join(__dirname, 'cases');
  for (const f of fs.readdirSync(cases)) if (f.endsWith('.policy')) corpus.push(path.join(cases, f));
  const seen = new Set();
  for (const f of corpus) {
    for (const t of tokenize(grammar, fs.readFileSync(f, 'utf8'))) {
      if (isKeywordOrType(t.scopes)) for (const w of t.text.split(/\s+/)) seen.add(w);
    }
  }
  for (const w of grammarWords) {
    if (!seen.has(w)) problems.push(`\`${w}\` (lang/syntax/grammar.hpp) is never coloured as a keyword in the policies or test/cases`);
  }

  // 3. Built-in functions, called both ways.
  const grammarBuiltins = generator.BUILTINS;
  for (const b of builtins) {
    if (!grammarBuiltins.includes(b)) problems.push(`built-in \`${b}\` (lang/check/builtins.def) is not in the grammar`);
    for (const text of [`define x = ${b} of y`, `define x = ${b}(y, z)`]) {
      const t = tokenize(grammar, text).find((x) => x.text === b);
      if (!t || !t.scopes.some((s) => s.startsWith('support.function.builtin'))) {
        problems.push(`built-in \`${b}\` is not coloured as one in ${JSON.stringify(text)}`);
      }
    }
  }
  for (const b of grammarBuiltins) {
    if (!builtins.includes(b)) problems.push(`the grammar colours \`${b}\` as a built-in, but lang/check/builtins.def has no such row`);
  }

  if (problems.length) {
    console.error(problems.join('\n'));
    console.error(`${problems.length} problem(s): update syntaxes/generate.js, then run it`);
    process.exit(1);
  }
  console.log(`ok: ${reserved.length} reserved words, ${grammarWords.length} words of the grammar, ` +
    `${builtins.length} built-ins; ${corpus.length} files read`);
})().catch((e) => { console.error(e); process.exit(1); });
