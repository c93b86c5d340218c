"""E-mail to operations when a night's run failed, was interrupted or was missed.

Optional: nothing is sent unless `[smtp] host` and `recipients` are set. The mail says which robot, what
happened and why (the run's reason, written by the framework in Swedish), the counts, and where to look.
It never holds personal data: no item keys, titles or summaries, only counts. A mail server that is down
is logged and otherwise ignored: a failed e-mail must never stop the night's work.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from zoneinfo import ZoneInfo

import structlog

from runner.api import COUNT_LABELS_SV
from runner.settings import Settings

log = structlog.get_logger(__name__)

STATUS_SV = {
    "failed": "misslyckades",
    "interrupted": "avbröts",
    "missed": "missades",
}



@dataclass
class Notice:
    """One thing operations should know about a robot's night."""

    robot: str
    status: str  # failed | interrupted | missed
    reason: str | None
    scheduled_for: list[datetime] = field(default_factory=list)
    run_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    more_missed: int = 0


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp.host and settings.smtp.recipients)


def compose(settings: Settings, notice: Notice, tz: ZoneInfo) -> EmailMessage:
    smtp = settings.smtp
    verb = STATUS_SV.get(notice.status, notice.status)
    msg = EmailMessage()
    msg["Subject"] = f"{smtp.subject_prefix} {notice.robot}: nattens körning {verb}".strip()
    msg["From"] = smtp.sender
    msg["To"] = ", ".join(smtp.recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or "localhost")
    lines = [f"Roboten {notice.robot}: nattens körning {verb}.", ""]
    if notice.scheduled_for:
        times = ", ".join(t.astimezone(tz).strftime("%Y-%m-%d %H:%M") for t in notice.scheduled_for)
        lines.append(f"Planerad tid: {times} ({tz.key})")
    if notice.more_missed:
        lines.append(f"Ytterligare {notice.more_missed} planerade körningar missades (äldre än de som listas).")
    if notice.reason:
        lines.append(f"Orsak: {notice.reason}")
    if notice.run_id:
        lines.append(f"Körning: {notice.run_id}")
    counted = [f"{label} {notice.counts[k]}" for k, label in COUNT_LABELS_SV.items() if notice.counts.get(k)]
    if counted:
        lines.append("Ärenden: " + ", ".join(counted))
    lines.append("")
    if notice.status == "missed":
        lines.append("Ärendena ligger kvar och tas i nästa körning. Starta en körning nu med:")
        lines.append(f"    nattskift run {notice.robot}")
    else:
        lines.append("Ärenden som inte hanns med ligger kvar och tas i nästa körning (eller nu, med")
        lines.append(f"`nattskift run {notice.robot}`). Se `nattskift show {notice.run_id or '<körning>'}`.")
    if settings.web.base_url:
        lines.append(f"Morgonrapporten: {settings.web.base_url.rstrip('/')}/")
    lines.extend(["", "-- ", "Nattskift (automatiskt meddelande till driften)"])
    msg.set_content("\n".join(lines))
    return msg


def send(settings: Settings, notices: Sequence[Notice], tz: ZoneInfo) -> int:
    """Send one mail per notice. Returns how many were sent; errors are logged, never raised."""
    if not notices or not smtp_configured(settings):
        return 0
    smtp = settings.smtp
    sent = 0
    try:
        client: smtplib.SMTP
        if smtp.ssl:
            client = smtplib.SMTP_SSL(smtp.host or "", smtp.port, timeout=smtp.timeout_seconds,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host or "", smtp.port, timeout=smtp.timeout_seconds)
        with client:
            if smtp.starttls and not smtp.ssl:
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password.get_secret_value() if smtp.password else "")
            for notice in notices:
                client.send_message(compose(settings, notice, tz))
                sent += 1
                log.info("notify.sent", robot=notice.robot, status=notice.status, recipients=len(smtp.recipients))
    except (OSError, smtplib.SMTPException) as exc:
        log.error("notify.failed", error=type(exc).__name__, host=smtp.host, port=smtp.port, sent=sent)
    return sent
