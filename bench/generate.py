"""How scenario generation grows: seconds and bytes per system for each size, and the growth ratio.

    .venv/bin/python bench/generate.py [--sizes 1000,4000,10000] [--systems schema,personal,...]

`nattskift fixtures generate` must stay linear so the 10 000-item benchmarks can make their scenarios.
Time is CPU time of this process (it holds up against other load); the last column compares each size
with the first, per item: 1.0 is linear, 4× the people at twice the time per item would print 2.0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.generate import DEFAULT_TODAY, generate_section, generator_specs  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,10000", help="comma-separated item counts")
    parser.add_argument("--systems", default=None, help="comma-separated systems (default: all with a generator)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    specs, _ = generator_specs(args.systems.split(",") if args.systems else None)
    print(f"{'system':<10} {'size':>7} {'cpu s':>8} {'MB':>7} {'ms/item':>8} {'vs first':>9}")
    for spec in specs:
        first: float | None = None
        for size in sizes:
            started = time.process_time()
            text = generate_section(spec, size, "bench", DEFAULT_TODAY)
            cpu = time.process_time() - started
            per_item = cpu / size
            first = first or per_item
            print(f"{spec.name:<10} {size:>7} {cpu:>8.2f} {len(text.encode()) / 1e6:>7.1f} {per_item * 1000:>8.3f} {per_item / first:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
