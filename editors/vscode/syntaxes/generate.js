#!/usr/bin/env node
// Writes catengine-policy.tmLanguage.json, the TextMate grammar of .policy files, from the word
// lists and patterns below: edit this file, not the JSON (the word lists and the patterns that
// must not match a reserved word as a name would otherwise be repeated by hand in many places).
//   node syntaxes/generate.js           rewrites the JSON
//   node syntaxes/generate.js --check   fails when the JSON is not what this file writes
// test/check_keywords.js checks the lists against the C++ sources of the language.
//
// TextMate grammars match one line at a time, and the language's layout is free; the patterns
// follow the canonical layout of `catengine fmt` (one item of a record, source, notice or cadence
// per line), and a word the grammar gives a meaning only in one place is coloured only there.
'use strict';
const fs = require('fs');
const path = require('path');

// ---- The words of the language (lang/syntax/scanner.hpp, grammar.hpp, lang/check/builtins.def)

// Reserved words, by the colour they get.
const DECLARATION = ['policy', 'use', 'enumeration', 'scale', 'record', 'source', 'parameter', 'define',
  'decide', 'output', 'calendar', 'notice', 'cadence', 'warn'];
const STORAGE = [...DECLARATION, 'field', 'column'];
const CONTROL = ['when', 'then', 'otherwise', 'if', 'else'];
const WORD_OPERATORS = ['and', 'or', 'not', 'in', 'is', 'missing', 'of', 'worse', 'better', 'than', 'at',
  'least', 'between'];
const RESERVED = [...STORAGE, ...CONTROL, ...WORD_OPERATORS, 'cite', 'yes', 'no'];
const BUILTINS = ['rule', 'end_year', 'start_year', 'year', 'worst', 'best', 'min', 'max', 'add_days',
  'add_weeks', 'add_months', 'add_working_days', 'first_working_day_on_or_after', 'date_of',
  'earliest_on_or_after', 'first_date_of', 'term_end', 'good_friday', 'grounds', 'ground_letters', 'due',
  'next_due', 'overdue', 'how_many', 'any', 'all'];
const PRIMITIVE_TYPES = ['integer', 'number', 'percent', 'boolean', 'text', 'date'];

// ---- Regular expression pieces

const S = 'catengine-policy';
const scope = (...names) => names.map((n) => `${n}.${S}`).join(' ');
const WS = '(?<![A-Za-z0-9_])'; // a word starts here
const WE = '(?![A-Za-z0-9_])'; // a word ends here
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const DATE = '\\d{4}-\\d{2}-\\d{2}';
const STRING_BODY = '((?:[^"\\\\]|\\\\.)*)';
// Longest first, so that no word is cut short by a shorter one it starts with.
const alt = (words) => `(?:${[...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|')})`;
const NAME = `(?!${alt(RESERVED)}${WE})(${IDENT})`; // a name: never a reserved word
const BEFORE_DECLARATION = `(?=^\\s*${alt(DECLARATION)}${WE})`;

function keywordScope(word) {
  if (STORAGE.includes(word)) return scope(`storage.type.${word}`);
  if (CONTROL.includes(word)) return scope(`keyword.control.${word}`);
  if (WORD_OPERATORS.includes(word)) return scope(`keyword.operator.wordlike.${word}`);
  if (word === 'yes' || word === 'no') return scope(`constant.language.boolean.${word}`);
  return scope(`keyword.other.${word}`);
}

// Words one after another (blanks between), each coloured as a keyword; by default at the start
// of a line, where the canonical layout puts an item.
function words(list, lead = '^\\s*') {
  const captures = {};
  list.forEach((w, i) => { captures[i + 1] = { name: keywordScope(w) }; });
  return { match: lead + list.map((w) => `(${w})`).join('\\s+') + WE, captures };
}

// A declaration keyword and the name it declares; `region` keeps the rest of the line (or up to
// `end`) inside it, for the type after `:` and the words that only mean something there.
function declaration(keyword, nameScope, region) {
  const head = `${WS}(${keyword})${WE}(?:\\s+${NAME})?`;
  const captures = { 1: { name: keywordScope(keyword) }, 2: { name: scope(nameScope) } };
  if (!region) return { match: head, captures };
  return { name: scope(`meta.declaration.${keyword}`), begin: head, beginCaptures: captures, ...region };
}

