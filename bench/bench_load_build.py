"""Load + build of the 250-client x 10-year demo company into a fresh warehouse.

Usage: .venv/bin/python bench/bench_load_build.py [--clients 250] [--years 10] [--runs 3]
Two paths, each into a new warehouse: the demo connector (records handed over in memory) and the
file connector (the same company written as QuickBooks JSON files, then `load`ed from disk).
Prints each phase's median over the runs; the figures for docs/BENCHMARKS.md are the `load + build` lines.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from itertools import chain
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.demo import write_documents  # noqa: E402
from ingest.demo.company import generate  # noqa: E402
from ingest.load import load_files, store  # noqa: E402
from ingest.records import extract, locate  # noqa: E402
from models.warehouse.build import build  # noqa: E402
from models.warehouse.work_db import open_work_db  # noqa: E402

UNTIL = date(2026, 11, 22)


def one_run(clients: int, years: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "warehouse.duckdb"
        t0 = time.perf_counter()
        documents = generate(seed=7, clients=clients, years=years, until=UNTIL).documents
        t1 = time.perf_counter()
        extracted = extract(chain.from_iterable(locate(d, "bench") for d in documents))
        t2 = time.perf_counter()
        con = open_work_db(db)
        store(con, "demo", "bench", extracted, replace_realm=True)
        con.close()
        t3 = time.perf_counter()
        result = build(db)
        t4 = time.perf_counter()
        assert not result.failed_checks, result.failed_checks
        files = write_documents(documents, Path(folder) / "files")
        from_files = Path(folder) / "from-files.duckdb"
        t5 = time.perf_counter()
        con = open_work_db(from_files)
        results = load_files(con, files, "demo")
        con.close()
        t6 = time.perf_counter()
        build(from_files)
        t7 = time.perf_counter()
        assert all(r.ok for r in results)
        return {
            "generate (not part of the target)": t1 - t0,
            "demo: parse + validate": t2 - t1,
            "demo: write raw": t3 - t2,
            "demo: build + publish": t4 - t3,
            "demo: load + build": t4 - t1,
            "files: read + parse + validate + write raw": t6 - t5,
            "files: load + build": t7 - t5,
            "JSON on disk (MB)": sum(f.stat().st_size for f in files) / 1e6,
            "records": len(extracted.records),
            "revenue lines": result.revenue_lines,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.clients, args.years) for _ in range(args.runs)]
    print(f"demo company: {args.clients} clients x {args.years} years, {args.runs} runs (median)")
    for key in runs[0]:
        value = statistics.median(r[key] for r in runs)
        print(f"  {key:42s} {value:>10,.2f}{'' if key in ('records', 'revenue lines') or 'MB' in key else ' s'}")


if __name__ == "__main__":
    main()
