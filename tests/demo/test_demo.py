"""`make demo`'s night: every robot runs on the demo scenario and every outcome shows up."""

from __future__ import annotations

from runner import demo


def test_the_demo_night_runs_every_robot_and_shows_every_kind_of_outcome(tmp_path):
    night = demo.run_night(tmp_path / "demo", fixed_ports=False)
    try:
        runs = {s.robot: s for s in night.summaries}
        assert set(runs) == {"ronney", "harry", "bosse"}
        assert all(s.status == "completed" for s in runs.values())
        # Ronney's part has all five outcomes (case 2012's record answers 500: a technical failure)
        assert set(runs["ronney"].counts) == {"prepared", "needs_attention", "waiting", "skipped", "failed"}
        assert {"prepared", "needs_attention", "skipped"} <= set(runs["harry"].counts)
        assert {"prepared", "needs_attention"} <= set(runs["bosse"].counts)
        users = demo.create_demo_users(night.settings)
        assert {u[0] for u in users} == {"admin", "drift", "handlaggare", "lon", "bemanning"}
    finally:
        night.systems.stop()