// ---- The grammar

const repository = {};

repository.comment = {
  match: '(#).*$',
  name: scope('comment.line.number-sign'),
  captures: { 1: { name: scope('punctuation.definition.comment') } },
};
repository['string-escape'] = {
  patterns: [
    { match: '\\\\["\\\\]', name: scope('constant.character.escape') },
    { match: '\\\\.?', name: scope('invalid.illegal.escape') },
  ],
};
// A string ends at its closing quote or, unclosed, at the end of the line (the scanner's rule).
repository.string = {
  name: scope('string.quoted.double'),
  begin: '"',
  end: '(")|$',
  beginCaptures: { 0: { name: scope('punctuation.definition.string.begin') } },
  endCaptures: { 1: { name: scope('punctuation.definition.string.end') } },
  patterns: [{ include: '#string-escape' }],
};
repository.citation = {
  name: scope('meta.citation'),
  begin: `${WS}(cite)${WE}\\s*(")`,
  beginCaptures: {
    1: { name: scope('keyword.other.cite') },
    2: { name: scope('string.quoted.double.citation', 'punctuation.definition.string.begin') },
  },
  end: '(")|$',
  endCaptures: { 1: { name: scope('string.quoted.double.citation', 'punctuation.definition.string.end') } },
  contentName: scope('string.quoted.double.citation'),
  patterns: [{ include: '#string-escape' }],
};
repository.number = {
  patterns: [
    { match: `(?<![A-Za-z0-9_.])${DATE}${WE}`, name: scope('constant.numeric.date') },
    { match: `(?<![A-Za-z0-9_.])\\d+\\.\\d+${WE}`, name: scope('constant.numeric.decimal') },
    { match: `(?<![A-Za-z0-9_.])\\d+${WE}`, name: scope('constant.numeric.integer') },
    // `12abc`, `1.5x`: a number may not run into a name.
    { match: '(?<![A-Za-z0-9_.])\\d[A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)?', name: scope('invalid.illegal.number') },
  ],
};
// The type after `:` in a field, definition, decision or parameter.
repository['type-after-colon'] = {
  match: `(:)\\s*(?:(academic\\s+year)${WE}|(${alt(PRIMITIVE_TYPES)})${WE}|${NAME})?(?:\\s*(\\?))?`,
  captures: {
    1: { name: scope('punctuation.separator.type') },
    2: { name: scope('support.type.primitive.academic-year') },
    3: { name: scope('support.type.primitive') },
    4: { name: scope('entity.name.type') },
    5: { name: scope('storage.modifier.optional') },
  },
};

// `enumeration Name cite "...": a, "b c" "Label", 3` and `scale Name from best to worst: ...`:
// the members run, over as many lines as they take, up to the next declaration.
repository.enumeration = {
  name: scope('meta.declaration.enumeration'),
  begin: `${WS}(enumeration|scale)${WE}(?:\\s+${NAME})?`,
  beginCaptures: { 1: { patterns: [{ include: '#reserved' }] }, 2: { name: scope('entity.name.type.enumeration') } },
  end: BEFORE_DECLARATION,
  patterns: [
    { include: '#comment' },
    { include: '#citation' },
    words(['from', 'best', 'to', 'worst'], WS),
    {
      name: scope('meta.members'),
      begin: ':',
      beginCaptures: { 0: { name: scope('punctuation.separator.members') } },
      end: BEFORE_DECLARATION,
      patterns: [
        { include: '#comment' },
        {
          // A member: its key (a name, text in quotes or a whole number), then perhaps its label.
          match: `(?:^|(?<=[:,]))\\s*(?:(${IDENT})|((")${STRING_BODY}("))|(\\d+))(?:\\s*((")${STRING_BODY}(")))?`,
          captures: {
            1: { name: scope('variable.other.enummember') },
            2: { name: scope('variable.other.enummember.quoted') },
            3: { name: scope('punctuation.definition.string.begin') },
            5: { name: scope('punctuation.definition.string.end') },
            6: { name: scope('variable.other.enummember.numeric') },
            7: { name: scope('string.quoted.double.label') },
            8: { name: scope('punctuation.definition.string.begin') },
            10: { name: scope('punctuation.definition.string.end') },
          },
        },
        { match: ',', name: scope('punctuation.separator.comma') },
        { include: '#expression' },
      ],
    },
  ],
};

