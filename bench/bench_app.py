"""Time to a fully rendered page in a real browser, per page, and time to build one printout, on
the 250-client x 10-year demo company.

Usage: .venv/bin/python bench/bench_app.py [--clients 250] [--years 10] [--runs 5]
Starts the app as `make run` does (`msp-revenue app`) on a free loopback port, drives Debian's chromium
through Playwright and waits, per page, until Streamlit has finished running the script and every chart
and table on the page has drawn. Prints the first load (a fresh server and browser on the first page)
and the median of the following loads. Targets: under 2 s a
page, under 1 s a printout.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import app_in_browser, demo_warehouse, drawn, options  # noqa: E402

from models.documents import sitdown  # noqa: E402
from models.settings import settings  # noqa: E402
from models.warehouse import paths  # noqa: E402
from models.warehouse.snapshot import open_snapshot  # noqa: E402

PAGES = ["", "sitdown", "garden", "margin", "prepayments", "receivables", "revenue", "categories", "data"]


def rendered(page, url: str) -> float:
    started = time.perf_counter()
    drawn(page, url)
    return time.perf_counter() - started


def main() -> None:
    args = options(__doc__, runs=5)
    with tempfile.TemporaryDirectory() as folder:
        db = demo_warehouse(folder, args, until=None)
        owner = settings.load(settings.settings_path(db))
        con = open_snapshot(paths.snapshot(db))
        client = con.execute("select client_id from marts.fct_revenue_lines group by 1 order by sum(amount) desc "
                             "limit 1").fetchone()[0]
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            sitdown.printout([sitdown.load(con, owner, "demo", client, date.today())], owner.company_name, date.today())
            timings.append(time.perf_counter() - started)
        con.close()
        print(f"demo company: {args.clients} clients x {args.years} years")
        print(f"  printout of one client: first {timings[0] * 1000:.0f} ms, then median "
              f"{statistics.median(timings[1:]) * 1000:.0f} ms")
        with app_in_browser(db, folder) as (url, page):
            for name in PAGES:
                loads = [rendered(page, f"{url}/{name}") for _ in range(args.runs)]
                print(f"  page {name or 'this-week':12s} first {loads[0]:5.2f} s, then median "
                      f"{statistics.median(loads[1:]):5.2f} s")


if __name__ == "__main__":
    main()
