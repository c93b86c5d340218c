"""One robot registry (issue 14): entry points, the bundled folder and `robot_dirs`; each robot imported once,
and two robots with one name an error that names both."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from runner import plugins

BUNDLED = Path(plugins.__file__).resolve().parent.parent / "robots"
ROBOT = '''from runner.api import Robot


class Tvilling(Robot):
    name = "tvilling"
'''


def test_the_bundled_folder_in_robot_dirs_imports_no_robot_twice():
    from robots.ronney.robot import Ronney

    plugins.add_robot_dirs([BUNDLED])
    robots, broken = plugins.discover()
    assert broken == {}
    assert robots["ronney"] is Ronney
    assert [m for m in sys.modules if m.endswith(".robot") and m.split(".")[0] in ("ronney", "harry", "bosse")] == []


def test_two_robots_with_one_name_are_an_error_naming_both(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder / "tvilling").mkdir(parents=True)
        (tmp_path / folder / "tvilling" / "robot.py").write_text(ROBOT, encoding="utf-8")
    plugins.add_robot_dirs([tmp_path / "a", tmp_path / "b"])
    robots, broken = plugins.discover()
    assert "tvilling" not in robots
    message = broken["tvilling"]
    assert message.startswith("robot name 'tvilling' is used by two robots")
    assert str(tmp_path / "a" / "tvilling" / "robot.py") in message
    assert str(tmp_path / "b" / "tvilling" / "robot.py") in message
    with pytest.raises(plugins.RobotNotFound, match="used by two robots"):
        plugins.get_robot("tvilling")


def test_a_robot_folder_of_an_earlier_setting_is_forgotten(tmp_path):
    for folder in ("first", "second"):
        (tmp_path / folder / "tvilling").mkdir(parents=True)
        (tmp_path / folder / "tvilling" / "robot.py").write_text(ROBOT + f"    title = {folder!r}\n", encoding="utf-8")
    plugins.add_robot_dirs([tmp_path / "first"])
    assert plugins.get_robot("tvilling").title == "first"
    plugins._robot_dirs[:] = [(tmp_path / "second").resolve()]
    assert plugins.get_robot("tvilling").title == "second"
