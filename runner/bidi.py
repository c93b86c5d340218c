"""Bidirectional-text control characters are taken out of what robots write into the ledger.

Source systems hold whatever was pasted into them, and a right-to-left override (U+202E) in a name or
an amount makes a browser show the text after it backwards: "00 04 kr" reads as "40 00 kr". The morning
report, the exports and every list show robot output, so the controls are removed once, where that output
enters the ledger (`runner.ledger.repo`), and no page or export needs to remember them. Right-to-left
letters themselves (an Arabic name) are kept: the browser orders them correctly without the controls.
"""

from __future__ import annotations

from typing import Any

#: Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the directional marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_DELETE = {ord(c): None for c in BIDI_CONTROLS}


def strip_bidi(text: str) -> str:
    return text.translate(_DELETE)


def neutralise(value: Any) -> Any:
    """`value` (a string or JSON-like data, dict keys included) without bidi control characters."""
    if isinstance(value, str):
        return strip_bidi(value)
    if isinstance(value, dict):
        return {neutralise(k): neutralise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [neutralise(v) for v in value]
    return value
