"""Every setting the framework reads is listed in nattskift.example.toml (issue 14: docs that cannot drift).

The example file is where operations look a setting up; one missing there is a setting nobody finds.
A key counts as listed when it is there as `key = …`, set or commented out, under its section's header
(also commented out, like `# [smtp]`); `[systems.*]` and `[robots.*]` are checked against any such table.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from pydantic import BaseModel

from runner.settings import RobotConfig, Settings, SystemSettings

EXAMPLE = Path(__file__).resolve().parents[2] / "nattskift.example.toml"
HEADER = re.compile(r"^#?\s*\[([\w.]+)\]")
KEY = re.compile(r"^#?\s*(\w+)\s*=")


def listed_keys(text: str) -> set[str]:
    """`section.key` for every key in the file; `systems.*` / `robots.*` for those tables."""
    keys: set[str] = set()
    section = ""
    for line in text.splitlines():
        header = HEADER.match(line)
        if header:
            parts = header.group(1).split(".")
            if parts[0] in ("systems", "robots") and len(parts) > 1:
                parts[1] = "*"
            section = ".".join(parts)
            continue
        key = KEY.match(line)
        if key:
            keys.add(f"{section}.{key.group(1)}" if section else key.group(1))
    return keys


def model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every leaf key of a settings model, nested tables (`robots.*.retention.case_days`) included."""
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        kind = field.annotation
        nested = [a for a in get_args(kind) if isinstance(a, type) and issubclass(a, BaseModel)]
        if nested:  # `RobotRetention | None`: an optional table
            kind = nested[0]
        if prefix == "" and name == "systems":
            keys |= model_keys(SystemSettings, "systems.*.")
        elif prefix == "" and name == "robots":
            keys |= model_keys(RobotConfig, "robots.*.")
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            keys |= model_keys(kind, f"{prefix}{name}.")
        else:
            keys.add(prefix + name)
    return keys


def framework_keys() -> set[str]:
    return model_keys(Settings)


def test_the_example_settings_file_lists_every_setting():
    missing = sorted(framework_keys() - listed_keys(EXAMPLE.read_text(encoding="utf-8")))
    assert missing == [], f"settings missing in nattskift.example.toml: {missing}"


def test_the_reader_of_the_example_file_sees_commented_keys_and_tables():
    text = ("# [smtp]\n# host = \"x\"\n[robots.ronney]\nconcurrency = 4\n# [systems.ekonomi]\n# url = \"u\"\n"
            "[robots.ronney.retention]\ncase_days = 30\n")
    assert listed_keys(text) == {"smtp.host", "robots.*.concurrency", "systems.*.url", "robots.*.retention.case_days"}
