#!/usr/bin/env python3
"""The language server's speed and memory (`make bench`): how long after an edit of the
Peterborough policy its diagnostics arrive (the time from sending didChange to receiving the
publishDiagnostics of that version; the issue asks for under 50 ms), and the server's resident
memory before and after a soak of 10,000 edits, each checked, which should stay flat.

Usage: lsp_bench.py CATENGINE [EDITS]   (run from the repository's root)"""
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lsp'))
from lsp_client import Client, path_uri  # noqa: E402

POLICY = 'policies/peterborough/peterborough.policy'


def main():
    catengine = sys.argv[1]
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    c = Client(catengine)
    c.initialize('.')
    uri = c.open(POLICY)  # never saved: the edits live in the server's copy only
    c.diagnostics(uri)
    version = 1
    # Line 1 is a comment: typing a character there and deleting it again leaves the policy as it
    # was, so every check does the same work and memory has no reason to grow.
    def edit(i):
        nonlocal version
        version += 1
        if i % 2 == 0:
            change = {'range': {'start': {'line': 0, 'character': 1}, 'end': {'line': 0, 'character': 1}},
                      'text': 'x'}
        else:
            change = {'range': {'start': {'line': 0, 'character': 1}, 'end': {'line': 0, 'character': 2}},
                      'text': ''}
        start = time.perf_counter()
        c.notify('textDocument/didChange', {'textDocument': {'uri': uri, 'version': version},
                                            'contentChanges': [change]})
        while True:
            d = c.diagnostics(uri)
            if d.get('version') == version:
                break
        return time.perf_counter() - start

    latencies = [edit(i) * 1000 for i in range(200)]
    latencies.sort()
    print(f'lsp: diagnostics after an edit of {POLICY} (200 edits): '
          f'median {statistics.median(latencies):.1f} ms, 95th percentile '
          f'{latencies[int(len(latencies) * 0.95)]:.1f} ms, max {latencies[-1]:.1f} ms')
    before = c.rss_kib()
    start = time.perf_counter()
    for i in range(edits):
        edit(i)
    elapsed = time.perf_counter() - start
    after = c.rss_kib()
    print(f'lsp: {edits} more edits, each checked, in {elapsed:.1f} s; resident memory '
          f'{before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after')
    status = c.finish()
    median = statistics.median(latencies)
    if median > 50 or after > before * 1.2 + 2048:
        print('lsp: slower than 50 ms, or memory grew')
        return 1
    return status


if __name__ == '__main__':
    sys.exit(main())
