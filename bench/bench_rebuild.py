"""A build after a small change against a full build, on the 250-client x 10-year demo company.

Usage: .venv/bin/python bench/bench_rebuild.py [--clients 250] [--years 10] [--runs 3] [--share 0.01] [--db PATH]
Builds the demo company into a new warehouse (a child process, not timed; or copies the folder of the warehouse
--db names, which this code builds whole first), then per run, each `msp-revenue build`
a new process: `build --full`; `build` with nothing changed; then `--share` of the raw records the models read
changed as a sync stores them (a new version of most, a deleted stub or a new record for some; a child process
of its own, not timed) and `build`, paired with a `build --full` of the same records. Prints the median wall time,
CPU time and peak memory (the child's own maximum resident set, from wait4) of each, and the files' sizes.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# bench_start imports nothing of the product, so the children do not inherit its memory
from bench.bench_start import COMMAND, demo_warehouse, one_run  # noqa: E402


def change(db: Path, share: float, run: int) -> int:
    """Change `share` of the demo's records the models read, a different set each run; returns how many."""
    from models.warehouse import parsed
    from models.warehouse.work_db import open_work_db
    from tests.raw_changes import copied, deleted, new_version, repriced, store, stored

    con = open_work_db(db)
    try:
        live = [r for e in parsed.tracked_entities(parsed.kept_models()) for r in stored(con, e.table, "demo")
                if not r.deleted]
    finally:
        con.close()
    step = round(1 / share)
    records = []
    for n, record in enumerate(live[run % step::step]):
        if n % 10 == 0:
            records.append(deleted(record))
        elif n % 10 in (1, 2):
            records.append(copied(record, f"{record.id}-{run}-{n}"))
        else:
            records.append(new_version(record, repriced(record.payload, n)))
    store(db, "demo", records)
    return len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--db", type=Path, metavar="PATH", help="a copy of this warehouse's folder, not the demo")
    parser.add_argument("--change", type=Path, help=argparse.SUPPRESS)  # the child that changes records
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.change:
        print(change(args.change, args.share, args.run))
        return
    with tempfile.TemporaryDirectory() as folder:
        if args.db:
            db = Path(shutil.copytree(args.db.parent, Path(folder) / "copy")) / args.db.name
        else:
            db = demo_warehouse(folder, args.clients, args.years)
        build = [COMMAND, "build", "--db", str(db)]
        figures: dict[str, list[tuple[float, float, float]]] = {}
        changed = []
        for run in range(args.runs):
            figures.setdefault("build --full", []).append(one_run(build + ["--full"]))
            figures.setdefault("build, nothing changed", []).append(one_run(build))
            made = subprocess.run([sys.executable, __file__, "--change", str(db), "--share", str(args.share),
                                   "--run", str(run)], check=True, capture_output=True, text=True)
            changed.append(int(made.stdout))
            figures.setdefault(f"build after {args.share:.2%} changed", []).append(one_run(build))
            figures.setdefault("  paired: build --full of the same", []).append(one_run(build + ["--full"]))
        print(f"{args.db or f'demo company: {args.clients} clients x {args.years} years'}, {args.runs} runs (median), "
              f"{statistics.median(changed):.0f} records changed a run")
        for name, runs in figures.items():
            times, cpus, peaks = zip(*runs)
            print(f"  {name:36s} {statistics.median(times):6.2f} s  (min {min(times):.2f})  "
                  f"CPU {statistics.median(cpus):6.2f} s (min {min(cpus):.2f})  {statistics.median(peaks):7.1f} MB peak")
        for path in (db, db.with_name(f"{db.stem}.snapshot.duckdb")):
            print(f"  {path.name:36s} {path.stat().st_size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
