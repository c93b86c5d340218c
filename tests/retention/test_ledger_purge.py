"""Gallring in the ledger, on SQLite and on PostgreSQL: a settled case past its time loses its personal
data, the statistics and the audit trail stay, and a case nobody has handled is listed, never removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from runner.api import Status
from runner.ledger.models import AuditEntry, Item, Review
from runner.ledger.models import Outcome as OutcomeRow
from runner.retention.gallring import gallra
from runner.web.queries import overview, robot_info, run_counts
from tests.retention.conftest import later
from tests.support.robots.tiny.robot import Tiny

S = Status


def test_a_settled_case_past_its_time_loses_its_personal_data_and_keeps_its_statistics(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    run = b.night("tiny", {"handled": S.needs_attention, "prepared": S.prepared, "skipped": S.skipped,
                           "open": S.needs_attention, "waiting": S.waiting, "failed": S.failed})
    b.handle("tiny", "handled")
    with b.sessions() as s:
        counts_before = run_counts(s, b.ledger.get_run(run))
    # default: case_days = 30 from when the case was settled; 31 days on, every settled one is past it
    report = gallra(b.settings, now=later(31))

    # the robot's report of the night repeats its cases: it stays while one of them does
    assert b.secrets_in_ledger() == {"open", "waiting", "failed"} and b.reports_with_secrets() == [run]
    assert report.robots["tiny"].cases == 3 and report.robots["tiny"].comments == 1
    assert {(k.item_id, k.status) for k in report.kept} == {
        (b.item_id("tiny", "open"), "needs_attention"), (b.item_id("tiny", "waiting"), "waiting"),
        (b.item_id("tiny", "failed"), "failed")}
    with b.sessions() as s:
        assert run_counts(s, b.ledger.get_run(run)) == counts_before  # statuses of the night unchanged
        review = s.scalars(select(Review)).one()
        assert (review.username, review.comment) == ("hanna", "")  # who handled it, not what was written
        purged = s.scalars(select(OutcomeRow).where(OutcomeRow.key == "prepared")).one()
        assert purged.status == "prepared" and purged.purged_at is not None and purged.findings == []
        [card] = overview(s, [robot_info("tiny", Tiny)], datetime.now(UTC), b.settings.tz)
        assert (card.counts, card.saved_cases, card.saved_minutes) == (counts_before, 1, 1.0)
        assert card.needs_person == 1  # the open case still needs a person, and is still there


def test_a_case_past_its_time_but_not_settled_stays_until_it_is(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    b.night("tiny", {"open": S.needs_attention})
    kept = gallra(b.settings, now=later(400)).kept
    assert [k.item_id for k in kept] == [b.item_id("tiny", "open")] and "not marked handled" in kept[0].reason
    assert b.secrets_in_ledger() == {"open"}

    b.handle("tiny", "open", at=later(400))  # handled a year on: its 30 days start then
    assert gallra(b.settings, now=later(429)).robots["tiny"].cases == 0
    assert b.secrets_in_ledger() == {"open"}
    assert gallra(b.settings, now=later(431)).robots["tiny"].cases == 1
    assert b.secrets_in_ledger() == set() and b.reports_with_secrets() == []


def test_within_its_time_nothing_of_a_case_is_touched(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    b.night("tiny", {"a": S.prepared, "b": S.needs_attention})
    b.handle("tiny", "b")
    report = gallra(b.settings, now=later(29))
    assert report.robots["tiny"].cases == 0 and report.kept == []
    assert b.secrets_in_ledger() == {"a", "b"} and b.reports_with_secrets() == b.runs


def test_each_robot_keeps_cases_as_long_as_its_own_settings_say(books) -> None:  # type: ignore[no-untyped-def]
    b = books(robots={"tiny": {"retention": {"case_days": 90, "wait_for_review": ["needs_attention", "prepared"]}}},
              retention={"case_days": 10})
    b.night("tiny", {"prepared": S.prepared})
    b.night("other", {"prepared": S.prepared})
    report = gallra(b.settings, now=later(11))
    assert report.robots["other"].cases == 1 and report.robots["tiny"].cases == 0
    assert [k.reason for k in report.kept] == []  # 11 days is within Tiny's 90
    report = gallra(b.settings, now=later(91))
    assert [(k.robot, k.status) for k in report.kept] == [("tiny", "prepared")]  # Tiny's prepared wait for staff
    assert b.secrets_in_ledger("tiny") == {"prepared"}


def test_a_dry_run_removes_nothing_and_counts_what_a_real_pass_removes(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    b.night("tiny", {"a": S.prepared, "b": S.needs_attention, "c": S.skipped})
    b.night("tiny", {"d": S.prepared}, dry_run=True)
    before = b.secrets_in_ledger()

    dry = gallra(b.settings, now=later(31), dry_run=True)
    assert b.secrets_in_ledger() == before
    real = gallra(b.settings, now=later(31))
    # (the log lines differ: the dry pass's own lines are a month "old" at this clock, so the real pass cuts them)
    assert {**dry.figures(), "log_lines": 0} == {**real.figures(), "dry_run": True, "log_lines": 0}
    assert real.robots["tiny"].outcomes == 3  # a, c and the dry run's d
    assert b.secrets_in_ledger() == {"b", "d"}  # d's item is still new: the real run must still do it
    with b.sessions() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "gallring").order_by(AuditEntry.id)).all()
    assert [e.detail["dry_run"] for e in entries] == [True, False]
    assert entries[1].detail["cases"] == 2 and entries[1].username.startswith("cli:")


def test_a_purged_case_fetched_again_is_live_with_its_new_data(books) -> None:  # type: ignore[no-untyped-def]
    b = books()
    b.night("tiny", {"a": S.waiting})
    b.handle("tiny", "a")  # staff closed it while it waited
    gallra(b.settings, now=later(31))
    assert b.secrets_in_ledger() == set()
    b.night("tiny", {"a": S.prepared})  # the source lists it again: it is requeued and worked
    with b.sessions() as s:
        item = s.scalars(select(Item)).one()
        assert item.purged_at is None and item.state == "done" and item.status == "prepared"
    assert b.secrets_in_ledger() == {"a"} and b.reports_with_secrets() == [b.runs[1]]


def test_the_audit_log_and_ended_web_sessions_have_their_own_times(books) -> None:  # type: ignore[no-untyped-def]
    from runner.web.sessions import create_session, web_sessions

    b = books()
    now = datetime.now(UTC)
    with b.sessions.begin() as s:
        for days in (800, 700):
            s.add(AuditEntry(at=now - timedelta(days=days), username="hanna", action="view_case", target="tiny:a"))
    create_session(b.sessions, "old", now - timedelta(days=3))
    create_session(b.sessions, "fresh", now - timedelta(minutes=5))
    report = gallra(b.settings, now=now)
    assert (report.audit_entries, report.web_sessions) == (1, 1)
    with b.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "view_case")) == 1
        assert list(s.scalars(select(web_sessions.c.username))) == ["fresh"]
