"""Masking of personal data and secrets in anything that may reach a log line.

The best protection is not to log personal data at all (robots log codes and keys); this is the safety
net under that rule, and a test scans every log file the test suite writes for planted personnummer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Personnummer and samordningsnummer: 10 or 12 digits, with or without a separator (-, +, space).
PERSONNUMMER = re.compile(r"(?<![\d])(?:(?:19|20)?\d{6})[-+ ]?\d{4}(?![\d])")
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
    text = PERSONNUMMER.sub(PNR_MASK, text)
    return EMAIL.sub(EMAIL_MASK, text)


def scrub(value: Any, key: str = "") -> Any:
    """Recursively mask a value; values under secret-looking keys are hidden entirely."""
    if key.lower() in SECRET_KEYS:
        return SECRET_MASK
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {k: scrub(v, str(k)) for k, v in value.items()}
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
