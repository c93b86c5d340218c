"""Where the bench finds the project and writes its results; importing it puts the project on sys.path."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
TINY_ROBOT_DIR = ROOT / "tests" / "support" / "robots"
