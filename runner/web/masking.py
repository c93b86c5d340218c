"""Masking of personnummer in text shown in lists and exports.

Lists (a run's cases, a case's history) show `19850101-****`: enough for a caseworker to tell two
applicants apart, not enough to identify anyone from a screen over a shoulder. The full number is
shown only on the case page, whose every opening is written to the audit log.
"""

from __future__ import annotations

import re
from typing import Any

# 12 digits (YYYYMMDDNNNN) or 10 digits (YYMMDDNNNN), with or without "-", "+" (100 years or older)
# or a space before the last four. Not inside a longer run of digits (an account or order number).
_PERSONNUMMER = re.compile(r"(?<![\d])((?:19|20)\d{6}|\d{6})([-+ ]?)(\d{4})(?![\d])")


def _looks_like_date(birth: str) -> bool:
    """True when the birth part is a plausible date (day 61–91 is a samordningsnummer)."""
    month, day = int(birth[-4:-2]), int(birth[-2:])
    return 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)


def _mask(match: re.Match[str]) -> str:
    birth, sep = match.group(1), match.group(2)
    if not _looks_like_date(birth):
        return match.group(0)
    return f"{birth}{'+' if sep == '+' else '-'}****"


def mask_personnummer(text: str | None) -> str:
    """`"Anna A 198501011234"` → `"Anna A 19850101-****"`; other numbers are left alone."""
    if not text:
        return text or ""
    return _PERSONNUMMER.sub(_mask, text)


def mask_deep(value: Any) -> Any:
    """Mask personnummer in every string of a JSON-like value (for exports)."""
    if isinstance(value, str):
        return mask_personnummer(value)
    if isinstance(value, dict):
        return {k: mask_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_deep(v) for v in value]
    return value
