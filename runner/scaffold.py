"""`nattskift new NAME`: a robot package that runs and whose test passes before you change a line.

The generated robot works a tiny case list that its own test serves on loopback, so a developer sees the
whole shape (fetch → process → outcome, a logged-in page, evidence with sources) running in real Chromium
and then replaces the pages with their own system's.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


class ScaffoldError(Exception):
    pass


ROBOT = '''"""{title}: a Nattskift robot. Replace the pages and rules with your system's."""

from __future__ import annotations

from collections.abc import AsyncIterator

from pydantic import BaseModel

from runner.api import Context, Evidence, Outcome, Robot, WorkItem
from runner.pages import Screen


class {cls}Settings(Robot.Settings):
    """This robot's own settings, read from [robots.{name}] in the settings file."""

    done_status: str = "Klar"


class Case(BaseModel):
    """What process() needs to find a case again (stored in the ledger as JSON)."""

    case_id: str


class CaseList(Screen[{cls}Settings]):
    system, name, path = "{name}", "Ärenden", "/arenden"
    requires = ("table#arenden",)

    async def cases(self) -> list[Case]:
        return [Case(case_id=row["Ärende"]) for row in await self.table("table#arenden", ("Ärende",))]


class CasePage(Screen[{cls}Settings]):
    system, name, path = "{name}", "Ärende", "/arenden/{{case_id}}"
    requires = ("dl#arende",)

    async def status(self) -> str:
        return (await self.fields("dl#arende", ("Status",)))["Status"]


Ctx = Context[{cls}Settings]


class {cls}(Robot[{cls}Settings, Case]):
    name = "{name}"
    title = "{title}"
    description = "Förbereder ärenden i {name}-systemet inför morgonen."
    schedule = "0 2 * * *"
    minutes_saved_per_case = 5
    systems = ("{name}",)

    async def fetch(self, ctx: Ctx) -> AsyncIterator[WorkItem[Case]]:
        for case in await (await CaseList.open(ctx)).cases():
            yield WorkItem(key=case.case_id, title=f"Ärende {{case.case_id}}", data=case)

    async def process(self, ctx: Ctx, item: WorkItem[Case]) -> Outcome:
        status = await (await CasePage.open(ctx, case_id=item.data.case_id)).status()
        evidence = [Evidence(label="Status i systemet", value=status, source="{name}")]
        if status == ctx.settings.done_status:
            return Outcome.skipped("Redan klart", evidence=evidence)
        return Outcome.prepared("Klar för granskning", evidence=evidence)
'''

TEST = '''"""{cls} end to end: the real engine and real Chromium against a tiny case list served here."""

from __future__ import annotations

from pathlib import Path

import pytest

from runner.api import Status
from runner.testing import TinySystem, make_settings, run_robot

CASES = {{"1001": "Ny", "1002": "Klar"}}


@pytest.fixture
def system():
    s = TinySystem("{name}")

    @s.page("/arenden")
    def cases(params, form):
        rows = "".join(f"<tr><td>{{k}}</td></tr>" for k in CASES)
        return f"<table id='arenden'><thead><tr><th>Ärende</th></tr></thead><tbody>{{rows}}</tbody></table>"

    @s.page("/arenden/{{case_id}}")
    def case(params, form):
        return f"<dl id='arende'><dt>Status</dt><dd>{{CASES[params['case_id']]}}</dd></dl>"

    with s:
        yield s


def test_{name}_prepares_new_cases_and_skips_finished_ones(tmp_path, system):
    robots_dir = Path(__file__).resolve().parents[2]
    settings = make_settings(tmp_path, systems=system, robot_dirs=[robots_dir], robots={{"{name}": {{"concurrency": 2}}}})

    result = run_robot("{name}", settings)

    assert result.run.status == "completed"
    assert result.outcomes["1001"].status == Status.prepared
    assert result.outcomes["1002"].status == Status.skipped
'''

README = """# {title}

A Nattskift robot created with `nattskift new {name}`.

- `robot.py`: the robot: `fetch` lists the cases, `process` prepares one and returns an `Outcome`.
- `tests/test_{name}.py`: runs the robot end to end in real Chromium against a tiny case list.

Next steps: point `[systems.{name}]` in your settings at the real system, write page objects for its
screens, and put the rules in their own module with hand-worked tests. See docs/writing-a-robot.md.
"""


def scaffold_robot(name: str, directory: Path) -> Path:
    """Create `<directory>/<name>/` with robot.py, README.md and a passing test. Returns the folder."""
    if not NAME.match(name) or keyword.iskeyword(name):
        raise ScaffoldError(f"robot name {name!r}: use 2-31 lowercase letters, digits or _ , starting with a letter")
    folder = directory / name
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; choose another name or remove it")
    cls = "".join(part.capitalize() for part in name.split("_"))
    title = f"{cls} – ny robot"
    values = {"name": name, "cls": cls, "title": title}
    (folder / "tests").mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "robot.py").write_text(ROBOT.format(**values), encoding="utf-8")
    (folder / "tests" / f"test_{name}.py").write_text(TEST.format(**values), encoding="utf-8")
    (folder / "README.md").write_text(README.format(**values), encoding="utf-8")
    return folder
