#!/usr/bin/env node
// Checks language-configuration.json as VS Code reads it (its patterns are JavaScript regular
// expressions): `#` comments, brackets and quotes that close, a word pattern that takes names,
// numbers and dates whole, and a new line indented after the lines of a policy that open a block
// in the canonical layout (`catengine fmt`), and only after those.
'use strict';
const fs = require('fs');
const path = require('path');

const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'language-configuration.json'), 'utf8'));
const problems = [];
const expect = (ok, what) => { if (!ok) problems.push(what); };

expect(config.comments.lineComment === '#', 'the line comment is not `#`');
const pairs = (list) => list.map((p) => (Array.isArray(p) ? p.join('') : p.open + p.close));
for (const pair of ['()', '[]']) {
  expect(pairs(config.brackets).includes(pair), `${pair} is not a bracket pair`);
  expect(pairs(config.autoClosingPairs).includes(pair), `${pair} does not close itself`);
}
expect(pairs(config.autoClosingPairs).includes('""'), 'a quote does not close itself');
expect(!pairs(config.autoClosingPairs).includes("''"), "' closes itself, but it is an apostrophe in policies");

const word = new RegExp(`^(?:${config.wordPattern})$`);
for (const w of ['ks2_rwm_prev', '2018-09-17', '64.9', 'R10']) expect(word.test(w), `${w} is not one word`);
for (const w of ['a.b', 'x-y']) expect(!word.test(w), `${w} is taken as one word`);

const indent = new RegExp(config.indentationRules.increaseIndentPattern);
const opens = [
  'record School cite "Specification, section 1"',
  'source gias "Get Information About Schools"',
  '  rule R6 "Requires improvement, with a further cause for concern"',
  'decide category: Category by first match cite "Strategy 2013"',
  'define declining: boolean cite "Specification, section 2" =',
  'scale Category from best to worst cite "Strategy 2013":',
  'notice warning_notice "Formal warning notice"',
  '  escalation',
  '  ground a "Standards unacceptably low"',
  'policy "Peterborough school categorisation"',
  'warn expired_override "An adviser\'s override has expired"',
  'output',
];
const closed = [
  '  rule C1 "Not categorised before" when previous_category is missing then new',
  '  rule F4 "Other phases" otherwise not_assessed',
  'policy "Peterborough" cite "Strategy 2013"',
  'use stdlib.ofsted',
  'enumeration Phase cite "Specification": primary, secondary',
  'define below_floor: boolean = floor is below',
  '    when ofsted_overall is 4',
  '  field urn: integer, key',
  '  ground a "Standards unacceptably low" when below_floor',
];
for (const line of opens) expect(indent.test(line), `no indent after: ${line}`);
for (const line of closed) expect(!indent.test(line), `an indent after: ${line}`);
new RegExp(config.indentationRules.decreaseIndentPattern); // throws when VS Code could not read it

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`ok: comments, ${config.brackets.length} bracket pairs, words, indentation after ${opens.length} kinds of line`);
