"""Masking of personal data and secrets in anything that may reach a log line.

The best protection is not to log personal data at all (robots log codes and keys); this is the safety
net under that rule, and a test scans every log file the test suite writes for planted personnummer.
Personnummer are found by `runner.personnummer`, the one matcher the web pages use too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from runner import personnummer

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SECRET_KEYS = frozenset(
    {"password", "passwd", "secret", "token", "api_key", "apikey", "authorization", "cookie", "secret_key", "x-api-key"}
)
SAFE_KEYS = frozenset({"timestamp", "level", "logger", "run_id", "robot", "event", "worker"})

PNR_MASK = "<personnummer>"
EMAIL_MASK = "<e-post>"
SECRET_MASK = "<hemlig>"


def scrub_text(text: str) -> str:
    """Mask personnummer, samordningsnummer and e-mail addresses in free text."""
    text = personnummer.replace(text, lambda _found: PNR_MASK)
    return EMAIL.sub(EMAIL_MASK, text)


def map_deep(value: Any, mask: Callable[[str], str]) -> Any:
    """`mask` applied to every string of a JSON-like value, dict keys included. Two keys that mask
    alike are both kept (`"<personnummer> (2)"`): masking must never drop a value."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        for k, v in value.items():
            out[_unique(out, mask(k) if isinstance(k, str) else k)] = map_deep(v, mask)
        return out
    if isinstance(value, list | tuple):
        return [map_deep(v, mask) for v in value]
    return value


def _unique(taken: Mapping[Any, Any], key: Any) -> Any:
    if key not in taken or not isinstance(key, str):
        return key
    n = 2
    while f"{key} ({n})" in taken:
        n += 1
    return f"{key} ({n})"


def scrub(value: Any, key: str = "") -> Any:
    """Recursively mask a value; values under secret-looking keys are hidden entirely."""
    if key.lower() in SECRET_KEYS:
        return SECRET_MASK
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        out: dict[Any, Any] = {}
        for k, v in value.items():
            out[_unique(out, scrub_text(k) if isinstance(k, str) else k)] = scrub(v, str(k))
        return out
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if hasattr(value, "get_secret_value"):
        return SECRET_MASK
    return value


def redact_processor(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: runs after exceptions are rendered, before the final renderer."""
    out: dict[str, Any] = {}
    for k, v in event_dict.items():
        if k in SAFE_KEYS and k != "event":
            out[k] = v
        else:
            out[k] = scrub(v, k)
    return out
