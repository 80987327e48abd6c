"""Time to a fully rendered page in a real browser, per page, and time to build one printout, on
the 250-client x 10-year demo company.

Usage: .venv/bin/python bench/bench_app.py [--clients 250] [--years 10] [--runs 5] [--against REF] [--pages margin,garden]
Starts the app as `make run` does (`msp-revenue app`) on a free loopback port, drives Debian's chromium
through Playwright and waits, per page, until Streamlit has finished running the script and every chart
and table on the page has drawn: the page's tables and charts are counted once on its first load, left to settle
(the same for 2 s), and each later load waits for that many. Prints, per page, the first load (a fresh server and
browser on the first page; when it first showed what it settled with), the median of the following loads (each a reload of the whole app, as a bookmark or the browser's
refresh button does: the browser starts Streamlit's front end and a new session again) and the median time from
a click on the page's name in the sidebar, on This week, to the page drawn (what a person moving between
pages waits for). With --against REF, the app of that commit runs on a second server on the same warehouse
and each load alternates between the two, so the machine's load weighs on both alike. Targets: under 2 s a
page (under 1 s a reload for the Margin page), under 1 s a printout.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import DRAWN, app_server, browser_pages, demo_warehouse, options  # noqa: E402

from models.documents import sitdown  # noqa: E402
from models.settings import settings  # noqa: E402
from models.warehouse import paths  # noqa: E402
from models.warehouse.snapshot import open_snapshot  # noqa: E402

PAGES = ["", "sitdown", "garden", "margin", "prepayments", "receivables", "revenue", "categories", "data"]

# What the page shows once its script has finished: its title, how many tables and charts, and whether each
# has drawn (DRAWN). Streamlit shows its "running" sign only some time into a run, so a page can look drawn
# before its tables have come: a wait needs the page's counts, taken once from a load left to settle.
STATE = "() => { const drawn = (" + DRAWN + """)();
  const title = document.querySelector('[data-testid="stMain"] h1');
  return [title ? title.innerText.trim() : '',
          document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]').length,
          document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').length,
          drawn && !document.querySelector('[data-stale="true"]')]; }"""
# The page drawn has replaced the one before (no element of the last run is left: Streamlit marks those stale
# until the new run has replaced them) and shows the tables and charts it settled with, each drawn.
ARRIVED = "(shown) => { const now = (" + STATE + """)();
  return now[3] && now[0] === shown[0] && now[1] === shown[1] && now[2] === shown[2]; }"""
SETTLE = 2.0  # seconds a page must stay the same, drawn and with nothing running, to count as settled


def settled(page, url: str) -> tuple[list, float]:
    """Open `url` and watch it until it has stayed the same, drawn, for SETTLE seconds: what it shows then and
    the seconds from the start to when it first showed it (to the nearest 50 ms)."""
    started = time.perf_counter()
    page.goto(url)
    last, since = None, started
    while True:
        state = page.evaluate(STATE)
        now = time.perf_counter()
        if state != last:
            last, since = state, now
        elif state[3] and now - since >= SETTLE:
            return state[:3], since - started
        if now - started > 120:
            raise TimeoutError(f"{url} did not settle in 120 s: it shows {state}")
        page.wait_for_timeout(50)


def reloaded(page, url: str, shown: list) -> float:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ARRIVED, arg=shown, timeout=120_000)
    return time.perf_counter() - started


def by_the_sidebar(page, url: str, name: str, shown: list) -> float:
    """Seconds from a click on the page's link in the sidebar of This week (settled) to the page drawn."""
    settled(page, url)
    started = time.perf_counter()
    page.click(f"[data-testid='stSidebarNav'] a[href$='/{name}']")
    page.wait_for_function(ARRIVED, arg=shown, timeout=120_000)
    return time.perf_counter() - started


def printout_timings(db: Path, runs: int) -> list[float]:
    owner = settings.load(settings.settings_path(db))
    con = open_snapshot(paths.snapshot(db))
    client = con.execute("select client_id from marts.fct_revenue_lines group by 1 order by sum(amount) desc "
                         "limit 1").fetchone()[0]
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        sitdown.printout([sitdown.load(con, owner, "demo", client, date.today())], owner.company_name, date.today())
        timings.append(time.perf_counter() - started)
    con.close()
    return timings


def main() -> None:
    args = options(__doc__, runs=5, against=True)
    with tempfile.TemporaryDirectory() as folder:
        db = demo_warehouse(folder, args, until=None)
        timings = printout_timings(db, args.runs)
        print(f"demo company: {args.clients} clients x {args.years} years")
        print(f"  printout of one client: first {timings[0] * 1000:.0f} ms, then median "
              f"{statistics.median(timings[1:]) * 1000:.0f} ms")
        apps = {"this": None} | ({args.against: args.against} if args.against else {})
        with ExitStack() as stack:
            urls = {name: stack.enter_context(app_server(db, folder, ref)) for name, ref in apps.items()}
            pages = dict(zip(urls, stack.enter_context(browser_pages(len(urls)))))
            for name in args.pages.split(",") if args.pages else PAGES:
                loads: dict[str, list[float]] = {app: [] for app in urls}
                clicks: dict[str, list[float]] = {app: [] for app in urls}
                shown: dict[str, list] = {}
                for run in range(args.runs):
                    for app in list(urls)[::1 if run % 2 == 0 else -1]:
                        if not run:
                            shown[app], first = settled(pages[app], f"{urls[app]}/{name}")
                            loads[app].append(first)
                            continue
                        loads[app].append(reloaded(pages[app], f"{urls[app]}/{name}", shown[app]))
                        if name:
                            clicks[app].append(by_the_sidebar(pages[app], urls[app], name, shown[app]))
                for app in urls:
                    label = f"{name or 'this-week'}{'' if len(urls) == 1 else f' ({app})'}"
                    print(f"  page {label:24s} first {loads[app][0]:5.2f} s, then median "
                          f"{statistics.median(loads[app][1:]):5.2f} s"
                          + (f"; from the sidebar median {statistics.median(clicks[app]):5.2f} s" if clicks[app] else ""),
                          flush=True)


if __name__ == "__main__":
    main()
