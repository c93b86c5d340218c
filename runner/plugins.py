"""The one robot registry: the entry-point group `nattskift.robots` (the bundled robots register too), the
bundled `robots/` folder and the settings' `robot_dirs`. Each robot module is imported once, whichever way
it is found; two robots with one name are an error naming both, and neither is loaded.

A robot in its own package declares, in its pyproject.toml:

    [project.entry-points."nattskift.robots"]
    vera = "nattskift_vera.robot:Vera"
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import sys
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

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


class DuplicateRobot(RobotNotFound):
    """Two robots have the same name: the name keys the ledger and the settings, so neither is used."""


def _robot_modules() -> dict[Path, ModuleType]:
    """The robot modules imported so far, by file: a robot found again (a `robot_dirs` entry that is the
    bundled folder, an entry point into a scanned folder) is the module already imported, never a second one."""
    out: dict[Path, ModuleType] = {}
    for mod in list(sys.modules.values()):
        file = getattr(mod, "__file__", None)
        if file and file.endswith("robot.py"):
            out[Path(file).resolve()] = mod
    return out


def _import_robot(robot_py: Path, module_name: str, loaded: dict[Path, ModuleType], places: set[Path]) -> ModuleType:
    """`robot_py` imported once. A module of the same name from another scanned folder is a duplicate robot;
    one from a folder no longer scanned (an earlier test's) is forgotten first."""
    if robot_py in loaded:
        return loaded[robot_py]
    cached = sys.modules.get(module_name)
    cached_file = getattr(cached, "__file__", None)
    if cached_file:
        other = Path(cached_file).resolve()
        if other.parent.parent in places:
            raise DuplicateRobot(_duplicate(robot_py.parent.name, other, robot_py))
        package = module_name.rsplit(".", 1)[0]
        for key in [k for k in sys.modules if k == package or k.startswith(package + ".")]:
            del sys.modules[key]
    module = importlib.import_module(module_name)
    loaded[robot_py] = module
    return module


def _duplicate(name: str, first: Path | str, second: Path | str) -> str:
    return (f"robot name {name!r} is used by two robots, {first} and {second}: the name keys the ledger and "
            "the settings, so neither is loaded; rename one or remove its folder from robot_dirs")


def _robot_in_module(module: ModuleType, name: str) -> type[Robot] | None:
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
    places: list[tuple[Path, str]] = [(bundled, "robots.")] + [(d, "") for d in _robot_dirs if d != bundled]
    folders = {folder for folder, _ in places}
    loaded = _robot_modules()
    duplicates: set[str] = set()
    for folder, prefix in places:
        if not folder.is_dir():
            continue
        if not prefix and str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
        for robot_py in sorted(folder.glob("*/robot.py")):
            name = robot_py.parent.name
            try:
                cls = _robot_in_module(_import_robot(robot_py.resolve(), f"{prefix}{name}.robot", loaded, folders), name)
            except DuplicateRobot as exc:
                broken[name] = str(exc)
                duplicates.add(name)
                found.pop(name, None)
                continue
            except Exception as exc:
                broken[name] = f"robot {name!r} ({robot_py}) could not be loaded: {one_line(exc)}"
                continue
            if cls is None or name in duplicates:
                continue
            if name in found and found[name] is not cls:
                broken[name] = _duplicate(name, inspect.getfile(found.pop(name)), robot_py)
                duplicates.add(name)
                continue
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
        if ep.name in robots and robots[ep.name] is not cls:
            broken[ep.name] = _duplicate(ep.name, inspect.getfile(robots.pop(ep.name)), ep.value)
            continue
        if ep.name in broken and broken[ep.name].startswith(f"robot name {ep.name!r} is used by two"):
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