const HEAD = [{ include: '#comment' }, { include: '#citation' }, { include: '#type-after-colon' }];
repository.field = declaration('field', 'entity.name.variable.field', {
  end: '$',
  patterns: [
    ...HEAD,
    {
      match: `(,)\\s*(key|shown)${WE}`,
      captures: {
        1: { name: scope('punctuation.separator.comma') },
        2: { patterns: [{ match: 'key', name: scope('keyword.other.key') }, { match: 'shown', name: scope('keyword.other.shown') }] },
      },
    },
    {
      match: `${WS}(from)\\s+${NAME}`,
      captures: { 1: { name: scope('keyword.other.from') }, 2: { name: scope('entity.name.namespace.source') } },
    },
    words(['missing', 'means'], WS),
    words(['may', 'be', 'absent'], WS),
    words(['required', 'in', 'its', 'file'], WS),
    {
      match: `${WS}(if)\\s+(absent)\\s+(then)\\s+(previous)${WE}(?:\\s+(${IDENT}))?`,
      captures: {
        1: { name: keywordScope('if') },
        2: { name: scope('keyword.other.absent') },
        3: { name: keywordScope('then') },
        4: { name: scope('keyword.other.previous') },
        5: { name: scope('variable.other.column') },
      },
    },
    { include: '#expression' },
  ],
});
repository.define = declaration('define', 'entity.name.function.definition', {
  end: '(=)|$',
  endCaptures: { 1: { name: scope('keyword.operator.assignment') } },
  patterns: HEAD,
});
repository.decide = declaration('decide', 'entity.name.function.decision', {
  end: '$',
  patterns: [...HEAD, words(['by', 'first', 'match'], WS), words(['by', 'unique', 'match'], WS)],
});
repository.parameter = declaration('parameter', 'entity.name.function.parameter', {
  end: '$',
  patterns: [
    ...HEAD,
    {
      match: `${WS}(by)\\s+(year|date)${WE}`,
      captures: {
        1: { name: scope('keyword.other.by') },
        2: { patterns: [{ match: 'year', name: scope('keyword.other.year') }, { match: 'date', name: scope('keyword.other.date') }] },
      },
    },
  ],
});
// `2014 to 2015: 65`: a parameter's entry starts its line with a year or a date.
const KEY = `(${DATE}|\\d+)${WE}`;
repository['parameter-entry'] = {
  match: `^\\s*${KEY}(?:\\s+(to)\\s+${KEY})?\\s*(:)`,
  captures: {
    1: { patterns: [{ include: '#number' }] },
    2: { name: scope('keyword.other.to') },
    3: { patterns: [{ include: '#number' }] },
    4: { name: scope('punctuation.separator.entry') },
  },
};
// `rule R1 "Title"`: a rule; `rule of category` is the built-in.
repository.rule = {
  match: `${WS}(rule)\\s+${NAME}(?=\\s*")`,
  captures: { 1: { name: scope('storage.type.rule') }, 2: { name: scope('entity.name.label.rule') } },
};
// `use stdlib.calendar`: the parts of a module name may be reserved words.
repository.use = {
  match: `${WS}(use)${WE}(?:\\s+(${IDENT}(?:\\s*\\.\\s*${IDENT})*))?`,
  captures: {
    1: { name: scope('storage.type.use') },
    2: { name: scope('entity.name.namespace.module'), patterns: [{ match: '\\.', name: scope('punctuation.accessor.dot') }] },
  },
};
// `column urn`, `column "Next visit" = ...` in the output.
repository['output-column'] = {
  match: `${WS}(column)\\s+(?:${NAME}|("${STRING_BODY}"))(?:\\s*(=)(?!=))?`,
  captures: {
    1: { name: scope('storage.type.column') },
    2: { name: scope('variable.other.column') },
    3: { name: scope('string.quoted.double.column'), patterns: [{ include: '#string-escape' }] },
    5: { name: scope('keyword.operator.assignment') },
  },
};
repository.declaration = {
  patterns: [
    { include: '#enumeration' },
    { include: '#field' },
    { include: '#define' },
    { include: '#decide' },
    { include: '#parameter' },
    { include: '#parameter-entry' },
    { include: '#rule' },
    { include: '#use' },
    { include: '#output-column' },
    declaration('record', 'entity.name.type.record'),
    declaration('source', 'entity.name.namespace.source'),
    // `calendar of terms name "Title" from "file.csv"`: an LA's term dates.
    {
      match: `${WS}(calendar)\\s+(of)\\s+(terms)${WE}(?:\\s+${NAME})?`,
      captures: {
        1: { name: keywordScope('calendar') },
        2: { name: keywordScope('of') },
        3: { name: scope('keyword.other.terms') },
        4: { name: scope('entity.name.namespace.calendar') },
      },
    },
    declaration('calendar', 'entity.name.namespace.calendar'),
    declaration('notice', 'entity.name.function.notice'),
    declaration('cadence', 'entity.name.function.cadence'),
    declaration('warn', 'entity.name.function.warning'),
  ],
};

