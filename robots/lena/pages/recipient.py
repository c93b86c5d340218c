"""A recipient's page for the period (facts, decisions, absences, besöksbehov, the published plan, the 14
days before, an open proposal) and a proposal's own page (its visits)."""

from __future__ import annotations

from dataclasses import dataclass

from runner.pages import Screen

from robots.lena.pages import SYSTEM

VISIT_COLUMNS = ("Besök", "Datum", "Tid", "Minuter", "Personal")


@dataclass(frozen=True)
class RecipientView:
    """What the page shows, as text (the personnummer only to tell whether the recipient is 65 or older)."""

    id: str
    facts: dict[str, str]
    decisions: list[dict[str, str]]
    absences: list[dict[str, str]]
    needs: list[dict[str, str]]
    plan: list[dict[str, str]]
    history: list[dict[str, str]]
    draft: dict[str, str] | None  # the open proposal's facts: Förslag, Period, Skapat av


class RecipientPage(Screen):
    system = SYSTEM
    name = "Brukare"
    path = "/brukare/{rid}?fran={start}&till={end}"
    requires = ("dl#brukare-fakta", "table#beslut", "table#behov", "table#plan", "table#historik")

    async def read(self, rid: str) -> RecipientView:
        snap = await self.snapshot()
        facts = snap.fields("brukare-fakta", ("Brukare", "Personnummer", "Grupp", "Koordinater", "Språkönskemål",
                                              "Fast omsorgskontakt"))
        if facts["Brukare"] != rid:
            raise self.changed(f"the page shows recipient {facts['Brukare']!r}, not {rid!r}")
        return RecipientView(
            id=rid,
            facts=facts,
            decisions=snap.table("beslut", ("Beslut", "Insats", "Omfattning")),
            absences=snap.table("brukare-franvaro", ("Från", "Till")),
            needs=snap.table("behov", ("Besök", "Aktivitet", "Insats", "Dagar", "Tidsfönster", "Minuter", "Personal",
                                       "Delegering")),
            plan=snap.table("plan", VISIT_COLUMNS),
            history=snap.table("historik", VISIT_COLUMNS),
            draft=snap.fields("forslag-fakta", ("Förslag", "Period", "Skapat av")) if snap.has("forslag-fakta") else None,
        )


class DraftPage(Screen):
    """A proposal: its facts and the visits it plans."""

    system = SYSTEM
    name = "Förslag"
    path = "/forslag/{fid}"
    requires = ("dl#forslag-fakta", "table#forslag-besok")

    async def read(self) -> tuple[dict[str, str], list[dict[str, str]], list[dict[str, str]]]:
        """(facts, the visits it plans, the visits it leaves with their reasons)."""
        snap = await self.snapshot()
        facts = snap.fields("forslag-fakta", ("Förslag", "Brukare", "Period", "Skapat av", "Status"))
        return facts, snap.table("forslag-besok", VISIT_COLUMNS), snap.table("forslag-ej-planerade", ("Besök", "Orsak"))
