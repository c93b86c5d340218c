"""Small builders for Ronney's rule tests: synthetic, formally valid identity numbers only."""

from __future__ import annotations

from datetime import date

from robots.ronney.rules.identity import make_id
from robots.ronney.rules.model import Application, Person

TODAY = date(2025, 12, 30)


def pnr(year: int, month: int = 1, day: int = 1, serial: int = 123) -> str:
    return make_id(date(year, month, day), serial)


def adult(role: str = "sökande", year: int = 1985, serial: int = 123) -> Person:
    # born 14 March: on 1 December 2025 (the application month's first day) the person is 2025 − year
    return Person(personnummer=pnr(year, 3, 14, serial), role=role, age=TODAY.year - year)


def child(age: int, *, lunch_at_home: bool = True, serial: int = 200, **kw) -> Person:
    # born 1 June: `age` years old on 1 December 2025, as the typed age says
    born = date(TODAY.year - age, 6, 1)
    return Person(personnummer=make_id(born, serial), role="barn", age=age, lunch_at_home=lunch_at_home, **kw)


def application(household: list[Person], **kw) -> Application:
    values = dict(case_id="4711", month="2025-12", kind="Återansökan", status="Inkommen",
                  received=date(2025, 12, 22), household=household)
    values.update(kw)
    return Application(**values)
