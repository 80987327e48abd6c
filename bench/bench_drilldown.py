"""Time to open the lines behind a figure on the 250-client x 10-year demo company: each kind of
figure through report lines (the query the CLI and the app run), then in a real browser, from the
click on a chart bar, a headline's Lines button or a table cell to the dialog showing its rows.

Usage: .venv/bin/python bench/bench_drilldown.py [--clients 250] [--years 10] [--runs 7]
Target: under 1 s a drill-down.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PAINTED, app_in_browser, demo_warehouse, drawn, options  # noqa: E402

from models.figures import drilldown  # noqa: E402
from models.settings import settings  # noqa: E402
from models.warehouse import paths  # noqa: E402
from models.months import add_months  # noqa: E402
from models.warehouse.snapshot import open_snapshot  # noqa: E402


def figures(con, today: date) -> dict[str, drilldown.Figure]:
    client = con.execute("select client_id from marts.fct_revenue_lines group by 1 order by sum(amount) desc "
                         "limit 1").fetchone()[0]
    last_month = add_months(today, -1)
    return {
        "revenue, a month and category": drilldown.revenue_in_month(last_month, "labor_hourly"),
        "revenue, a month (all categories)": drilldown.revenue_in_month(last_month),
        "client labor, 12 months": drilldown.twelve_months(today, "labor", client),
        "revenue, last 12 months (all clients)": drilldown.twelve_months(today, None),
        "MRR of a month": drilldown.mrr(last_month),
        "MRR movement (churn)": drilldown.mrr_movement(last_month, "churn"),
        "receivables, total": drilldown.receivables("total"),
        "receivables, 31-60 days": drilldown.receivables("days_31_60"),
        "prepayment liability": drilldown.prepayments("liability"),
        "tie-out difference": drilldown.tie_out_difference(last_month),
    }


def time_queries(db: Path, runs: int) -> None:
    owner = settings.load(settings.settings_path(db))
    con = open_snapshot(paths.snapshot(db))
    today = date.today()
    for name, figure in figures(con, today).items():
        timings, rows = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            rows = len(drilldown.lines(con, owner, figure, today))
            timings.append(time.perf_counter() - started)
        print(f"  query {name:40s} median {statistics.median(timings) * 1000:6.1f} ms  ({rows:,} rows)")
    con.close()


# Watches, frame by frame from the click, for the dialog's total and for its table's first row drawn.
WATCH = "() => { " + PAINTED + """
  const seen = window.__opened = {start: performance.now()};
  function look() {
    const now = (performance.now() - seen.start) / 1000, dialog = document.querySelector('[role="dialog"]');
    if (dialog && seen.total === undefined && dialog.querySelector('[data-testid="stText"]')) seen.total = now;
    const grid = dialog && dialog.querySelector('[data-testid="stDataFrame"]');
    if (grid && seen.rows === undefined && painted(grid, 35, 35)) seen.rows = now;
    if (seen.rows === undefined) requestAnimationFrame(look);
  }
  requestAnimationFrame(look); }"""


def opened(page, click) -> tuple[float, float]:
    """Seconds from the click to the dialog saying its total, and to its table's first row drawn."""
    page.evaluate(WATCH)
    click()
    page.wait_for_function("() => window.__opened.rows !== undefined", timeout=120_000)
    seen = page.evaluate("() => window.__opened")
    page.keyboard.press("Escape")
    page.locator("[role='dialog']").wait_for(state="detached", timeout=60_000)
    return seen["total"], seen["rows"]


def time_clicks(db: Path, folder: str, runs: int) -> None:
    with app_in_browser(db, folder) as (url, page):
        bars = "[data-testid='stVegaLiteChart'] path[aria-roledescription='bar']"

        def bar(back: int):  # the bars of the last months, one after the other
            return lambda: page.locator(bars).nth(page.locator(bars).count() - 1 - back).click()

        def cell(row: int):
            def click():
                box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
                page.mouse.click(box["x"] + 40, box["y"] + 35 + 17 + 35 * row)
            return click

        cases = [
            ("chart bar (Revenue by month)", "revenue", [bar(n) for n in range(runs)]),
            ("headline (This week: Receivables)", "",
             [lambda: page.locator(".st-key-lines-Receivables").get_by_role("button").first.click()] * runs),
            ("table cell (Receivables: a client)", "receivables", [cell(n % 5) for n in range(runs)]),
        ]
        for name, path, clicks in cases:
            drawn(page, f"{url}/{path}")
            times = [opened(page, click) for click in clicks]
            for moment, index in (("total shown", 0), ("rows shown", 1)):
                print(f"  click {name:38s} {moment}: first {times[0][index]:5.2f} s, then median "
                      f"{statistics.median(t[index] for t in times[1:]):5.2f} s")


def main() -> None:
    args = options(__doc__, runs=7)
    with tempfile.TemporaryDirectory() as folder:
        db = demo_warehouse(folder, args, until=None)
        print(f"demo company: {args.clients} clients x {args.years} years")
        time_queries(db, args.runs)
        time_clicks(db, folder, args.runs)


if __name__ == "__main__":
    main()
