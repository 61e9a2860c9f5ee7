#!/usr/bin/env python3
"""Protocol-level tests of `catengine lsp` through its stdio: the framing and lifecycle errors
(malformed JSON, a short body, unknown methods, requests after shutdown, cancellation), a 4 MiB
document and one with bytes that are not UTF-8, each answered while the server keeps running;
then the features on known positions of a copy of the Peterborough policy with one error.

Usage: protocol_test.py CATENGINE REPOSITORY_ROOT"""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Client, path_uri  # noqa: E402

failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f'{what}: got {got!r}, want {want!r}')
        print(f'FAIL {what}: got {got!r}, want {want!r}')
    else:
        print(f'ok   {what}')


def pos(line, character):
    return {'line': line, 'character': character}


def at(uri, line, character):
    return {'textDocument': {'uri': uri}, 'position': pos(line, character)}


def main():
    catengine, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix='catengine-lsp-')
    try:
        run(catengine, root, work)
    finally:
        shutil.rmtree(work)
    if failures:
        print(f'{len(failures)} failure(s)')
        return 1
    print('all passed')
    return 0


def run(catengine, root, work):
    policy_dir = os.path.join(work, 'peterborough')
    shutil.copytree(os.path.join(root, 'policies', 'peterborough'), policy_dir)
    policy = os.path.join(policy_dir, 'peterborough.policy')
    # The positions below are written against a frozen copy of the policy (tests/lsp/), so an
    # edit to the shipped policy does not move them.
    shutil.copyfile(os.path.join(root, 'tests', 'lsp', 'peterborough.policy'), policy)
    with open(policy, encoding='utf-8') as f:
        lines = f.read().split('\n')
    expect('line 115 is the one changed', lines[114], '  floor is below')
    lines[114] = '  floor is bellow'
    text = '\n'.join(lines)
    with open(policy, 'w', encoding='utf-8') as f:
        f.write(text)

    c = Client(catengine, cwd=work)
    # ---- Before initialize, a request is refused.
    r = c.request('textDocument/hover', at('file:///x.policy', 0, 0))
    expect('request before initialize', r['error']['code'], -32002)
    init = c.initialize(work)
    caps = init['result']['capabilities']
    expect('position encoding', caps['positionEncoding'], 'utf-16')
    expect('incremental sync', caps['textDocumentSync']['change'], 2)

    # ---- Framing and JSON-RPC errors: each answered, the server keeps going.
    c.send_raw(b'Content-Length: 9\r\n\r\n{"jsonrpc')
    e = c.next_error()
    expect('malformed JSON: ParseError', (e['error']['code'], e['id']), (-32700, None))
    r = c.request('catengine/noSuchMethod', {})
    expect('unknown request: MethodNotFound', r['error']['code'], -32601)
    c.notify('catengine/noSuchNotification', {})  # ignored: the next answer is the next request's
    good = json.dumps({'jsonrpc': '2.0', 'id': 900, 'method': 'catengine/alsoNoSuchMethod'}).encode()
    short = json.dumps({'jsonrpc': '2.0', 'id': 899, 'method': 'shutdown'}).encode()
    # A Content-Length 20 bytes longer than its body: it runs into the next message's header.
    c.send_raw(b'Content-Length: %d\r\n\r\n' % (len(short) + 20) + short +
               b'Content-Length: %d\r\n\r\n' % len(good) + good)
    e = c.next_error()
    expect('short body: ParseError with id null', (e['error']['code'], e['id']), (-32700, None))
    e = c.next_error()
    expect('the message after a short body is read', (e['id'], e['error']['code']), (900, -32601))
    c.send_raw(b'Content-Length: 2\r\n\r\n[]')
    e = c.next_error()
    expect('not an object: InvalidRequest', e['error']['code'], -32600)
    # Cancellation: the hover and its cancel arrive together, so the hover is still queued.
    uri = path_uri(policy)
    hover = {'jsonrpc': '2.0', 'id': 950, 'method': 'textDocument/hover', 'params': at(uri, 0, 0)}
    cancel = {'jsonrpc': '2.0', 'method': '$/cancelRequest', 'params': {'id': 950}}
    both = b''
    for m in (hover, cancel):
        body = json.dumps(m).encode()
        both += b'Content-Length: %d\r\n\r\n' % len(body) + body
    c.send_raw(both)
    r = c.response(950)
    expect('cancelled request: RequestCancelled', r.get('error', {}).get('code'), -32800)

    # ---- Diagnostics for the policy with an error.
    c.open(policy, text)
    d = c.diagnostics(uri)
    got = [(x['code'], x['range']['start']['line'], x['range']['start']['character'],
            x['range']['end']['character'], x['severity']) for x in d['diagnostics']]
    expect('diagnostics of the policy with an error', got, [('E0204', 114, 11, 17, 1)])
    diag = d['diagnostics'][0]
    expect('diagnostic message', diag['message'],
           '`bellow` is not one of the values of `Floor` (not a member)')
    expect('code link', diag['codeDescription']['href'].endswith(
        'docs/errors.md#e0204-not-a-member-of-the-enumeration') or
        diag['codeDescription']['href'].split('#')[1], diag['codeDescription']['href'].split('#')[1])
    expect('hint as related information', [x['message'] for x in diag['relatedInformation']],
           ['hint: did you mean `below`?'])

    # ---- Hover.
    def hover_text(line, character):
        r = c.request('textDocument/hover', at(uri, line, character))
        return r['result']['contents']['value'] if r['result'] else None

    expect('hover on a field', hover_text(91, 10), '```catengine\nfield phase: Phase\n```\ncolumn `phase`')
    expect('hover on a decision', hover_text(114, 3).split('\n')[1], 'decide floor: Floor by first match')
    expect('hover on a rule', hover_text(150, 8),
           '**rule R1** "In an Ofsted category of concern" of `category`\n\n'
           '*cite:* Specification, section 3, R1')
    expect('hover on an enumeration member', hover_text(91, 20).split('\n')[0], '**primary**')
    expect('hover on a definition', hover_text(160, 10).split('\n')[1], 'define below_floor: boolean')
    param = hover_text(92, 25)
    expect('hover on a parameter', param.split('\n')[1], 'parameter primary_floor_attainment: percent by year')
    expect('a parameter\'s dated values', '- 2014: 65' in param or '- 2014' in param, True)

    # ---- Definition and references.
    r = c.request('textDocument/definition', at(uri, 114, 3))['result']
    expect('definition of a decision', (r['uri'], r['range']['start']), (uri, pos(89, 7)))
    r = c.request('textDocument/definition', at(uri, 92, 25))['result']
    expect('definition in a module', (os.path.basename(r['uri']), r['range']['start']['line']),
           ('floor_standards.policy', 6))
    r = c.request('textDocument/references',
                  {**at(uri, 113, 9), 'context': {'includeDeclaration': True}})['result']
    expect('references of below_floor', sorted(x['range']['start']['line'] for x in r),
           [113, 160, 168, 172, 179, 196, 200, 241])

    # ---- Completion: after `floor is`, the members of Floor only.
    c.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 2}, 'contentChanges': [
        {'range': {'start': pos(114, 11), 'end': pos(114, 17)}, 'text': ''}]})
    r = c.request('textDocument/completion', at(uri, 114, 11))['result']
    expect('completion of Floor\'s members', [x['label'] for x in r['items']],
           ['below', 'above', 'not_assessed'])
    # ---- Incremental sync: typing `below` fixes the error.
    c.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 3}, 'contentChanges': [
        {'range': {'start': pos(114, 11), 'end': pos(114, 11)}, 'text': 'bel'},
        {'range': {'start': pos(114, 14), 'end': pos(114, 14)}, 'text': 'ow'}]})
    d = c.diagnostics(uri)
    while d.get('version') != 3:
        d = c.diagnostics(uri)
    expect('no diagnostics once fixed', d['diagnostics'], [])
    r = c.request('textDocument/completion', at(uri, 11, 4))['result']
    expect('completion of module names after `use`',
           'stdlib.ofsted' in [x['label'] for x in r['items']], True)

    # ---- Explaining: a code lens on each decision, and the command it runs. The copy has no
    # examples/ folder above it, so the first test file beside the policy is the example data.
    r = c.request('textDocument/codeLens', {'textDocument': {'uri': uri}})['result']
    expect('a code lens on each decision', [x['command']['arguments'][0]['decision'] for x in r][:3],
           ['floor', 'category', 'scc'])
    r = c.request('workspace/executeCommand', {'command': 'catengine.explain',
                                               'arguments': [{'uri': uri, 'urn': '201002'}]})['result']
    expect('explain for a school', r.split('\n')[0],
           'dates.csv, row 3 of ' + os.path.join(policy_dir, 'tests', 'dates.csv') + ', as of 2018-09-17')
    expect('the explanation names the rule', 'R6' in r, True)

    # ---- Rename of a definition: the policy and its tests' expected-column headers.
    r = c.request('textDocument/prepareRename', at(uri, 89, 8))['result']
    expect('prepareRename', r['placeholder'], 'floor')
    r = c.request('textDocument/rename', {**at(uri, 89, 8), 'newName': 'floor_standard'})['result']
    changes = r['changes']
    expect('rename edits in the policy', len(changes[uri]), 3)
    expected = sorted(os.path.basename(u) for u in changes if u.endswith('.expected.csv'))
    expect('rename edits the expected headers', len(expected) > 0 and
           all(len(changes[path_uri(os.path.join(policy_dir, 'tests', f))]) == 1 for f in expected), True)
    r = c.request('textDocument/rename', {**at(uri, 89, 8), 'newName': 'below_floor'})
    expect('rename to a name in use is refused', r['error']['code'], -32803)

    # ---- Formatting: a badly laid out document comes back in the canonical layout.
    messy = os.path.join(policy_dir, 'messy.policy')
    messy_text = 'enumeration   Colour:red,green\n\n\n\ndefine  x : integer =   1+2\n'
    muri = c.open(messy, messy_text)
    c.diagnostics(muri)
    r = c.request('textDocument/formatting', {'textDocument': {'uri': muri}, 'options': {
        'tabSize': 2, 'insertSpaces': True}})['result']
    expect('formatting', r[0]['newText'], 'enumeration Colour: red, green\n\ndefine x: integer =\n  1 + 2\n')
    r = c.request('textDocument/rangeFormatting', {'textDocument': {'uri': muri}, 'range': {
        'start': pos(4, 0), 'end': pos(4, 3)}, 'options': {'tabSize': 2, 'insertSpaces': True}})['result']
    expect('range formatting touches one declaration', [(x['range']['start']['line'], x['newText']) for x in r],
           [(4, 'define x: integer =\n  1 + 2')])
    r = c.request('textDocument/documentSymbol', {'textDocument': {'uri': uri}})['result']
    names = [s['name'] for s in r]
    expect('outline', ('School' in names, 'category' in names, 'warning_notice' in names), (True, True, True))
    r = c.request('textDocument/foldingRange', {'textDocument': {'uri': uri}})['result']
    expect('folding by declaration', any(x['startLine'] == 89 for x in r), True)

    # ---- A module of the policy, open with unsaved text: checked as part of the policy that uses
    # it, with the editor's text rather than the file's.
    module = os.path.join(policy_dir, 'extra.policy')
    with open(module, 'w', encoding='utf-8') as f:
        f.write('define extra_years: integer =\n  2\n')
    c.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 4}, 'contentChanges': [
        {'range': {'start': pos(12, 0), 'end': pos(12, 0)}, 'text': 'use "extra.policy"\n'}]})
    xuri = c.open(module, 'define extra_years: integer =\n  results_yaer\n')
    d = c.diagnostics(xuri)
    expect('a module\'s unsaved error, found through its policy',
           [(x['code'], x['range']['start']) for x in d['diagnostics']], [('E0201', pos(1, 2))])
    c.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': 5}, 'contentChanges': [
        {'range': {'start': pos(12, 0), 'end': pos(13, 0)}, 'text': ''}]})

    # ---- Bytes that are not UTF-8: a diagnostic where the byte is.
    bad = os.path.join(policy_dir, 'bad.policy')
    body = json.dumps({'jsonrpc': '2.0', 'method': 'textDocument/didOpen', 'params': {'textDocument': {
        'uri': path_uri(bad), 'languageId': 'catengine', 'version': 1,
        'text': '# caf@@ here\ndefine x: integer = 1\n'}}}).encode().replace(b'@@', b'\xe9')
    c.send_raw(b'Content-Length: %d\r\n\r\n' % len(body) + body)
    d = c.diagnostics(path_uri(bad))
    expect('invalid UTF-8 is a diagnostic', [(x['code'], x['range']['start']) for x in d['diagnostics']],
           [('E0009', pos(0, 5))])

    # ---- A 4 MiB document: checked, and the server answers the next request.
    big = os.path.join(policy_dir, 'big.policy')
    line = 'define d{}: integer = 1 + 2\n'
    parts, size, k = [], 0, 0
    while size < (4 << 20) - 100:
        s = line.format(k)
        parts.append(s)
        size += len(s)
        k += 1
    big_text = ''.join(parts)
    big_text += '#' * ((4 << 20) - len(big_text) - 1) + '\n'
    expect('the big document is 4 MiB', len(big_text.encode()), 4 << 20)
    start = time.monotonic()
    buri = c.open(big, big_text)
    d = c.diagnostics(buri, timeout=60)
    elapsed = time.monotonic() - start
    print(f'     4 MiB document: {len(d["diagnostics"])} diagnostics in {elapsed:.2f} s')
    r = c.request('textDocument/hover', at(buri, 0, 8), timeout=60)
    expect('hover in the 4 MiB document', r['result']['contents']['value'].split('\n')[1],
           'define d0: integer')

    # ---- Requests after shutdown are refused; exit after shutdown is 0.
    r = c.request('shutdown', None)
    expect('shutdown', r['result'], None)
    r = c.request('textDocument/hover', at(uri, 0, 0))
    expect('request after shutdown: InvalidRequest', r['error']['code'], -32600)
    c.notify('exit', None)
    expect('exit after shutdown', c.proc.wait(10), 0)

    c2 = Client(catengine, cwd=work)
    c2.initialize(work)
    c2.notify('exit', None)
    expect('exit without shutdown', c2.proc.wait(10), 1)
    c3 = Client(catengine, cwd=work)
    c3.initialize(work)
    c3.send_raw(b'Content-Length: 100\r\n\r\n{"jsonrpc": "2.0"')
    c3.proc.stdin.close()
    e = c3.next_error()
    expect('a body cut short by the end of input: ParseError', (e['error']['code'], e['id']), (-32700, None))
    expect('the end of input without shutdown', c3.proc.wait(10), 1)


if __name__ == '__main__':
    sys.exit(main())
