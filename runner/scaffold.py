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

from runner.api import Context, Evidence, Outcome, Robot, WorkItem


class {cls}(Robot):
    name = "{name}"
    title = "{title}"
    description = "Förbereder ärenden i {name}-systemet inför morgonen."
    schedule = "0 2 * * *"
    minutes_saved_per_case = 5
    systems = ("{name}",)

    class Settings(Robot.Settings):
        """This robot's own settings, read from [robots.{name}] in the settings file."""

        done_status: str = "Klar"

    async def fetch(self, ctx: Context) -> AsyncIterator[WorkItem]:
        page = await ctx.goto("{name}", "/arenden")
        for row in await page.locator("tr[data-key]").all():
            key = await row.get_attribute("data-key")
            if key:
                yield WorkItem(key=key, title=f"Ärende {{key}}")

    async def process(self, ctx: Context, item: WorkItem) -> Outcome:
        page = await ctx.goto("{name}", f"/arenden/{{item.key}}")
        status = (await page.locator("#status").inner_text()).strip()
        evidence = [Evidence(label="Status i systemet", value=status, source="{name}")]
        if status == ctx.settings.done_status:
            return Outcome.skipped("Redan klart", evidence=evidence)
        return Outcome.prepared("Klar för granskning", evidence=evidence)
'''

TEST = '''"""{cls} end to end: the real engine and real Chromium against a tiny case list served here."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from runner.api import Status
from runner.testing import make_settings, run_robot

CASES = {{"1001": "Ny", "1002": "Klar"}}
LOGIN = ('<form method="post" action="/login"><label for="username">Användarnamn</label><input id="username" name="username">'
         '<label for="password">Lösenord</label><input id="password" name="password" type="password">'
         '<button type="submit">Logga in</button></form>')


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _html(self, body, code=200, headers=()):
        data = f"<!doctype html><html lang=sv><body>{{body}}</body></html>".encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/login"):
            return self._html(LOGIN)
        if "session=1" not in (self.headers.get("Cookie") or ""):
            return self._html("", 303, [("Location", "/login")])
        if self.path == "/arenden":
            rows = "".join(f'<tr data-key="{{k}}"><td>{{k}}</td></tr>' for k in CASES)
            return self._html(f"<table>{{rows}}</table>")
        key = self.path.rsplit("/", 1)[-1]
        return self._html(f'<p id="status">{{CASES[key]}}</p>')

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._html("", 303, [("Location", "/arenden"), ("Set-Cookie", "session=1; Path=/")])


class System:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def settings_toml(self):
        port = self.httpd.server_address[1]
        return f'[systems.{name}]\\nurl = "http://127.0.0.1:{{port}}"\\nusername = "robot"\\npassword = "x"\\n'


@pytest.fixture
def system():
    s = System()
    yield s
    s.httpd.shutdown()


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
