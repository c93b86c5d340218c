"""Swedish numbers and words in text staff read: one place for each rule, for the web pages, the exports
and the robots' findings alike."""

from __future__ import annotations

from typing import Any

NBSP = "\u00a0"


def number(value: Any) -> str:
    """1234567 → "1 234 567" (Swedish thousands separator, a no-break space)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{n:,}".replace(",", NBSP)


def count(n: Any, singular: str, plural: str, *, space: str = NBSP) -> str:
    """A number with its noun in the right form: "1 person", "2 personer", "1 234 ärenden".

    The one place Swedish number agreement is decided (the web pages, the exports and the robots' texts
    all use it), so "1 personer" cannot come back in one corner. A no-break space keeps the number with
    its noun on a page; `space=" "` for text that also goes to a terminal or an e-mail.
    """
    try:
        one = int(n) == 1 and float(n) == 1
    except (TypeError, ValueError):
        one = False
    return f"{number(n)}{space}{singular if one else plural}"
