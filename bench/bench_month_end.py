"""Month-end export time for one month of the 250-client x 10-year demo company (target: under 5 s).

Usage: .venv/bin/python bench/bench_month_end.py [--clients 250] [--years 10] [--runs 5]
Times building the pack and writing the workbook (and the CSV folder) for October 2026.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_warehouse, options  # noqa: E402

from models.documents import month_end_workbook  # noqa: E402
from models.figures import month_end  # noqa: E402
from models.settings import settings  # noqa: E402
from models.warehouse import paths  # noqa: E402
from models.warehouse.snapshot import open_snapshot  # noqa: E402


def main() -> None:
    args = options(__doc__, runs=5)
    with tempfile.TemporaryDirectory() as folder:
        db = demo_warehouse(folder, args, until="2026-11-22")
        owner = settings.load(settings.settings_path(db))
        con = open_snapshot(paths.snapshot(db))
        timings = []
        for run in range(args.runs):
            started = time.perf_counter()
            pack = month_end.build(con, owner, date(2026, 10, 1))
            month_end_workbook.write_xlsx(pack, Path(folder) / f"october-{run}.xlsx")
            month_end_workbook.write_csv_dir(pack, Path(folder) / f"csv-{run}")
            timings.append(time.perf_counter() - started)
        rows = sum(len(b.rows) for s in pack.sheets for b in s.blocks)
        print(f"demo company: {args.clients} clients x {args.years} years; October 2026: {rows:,} rows in 8 sheets")
        print(f"  export (workbook + CSV folder): median {statistics.median(timings):.2f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
