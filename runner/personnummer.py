"""Finding personnummer and samordningsnummer in text, however they were typed or pasted.

One matcher serves everything that masks: the log scrubber (`runner.redact`), the lists and exports of
the morning report (`runner.web.masking`) and the test suite's scan of every log it wrote. Two patterns
with two sets of rules let one of them be slipped past; this module is the only place the rules live.

Text from source systems and from people is not tidy ASCII, so the text is folded before it is matched:

- any decimal digit (full-width `１９８５`, Arabic-Indic, …) counts as that digit;
- any dash (hyphen, en and em dash, U+2011 non-breaking hyphen, the minus sign, full-width hyphen-minus)
  counts as `-`, and any plus sign (full-width `＋`) as `+`;
- any space character (no-break space, thin space, narrow no-break space) counts as a space, and up to
  three of them may stand around the separator (`850101 - 1234`);
- invisible characters (zero-width space, word joiner, soft hyphen, bidi controls, combining marks) are
  ignored, also between the digits.

A match is 10 digits (YYMMDD NNNN) or 12 digits beginning 19 or 20 (YYYYMMDD NNNN), not inside a longer
run of digits. The date is deliberately not checked: source systems hold mistyped numbers (month 13),
and a mistyped personnummer still points at a person. An order number that happens to have the shape is
masked too: that costs a click, a leaked personnummer cannot be taken back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_IGNORED = "\x00"  # what invisible characters fold to; removed before matching
_MINUS_SIGNS = frozenset("\u2212\u02d7\u2796")  # Sm/Sk/So characters that read as a dash

PATTERN = re.compile(
    r"(?<![0-9])(?P<birth>(?:19|20)[0-9]{6}|[0-9]{6})"
    r"(?: {0,3}(?P<sep>[-+]) {0,3}| {0,3})"
    r"(?P<serial>[0-9]{4})(?![0-9])"
)


class _Fold(dict[int, int]):
    """str.translate table, filled on first sight of each character: one character in, one out, so a
    position in the folded text is the same position in the original."""

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        category = unicodedata.category(ch)
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            out = str(digit)
        elif category == "Pd" or ch in _MINUS_SIGNS:
            out = "-"
        elif unicodedata.normalize("NFKC", ch) == "+":
            out = "+"
        elif category == "Zs":
            out = " "
        elif category in ("Cf", "Mn", "Me") or ch == _IGNORED:
            out = _IGNORED
        else:
            out = ch
        self[code] = ord(out)
        return self[code]


_FOLD = _Fold()


@dataclass(frozen=True)
class Found:
    """One personnummer in a text: its span in the original text and its digits as ASCII."""

    start: int
    end: int
    birth: str  # 6 or 8 digits
    separator: str  # "-", "+" or "" (a space or nothing)
    serial: str  # the last four digits


def find(text: str) -> Iterator[Found]:
    """Every personnummer-shaped value in `text`, left to right."""
    if text.isascii() and _IGNORED not in text:
        view, positions = text, None
    else:
        folded = text.translate(_FOLD)
        if _IGNORED in folded:
            positions = [i for i, c in enumerate(folded) if c != _IGNORED]
            view = folded.replace(_IGNORED, "")
        else:
            view, positions = folded, None
    for m in PATTERN.finditer(view):
        start, end = m.span()
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        yield Found(start, end, m.group("birth"), m.group("sep") or "", m.group("serial"))


def replace(text: str, replacement: Callable[[Found], str]) -> str:
    """`text` with every personnummer replaced by `replacement(found)`."""
    out: list[str] = []
    last = 0
    for found in find(text):
        out.append(text[last:found.start])
        out.append(replacement(found))
        last = found.end
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


def count(text: str) -> int:
    """How many personnummer-shaped values `text` holds (for scans that must not show them)."""
    return sum(1 for _ in find(text))
