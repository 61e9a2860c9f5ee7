#!/usr/bin/env python3
"""Fails when an #include climbs to a higher floor or crosses sideways between floors.

The floors, bottom up (docs/architecture.md): base, then lang, data, compile, eval, report,
history, papers, tools, lsp and cli. lang has floors of its own: source, diagnostics, syntax, load, check,
then lint and format side by side. system sits beside the floors: any floor may use it, and it
uses only base. A file may include anything in its own folder and anything on a lower floor; nothing else.
Unit tests (*_test.cpp) are exempt: a test sits beside the code it tests and may build its
inputs with the whole pipeline.

Usage: tests/check_floors.py [REPOSITORY_ROOT]
"""
import os
import re
import sys

# (floor, sub-floor): compared as tuples, so lang/check (1, 4) is below data (2, 0).
RANKS = {
    'base': (0, 0), 'system': None, 'data': (2, 0), 'compile': (3, 0), 'eval': (4, 0),
    'report': (5, 0), 'history': (6, 0), 'papers': (7, 0), 'tools': (8, 0), 'lsp': (9, 0),
    'cli': (10, 0),
    'lang/source': (1, 0), 'lang/diagnostics': (1, 1), 'lang/syntax': (1, 2),
    'lang/load': (1, 3), 'lang/check': (1, 4), 'lang/lint': (1, 5), 'lang/format': (1, 5),
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(path):
    """The floor folder a repository-relative path lies in, or None outside the floors."""
    parts = path.split('/')
    if parts[0] == 'lang' and len(parts) > 2:
        return 'lang/' + parts[1]
    if parts[0] in RANKS and parts[0] != 'lang':
        return parts[0]
    return None


def allowed(src, dst):
    if src == dst:
        return True
    if dst == 'system':
        return True  # beside every floor
    if src == 'system':
        return dst == 'base'
    low, high = RANKS[dst], RANKS[src]
    return low < high and not (low[0] == high[0] == 1 and low[1] == high[1])


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    problems, files = [], 0
    for top in sorted(set(k.split('/')[0] for k in RANKS)):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith(('.cpp', '.hpp', '.def')) or name.endswith('_test.cpp'):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                src = folder_of(path)
                if src is None:
                    problems.append(f'{path}: not inside a floor folder')
                    continue
                files += 1
                text = open(os.path.join(root, path), encoding='utf-8').read()
                for m in INCLUDE.finditer(text):
                    dst = folder_of(m.group(1))
                    if dst is None:
                        problems.append(f'{path}: includes "{m.group(1)}", which is in no floor')
                    elif not allowed(src, dst):
                        line = text.count('\n', 0, m.start()) + 1
                        problems.append(f'{path}:{line}: {src} must not include "{m.group(1)}" '
                                        f'({dst} is not below it)')
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} include(s) break the floors')
        return 1
    print(f'floors: {files} files, every include points down')
    return 0


if __name__ == '__main__':
    sys.exit(main())
