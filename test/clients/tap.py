"""TAP lines for the python client programs: ok N - ... / not ok N - ..., then 1..N."""
import sys
import traceback

_count = 0
_failed = 0


def check(name, got, expected):
    """One test: got == expected, digit for digit (Decimal('1.0') == Decimal('1.00') in python,
    so their reprs are compared too), the difference shown when not."""
    global _count, _failed
    _count += 1
    if got == expected and repr(got) == repr(expected):
        print(f'ok {_count} - {name}')
    else:
        _failed += 1
        print(f'not ok {_count} - {name}')
        print(f'#   got:      {got!r}')
        print(f'#   expected: {expected!r}')


def run(main):
    """Runs main(), counts an exception as one failed test, prints the plan and exits 1 on failure."""
    global _count, _failed
    try:
        main()
    except Exception:
        _count += 1
        _failed += 1
        print(f'not ok {_count} - the program stopped')
        print('\n'.join('# ' + line for line in traceback.format_exc().splitlines()))
    print(f'1..{_count}')
    sys.exit(1 if _failed else 0)