// The items of records, sources, notices and cadences, each at the start of its line.
repository.item = {
  patterns: [
    words(['missing', 'values', 'are']),
    words(['yes', 'is', 'written']),
    words(['no', 'is', 'written']),
    words(['dates', 'are', 'written']),
    words(['optional', 'columns', 'may', 'be', 'absent']),
    words(['key', 'column']),
    words(['encoding', 'is']),
    words(['may', 'be', 'absent']),
    words(['rows', 'count', 'when']),
    words(['applies', 'to']),
    {
      match: `^\\s*(ground)\\s+${NAME}`,
      captures: { 1: { name: scope('keyword.other.ground') }, 2: { name: scope('entity.name.label.ground') } },
    },
    {
      begin: `^\\s*(issued)\\s+(when)${WE}`,
      end: '$',
      beginCaptures: { 1: { name: scope('keyword.other.issued') }, 2: { name: keywordScope('when') } },
      patterns: [
        words(['any', 'ground', 'holds'], WS),
        { match: `${WS}(unless)${WE}`, name: scope('keyword.control.unless') },
        { include: '#expression' },
      ],
    },
    { match: `^\\s*(unless)${WE}`, captures: { 1: { name: scope('keyword.control.unless') } } },
    words(['addressed', 'to']),
    words(['copy', 'to']),
    {
      begin: `^\\s*(respond)\\s+(within)${WE}`,
      end: '$',
      beginCaptures: { 1: { name: scope('keyword.other.respond') }, 2: { name: scope('keyword.other.within') } },
      patterns: [words(['working', 'days'], WS), { include: '#expression' }],
    },
    {
      match: `^\\s*(respond)\\s+(by)\\s+(the)\\s+(end)\\s+(of)\\s+(next)\\s+(term)${WE}`,
      captures: {
        1: { name: scope('keyword.other.respond') },
        2: { name: scope('keyword.other.by') },
        3: { name: scope('keyword.other.the') },
        4: { name: scope('keyword.other.end') },
        5: { name: keywordScope('of') },
        6: { name: scope('keyword.other.next') },
        7: { name: scope('keyword.other.term') },
      },
    },
    words(['escalation']),
    words(['step']),
    {
      begin: `^\\s*(every)${WE}`,
      end: '$',
      beginCaptures: { 1: { name: scope('keyword.other.every') } },
      patterns: [
        { match: `${WS}(?:days|day|weeks|week|months|month|half\\s+term|term)${WE}`, name: scope('keyword.other.unit') },
        { include: '#expression' },
      ],
    },
    {
      match: `^\\s*(on)\\s+(dates)\\s+(of)${WE}(?:\\s+(${IDENT}))?`,
      captures: {
        1: { name: scope('keyword.other.on') },
        2: { name: scope('keyword.other.dates') },
        3: { name: keywordScope('of') },
        4: { name: scope('variable.other.parameter') },
      },
    },
    words(['from']),
    {
      match: `^\\s*(if)\\s+(never)\\s*(,)\\s*(due)\\s+(on)${WE}`,
      captures: {
        1: { name: keywordScope('if') },
        2: { name: scope('keyword.other.never') },
        3: { name: scope('punctuation.separator.comma') },
        4: { name: scope('keyword.other.due') },
        5: { name: scope('keyword.other.on') },
      },
    },
    words(['no', 'later', 'than']),
    words(['lasting']),
    words(['reviewers']),
    // `calendar name "Title" from "file.csv"`: `from` before the file's name.
    { match: `${WS}(from)(?=\\s*")`, name: scope('keyword.other.from') },
  ],
};

