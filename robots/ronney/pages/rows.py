"""The rows of an application's tables (household, incomes, costs, history) as the rules take them.

ekonomi shows each value as a person typed it. A value the rules need that is empty or unreadable is a
case for a person (UPPGIFT_OLASLIG, naming the field), never a technical error and never a guess. The
typed "Ålder" is passed on as shown: the rules take the age from the birth date and check the typed one
against it (rules/ages.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from runner.api import BusinessError, PageChangedError
from runner.pages import parse_amount, parse_date

from robots.ronney.rules.model import Cost, Income, MonthDecision, Person

SYSTEM = "ekonomi"
PAGE_NAME = "Ansökan"
ROLES = {"sökande": "sökande", "medsökande": "medsökande", "barn": "barn", "annan vuxen (ej sambo)": "annan vuxen"}
ROLE_NAMES = {"sökande": "den sökande", "medsökande": "medsökande", "barn": "ett barn", "annan vuxen": "en annan vuxen"}
LIVING = {"bor här": "heltid", "växelvis boende": "växelvis", "umgänge": "umgänge"}
STUDIES = {"–": "", "-": "", "": "", "grundskola": "grundskola", "gymnasieskola": "gymnasieskola",
           "anpassad gymnasieskola": "anpassad gymnasieskola", "folkhögskola": "folkhögskola", "komvux": "komvux",
           "annan utbildning": "annan"}
EMPTY = ("", "–", "-")
PEOPLE_COLUMNS = ("Roll", "Personnummer", "Ålder", "Boende", "Dagar i hushållet", "Studier")
INCOME_COLUMNS = ("Personnummer", "Typ", "Belopp", "Brutto", "Utbetald")
HISTORY_COLUMNS = ("Månad", "Beslut", "Behov", "Inkomster som räknades")

#: Free text typed into the case system is quoted in findings and in the note; beyond this it is cut, so
#: an absurdly long entry still gives a readable finding and a note the journal accepts.
TEXT_LIMIT = 80
T = TypeVar("T")


def short(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def typed(label: str, parse: Callable[[str], T], text: str) -> T:
    """A value a person typed into the case system, or a case for a person when it cannot be read.

    The old system kept amounts, dates and ages as free text; an empty or unreadable one must not fail
    the night as a technical error (it would be retried in vain), nor be guessed: the caseworker is told
    which field to correct. The value itself is not quoted: it may be an income.
    """
    try:
        return parse(text)
    except ValueError:
        problem = "saknas" if not text.strip() else "går inte att läsa"
        raise BusinessError(
            "UPPGIFT_OLASLIG",
            f"{label} {problem} i Ekonomi. Rätta uppgiften i ansökan; Ronney förbereder ärendet nästa natt.",
        ) from None


def optional(label: str, parse: Callable[[str], T], text: str) -> T | None:
    """Like `typed`, but "–" (not filled in) is None."""
    return None if text.strip() in EMPTY else typed(label, parse, text)


def _typed_age(text: str) -> int | str:
    """The typed "Ålder" as shown: a number, or text that is none (empty included). ekonomi has the field,
    so an empty one is a field to fill in (ALDER_OLASLIG), not a system without it."""
    text = text.strip()
    return int(text) if text.isdigit() else text


def _days(text: str) -> int:
    days = int(text.strip())
    if not 1 <= days <= 31:
        raise ValueError("not a number of days in a month")
    return days


def _choice(mapping: dict[str, str], text: str, what: str) -> str:
    value = mapping.get(text.strip().casefold())
    if value is None:
        raise PageChangedError(SYSTEM, PAGE_NAME, f"unknown {what} in household table")
    return value


def people(rows: list[dict[str, str]]) -> list[Person]:
    out = []
    for r in rows:
        role = _choice(ROLES, r["Roll"], "role")
        living = _choice(LIVING, r["Boende"], "living arrangement")
        days = None
        if living != "heltid":
            days = typed(f"Antalet dagar i hushållet för {ROLE_NAMES[role]} med {r['Boende'].strip().lower()}",
                         _days, r["Dagar i hushållet"])
        out.append(Person(personnummer=r["Personnummer"], role=role, typed_age=_typed_age(r["Ålder"]),
                          lunch_at_home=r.get("Lunch hemma", "Ja").strip() != "Nej", living=living, days=days,
                          studies=_choice(STUDIES, r["Studier"], "school form")))
    return out


def incomes(rows: list[dict[str, str]]) -> list[Income]:
    out = []
    for r in rows:
        name = short(r["Typ"])
        out.append(Income(personnummer=r["Personnummer"], type=name,
                          amount=typed(f"Beloppet för inkomsten ”{name}”", parse_amount, r["Belopp"]),
                          gross=optional(f"Bruttobeloppet för inkomsten ”{name}”", parse_amount, r["Brutto"]),
                          paid=optional(f"Utbetalningsdagen för inkomsten ”{name}”", parse_date, r["Utbetald"])))
    return out


def _cost_amount(text: str) -> int:
    amount = parse_amount(text)
    if amount < 0:
        raise ValueError("a cost is not negative")
    return amount


def costs(rows: list[dict[str, str]]) -> list[Cost]:
    return [Cost(type=short(r["Typ"]),
                 amount=typed(f"Beloppet för kostnaden ”{short(r['Typ'])}”", _cost_amount, r["Belopp"]))
            for r in rows]


def history(rows: list[dict[str, str]]) -> list[MonthDecision]:
    """Granted and refused months, with the need and counted incomes a normöverskott is counted from."""
    return [MonthDecision(month=r["Månad"], decision=r["Beslut"],
                          needs=optional(f"Behovet i beräkningen för {r['Månad']}", parse_amount, r["Behov"]),
                          counted_incomes=optional(f"Inkomsterna som räknades i beräkningen för {r['Månad']}",
                                                   parse_amount, r["Inkomster som räknades"]))
            for r in rows if r["Beslut"] in ("Beviljad", "Avslagen")]


def day(label: str, text: str) -> date:
    return typed(label, parse_date, text)
