"""Robot discovery through the entry-point group `nattskift.robots` (the bundled robots register too).

A robot in its own package declares, in its pyproject.toml:

    [project.entry-points."nattskift.robots"]
    lena = "nattskift_lena.robot:Lena"
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import sys
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from runner.api import Robot
from runner.settings import Settings, SettingsError, validate_robot_settings

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


def one_line(exc: BaseException) -> str:
    """`Type: first line of the message`: an import error as one line for `list`, `doctor` and the web."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _scan_dirs(broken: dict[str, str]) -> dict[str, type[Robot]]:
    """Robots in folders: the bundled `robots` package and any `robot_dirs` from the settings.

    A robot whose module fails to import goes into `broken` (name -> one line), and the others still load.
    """
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
                broken[name] = f"robot {name!r} ({robot_py}) could not be loaded: {one_line(exc)}"
                continue
            if cls is not None:
                found[name] = cls
                broken.pop(name, None)
    return found


def discover() -> tuple[dict[str, type[Robot]], dict[str, str]]:
    """The installed robots by name, and those that failed to load (name -> the error in one line)."""
    broken: dict[str, str] = {}
    robots: dict[str, type[Robot]] = _scan_dirs(broken)
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
            if not (isinstance(cls, type) and issubclass(cls, Robot)):
                raise RobotNotFound(f"entry point {ep.name!r} ({ep.value}) is not a Robot subclass")
            if cls.name != ep.name:
                raise RobotNotFound(f"entry point {ep.name!r} points at a robot named {cls.name!r}")
        except Exception as exc:
            broken[ep.name] = (
                str(exc) if isinstance(exc, RobotNotFound) else f"robot {ep.name!r} ({ep.value}) could not be loaded: {one_line(exc)}"
            )
            continue
        robots[ep.name] = cls
        broken.pop(ep.name, None)
    robots.update(_extra)
    for name in _extra:
        broken.pop(name, None)
    return dict(sorted(robots.items())), dict(sorted(broken.items()))


def load_robots(errors: list[str] | None = None) -> dict[str, type[Robot]]:
    """All installed robots by name. A robot that fails to load is reported, not silently dropped:
    it raises RobotNotFound, or, when `errors` is given, is described there so the others still load."""
    robots, broken = discover()
    if broken and errors is None:
        raise RobotNotFound(next(iter(broken.values())))
    if errors is not None:
        errors.extend(broken.values())
    return robots


def get_robot(name: str) -> type[Robot]:
    """One robot by name; another robot that fails to load does not stop this one."""
    if name in _extra:
        return _extra[name]
    robots, broken = discover()
    if name in robots:
        return robots[name]
    if name in broken:
        raise RobotNotFound(broken[name])
    known = ", ".join(robots) or "none"
    raise RobotNotFound(f"no robot named {name!r} is installed (installed: {known})")


def check_robot_settings(settings: Settings) -> None:
    """Validate every `[robots.<name>]` table against its robot's own Settings model at start-up,
    so a misspelt key stops the program at once instead of at 01:30 in the night."""
    if not settings.robots:
        return  # no [robots.<name>] table to check: importing every robot would only cost start-up time
    robots, broken = discover()
    for name, config in settings.robots.items():
        cls = robots.get(name)
        if cls is None and name not in broken:  # a broken robot's error is shown by `list` and `doctor`
            where = f"{settings.config_file}: " if settings.config_file else ""
            raise SettingsError(where + _unknown_robot_table(name, list(robots)))
        if cls is not None:
            validate_robot_settings(cls.Settings, name, config, settings.config_file)


def _unknown_robot_table(name: str, installed: list[str]) -> str:
    """A `[robots.<name>]` table for no installed robot is a misspelling until proven otherwise."""
    close = difflib.get_close_matches(name, installed, n=1)
    hint = f"did you mean 'robots.{close[0]}'? " if close else ""
    return f"setting 'robots.{name}': no robot named {name!r} is installed ({hint}installed: {', '.join(installed) or 'none'})"
