"""Work started from the app: the app only reads, so builds and syncs run as their own process, the
one writer of the work database (DESIGN.md #3). A load or sync already running makes them stop with
a clear message instead of waiting."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def run_command(arguments: list[str], on_line: Callable[[str], None] = lambda _: None,
                timeout: float = 3600) -> Outcome:
    """Run `msp-revenue ARGUMENTS` in a child process, handing each line it reports to on_line."""
    command = [sys.executable, "-m", "cli", *arguments]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parent.parent)
    lines = []
    for line in process.stderr:
        line = line.rstrip()
        if line and not line.lstrip().startswith("building "):
            lines.append(line)
            on_line(line)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return Outcome(False, f"stopped after {timeout:.0f}s")
    return Outcome(process.returncode == 0, "\n".join(lines[-6:]))


def rebuild(db: Path) -> Outcome:
    return run_command(["build", "--db", str(db)])


def sync(db: Path, on_line: Callable[[str], None], full: bool = False) -> Outcome:
    return run_command(["sync", "--db", str(db)] + (["--full"] if full else []), on_line)
