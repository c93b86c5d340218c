"""The unit's lists: groups with their bases, and the paged lists of staff and recipients (ids only)."""

from __future__ import annotations

from runner.pages import Screen

from robots.lena.pages import SYSTEM


class GroupList(Screen):
    system = SYSTEM
    name = "Grupper"
    path = "/grupper"
    requires = ("table#grupper",)

    async def groups(self) -> list[dict[str, str]]:
        """Grupp, Namn, Koordinater (of the base) per group."""
        return await self.table("table#grupper", ("Grupp", "Namn", "Koordinater"))


class _Paged(Screen):
    """A list the system pages ("Nästa"): every page's first column, followed to the end."""

    table_id: str = ""
    id_column: str = ""

    async def ids(self) -> list[str]:
        return [r[self.id_column] async for screen in self.pages()
                for r in await screen.table(f"table#{self.table_id}", (self.id_column,))]


class StaffList(_Paged):
    system = SYSTEM
    name = "Personal"
    path = "/personal?grupp={group}"
    requires = ("table#personal",)
    table_id, id_column = "personal", "Personal"


class RecipientList(_Paged):
    system = SYSTEM
    name = "Brukare"
    path = "/brukare?grupp={group}"
    requires = ("table#brukare",)
    table_id, id_column = "brukare", "Brukare"


class GroupDay(Screen):
    """A group's day: its staff with their passes and absences as the system shows them now."""

    system = SYSTEM
    name = "Gruppens dag"
    path = "/grupper/{group}/dag/{day}"
    requires = ("table#dag-personal",)

    async def absent(self) -> dict[str, str]:
        """Staff id → absence (Swedish) for the staff absent that day."""
        rows = await self.table("table#dag-personal", ("Personal", "Frånvaro"))
        return {r["Personal"]: r["Frånvaro"] for r in rows if r["Frånvaro"].strip() not in ("", "–")}
