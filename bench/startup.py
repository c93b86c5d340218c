"""CPU time of the command line's start: `nattskift --help`, `list` and `runs` against `import typer, rich`.

    .venv/bin/python bench/startup.py            # 7 rounds, the commands interleaved round by round
    .venv/bin/python bench/startup.py --rounds 15

Each command runs as its own process; its CPU time (user + system, from the child's rusage) is what
the figure is, not wall time, so a busy machine slows it less. The rounds interleave the commands so
that load drifting during the run hits them alike; the median of the rounds is printed with the load
average and the ratio to the `python -c "import typer, rich"` baseline. Targets (issue 15): --help at
most 3x the baseline; `list` and `runs` under 1 s of CPU. `list` and `runs` read a settings file and a
SQLite ledger in a temporary folder (created, and migrated, before the first round).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def cpu_seconds(argv: list[str], env: dict[str, str]) -> float:
    """User + system CPU of one child process run to its end (stdout discarded, failure raised)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def commands(config: Path) -> dict[str, list[str]]:
    cli = [PYTHON, "-m", "runner.cli"]
    return {
        "import typer, rich": [PYTHON, "-c", "import typer, rich"],
        "nattskift --help": [*cli, "--help"],
        "nattskift list": [*cli, "list", "--config", str(config)],
        "nattskift runs": [*cli, "runs", "--config", str(config)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nattskift-startup-") as tmp:
        config = Path(tmp) / "nattskift.toml"
        config.write_text(f'data_dir = "{tmp}"\n', encoding="utf-8")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0", "COLUMNS": "100"}
        cmds = commands(config)
        for argv in cmds.values():  # warm: byte-code compiled, ledger created and migrated
            cpu_seconds(argv, env)
        load_before = os.getloadavg()
        samples: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(args.rounds):
            for name, argv in cmds.items():
                samples[name].append(cpu_seconds(argv, env))
        load_after = os.getloadavg()
    median = {name: statistics.median(values) for name, values in samples.items()}
    base = median["import typer, rich"]
    print(f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; {os.cpu_count()} cores; "
          f"median of {args.rounds} rounds")
    print(f"{'command':<20} {'CPU s':>7} {'min':>7} {'max':>7} {'x base':>7}  target")
    targets = {"nattskift --help": f"<= 3x ({3 * base:.2f} s)", "nattskift list": "< 1 s", "nattskift runs": "< 1 s"}
    for name, values in samples.items():
        print(f"{name:<20} {median[name]:>7.3f} {min(values):>7.3f} {max(values):>7.3f} {median[name] / base:>6.1f}x  "
              f"{targets.get(name, 'baseline')}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "startup.json").write_text(json.dumps({"load": [load_before, load_after], "samples": samples}, indent=2))


if __name__ == "__main__":
    main()
