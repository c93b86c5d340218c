"""Robot discovery through the entry-point group `nattskift.robots` (the bundled robots register too).

A robot in its own package declares, in its pyproject.toml:

    [project.entry-points."nattskift.robots"]
    lena = "nattskift_lena.robot:Lena"
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from typing import TYPE_CHECKING

from runner.api import Robot

if TYPE_CHECKING:
    from runner.settings import Settings

GROUP = "nattskift.robots"
_extra: dict[str, type[Robot]] = {}
_robot_dirs: list[Path] = []


class RobotNotFound(LookupError):
    """No robot of that name is installed."""


def register(robot: type[Robot]) -> type[Robot]:
    """Register a robot class in this process (tests, notebooks). Entry points are the normal way."""
    _extra[robot.name] = robot
    return robot


def add_robot_dirs(dirs: Iterable[Path]) -> None:
    """Also find robots in these folders: `<dir>/<name>/robot.py` (what `nattskift new` writes)."""
    for d in dirs:
        d = Path(d).resolve()
        if d not in _robot_dirs:
            _robot_dirs.append(d)


def _robot_in_module(module_name: str, name: str) -> type[Robot] | None:
    module = importlib.import_module(module_name)
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if issubclass(obj, Robot) and obj is not Robot and obj.name == name and obj.__module__ == module.__name__:
            return obj
    return None


def _scan_dirs() -> dict[str, type[Robot]]:
    """Robots in folders: the bundled `robots` package and any `robot_dirs` from the settings."""
    found: dict[str, type[Robot]] = {}
    bundled = Path(__file__).resolve().parent.parent / "robots"
    places: list[tuple[Path, str]] = [(bundled, "robots.")] + [(d, "") for d in _robot_dirs]
    for folder, prefix in places:
        if not folder.is_dir():
            continue
        if not prefix and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
        for robot_py in sorted(folder.glob("*/robot.py")):
            name = robot_py.parent.name
            try:
                cls = _robot_in_module(f"{prefix}{name}.robot", name)
            except Exception as exc:
                raise RobotNotFound(f"robot in {robot_py} could not be loaded: {exc}") from exc
            if cls is not None:
                found[name] = cls
    return found


def load_robots(errors: list[str] | None = None) -> dict[str, type[Robot]]:
    """All installed robots by name. A robot that fails to load is reported, not silently dropped:
    it raises RobotNotFound, or, when `errors` is given, is described there so the others still load."""
    robots: dict[str, type[Robot]] = _scan_dirs()
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Robot)):
                raise RobotNotFound(f"entry point {ep.name!r} ({ep.value}) is not a Robot subclass")
            if cls.name != ep.name:
                raise RobotNotFound(f"entry point {ep.name!r} points at a robot named {cls.name!r}")
        except Exception as exc:
            message = str(exc) if isinstance(exc, RobotNotFound) else f"robot {ep.name!r} ({ep.value}) could not be loaded: {exc}"
            if errors is None:
                raise RobotNotFound(message) from exc
            errors.append(message)
            continue
        robots[ep.name] = cls
    robots.update(_extra)
    return dict(sorted(robots.items()))


def get_robot(name: str) -> type[Robot]:
    if name in _extra:
        return _extra[name]
    for ep in entry_points(group=GROUP, name=name):
        cls = ep.load()
        if isinstance(cls, type) and issubclass(cls, Robot):
            return cls
    found = _scan_dirs()
    if name in found:
        return found[name]
    known = ", ".join(sorted({ep.name for ep in entry_points(group=GROUP)} | set(_extra) | set(found))) or "none"
    raise RobotNotFound(f"no robot named {name!r} is installed (installed: {known})")


def check_robot_settings(settings: "Settings") -> None:
    """Validate every `[robots.<name>]` table against its robot's own Settings model at start-up,
    so a misspelt key stops the program at once instead of at 01:30 in the night."""
    from runner.settings import validate_robot_settings

    robots = load_robots(errors=[])
    for name, config in settings.robots.items():
        cls = robots.get(name)
        if cls is None:
            continue  # a robot that is configured but not installed is reported by `run` and `doctor`
        validate_robot_settings(cls.Settings, name, config)
