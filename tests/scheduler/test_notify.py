"""E-mail to operations when a night's run failed, was interrupted or missed — against a real SMTP server
(aiosmtpd) started on 127.0.0.1 by the test."""

from __future__ import annotations

import email
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from runner.scheduler.notify import Notice, send
from tests.scheduler.helpers import SE, FakeEngine, free_port, local, runs


@dataclass
class Mailbox:
    messages: list[Message] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"drift" and auth_data.password == b"hemligt"
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=mailbox.authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield SmtpServer(port, mailbox)
    finally:
        controller.stop()


def smtp_settings(port: int, **more: Any) -> dict[str, Any]:
    return {"host": "127.0.0.1", "port": port, "sender": "nattskift@kommun.se", "recipients": ["drift@kommun.se"], **more}


def body(message: Message) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_failed_run_mails_operations(build_settings, driven, smtp_server: SmtpServer) -> None:
    settings = build_settings(smtp=smtp_settings(smtp_server.port))
    engine = FakeEngine(status="failed", reason="Hämtningen av nya ärenden misslyckades efter 3 försök (TimeoutError)")
    with driven(settings, local(2026, 11, 20, 12, 0), engine) as d:
        d.run_until(local(2026, 11, 21, 2, 0))
    assert len(smtp_server.mailbox.messages) == 1
    msg = smtp_server.mailbox.messages[0]
    assert msg["Subject"] == "[Nattskift] tiny: nattens körning misslyckades"
    assert msg["To"] == "drift@kommun.se" and msg["From"] == "nattskift@kommun.se"
    text = body(msg)
    assert "Orsak: Hämtningen av nya ärenden misslyckades efter 3 försök (TimeoutError)" in text
    assert "Planerad tid: 2026-11-21 01:30 (Europe/Stockholm)" in text
    assert f"Körning: {runs(settings)[0].id}" in text
    assert smtp_server.mailbox.envelopes[0].rcpt_tos == ["drift@kommun.se"]


def test_interrupted_run_mails_operations(build_settings, driven, smtp_server: SmtpServer) -> None:
    settings = build_settings(smtp=smtp_settings(smtp_server.port))
    engine = FakeEngine(status="interrupted", reason="Tidsgränsen 06:30 nåddes; 4 ärenden ligger kvar till nästa körning")
    with driven(settings, local(2026, 11, 20, 12, 0), engine) as d:
        d.run_until(local(2026, 11, 21, 7, 0))
    [msg] = smtp_server.mailbox.messages
    assert msg["Subject"] == "[Nattskift] tiny: nattens körning avbröts"
    assert "Tidsgränsen 06:30 nåddes" in body(msg)


def test_missed_nights_are_mailed_in_one_message(build_settings, driven, smtp_server: SmtpServer) -> None:
    settings = build_settings({"grace_hours": 2}, smtp=smtp_settings(smtp_server.port))
    with driven(settings, local(2026, 11, 20, 12, 0), FakeEngine()):
        pass
    with driven(settings, local(2026, 11, 23, 12, 0), FakeEngine()) as d:  # three nights down, all past grace
        d.tick()
    [msg] = smtp_server.mailbox.messages
    assert msg["Subject"] == "[Nattskift] tiny: nattens körning missades"
    text = body(msg)
    assert "Planerad tid: 2026-11-21 01:30, 2026-11-22 01:30, 2026-11-23 01:30 (Europe/Stockholm)" in text
    assert "3 planerade körningar startade aldrig" in text
    assert "nattskift run tiny" in text
    assert len(runs(settings, "missed")) == 3


def test_a_completed_run_sends_nothing(build_settings, driven, smtp_server) -> None:
    with driven(build_settings(smtp=smtp_settings(smtp_server.port)), local(2026, 11, 20, 12, 0), FakeEngine()) as d:
        d.run_until(local(2026, 11, 21, 2, 0))
    assert smtp_server.mailbox.messages == []


def test_login_when_a_username_is_set(build_settings, smtp_server: SmtpServer) -> None:
    settings = build_settings(smtp=smtp_settings(smtp_server.port, username="drift", password="hemligt"))
    notice = Notice("tiny", "failed", "Körningen kunde inte startas: BrowserNotFound", [datetime(2026, 11, 21, 0, 30, tzinfo=UTC)])
    assert send(settings, [notice], SE) == 1
    assert smtp_server.mailbox.logins == ["drift"]


def test_a_mail_server_that_is_down_does_not_stop_the_night(build_settings, driven) -> None:
    settings = build_settings(smtp=smtp_settings(free_port(), timeout_seconds=2))  # nothing listens there
    engine = FakeEngine(status="failed", reason="Systemet verkar nere")
    with driven(settings, local(2026, 11, 20, 12, 0), engine) as d:
        d.run_until(local(2026, 11, 22, 2, 0))
    assert len(engine.calls) == 2  # both nights ran; the failed e-mails were only logged
    assert [r.status for r in runs(settings)] == ["failed", "failed"]
