"""Personnummer and samordningsnummer: format, Luhn check digit and a real date.

Skatteverket: YYMMDD-NNNK, K the Luhn digit over the nine digits YYMMDDNNN (weights 2,1,2,…);
a samordningsnummer has the birth day + 60. Systems store 12 digits with the century; the 10-digit form
uses '+' from the year a person turns 100. Messages are Swedish because they reach findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

_PNR = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")

Kind = Literal["personnummer", "samordningsnummer"]


@dataclass(frozen=True)
class IdCheck:
    valid: bool
    kind: Kind | None = None
    birth_date: date | None = None
    reason: str = ""  # Swedish, without the number itself


def luhn_digit(nine: str) -> int:
    """The check digit for the nine digits YYMMDDNNN."""
    total = 0
    for i, ch in enumerate(nine):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p - 9 if p > 9 else p
    return (10 - total % 10) % 10


def check_id(text: str, *, today: date) -> IdCheck:
    """Validate a personnummer or samordningsnummer (10 or 12 digits, '-' or '+')."""
    m = _PNR.match(text.strip().replace(" ", ""))
    if not m:
        return IdCheck(False, reason="fel format (ska vara ÅÅÅÅMMDD-NNNN)")
    century, yymmdd, sep, tail = m.groups()
    digits10 = yymmdd + tail
    if luhn_digit(digits10[:9]) != int(digits10[9]):
        return IdCheck(False, reason="kontrollsiffran stämmer inte")
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    kind: Kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    if century is not None:
        years = [int(century) * 100 + yy]
    else:
        # Without the century: the latest year not in the future; '+' means 100 years or more ago.
        base = today.year - (100 if sep == "+" else 0)
        year = base - ((base - yy) % 100)
        years = [year]
    try:
        born = date(years[0], mm, dd)
    except ValueError:
        return IdCheck(False, kind=kind, reason="datumet finns inte")
    if born > today:
        return IdCheck(False, kind=kind, reason="födelsedatumet ligger i framtiden")
    return IdCheck(True, kind=kind, birth_date=born)


def make_id(birth: date, serial: int, *, samordning: bool = False) -> str:
    """A formally valid 12-digit number (for fixtures and tests): YYYYMMDD-NNNK."""
    day = birth.day + (60 if samordning else 0)
    nine = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}{serial:03d}"
    return f"{birth.year:04d}{birth.month:02d}{day:02d}-{serial:03d}{luhn_digit(nine)}"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
