"""The morning report's small parts without a browser: masking, login throttling, sessions, accounts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from runner.cli import app
from runner.ledger.db import open_database
from runner.ledger.models import User
from runner.web.auth import UserError, add_user, remove_user, verify_password
from runner.web.masking import mask_deep, mask_personnummer
from runner.web.sessions import create_session, load_session, web_sessions
from runner.web.throttle import LoginThrottle, lock_seconds

T0 = datetime(2025, 11, 24, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Anna A, 198501011234", "Anna A, 19850101-****"),  # 12 digits, no separator
        ("Sökande 850101-1234", "Sökande 850101-****"),  # 10 digits
        ("född 19120101+1234", "född 19120101+****"),  # '+': 100 years or older, kept
        ("samordningsnr 19850161-1234", "samordningsnr 19850161-****"),  # day 61 = 1st + 60
        ("a 19850101-1234 och b 19900202-4321", "a 19850101-**** och b 19900202-****"),
        ("Order 2025112412345678", "Order 2025112412345678"),  # 16 digits: not a personnummer
        # month 34 is no date, yet masked: source systems hold mistyped numbers, and one still points at a person
        ("Sökande 853401-7890", "Sökande 853401-****"),
        ("Sökande 850101\u20131234", "Sökande 850101-****"),  # an en dash, as a word processor types it
        ("Datum 20251124, 4 400 kr", "Datum 20251124, 4 400 kr"),
        ("Körning 20251124013000-ronn0003", "Körning 20251124013000-ronn0003"),  # run ids stay readable
    ],
)
def test_personnummer_are_masked_in_list_text(text: str, masked: str) -> None:
    assert mask_personnummer(text) == masked


def test_exports_are_masked_all_the_way_down() -> None:
    data = {"cases": [{"title": "X 198501011234", "evidence": [{"value": "850101-1234"}], "n": 3}]}
    assert mask_deep(data) == {"cases": [{"title": "X 19850101-****", "evidence": [{"value": "850101-****"}], "n": 3}]}


def test_lock_doubles_after_the_free_mistakes_up_to_15_minutes() -> None:
    # three free mistakes per account; the 4th failure locks 1 s, then 2, 4, … ; 2**9 = 512 s; 2**10 capped at 900 s
    assert [lock_seconds(n, 3) for n in (0, 3, 4, 5, 6, 13, 14, 40)] == [0, 0, 1, 2, 4, 512, 900, 900]


def test_throttle_locks_the_account_and_throttles_the_address_only_for_names_tried_there() -> None:
    now = [T0]
    throttle = LoginThrottle(lambda: now[0])
    for _ in range(4):
        throttle.failed("anna", "10.0.0.7")
    assert throttle.wait_seconds("anna", "10.0.0.7") == 1.0  # 4 failures of the account: 1 s
    assert throttle.wait_seconds("Anna", "10.9.9.9") == 1.0  # from anywhere, whatever the case
    now[0] = T0 + timedelta(seconds=0.25)
    assert throttle.wait_seconds("anna", "10.0.0.7") == 0.75
    for n in range(17):  # 21 failures from the address, over many names
        throttle.failed(f"gissad{n}", "10.0.0.7")
    assert throttle.wait_seconds("gissad3", "10.0.0.7") == 1.0  # a name tried there: throttled with the address
    assert throttle.wait_seconds("gissad3", "10.0.0.8") == 0.0  # the same name from elsewhere: 1 failure, free
    assert throttle.wait_seconds("bertil", "10.0.0.7") == 0.0  # a colleague behind the same address
    throttle.succeeded("anna", "10.0.0.7")
    assert throttle.wait_seconds("anna", "10.0.0.7") == 0.0
    now[0] = T0 + timedelta(hours=2)  # old failures are forgotten
    assert throttle.wait_seconds("gissad3", "10.0.0.7") == 0.0


@pytest.fixture
def sessions(tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_database(f"sqlite:///{tmp_path / 'ledger.db'}")[1]


def test_sessions_end_when_idle_and_after_their_lifetime(sessions) -> None:  # type: ignore[no-untyped-def]
    idle, lifetime = timedelta(minutes=30), timedelta(hours=8)
    token, _ = create_session(sessions, "anna", T0)
    ws, expired = load_session(sessions, token, T0 + timedelta(minutes=29), idle=idle, lifetime=lifetime)
    assert ws is not None and ws.username == "anna" and not expired
    assert load_session(sessions, "made-up-token", T0, idle=idle, lifetime=lifetime) == (None, False)
    # active every 20 minutes, yet over after 8 hours
    t = T0
    while t < T0 + timedelta(hours=7, minutes=50):
        t += timedelta(minutes=20)
        ws, expired = load_session(sessions, token, t, idle=idle, lifetime=lifetime)
        assert ws is not None
    ws, expired = load_session(sessions, token, T0 + timedelta(hours=8, minutes=1), idle=idle, lifetime=lifetime)
    assert ws is None and expired
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(web_sessions)) == 0  # deleted, not just refused

    token, _ = create_session(sessions, "anna", T0)
    ws, expired = load_session(sessions, token, T0 + timedelta(minutes=31), idle=idle, lifetime=lifetime)
    assert ws is None and expired


def test_accounts_have_argon2_hashes_and_removal_ends_sessions(sessions) -> None:  # type: ignore[no-untyped-def]
    user = add_user(sessions, "anna", "ett-långt-lösenord", ["staff:ronney", "operations"], "Anna")
    assert user.password_hash.startswith("$argon2id$") and "ett-långt" not in user.password_hash
    assert verify_password(user.password_hash, "ett-långt-lösenord") and not verify_password(user.password_hash, "fel")
    assert not verify_password(None, "ett-långt-lösenord")
    with pytest.raises(UserError, match="at least 12"):
        add_user(sessions, "bertil", "kort", ["admin"])
    with pytest.raises(UserError, match="not one of"):
        add_user(sessions, "bertil", "ett-långt-lösenord", ["superuser"])
    with pytest.raises(UserError, match="already exists"):
        add_user(sessions, "anna", "ett-långt-lösenord", ["admin"])
    token, _ = create_session(sessions, "anna", T0)
    assert remove_user(sessions, "anna") and not remove_user(sessions, "anna")
    assert load_session(sessions, token, T0, idle=timedelta(hours=1), lifetime=timedelta(hours=8)) == (None, False)


def test_users_commands(tmp_path: Path) -> None:
    config = tmp_path / "nattskift.toml"
    config.write_text(f'data_dir = "{tmp_path / "var"}"\n', encoding="utf-8")
    runner = CliRunner()
    add = ["users", "add", "hanna", "--role", "staff:ronney", "--name", "Hanna H", "--password-stdin", "--config", str(config)]
    result = runner.invoke(app, add, input="ett-långt-lösenord\n")
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, add, input="ett-långt-lösenord\n").exit_code == 2  # exists already
    bad = runner.invoke(app, ["users", "add", "x", "--role", "boss", "--password-stdin", "--config", str(config)], input="ett-långt-lösenord\n")
    assert bad.exit_code == 2 and "not one of" in bad.output
    listed = json.loads(runner.invoke(app, ["users", "list", "--json", "--config", str(config)]).output)
    assert [(u["username"], u["roles"], u["name"]) for u in listed] == [("hanna", ["staff:ronney"], "Hanna H")]
    assert "ett-långt" not in json.dumps(listed)
    assert runner.invoke(app, ["users", "remove", "hanna", "--config", str(config)]).exit_code == 0
    assert runner.invoke(app, ["users", "remove", "hanna", "--config", str(config)]).exit_code == 1
    _, s = open_database(f"sqlite:///{(tmp_path / 'var' / 'nattskift.db').resolve()}")
    with s() as db:
        assert db.scalar(select(func.count()).select_from(User)) == 0


def test_a_finished_run_keeps_the_number_it_left_for_the_next_night(sessions) -> None:  # type: ignore[no-untyped-def]
    from runner.ledger.models import Item, Run
    from runner.web.queries import not_reached_items, run_counts

    with sessions.begin() as s:
        for run_id, status, counts in (("a", "interrupted", {"prepared": 0, "not_reached": 2}), ("b", "running", {})):
            s.add(Run(id=run_id, robot="harry", status=status, trigger="schedule", dry_run=False, started_at=T0, counts=counts))
        s.flush()
        # run a left two schedules; the next night (run b) has claimed them, one is still queued
        for key in ("S1", "S2"):
            s.add(Item(robot="harry", key=key, title="", data={}, state="new" if key == "S1" else "in_progress",
                       attempts=0, checkpoints={}, run_id="b", created_at=T0, updated_at=T0))
    with sessions() as s:
        assert run_counts(s, s.get(Run, "a")) == {"not_reached": 2}  # as recorded when it ended
        assert run_counts(s, s.get(Run, "b")) == {"not_reached": 2}  # running: counted live
        assert not_reached_items(s, "a")[1] == 0  # both are the later run's business now
