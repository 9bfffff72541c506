#!/usr/bin/env python3
"""test/clients/excerpts.py: the code doc/clients.md quotes is the code test/run check runs.

    test/clients/excerpts.py doc/clients.md

Every ```python, ```java and ```js block of the page is an excerpt of one program of that
language in test/clients/: its lines, without their indentation and without blank lines,
appear in that program in a row; a line "..." stands for any lines left out.  One TAP line
per block; exits 1 on any failure.
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
PROGRAMS = {'python': '*_client.py', 'java': '*.java', 'js': '*_client.js'}


def blocks(text):
    """(line number, language, lines) of each fenced block in one of PROGRAMS' languages."""
    found, current = [], None
    for number, line in enumerate(text.split('\n'), 1):
        fence = line.strip()
        if current is None and fence.startswith('```') and fence[3:] in PROGRAMS:
            current = (number, fence[3:], [])
        elif current is not None and fence == '```':
            found.append(current)
            current = None
        elif current is not None:
            current[2].append(line)
    return found


def stripped(lines):
    return [line.strip() for line in lines if line.strip()]


def quotes(program, excerpt):
    """Whether the excerpt's pieces (split at "...") appear in the program, each in a row, in order."""
    pieces, piece = [], []
    for line in excerpt:
        if line == '...':
            pieces.append(piece)
            piece = []
        else:
            piece.append(line)
    pieces.append(piece)
    at = 0
    for piece in pieces:
        if not piece:
            continue
        while at + len(piece) <= len(program) and program[at:at + len(piece)] != piece:
            at += 1
        if at + len(piece) > len(program):
            return False
        at += len(piece)
    return True


def main(pages):
    count = failed = 0
    for page in pages:
        for number, language, lines in blocks(pathlib.Path(page).read_text()):
            count += 1
            excerpt = stripped(lines)
            programs = sorted(HERE.glob(PROGRAMS[language]))
            source = [p.name for p in programs
                      if any(line != '...' for line in excerpt)
                      and quotes(stripped(p.read_text().split('\n')), excerpt)]
            if source:
                print(f'ok {count} - {page}:{number} {language} excerpt of {source[0]}')
            else:
                failed += 1
                print(f'not ok {count} - {page}:{number} {language} excerpt found in no program of test/clients/')
    print(f'1..{count}')
    return 1 if failed or count == 0 else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
