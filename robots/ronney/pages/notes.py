"""The case journal ("Anteckningar"): list the notes, and add one with the system's form."""

from __future__ import annotations

from runner.api import BusinessError, Context
from runner.pages import Screen

NOTES_PATH = "/arenden/{case_id}/anteckningar"


class NoteList(Screen):
    system = "ekonomi"
    name = "Anteckningar"
    path = NOTES_PATH
    requires = ("table#anteckningar",)

    async def titles(self) -> list[str]:
        return [r["Rubrik"] for r in await self.table("table#anteckningar", ("Datum", "Rubrik"))]


class NoteForm(Screen):
    system = "ekonomi"
    name = "Ny anteckning"
    path = NOTES_PATH + "/ny"
    requires = ("form#ny-anteckning",)


async def note_titles(ctx: Context, case_id: str) -> list[str]:
    return await (await NoteList.open(ctx, case_id=case_id)).titles()


async def add_note(ctx: Context, case_id: str, month: str, title: str, text: str) -> None:
    """Fill and send the form; the system must answer with the note in the list, else it is an error."""
    form = await NoteForm.open(ctx, case_id=case_id)
    errors = await form.submit("form#ny-anteckning", select={"#manad": month}, fill={"#rubrik": title, "#text": text})
    if errors:
        raise BusinessError("ANTECKNING_NEKAD", "Ekonomi tog inte emot Ronneys anteckning: " + "; ".join(errors)[:300])
    journal = NoteList(ctx, form.page)
    await journal.verify()
    if title not in await journal.titles():
        raise RuntimeError("the note is not in the journal after saving")
