// Loads the shipped TextMate grammar with vscode-textmate and vscode-oniguruma, the two libraries
// VS Code itself colours with (they come with vscode-tmgrammar-test), so the checks here see the
// scopes an editor would.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', 'syntaxes', 'catengine-policy.tmLanguage.json');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR),
  });
  return registry.loadGrammar('source.catengine-policy');
}

// Every token of `text` as {line, text, scopes}, the grammar's state carried from line to line.
function tokenize(grammar, text) {
  const out = [];
  let state = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((line, number) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    for (const t of r.tokens) {
      out.push({ line: number + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
  });
  return out;
}

module.exports = { GRAMMAR, loadGrammar, tokenize };
