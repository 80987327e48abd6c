"""What the benchmarks share: their command-line options and a demo warehouse to measure."""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cli import main as cli  # noqa: E402
from tests.helpers import PROJECT  # noqa: E402
from tests.server import free_port, running  # noqa: E402

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def options(doc: str, runs: int, against: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help="measure this warehouse, built beforehand (`msp-revenue demo --db PATH --clients N --years N "
                             "--until 2026-11-22`: 1,000 x 10 takes minutes), instead of building the demo company")
    if against:
        parser.add_argument("--against", metavar="REF",
                            help="also time the app of this commit (e.g. main), on a second server, in turn with this one")
        parser.add_argument("--pages", metavar="NAMES", help="only these pages, by their address (margin,garden)")
    return parser.parse_args()


def demo_warehouse(folder: str, args: argparse.Namespace, until: str | None = "2026-11-22") -> Path:
    """The demo company built into a new warehouse in `folder` (ending `until`; None: today), or the warehouse
    --db names."""
    if args.db:
        return args.db
    db = Path(folder) / "warehouse.duckdb"
    cli(["demo", "--db", str(db), "--clients", str(args.clients), "--years", str(args.years)]
        + (["--until", until] if until else []))
    return db


# Whether a table (Streamlit's grid, drawn on a canvas) shows text between `top` and `top + height` CSS
# pixels from its top: the header is its first 35 pixels, each row the next 35. The grid's cells for screen
# readers come about 0.3 s after the canvas is drawn, so they would time the wrong thing.
PAINTED = """function painted(grid, top, height) {
  const scale = window.devicePixelRatio || 1;
  return [...grid.querySelectorAll('canvas')].some(canvas => {
    if (!canvas.width || canvas.height < (top + height) * scale) return false;
    const pixels = canvas.getContext('2d').getImageData(0, Math.round(top * scale), Math.min(canvas.width, 600),
                                                        Math.round(height * scale)).data;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128 && pixels[i + 1] < 128 && pixels[i + 2] < 128) dark++;
    return dark > 10;
  });
}"""

# Streamlit's script has finished and every chart and table on the page has drawn: each chart its marks,
# each table its header.
DRAWN = "() => { " + PAINTED + """
  return !document.querySelector('[data-testid="stStatusWidget"]')
    && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
         .every(chart => chart.querySelector('svg [aria-roledescription], canvas'))
    && [...document.querySelectorAll('[data-testid="stDataFrame"]')].every(grid => painted(grid, 0, 35)); }"""


def drawn(page, url: str) -> None:
    """Open `url` and wait until the page is drawn as a person sees it (DRAWN)."""
    page.goto(url)
    page.wait_for_selector("h1", timeout=120_000)
    page.wait_for_selector("[data-testid='stMain'] [data-testid='stDataFrame'], "
                           "[data-testid='stMain'] [data-testid='stMetric']", timeout=120_000)
    page.wait_for_function(DRAWN, timeout=120_000)


@contextmanager
def app_in_browser(db: Path, folder: str) -> Iterator[tuple[str, object]]:
    """The app as `make run` starts it (`msp-revenue app`) on the warehouse on a free loopback port, and a
    page of Debian's chromium (Playwright): yields the app's address and the page."""
    with app_server(db, folder) as url, browser_pages(1) as (page,):
        yield url, page


@contextmanager
def app_server(db: Path, folder: str, ref: str | None = None) -> Iterator[str]:
    """`msp-revenue app` on the warehouse on a free loopback port, yielding its address; with `ref`, the app of
    that commit of the project (`git archive`, in `folder`), run by this project's Python, to compare with."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("msp-revenue")), "app", "--db", str(db), "--port", str(port)]
    code, env = PROJECT, {}
    if ref:
        code = Path(folder) / f"app-{ref.replace('/', '-')}"
        code.mkdir()
        archive = subprocess.run(["git", "-C", str(PROJECT), "archive", "--format=tar", ref], check=True,
                                 stdout=subprocess.PIPE).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(code, filter="data")
        # its own modules, not the installed project's: `python -m cli` from its folder
        command, env = [sys.executable, "-m", "cli", *command[1:]], {"PYTHONPATH": str(code)}
    with running(command, port, env, Path(folder) / f"streamlit-{port}.log", cwd=code) as url:
        yield url


@contextmanager
def browser_pages(count: int) -> Iterator[list]:
    """`count` pages (tabs) of one Debian chromium driven by Playwright, each in a context of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        try:
            yield [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page() for _ in range(count)]
        finally:
            browser.close()
