"""The conditions the suite runs under (issue 21, items 16 and 18): tests never change a tracked file
under `make test`, and the hang detectors grow with a busy machine instead of failing it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def inner_pytest(folder: Path, test: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run pytest with the suite's conditions plugin on one test file in a git repository of its own."""
    (folder / "test_inner.py").write_text(textwrap.dedent(test), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-p", "tests.support.conditions", "--rootdir", str(folder), "test_inner.py"],
        cwd=folder, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO), "NATTSKIFT_TEST_SLOWDOWN": "", **env},
    )


def git_repo(folder: Path) -> Path:
    folder.mkdir()
    (folder / "bild.png").write_bytes(b"the committed screenshot")
    for args in (["init", "-q"], ["add", "bild.png"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)
    return folder


WRITES_TRACKED = """
    from pathlib import Path

    def test_regenerates_a_screenshot():
        Path("bild.png").write_bytes(b"a new rendering")
    """

WRITES_TMP = """
    def test_writes_under_its_tmp_path(tmp_path):
        (tmp_path / "bild.png").write_bytes(b"a new rendering")
    """


def test_a_test_that_changes_a_tracked_file_fails_the_checked_run(tmp_path):
    repo = git_repo(tmp_path / "repo")
    changed = inner_pytest(repo, WRITES_TRACKED, NATTSKIFT_CHECK_TREE="1")
    assert changed.returncode == 1, changed.stdout[-2000:]
    assert "tests changed tracked files" in changed.stdout and "bild.png" in changed.stdout

    subprocess.run(["git", "checkout", "-q", "bild.png"], cwd=repo, check=True)
    clean = inner_pytest(repo, WRITES_TMP, NATTSKIFT_CHECK_TREE="1")
    assert clean.returncode == 0, clean.stdout[-2000:]


def test_make_test_checks_the_tree_and_screenshots_have_their_own_command():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    test_recipe = makefile.split("\ntest: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "NATTSKIFT_CHECK_TREE=1" in test_recipe
    assert "\nscreenshots: setup\n" in makefile and "NATTSKIFT_SCREENSHOTS_DIR" in makefile


def test_timeouts_grow_with_the_slowdown(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "pytest.ini").write_text("[pytest]\ntimeout = 300\n", encoding="utf-8")
    result = inner_pytest(folder, """
        import pytest

        @pytest.mark.timeout(900)
        def test_marked(request):
            assert request.node.get_closest_marker("timeout").args[0] == 2700

        def test_default(request):
            assert request.node.get_closest_marker("timeout").args[0] == 900

        def test_expect_waits_grow():
            from playwright.sync_api import expect
            assert expect._timeout == 15_000
        """, NATTSKIFT_TEST_SLOWDOWN="3")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 passed" in result.stdout


def test_the_load_script_is_documented_and_runs_pytest_beside_hogs():
    script = REPO / "scripts" / "test-beside-cpu-hogs"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert "NATTSKIFT_TEST_SLOWDOWN" in text and ".venv/bin/pytest" in text
    assert "test-beside-cpu-hogs" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_protections_apply_to_every_test_wherever_it_lives(request) -> None:
    # A plugin (-p in pyproject.toml), not tests/conftest.py: a conftest covers only the tests below its folder,
    # and robots/*/tests are collected too (testpaths), so the registry isolation and the personal-data scan
    # must be global.
    from tests.support import protections

    manager = request.config.pluginmanager
    assert manager.is_registered(protections) or manager.has_plugin("tests.support.protections")
    assert "_isolated_robot_registry" in request.fixturenames