// Each reserved word, wherever it stands: it is never a name.
repository.reserved = {
  patterns: [...RESERVED].sort((a, b) => b.length - a.length || a.localeCompare(b))
    .map((w) => ({ match: `${WS}(${w})${WE}`, name: keywordScope(w) })),
};

repository.expression = {
  patterns: [
    { include: '#comment' },
    { include: '#citation' },
    { include: '#string' },
    { include: '#number' },
    // `at worst`: here `worst` is a keyword; elsewhere a name, or the built-in `worst of`.
    {
      match: `${WS}(at)\\s+(worst)${WE}`,
      captures: { 1: { name: keywordScope('at') }, 2: { name: scope('keyword.operator.wordlike.worst') } },
    },
    // `ignoring missing` after a list function, and `how many of [...]`.
    {
      match: `${WS}(ignoring)\\s+(missing)${WE}`,
      captures: { 1: { name: scope('keyword.other.ignoring') }, 2: { name: keywordScope('missing') } },
    },
    {
      match: `${WS}(how)\\s+(many)(?=\\s+of${WE})`,
      captures: { 1: { name: keywordScope('how') }, 2: { name: keywordScope('many') } },
    },
    // The missing-data clause: `..., or no if any figure is missing`.
    {
      match: `${WS}(if)\\s+(any)\\s+(figure)\\s+(is)\\s+(missing)${WE}`,
      captures: {
        1: { name: keywordScope('if') }, 2: { name: keywordScope('any') }, 3: { name: keywordScope('figure') },
        4: { name: keywordScope('is') }, 5: { name: keywordScope('missing') },
      },
    },
    // `previous level`: an output column's value in the previous saved run.
    {
      match: `${WS}(previous)\\s+(?=[A-Za-z_])(?!${alt(RESERVED)}${WE})`,
      captures: { 1: { name: scope('keyword.other.previous') } },
    },
    { match: `${WS}${alt(BUILTINS)}(?=\\s*\\(|\\s+of${WE})`, name: scope('support.function.builtin') },
    { match: `${WS}as_of${WE}`, name: scope('variable.language.as-of') },
    { include: '#reserved' },
    // What the scanner reads as operators but the grammar rejects (write `=`, `and`, `or`).
    { match: '==|&&|\\|\\|', name: scope('invalid.illegal.operator') },
    { match: '<=|>=|!=|<|>|=', name: scope('keyword.operator.comparison') },
    { match: '[-+*/]', name: scope('keyword.operator.arithmetic') },
    { match: '\\?', name: scope('storage.modifier.optional') },
    { match: ',', name: scope('punctuation.separator.comma') },
    { match: ':', name: scope('punctuation.separator.colon') },
    { match: '\\.', name: scope('punctuation.accessor.dot') },
    { match: '\\(', name: scope('punctuation.section.parens.begin') },
    { match: '\\)', name: scope('punctuation.section.parens.end') },
    { match: '\\[', name: scope('punctuation.section.brackets.begin') },
    { match: '\\]', name: scope('punctuation.section.brackets.end') },
    { match: IDENT },
    // A character no token starts with: `%`, `$`, `!` alone, a letter outside ASCII.
    { match: '[^\\sA-Za-z0-9_#"()\\[\\],.:?+\\-*/<>=]', name: scope('invalid.illegal.character') },
  ],
};

const grammar = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'catengine policy',
  scopeName: 'source.catengine-policy',
  fileTypes: ['policy'],
  comment: 'Written by syntaxes/generate.js: edit that, not this. The language: docs/grammar.md.',
  patterns: [
    { include: '#comment' },
    { include: '#citation' },
    { include: '#declaration' },
    { include: '#item' },
    { include: '#expression' },
  ],
  repository,
};

module.exports = { RESERVED, BUILTINS };

if (require.main === module) {
  const file = path.join(__dirname, 'catengine-policy.tmLanguage.json');
  const text = JSON.stringify(grammar, null, 2) + '\n';
  if (process.argv.includes('--check')) {
    if (fs.readFileSync(file, 'utf8') !== text) {
      console.error(`${path.basename(file)} is not what syntaxes/generate.js writes: run node syntaxes/generate.js`);
      process.exit(1);
    }
    console.log(`ok: ${path.basename(file)} is what syntaxes/generate.js writes`);
  } else {
    fs.writeFileSync(file, text);
  }
}
