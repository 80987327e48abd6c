"""What the benchmarks share: their command-line options and a demo warehouse to measure."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cli import main as cli  # noqa: E402


def options(doc: str, runs: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=runs)
    return parser.parse_args()


def demo_warehouse(folder: str, args: argparse.Namespace, until: str | None = "2026-11-22") -> Path:
    """The demo company built into a new warehouse in `folder` (ending `until`; None: today)."""
    db = Path(folder) / "warehouse.duckdb"
    cli(["demo", "--db", str(db), "--clients", str(args.clients), "--years", str(args.years)]
        + (["--until", until] if until else []))
    return db
