"""Median time of every report (and its variants) on the 250-client x 10-year demo company.

Usage: .venv/bin/python bench/bench_reports.py [--clients 250] [--years 10] [--runs 7]
Builds the company once into a temporary warehouse, then runs each report through the same code the
CLI and the app use, on one open snapshot connection. Target: under 200 ms each. Then `forecast --scenario` (a
what-if of every kind: its resolving, the report and its lines), and what the app pays per report besides the
query: a cursor from its SnapshotReader, alone and with a small report on it.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import demo_warehouse, options  # noqa: E402

from models.figures import reports, whatifs  # noqa: E402
from models.settings.scenarios import Scenario  # noqa: E402
from models.settings import settings  # noqa: E402
from models.warehouse import paths  # noqa: E402
from models.warehouse.snapshot import SnapshotReader, open_snapshot  # noqa: E402

AS_OF = date(2026, 11, 22)
VARIANTS = [
    ("revenue-by-category", {}),
    ("recurring-share", {}),
    ("mrr", {}),
    ("mrr", {"summary": True}),
    ("client-labor", {}),
    ("client-labor", {"by_month": True}),
    ("garden", {}),
    ("garden", {"summary": True}),
    ("tiers", {}),
    ("prepayments", {}),
    ("prepayments", {"schedule": True}),
    ("prepayments", {"roll_forward": date(2026, 10, 1)}),
    ("ar-aging", {}),
    ("ar-aging", {"finance_charges": True}),
    ("agreement-rate", {}),
    ("margin", {}),
    ("margin", {"by_month": True}),
    ("margin", {"overhead": True}),
    ("policies", {}),
    ("lines", {"kind": "policies:hourly_paid_late"}),
    ("payment-behaviour", {}),
    ("payment-behaviour", {"summary": True}),
    ("lines", {"kind": "payments:paid"}),
    ("lines", {"kind": "payments:agreement_by_3rd"}),
    ("tie-out", {"costs": True}),
    ("lines", {"kind": "margin:gross_margin", "client": "5000"}),
    ("forecast", {}),
    ("forecast", {"cash": True}),
    ("forecast", {"cash": True, "by_month": True}),
    ("retention", {}),
    ("lines", {"kind": "forecast:committed"}),
    ("revenue-by-category", {"basis": "cash"}),
    ("recurring-share", {"basis": "cash"}),
    ("client-labor", {"basis": "cash"}),
    ("client-labor", {"by_month": True, "basis": "cash"}),
    ("lines", {"month": date(2026, 10, 1), "basis": "cash"}),
    ("devices", {}),
    ("lines", {"kind": "devices:monthly_difference"}),
    ("price-sheet", {}),
    ("lines", {"kind": "price-sheet:difference"}),
    ("revenue-lines", {}),
]


def main() -> None:
    args = options(__doc__, runs=7)
    with tempfile.TemporaryDirectory() as folder:
        db = demo_warehouse(folder, args, until="2026-11-22")
        owner = settings.load(settings.settings_path(db))
        con = open_snapshot(paths.snapshot(db))
        print(f"demo company: {args.clients} clients x {args.years} years; median of {args.runs} runs, as of {AS_OF}")
        for name, variant in VARIANTS:
            timings, rows = [], 0
            for _ in range(args.runs):
                started = time.perf_counter()
                rows = len(reports.run(con, name, reports.Options(as_of=AS_OF, **variant), owner).rows)
                timings.append(time.perf_counter() - started)
            label = name + "".join(f" --{k.replace('_', '-')}" + ("" if v is True else f" {v}") for k, v in variant.items())
            print(f"  {label:40s} {statistics.median(timings) * 1000:8.1f} ms  {rows:>7,} rows")
        _scenario(con, owner, args.runs)
        con.close()
        _cursor(db, owner, args.runs)


# Every kind of what-if at once: both raises, a weeding at the garden's first line, three clients of each tier's
# Most Likely to Sign list (the garden and tiers reports run to name them)
SCENARIO = Scenario("bench", raise_tiers_percent=Decimal(5), raise_hourly_percent=Decimal(10),
                    weed_below=Decimal(500), sign=(("Silver", 3), ("Gold", 3), ("Platinum", 3)))


def _scenario(con, owner: settings.Settings, runs: int) -> None:
    """forecast --scenario as the command line runs it (resolve, then the report), the report alone, its lines."""
    changes = whatifs.resolve(con, SCENARIO, AS_OF, None, owner)
    with_scenario = reports.Options(as_of=AS_OF, scenario=changes)
    for label, work in (
            ("resolve the what-if", lambda: whatifs.resolve(con, SCENARIO, AS_OF, None, owner).clients),
            ("forecast --scenario", lambda: reports.run(con, "forecast", with_scenario, owner).rows),
            ("resolve + forecast --scenario", lambda: reports.run(con, "forecast", reports.Options(
                as_of=AS_OF, scenario=whatifs.resolve(con, SCENARIO, AS_OF, None, owner)), owner).rows),
            ("lines --kind scenario:cash", lambda: reports.run(con, "lines", reports.Options(
                as_of=AS_OF, kind="scenario:cash", scenario=changes), owner).rows)):
        timings, rows = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            rows = len(work())
            timings.append(time.perf_counter() - started)
        print(f"  {label:40s} {statistics.median(timings) * 1000:8.1f} ms  {rows:>7,} rows")


def _cursor(db: Path, owner: settings.Settings, runs: int) -> None:
    """The app takes a cursor of one shared connection per query: what that costs before the query runs."""
    reader = SnapshotReader(paths.snapshot(db))
    reader.cursor().close()  # the connection itself is opened once per process, not per report
    small = reports.Options(as_of=AS_OF, summary=True)
    for label, work in (("a cursor", lambda: reader.cursor().close()),
                        ("a cursor and garden --summary", lambda: reports.run(reader.cursor(), "garden", small, owner))):
        timings = []
        for _ in range(max(runs, 20)):
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
        print(f"  {label:40s} {statistics.median(timings) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
