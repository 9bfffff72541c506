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
- a line "..." stands for any rows between what is shown before and after it;
- a "(N rows)" footer shown on the page is compared; one left out is not;
- "LINE n:" and caret lines of an error, and psql's "psql:<file>:<n>:" prefix, are ignored;
- a statement shown with no output must simply not fail (no ERROR, FATAL or lost
  connection); psql stopping early fails the statement it was on and all after it.
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
        if not sql and line.strip() == '' and not result:
            continue
        # output follows a statement; before the first one, even an indented line is SQL
        if not sql and result and (OUTPUT_LINE.match(line) or line == ''):
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


def normal(lines, keep_footers=False):
    """Lines as compared: no padding in cells, no blank or error-position lines, no "(N rows)"
    footers unless asked for (a page that shows a footer has it compared)."""
    out = []
    for line in lines:
        line = PSQL_PREFIX.sub('', line.rstrip())
        if not line.strip() or NOISE.match(line) or (FOOTER.match(line.strip()) and not keep_footers):
            continue
        if SEPARATOR.match(line.strip()):
            out.append('+'.join('-' for _ in line.strip().split('+')))
        elif line.strip() == '...':
            out.append('...')
        else:
            out.append('|'.join(cell.strip() for cell in line.split('|')))
    return out


FAILURE = re.compile(r'^(ERROR|FATAL|PANIC):|^error:|server closed the connection|connection to server')


def failed(lines):
    return any(FAILURE.search(l) for l in lines)


def matches(expected, actual):
    """The page's lines against psql's: a "..." line stands for any rows between what is
    shown before and after it; rows may be shown without the header psql prints above them;
    an error psql printed must be shown."""
    if failed(actual) and not failed(expected):
        return False
    candidates = [actual]
    if len(actual) >= 2 and SEPARATOR.match(actual[1]):
        candidates.append(actual[2:])
    for candidate in candidates:
        if '...' in expected:
            cut = expected.index('...')
            head, tail = expected[:cut], expected[cut + 1:]
            if (len(candidate) >= len(head) + len(tail) and candidate[:len(head)] == head
                    and candidate[len(candidate) - len(tail):] == tail):
                return True
        elif candidate == expected:
            return True
    return False


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
    if done.returncode != 0:
        # psql lost the server or stopped: the statement it was on fails, and the rest
        last = max((i for i in outputs if i is not None), default=-1)
        outputs = {i: o for i, o in outputs.items() if i is not None and i < last}
    # a statement psql never reached (it could not connect, or stopped) has no output at all
    return [(path, at, sql, expected, outputs.get(i)) for i, (at, sql, expected) in enumerate(cases)]


def main(paths):
    number = failures = 0
    for path in paths:
        database = 'spm_docs_' + re.sub(r'\W', '_', os.path.basename(path).lower())
        for path_, at, sql, expected, actual in run_page(path, database):
            number += 1
            shows_footer = any(FOOTER.match(l.strip()) for l in expected)
            want = normal(expected, keep_footers=True)
            got = normal(actual or ['(psql never ran it)'], keep_footers=shows_footer)
            if actual is None:
                failing = True
            elif not want:
                # psql's own commands say nothing when they work and print no "ERROR:"
                failing = failed(got) or (sql.lstrip().startswith('\\') and bool(got))
            else:
                failing = not matches(want, got)
            first = sql.strip().split('\n')[0][:60]
            print('%sok %d - %s:%d %s' % ('not ' if failing else '', number, path_, at, first))
            if failing:
                failures += 1
                print('#   the page shows:\n' + ''.join('#     %s\n' % l for l in want or ['(no output)']), end='')
                print('#   psql printed:\n' + ''.join('#     %s\n' % l for l in got or ['(nothing)']), end='')
    print('1..%d' % number)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
