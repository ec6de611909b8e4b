"""Money is written one way everywhere: by `loti.core.money` and its template filters, never by
hand. These read the source, so they need no database."""

import re
from pathlib import Path

import loti

SOURCE = Path(loti.__file__).parent

# A pound sign written before a template value or a Python format field, then formatted by
# hand (floatformat, intcomma, a format spec) instead of by `money` or `estimate`.
HAND_WRITTEN_IN_TEMPLATES = re.compile(r"£\{[{%][^}]*(floatformat|intcomma)")
HAND_WRITTEN_IN_PYTHON = re.compile(r"£\{[^}]*:[^}]*\}")


def _offenders(pattern: str, regex: re.Pattern[str]) -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob(pattern)):
        relative = path.relative_to(SOURCE).as_posix()
        if relative == "core/money.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if regex.search(line):
                found.append(f"{relative}:{number}: {line.strip()[:120]}")
    return found


def test_no_template_formats_money_by_hand():
    offenders = _offenders("*.html", HAND_WRITTEN_IN_TEMPLATES)
    assert offenders == [], "Use {{ amount|money }} or |estimate:\n" + "\n".join(offenders)


def test_no_python_formats_money_by_hand():
    offenders = _offenders("*.py", HAND_WRITTEN_IN_PYTHON)
    assert offenders == [], "Use loti.core.money:\n" + "\n".join(offenders)


def test_the_checks_find_hand_written_money():
    assert HAND_WRITTEN_IN_TEMPLATES.search('£{{ call.budget|floatformat:"0g" }}')
    assert HAND_WRITTEN_IN_TEMPLATES.search("£{{ total|intcomma }}")
    assert not HAND_WRITTEN_IN_TEMPLATES.search("{{ call.budget|money }}")
    assert HAND_WRITTEN_IN_PYTHON.search('f"£{amount:,.0f}"')
    assert not HAND_WRITTEN_IN_PYTHON.search('f"{money(amount)} or less"')
