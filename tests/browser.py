"""Driving Debian's chromium (headless, through Playwright) against the app, for tests."""
from __future__ import annotations

import shutil

from tests.helpers import PROJECT

ARTIFACTS = PROJECT / "test-artifacts"  # screenshots and downloads, to look at after a run
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed: `make system-deps` (or apt-get install chromium) installs it"
    return path


def open_page(page, url: str, path: str) -> str:
    """Open the app's page at `path`, wait until it has run, and return the text of its main part."""
    page.goto(f"{url}/{path}")
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    return page.inner_text("[data-testid='stMain']")


def settle_at_width(page, url: str, path: str, width: int) -> None:
    """Open the app's page at `path` in a window `width` px wide and wait until its placeholders are gone."""
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, url, path)
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)


def resize_and_settle(page, width: int) -> None:
    """Make the window of a settled page `width` px wide and wait until the page is drawn again at that width:
    the window has its new size and two frames have been painted since (the charts and grids redraw when their
    box changes size, on the next frame), its placeholders still gone."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_function(f"window.innerWidth === {width}", timeout=10_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)


def screenshot(shown, shot: str) -> None:
    """ARTIFACTS/SHOT-PAGE-WIDTH.png of a `settled` page (tests/fixtures_browser.py), to look at after a run."""
    shown.page.screenshot(path=str(ARTIFACTS / f"{shot}-{shown.path or 'this-week'}-{shown.width}.png"), full_page=True)
