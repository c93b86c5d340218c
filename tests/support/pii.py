"""The people in the scenarios a test session used, so the session can prove none of them leaked.

tests/support/protections.py scans every log file, the names of every file the suite wrote (screenshots, traces)
and the output of failed tests for personnummer-shaped strings and for the full names of these people.
The bundled scenarios (fixtures/scenarios/*.json) are always included; a test that generates its own
scenario calls `remember_people(raw)` with the decoded JSON so its people are checked too.

Nothing here prints a name or a number: findings are counted, never shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from runner import personnummer

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"
MIN_NAME_LENGTH = 5  # "Bo Ek" is a full name; shorter strings would match ordinary words

_remembered_names: set[str] = set()
_remembered_numbers: set[str] = set()


def _people(node: Any) -> Iterator[tuple[str | None, str | None]]:
    """(full name, personnummer) of every person-like record: a dict with a personnummer and a name."""
    if isinstance(node, dict):
        if isinstance(node.get("personnummer"), str):
            name = node.get("name")
            if not isinstance(name, str) and isinstance(node.get("first_name"), str):
                name = f"{node['first_name']} {node.get('last_name', '')}".strip()
            yield (name if isinstance(name, str) else None), node["personnummer"]
        elif isinstance(node.get("first_name"), str) and isinstance(node.get("last_name"), str):
            yield f"{node['first_name']} {node['last_name']}", None
        for value in node.values():
            yield from _people(value)
    elif isinstance(node, list):
        for value in node:
            yield from _people(value)


def remember_people(raw_scenario: dict[str, Any]) -> None:
    """Remember the people of a scenario this session uses (the decoded scenario JSON)."""
    for name, number in _people(raw_scenario):
        if name and len(name.strip()) >= MIN_NAME_LENGTH and " " in name.strip():
            _remembered_names.add(name.strip())
        if number:
            _remembered_numbers.add(number)


def bundled_people() -> None:
    for path in sorted(SCENARIO_DIR.glob("*.json")):
        try:
            remember_people(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue


class Names:
    """The remembered full names, found in text in linear time (a regex of thousands of alternatives
    would crawl through the megabytes of logs a full test run writes)."""

    _RUN = re.compile(r"[A-ZÅÄÖÉÜ][\w'-]*(?: [A-ZÅÄÖÉÜ][\w'-]*)+")
    _ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)
        self.longest = max((n.count(" ") + 1 for n in self.names), default=0)

    def count(self, text: str) -> int:
        if not self.names:
            return 0
        if "\\u" in text:  # JSON log lines escape å, ä, ö
            text = self._ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        found = 0
        for run in self._RUN.finditer(text):
            words = run.group(0).split(" ")
            for i in range(len(words)):
                for j in range(i + 2, min(len(words), i + self.longest) + 1):
                    if " ".join(words[i:j]) in self.names:
                        found += 1
        return found


def names_pattern() -> Names:
    """Every remembered person's full name, the bundled scenarios' people included."""
    bundled_people()
    return Names(_remembered_names)


def count_personal_data(text: str, names: Names | None) -> tuple[int, int]:
    """(personnummer-shaped values, scenario people's names) in `text`."""
    numbers = personnummer.count(text)  # the matcher the scrubber uses: any dash, space or digit form
    found_names = names.count(text) if names is not None else 0
    return numbers, found_names


def scan_files(paths: Iterable[Path], names: Names | None) -> list[tuple[Path, int, int]]:
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        numbers, found = count_personal_data(text, names)
        if numbers or found:
            out.append((path, numbers, found))
    return out
