"""The Drift page in real Chromium: operations run, pause, resume, stop and retry a robot, with the
real NightScheduler in the app's process (as `nattskift serve` runs it) and the real engine working the
tiny robot against its stand-in system. Staff see no Drift page and cannot post its actions."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from runner.control.pausing import is_paused
from runner.ledger.db import open_database
from runner.ledger.models import AuditEntry, Item, Run
from runner.ledger.repo import Ledger
from runner.logging import configure_logging
from runner.plugins import add_robot_dirs
from runner.scheduler.job import NightDebugExecutor
from runner.scheduler.plan import PlannedSchedule
from runner.scheduler.service import NightScheduler
from runner.settings import Settings, load_settings
from runner.web.app import create_app
from runner.web.auth import add_user
from tests.scheduler.helpers import Clock, FakeEngine, ManualScheduler, local
from tests.support.target import ROBOT_DIR, TargetServer
from tests.support.waits import wait_until
from tests.web.axe import axe_violations
from tests.web.conftest import PASSWORD, login, serve_app

pytestmark = pytest.mark.browser
NATTSKIFT = str(Path(sys.executable).parent / "nattskift")
USERS = {"drift": ["operations"], "chef": ["admin"], "handlaggare": ["staff:tiny"]}


@dataclass
class Room:
    url: str
    config: Path
    settings: Settings
    server: TargetServer
    service: NightScheduler | None

    @property
    def ledger(self) -> Ledger:
        return Ledger(open_database(self.settings.database_url())[1])

    def runs(self) -> list[tuple[str, str]]:
        """(id, status) of the tiny robot's runs, newest first."""
        return [(r.id, r.status) for r in self.ledger.list_runs("tiny", 50)]

    def audit(self, action: str) -> list[AuditEntry]:
        with self.ledger.sessions() as s:
            return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "NATTSKIFT_CONFIG"}
        return subprocess.run([NATTSKIFT, *args, "-c", str(self.config)], capture_output=True, text=True, env=env,
                              timeout=300)


