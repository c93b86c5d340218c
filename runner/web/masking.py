"""Masking of personnummer in text shown in lists and exports.

Lists (a run's cases, a case's history) show `19850101-****`: enough for a caseworker to tell two
applicants apart, not enough to identify anyone from a screen over a shoulder. The full number is
shown only on the case page, whose every opening is written to the audit log. What counts as a
personnummer (any dash or space, full-width digits, invisible characters) is `runner.personnummer`'s
one matcher, the same the log scrubber uses.
"""

from __future__ import annotations

from typing import Any

from runner import personnummer
from runner.redact import map_deep


def _masked(found: personnummer.Found) -> str:
    return f"{found.birth}{'+' if found.separator == '+' else '-'}****"


def mask_personnummer(text: str | None) -> str:
    """`"Anna A 198501011234"` → `"Anna A 19850101-****"`; other numbers are left alone."""
    if not text:
        return text or ""
    return personnummer.replace(text, _masked)


def mask_deep(value: Any) -> Any:
    """Mask personnummer in every string of a JSON-like value, dict keys included (for exports)."""
    return map_deep(value, mask_personnummer)
