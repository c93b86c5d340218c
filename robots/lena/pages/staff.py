"""A staff member's page: languages, delegations and the passes of the period (absences shown per day)."""

from __future__ import annotations

from dataclasses import dataclass

from runner.pages import Screen

from robots.lena.pages import SYSTEM


@dataclass(frozen=True)
class StaffView:
    """What the page shows, as text: the robot's reading turns it into `model.Staff`."""

    id: str
    languages: str
    delegations: list[dict[str, str]]
    passes: list[dict[str, str]]


class StaffPage(Screen):
    system = SYSTEM
    name = "Personal"
    path = "/personal/{sid}?fran={start}&till={end}"
    requires = ("dl#personal-fakta", "table#delegeringar", "table#schema")

    async def read(self, sid: str) -> StaffView:
        snap = await self.snapshot()
        facts = snap.fields("personal-fakta", ("Personal", "Språk"))
        if facts["Personal"] != sid:
            raise self.changed(f"the page shows staff {facts['Personal']!r}, not {sid!r}")
        return StaffView(
            id=sid,
            languages=facts["Språk"],
            delegations=snap.table("delegeringar", ("Delegering", "Från", "Till")),
            passes=snap.table("schema", ("Datum", "Arbetstid", "Rast (min)", "Rast tas", "Frånvaro")),
        )
