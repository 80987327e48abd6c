"""Rebuilds started from the app: the app only reads, so the build runs as its own process, the
one writer of the work database (DESIGN.md #3). A running load or sync makes it wait its turn."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def rebuild(db: Path, timeout: float = 600) -> Outcome:
    command = [sys.executable, "-m", "models.cli", "build", "--db", str(db)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        return Outcome(False, f"the build took longer than {timeout:.0f}s and was stopped")
    lines = [line for line in done.stderr.splitlines() if not line.startswith("  building")]
    return Outcome(done.returncode == 0, "\n".join(lines[-6:]))
