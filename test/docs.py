#!/usr/bin/env python3
"""test/docs.py: the documentation's SQL examples, run as tests.

    test/docs.py README.md doc/*.md      (PGHOST, PGPORT, PGUSER set; test/run check runs it)

Every ```sql block of a page is a sequence of statements, each followed by the output psql
prints for it (result rows, or ERROR/DETAIL/HINT lines), as a reader would see it.  The
blocks of one page run in order, in one psql session, in a fresh database where
CREATE EXTENSION spm has run: a page creates the tables it uses.  Each statement is one
test: it passes when psql prints what the page shows.

What counts as the same output, so that pages stay readable:
- cells are compared without their padding, and a page may leave out the "(N rows)" footer;
- a page may show rows without their header (a one-column result, say);
- a line "..." stands for any further rows;
- "LINE n:" and caret lines of an error, and psql's "psql:<file>:<n>:" prefix, are ignored;
- a statement shown with no output must simply not fail.
Prints one TAP line per statement and exits non-zero on any failure.
"""
import os
import re
import subprocess
import sys

OUTPUT_LINE = re.compile(r'^( |\t|-+(\+-+)*$|\(\d+ rows?\)$|(ERROR|DETAIL|HINT|NOTICE|WARNING|CONTEXT):|\.\.\.$)')
FOOTER = re.compile(r'^\(\d+ rows?\)$')
SEPARATOR = re.compile(r'^-+(\+-+)*$')
NOISE = re.compile(r'^(LINE \d+:|\s*\^\s*$)')
PSQL_PREFIX = re.compile(r'^psql:[^:]*:\d+: ')


def sql_blocks(text):
    """The ```sql blocks of a page, each as a list of lines, with the line they start on."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(text.split('\n'), 1):
        if current is None and line.strip() == '```sql':
            current, start = [], number + 1
        elif current is not None and line.strip() == '```':
            blocks.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def ends_statement(line, in_dollar):
    code = line if in_dollar else re.sub(r"--[^']*$", '', line)
    return not in_dollar and code.rstrip().endswith(';')


def statements(start, lines):
    """(line number, sql, expected output lines) for each statement of a block."""
    result, sql, expected, in_dollar, at = [], [], [], False, start
    for offset, line in enumerate(lines):
        if not sql and (OUTPUT_LINE.match(line) or line == ''):
            if result:
                result[-1][2].append(line)
            continue
        if not sql:
            at = start + offset
        sql.append(line)
        in_dollar ^= line.count('$$') % 2 == 1
        if ends_statement(line, in_dollar):
            result.append((at, '\n'.join(sql), []))
            sql = []
    if sql:
        result.append((at, '\n'.join(sql), []))
    return result


def normal(lines):
    """Lines as compared: no padding in cells, no footers, no blank or error-position lines."""
    out = []
    for line in lines:
        line = PSQL_PREFIX.sub('', line.rstrip())
        if not line.strip() or FOOTER.match(line.strip()) or NOISE.match(line):
            continue
        if SEPARATOR.match(line.strip()):
            out.append('+'.join('-' for _ in line.strip().split('+')))
        elif line.strip() == '...':
            out.append('...')
        else:
            out.append('|'.join(cell.strip() for cell in line.split('|')))
    return out


def matches(expected, actual):
    if '...' in expected:
        cut = expected.index('...')
        return matches(expected[:cut], actual[:cut])
    if expected == actual:
        return True
    # rows shown without the header and separator psql prints above them
    return len(actual) >= 2 and SEPARATOR.match(actual[1]) is not None and expected == actual[2:]


def run_page(path, database):
    psql = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=0', '-d', database]
    admin = ['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'postgres', '-c']
    subprocess.run(admin + ['DROP DATABASE IF EXISTS ' + database], check=True, capture_output=True)
    subprocess.run(admin + ['CREATE DATABASE ' + database], check=True, capture_output=True)
    with open(path) as f:
        cases = [case for start, lines in sql_blocks(f.read()) for case in statements(start, lines)]
    marker = '@@spm-docs-statement@@'
    script = ['SET client_min_messages = warning;', 'CREATE EXTENSION spm;']
    for i, (_, sql, _) in enumerate(cases):
        script += ['\\echo %s %d' % (marker, i), sql]
    script.append('\\echo %s end' % marker)
    done = subprocess.run(psql, input='\n'.join(script) + '\n', text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    outputs, current = {}, None
    for line in done.stdout.split('\n'):
        if line.startswith(marker):
            tag = line[len(marker):].strip()
            current = None if tag == 'end' else int(tag)
            outputs[current] = []
        elif current is not None:
            outputs[current].append(line)
    subprocess.run(admin + ['DROP DATABASE ' + database], check=True, capture_output=True)
    # a statement psql never reached (it could not connect, or stopped) has no output at all
    return [(path, at, sql, expected, outputs.get(i)) for i, (at, sql, expected) in enumerate(cases)]


def main(paths):
    number = failed = 0
    for path in paths:
        database = 'spm_docs_' + re.sub(r'\W', '_', os.path.basename(path).lower())
        for path_, at, sql, expected, actual in run_page(path, database):
            number += 1
            want, got = normal(expected), normal(actual or ['(psql never ran it)'])
            if actual is None:
                failing = True
            elif not want:
                failing = any(l.startswith('ERROR:') for l in got)
            else:
                failing = not matches(want, got)
            first = sql.strip().split('\n')[0][:60]
            print('%sok %d - %s:%d %s' % ('not ' if failing else '', number, path_, at, first))
            if failing:
                failed += 1
                print('#   the page shows:\n' + ''.join('#     %s\n' % l for l in want or ['(no output)']), end='')
                print('#   psql printed:\n' + ''.join('#     %s\n' % l for l in got or ['(nothing)']), end='')
    print('1..%d' % number)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
