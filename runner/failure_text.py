"""What a technical failure is called, for each reader.

Staff read a failed case in the morning: they need to know, in Swedish, what happened in words they use
(which system did not answer), that the robot tries again at its next run, and what they can do now.
Operations need the technical detail (the exception, the system, the URL, the setting): that goes to the
log, to the item's `error` (shown in the operations view) and to `nattskift run`, never into the text
staff read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from runner.api import SystemUnavailableError
from runner.redact import scrub_text
from runner.settings import SettingsError, SystemSettings

#: How the framework's own messages name a system: "system 'ekonomi' answered 500 3 times", "setting
#: 'systems.ekonomi' is missing", "ekonomi answered a server error", "the session in ekonomi expired".
_NAMED_SYSTEM = re.compile(
    r"system(?:s\.| )'?([a-z][a-z0-9_-]*)'?|\b([a-z][a-z0-9_-]*) answered|session in ([a-z][a-z0-9_-]*) "
)


@dataclass(frozen=True)
class FailurePlace:
    """Where a failure happened, as far as the exception tells: a configured system and its URL."""

    system: str | None
    url: str | None


def technical_detail(exc: BaseException) -> str:
    """Type and first line of the message, personal data masked: for operations, never for staff."""
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return scrub_text(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)


def failure_place(exc: BaseException, systems: Mapping[str, SystemSettings]) -> FailurePlace:
    """The configured system an exception is about: named by the framework, or found by its URL.

    Playwright names the URL it failed on in its message ("net::ERR_CONNECTION_REFUSED at http://…", or
    the call log of a timeout); httpx keeps the request.
    """
    system = getattr(exc, "system", None)
    if isinstance(system, str) and system in systems:
        return FailurePlace(system, systems[system].url)
    text = str(exc)
    request_url = _request_url(exc)
    if request_url:
        text = f"{request_url} {text}"
    for name, settings in sorted(systems.items(), key=lambda kv: -len(kv[1].url)):
        if settings.url in text:
            return FailurePlace(name, settings.url)
    for match in _NAMED_SYSTEM.finditer(text):
        name = next(g for g in match.groups() if g)
        if name in systems:
            return FailurePlace(name, systems[name].url)
        if match.group(1):  # "system 'x'" / "systems.x": a system, just not a configured one
            return FailurePlace(name, None)
    return FailurePlace(None, request_url)


def _request_url(exc: BaseException) -> str | None:
    if isinstance(exc, httpx.HTTPError):
        try:
            return str(exc.request.url.copy_with(query=None))
        except RuntimeError:  # an httpx error raised without a request
            return None
    return None


def what_happened_sv(exc: BaseException) -> str:
    """The failure in a caseworker's words, without the system's name: "svarade inte", …"""
    text = str(exc)
    name = type(exc).__name__
    if isinstance(exc, SettingsError):
        return "är inte inställt för roboten"
    if isinstance(exc, SystemUnavailableError) or re.search(r"answered (5\d\d)|server error", text):
        return "svarade med ett serverfel"
    if isinstance(exc, httpx.TimeoutException) or "Timeout" in name or re.search(r"Timeout \d+ ?ms exceeded", text):
        return "svarade inte i tid"
    if isinstance(exc, httpx.TransportError) or re.search(r"net::ERR_|ECONNREFUSED|Connection refused", text):
        return "gick inte att nå"
    if name == "SessionExpiredError":
        return "loggade ut roboten mitt i arbetet"
    return "gav ett oväntat svar"


def _system_sv(place: FailurePlace) -> str:
    return f"systemet {place.system}" if place.system else "ett av systemen"


def failed_case_summary(
    exc: BaseException, systems: Mapping[str, SystemSettings], *, retried_next_run: bool = True
) -> str:
    """The Swedish summary of a case that failed technically after its retries, for the caseworker."""
    place = failure_place(exc, systems)
    what = f"{_system_sv(place)} {what_happened_sv(exc)}"
    again = (
        "Roboten försöker igen med ärendet vid nästa körning."
        if retried_next_run
        else "Roboten tar inte upp ärendet igen av sig själv."
    )
    where = f" i {place.system}" if place.system else ""
    return (
        f"Roboten kunde inte göra klart ärendet eftersom {what}. {again} "
        f"Behöver ärendet hanteras innan dess kan du handlägga det som vanligt{where}."
    )


def fetch_failed_reason(exc: BaseException, systems: Mapping[str, SystemSettings], attempts: int) -> str:
    """The Swedish reason of a run whose fetch of new cases failed (shown on the run page and by `run`)."""
    place = failure_place(exc, systems)
    url = f" ({place.url})" if place.url else ""
    return (
        f"Roboten kunde inte hämta nya ärenden: {_system_sv(place)}{url} {what_happened_sv(exc)} "
        f"({attempts} försök). Inga ärenden har gått förlorade; nästa körning försöker igen"
    )


def log_fields(exc: BaseException, systems: Mapping[str, SystemSettings]) -> dict[str, str]:
    """`error`, `system` and `url` for a log line about a technical failure (operations read these)."""
    place = failure_place(exc, systems)
    fields = {"error": technical_detail(exc)}
    if place.system:
        fields["system"] = place.system
    if place.url:
        fields["url"] = place.url
    return fields