def _config(tmp_path: Path, server: TargetServer, database_url: str | None = None) -> Path:
    """A real settings file, so the CLI started below works on the very ledger the page shows."""
    path = tmp_path / "nattskift.toml"
    chromium = os.environ.get("NATTSKIFT_CHROMIUM")
    path.write_text(
        f'data_dir = "{tmp_path / "var"}"\nrobot_dirs = ["{ROBOT_DIR}"]\n'
        + (f'[database]\nurl = "{database_url}"\n' if database_url else "") +
        '[workers]\nlease_seconds = 3\n'  # the heartbeat that reads a stop request: every second
        '[logging]\nconsole = "never"\n'
        '[browser]\ntrace_failures = false\n' + (f'executable_path = "{chromium}"\n' if chromium else "") +
        '[scheduler]\nrobots = ["tiny"]\n'
        '[robots.tiny]\nschedule = "30 1 * * *"\ncalendar = "working_days"\nconcurrency = 1\nmax_attempts = 1\n'
        'retry_backoff_seconds = 0.05\n' + server.settings_toml(),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def room(tmp_path: Path, cheap_hashes: None) -> Iterator[Room]:
    with _open_room(tmp_path) as opened:
        yield opened


@pytest.fixture
def pg_room(tmp_path: Path, cheap_hashes: None, postgres_url: str) -> Iterator[Room]:
    from runner.ledger.db import close_database
    from tests.support.pg import pg_schema_url

    with pg_schema_url(postgres_url) as url:
        try:
            with _open_room(tmp_path, url) as opened:
                yield opened
        finally:
            close_database(url)


@contextmanager
def _open_room(tmp_path: Path, database_url: str | None = None) -> Iterator[Room]:
    """The app with its scheduler (as `nattskift serve` runs them) over a fresh ledger, and the users."""
    with TargetServer([f"A{i:03d}" for i in range(6)]) as target:
        config = _config(tmp_path, target, database_url)
        settings = load_settings(config)
        configure_logging("info", "never", settings.data_dir / "logs")
        sessions = open_database(settings.database_url())[1]
        for username, roles in USERS.items():
            add_user(sessions, username, PASSWORD, roles, username.capitalize())
        service = NightScheduler(settings)
        service.start()
        server, thread, port = serve_app(create_app(settings, scheduler=service))
        try:
            yield Room(f"http://127.0.0.1:{port}", config, settings, target, service)
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            service.shutdown()


def _robot(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("section.drift-robot", has=page.get_by_role("heading", name="Tiny – testrobot"))


def _finished(room: Room, run_id: str) -> Run:
    wait_until(lambda: (r := room.ledger.get_run(run_id)) is not None and r.status != "running", f"run {run_id} ended")
    run = room.ledger.get_run(run_id)
    assert run is not None
    return run


def _start_held(page: Page, room: Room, key: str = "A002", *, fail: frozenset[str] = frozenset()) -> str:
    """Start a run from the page while the stand-in holds its answer on `key` (the run is surely still
    going until `release` is set); returns the run's id once the run is waiting there. Logged in as drift."""
    room.server.state.hold_keys = {key}
    room.server.state.fail_keys = set(fail)
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Kör Tiny nu").click()
    run_id = _started_run(page)
    wait_until(lambda: room.server.state.held == [key], f"the run reached {key}")
    return run_id


def _stop_taken(room: Room, run_id: str) -> None:
    """Wait until the engine has read the stop request (its run log says so), then let the held page go."""
    run_log = room.settings.data_dir / "logs" / "runs" / f"{run_id}.jsonl"
    wait_until(lambda: "run.stop_requested" in run_log.read_text(encoding="utf-8"), "the engine took the stop request")
    room.server.state.release.set()


def _started_run(page: Page) -> str:
    link = page.get_by_role("status").get_by_role("link", name=re.compile("Visa körningen"))
    return (link.get_attribute("href") or "").rsplit("/", 1)[1]


def test_run_now_from_the_page_is_the_run_the_cli_shows_and_resumes(page: Page, room: Room) -> None:
    login(page, _as(room), "drift")
    page.goto(room.url + "/drift")
    expect(page.get_by_text("Schemaläggaren körs i den här processen")).to_be_visible()
    robot = _robot(page)
    expect(robot).to_contain_text("varje arbetsdag kl.")
    expect(robot.locator("li")).to_have_count(3)  # the next three start times
    # an installed robot the scheduler does not start (scheduler.robots lists only tiny) says so
    ronney = page.locator("section.drift-robot", has=page.get_by_role("heading", name=re.compile("^Ronney")))
    expect(ronney).to_contain_text("Inte schemalagd")
    expect(ronney.locator("li")).to_have_count(0)

    robot.get_by_label("Högst antal ärenden (valfritt)").fill("2")
    robot.get_by_role("button", name="Kör Tiny nu").click()
    expect(page.get_by_role("status")).to_contain_text("Körningen är startad.")
    run_id = _started_run(page)
    first = _finished(room, run_id)
    assert (first.status, first.counts) == ("completed", {"prepared": 2, "not_reached": 4})

    listed = json.loads(room.cli("runs", "--json").stdout)
    assert [r["run_id"] for r in listed] == [run_id]
    # the CLI resumes what the page's run left: the four items not reached, each written once
    resumed = room.cli("run", "tiny", "--json")
    summary = json.loads(resumed.stdout)
    assert (summary["status"], summary["resumed"], summary["counts"]) == ("completed", 4, {"prepared": 4})
    assert set(room.server.state.writes.values()) == {1} and len(room.server.state.writes) == 6

    entry = room.audit("control_run_now")[-1]
    assert (entry.username, entry.target, entry.detail["via"], entry.detail["limit"]) == ("drift", "robot:tiny", "web", 2)

    # a run the CLI started shows on the page too, with its outcome and duration
    page.goto(room.url + "/drift")
    rows = _robot(page).locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Klar")


def _as(room: Room) -> object:
    return SimpleNamespace(url=room.url)


def test_a_dry_run_and_a_refused_second_start(page: Page, room: Room) -> None:
    room.server.state.hold_keys = {"A001"}  # the stand-in holds its answer: the run is still going when asked again
    login(page, _as(room), "drift")
    page.goto(room.url + "/drift")
    robot = _robot(page)
    robot.get_by_label("Provkörning (skriver inget i verksamhetssystemen)").check()
    robot.get_by_role("button", name="Kör Tiny nu").click()
    expect(page.get_by_role("status")).to_contain_text("Provkörningen är startad.")
    run_id = _started_run(page)

    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Kör Tiny nu").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Det gick inte: tiny kör redan (körning {run_id}")
    refused = room.audit("control_refused")[-1]
    assert (refused.username, refused.detail["refused"]) == ("drift", "run_now")

    room.server.state.release.set()
    run = _finished(room, run_id)
    assert run.dry_run and run.status == "completed"
    assert room.server.state.writes == {}  # a dry run writes nothing


def test_stop_leaves_the_items_resumable_and_the_page_runs_them_again(page: Page, room: Room) -> None:
    login(page, _as(room), "drift")
    run_id = _start_held(page, room)

    page.goto(room.url + "/drift")
    running = _robot(page)
    expect(running.get_by_role("heading", name="Pågående körning")).to_be_visible()
    expect(running).to_contain_text("2 behandlade, 4 kvar")
    running.get_by_role("button", name="Stoppa körningen").click()
    expect(page.get_by_role("status")).to_contain_text("Körningen ombeds stoppa.")
    _stop_taken(room, run_id)
    stopped = _finished(room, run_id)
    assert (stopped.status, stopped.stop_cause) == ("interrupted", "operator")
    assert stopped.reason.startswith("Körningen stoppades av driften (drift)")
    left = stopped.counts.get("not_reached", 0)
    assert left >= 1 and room.ledger.item_states("tiny").get("in_progress", 0) == 0
    assert room.audit("control_stop")[-1].target == f"run:{run_id}"

    # stopping it again is refused with the reason
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    twice = page.request.post(f"{room.url}/drift/korningar/{run_id}/stoppa", form={"csrf_token": csrf})
    assert twice.status == 409 and "Körningen pågår inte längre (status: Avbruten)." in twice.text()
    room.server.state.latency = 0
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Kör Tiny nu").click()
    again = _finished(room, _started_run(page))
    assert (again.status, again.counts) == ("completed", {"prepared": left})
    assert set(room.server.state.writes.values()) == {1} and len(room.server.state.writes) == 6


def test_retry_failed_items_of_a_run(page: Page, room: Room) -> None:
    room.server.state.fail_keys = {"A001", "A004"}
    login(page, _as(room), "drift")
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Kör Tiny nu").click()
    first = _finished(room, _started_run(page))
    assert first.counts == {"prepared": 4, "failed": 2}

    room.server.state.fail_keys = set()  # the system is fixed
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Försök igen med 2 ärenden").click()
    expect(page.get_by_role("status")).to_contain_text("en körning för dem är startad")
    retry = _finished(room, _started_run(page))
    assert (retry.status, retry.counts) == ("completed", {"prepared": 2})
    assert room.audit("control_retry")[-1].detail["items"] == 2

    page.goto(room.url + "/drift")
    expect(_robot(page).get_by_role("button", name=re.compile("Försök igen"))).to_have_count(0)
    # asked again (an old form): refused, nothing left to retry
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = page.request.post(f"{room.url}/drift/korningar/{first.id}/forsok-igen", form={"csrf_token": csrf or ""})
    assert answer.status == 409 and "inga misslyckade ärenden kvar" in answer.text()


def test_pause_survives_a_scheduler_restart_and_resume_does_not_catch_up(
    page: Page, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(page, _as(room), "drift")
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Pausa Tiny").click()
    expect(page.get_by_role("status")).to_contain_text("Roboten är pausad.")
    expect(_robot(page)).to_contain_text("Pausad")
    expect(_robot(page).locator("li").first).to_contain_text("startar inte: pausad")
    expect(_robot(page).get_by_role("button", name="Pausa Tiny")).to_have_count(0)
    assert room.audit("control_pause")[-1].username == "drift"

    # the scheduler restarts (the machine rebooted) and a night falls due: it starts nothing
    assert room.service is not None
    room.service.shutdown()
    clock = Clock(local(2026, 11, 24, 1, 30, 5))  # a Tuesday, a working day, just after 01:30
    fake = SimpleNamespace(now=lambda tz=None: clock.now.astimezone(tz))
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", fake)
    monkeypatch.setattr("apscheduler.executors.base.datetime", fake)
    engine = FakeEngine()

    def restarted() -> NightScheduler:
        service = NightScheduler(room.settings, run_fn=engine, clock=clock, scheduler_factory=ManualScheduler,
                                 executor_factory=lambda hooks, n: NightDebugExecutor(hooks), maintenance_interval=3600)
        service.start()
        return service

    night = restarted()
    try:
        night.scheduler.modify_job("robot:tiny", next_run_time=local(2026, 11, 24, 1, 30))
        night.scheduler.tick()  # type: ignore[attr-defined]
        assert engine.calls == [] and room.runs() == []  # skipped, and not recorded as missed either
    finally:
        night.shutdown()
    assert is_paused(room.ledger.sessions, "tiny")

    page.goto(room.url + "/drift")
    expect(_robot(page)).to_contain_text("Pausad")
    _robot(page).get_by_role("button", name="Återuppta Tiny").click()
    expect(page.get_by_role("status")).to_contain_text("Roboten är återupptagen.")
    assert room.audit("control_resume")[-1].detail["catch_up"] is False

    clock.now = local(2026, 11, 24, 2, 0)
    night = restarted()
    try:
        night.scheduler.tick()  # type: ignore[attr-defined]
        assert engine.calls == []  # the night missed while paused is not caught up
        clock.now = local(2026, 11, 25, 1, 30, 5)
        night.scheduler.tick()  # type: ignore[attr-defined]
        assert engine.fired == [local(2026, 11, 25, 1, 30)]  # the next night runs as usual
    finally:
        night.shutdown()


def test_refusals_say_why_and_staff_see_no_drift(page: Page, room: Room, browser) -> None:  # type: ignore[no-untyped-def]
    login(page, _as(room), "drift")
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Pausa Tiny").click()
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    twice = page.request.post(f"{room.url}/drift/tiny/pausa", form={"csrf_token": csrf})
    assert twice.status == 409 and "tiny är redan pausad sedan" in twice.text()
    unknown = page.request.post(f"{room.url}/drift/nobody/kor", form={"csrf_token": csrf})
    assert unknown.status == 409 and "Det finns ingen robot som heter nobody." in unknown.text()
    bad_limit = page.request.post(f"{room.url}/drift/tiny/kor", form={"csrf_token": csrf, "grans": "tre"})
    assert bad_limit.status == 409 and "Högsta antal ärenden ska vara ett heltal" in bad_limit.text()
    no_csrf = page.request.post(f"{room.url}/drift/tiny/ateruppta", form={"csrf_token": "fel"})
    assert no_csrf.status == 403
    assert [e.detail["refused"] for e in room.audit("control_refused")] == ["pause", "run_now", "run_now"]

    staff = browser.new_page()
    login(staff, _as(room), "handlaggare")
    expect(staff.get_by_role("link", name="Drift")).to_have_count(0)
    assert staff.goto(room.url + "/drift").status == 403  # type: ignore[union-attr]
    token = staff.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    ran = room.ledger.start_run("tiny")  # a run to try stopping and retrying
    room.ledger.finish_run(ran, "completed")
    runs = room.runs()
    for path in ("/drift/tiny/kor", "/drift/tiny/pausa", "/drift/tiny/ateruppta", f"/drift/korningar/{ran}/stoppa",
                 f"/drift/korningar/{ran}/forsok-igen"):
        assert staff.request.post(room.url + path, form={"csrf_token": token}).status == 403, path
    assert is_paused(room.ledger.sessions, "tiny") and room.runs() == runs  # nothing was done
    forbidden = [e for e in room.audit("forbidden") if e.username == "handlaggare"]
    assert len(forbidden) == 6 and {e.target for e in forbidden} == {"drift"}
    staff.close()

    # the admin reads every action in the audit log
    admin = browser.new_page()
    login(admin, _as(room), "chef")
    admin.goto(room.url + "/granskningslogg")
    expect(admin.get_by_role("cell", name="Pausade en robot (Drift)")).to_have_count(1)
    expect(admin.get_by_role("cell", name="Nekades en åtgärd i Drift")).to_have_count(3)
    admin.close()


def test_the_page_says_plainly_when_no_scheduler_runs(page: Page, tmp_path: Path, cheap_hashes: None) -> None:
    with TargetServer(["A000"]) as target:
        settings = load_settings(_config(tmp_path, target))
        add_robot_dirs(settings.robot_dirs)  # as `nattskift web` does when it reads the settings
        add_user(open_database(settings.database_url())[1], "drift", PASSWORD, ["operations"], "Drift")
        server, thread, port = serve_app(create_app(settings, scheduler=PlannedSchedule(settings)))
        url = f"http://127.0.0.1:{port}"
        try:
            login(page, SimpleNamespace(url=url), "drift")
            page.goto(url + "/drift")
            expect(page.get_by_role("alert")).to_contain_text("Ingen schemaläggare körs.")
            assert axe_violations(page) == []
            _robot(page).get_by_role("button", name="Kör Tiny nu").click()
            expect(page.locator("#resultat").get_by_role("alert")).to_contain_text("Ingen schemaläggare körs i webbappens process")
            assert axe_violations(page) == []

            # a scheduler in another process: the page names it
            service = NightScheduler(settings)
            service.start()
            try:
                page.goto(url + "/drift")
                expect(page.get_by_text("Schemaläggaren körs i en annan process")).to_be_visible()
            finally:
                service.shutdown()
        finally:
            server.should_exit = True
            thread.join(timeout=30)


def test_axe_finds_no_wcag_21_aa_violation_on_the_drift_page(page: Page, room: Room) -> None:
    login(page, _as(room), "drift")
    page.goto(room.url + "/drift")
    assert axe_violations(page) == []
    run_id = _start_held(page, room, fail=frozenset({"A005"}))
    page.goto(room.url + "/drift")  # a running run with its progress and the stop button
    expect(_robot(page).get_by_role("heading", name="Pågående körning")).to_be_visible()
    assert axe_violations(page) == []
    room.server.state.release.set()
    _finished(room, run_id)
    page.goto(room.url + "/drift")  # finished, with a failed item to retry
    expect(_robot(page).get_by_role("button", name="Försök igen med 1 ärende")).to_be_visible()
    assert axe_violations(page) == []


def test_the_same_actions_on_the_cli_act_on_the_run_the_page_started(page: Page, room: Room) -> None:
    login(page, _as(room), "drift")
    run_id = _start_held(page, room, fail=frozenset({"A000"}))

    stopped = room.cli("stop", "tiny")  # the robot's running run: the one the page started
    assert stopped.returncode == 0 and f"asked run {run_id} to stop" in stopped.stdout
    _stop_taken(room, run_id)
    run = _finished(room, run_id)
    assert (run.status, run.stop_cause) == ("interrupted", "operator")
    assert room.audit("control_stop")[-1].detail["via"] == "cli"

    assert room.cli("pause", "tiny").returncode == 0
    page.goto(room.url + "/drift")
    expect(_robot(page)).to_contain_text("Pausad")
    again = room.cli("pause", "tiny")
    assert again.returncode == 1 and "tiny är redan pausad sedan" in again.stderr
    assert room.cli("resume", "tiny").returncode == 0

    room.server.state.fail_keys = set()
    room.server.state.latency = 0
    retried = room.cli("retry", run_id)
    assert retried.returncode == 0 and "queued 1 failed item(s)" in retried.stdout
    # the page's next run takes the retried item first, with the ones the stop left
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Kör Tiny nu").click()
    last = _finished(room, _started_run(page))
    assert last.status == "completed" and room.ledger.item_states("tiny") == {"done": 6}
    assert set(room.server.state.writes.values()) == {1} and len(room.server.state.writes) == 6
    who = {e.username for e in room.audit("control_pause") + room.audit("control_resume") + room.audit("control_retry")}
    assert who == {f"cli:{__import__('getpass').getuser()}"}


def test_screenshots_of_the_drift_page(page: Page, room: Room, tmp_path: Path) -> None:
    """Drift with a run in progress: into docs/screenshots/ with `make screenshots`, else into a temporary
    folder (the page must still render)."""
    from tests.web.conftest import SCREENSHOTS_ENV

    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 860})
    login(page, _as(room), "drift")
    run_id = _start_held(page, room, fail=frozenset({"A001"}))
    page.goto(room.url + "/drift")
    expect(_robot(page).get_by_role("heading", name="Pågående körning")).to_be_visible()
    page.screenshot(path=str(folder / "drift.png"), full_page=True)
    room.server.state.release.set()
    _finished(room, run_id)
    assert (folder / "drift.png").stat().st_size > 10_000


@pytest.mark.postgres
def test_stop_and_retry_on_a_postgresql_ledger(page: Page, pg_room: Room) -> None:
    room = pg_room
    login(page, _as(room), "drift")
    run_id = _start_held(page, room, fail=frozenset({"A000"}))
    page.goto(room.url + "/drift")
    expect(_robot(page)).to_contain_text("2 behandlade, 4 kvar")  # A000 failed and A001 prepared; A002 held
    _robot(page).get_by_role("button", name="Stoppa körningen").click()
    _stop_taken(room, run_id)
    stopped = _finished(room, run_id)
    assert (stopped.status, stopped.stop_cause) == ("interrupted", "operator")

    room.server.state.fail_keys = set()
    page.goto(room.url + "/drift")
    _robot(page).get_by_role("button", name="Försök igen med 1 ärende").click()
    retry = _finished(room, _started_run(page))
    assert retry.status == "completed" and room.ledger.item_states("tiny") == {"done": 6}
    assert set(room.server.state.writes.values()) == {1} and len(room.server.state.writes) == 6
