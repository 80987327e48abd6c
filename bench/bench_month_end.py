"""Month-end export time for one month of the 250-client x 10-year demo company (target: under 5 s).

Usage: .venv/bin/python bench/bench_month_end.py [--clients 250] [--years 10] [--runs 5]
Times building the pack and writing the workbook (and the CSV folder) for October 2026.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models import month_end, paths, settings  # noqa: E402
from models.cli import main as cli  # noqa: E402
from models.snapshot import open_snapshot  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "warehouse.duckdb"
        cli(["demo", "--db", str(db), "--clients", str(args.clients), "--years", str(args.years), "--until", "2026-11-22"])
        owner = settings.load(settings.settings_path(db))
        con = open_snapshot(paths.snapshot(db))
        timings = []
        for run in range(args.runs):
            started = time.perf_counter()
            pack = month_end.build(con, owner, date(2026, 10, 1))
            month_end.write_xlsx(pack, Path(folder) / f"october-{run}.xlsx")
            month_end.write_csv_dir(pack, Path(folder) / f"csv-{run}")
            timings.append(time.perf_counter() - started)
        rows = sum(len(b.rows) for s in pack.sheets for b in s.blocks)
        print(f"demo company: {args.clients} clients x {args.years} years; October 2026: {rows:,} rows in 8 sheets")
        print(f"  export (workbook + CSV folder): median {statistics.median(timings):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
