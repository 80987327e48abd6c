"""What the benchmarks share: their command-line options and a demo warehouse to measure."""
from __future__ import annotations

import argparse
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cli import main as cli  # noqa: E402
from models import paths  # noqa: E402
from tests.server import free_port, running  # noqa: E402

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


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


@contextmanager
def app_in_browser(db: Path, folder: str) -> Iterator[tuple[str, object]]:
    """`streamlit run` on the warehouse on a free loopback port, and a page of Debian's chromium
    (Playwright): yields the app's address and the page."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    command = [str(Path(sys.executable).with_name("streamlit")), "run", "streamlit_app.py",
               "--server.port", str(port), "--server.address", "127.0.0.1"]
    with running(command, port, {paths.ENV_VAR: str(db)}, Path(folder) / "streamlit.log") as url:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
            try:
                yield url, browser.new_page(viewport={"width": 1400, "height": 1000})
            finally:
                browser.close()
