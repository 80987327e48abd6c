"""A real browser (Debian's chromium, headless) against `streamlit run`: what a person sees."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT, UNTIL, cli
from tests.server import free_port, running

pytestmark = [pytest.mark.server, pytest.mark.browser]
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed: `make browser-deps` (or apt-get install chromium) installs it"
    return path


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "w.duckdb"
    assert cli("demo", "--db", db, "--until", UNTIL, "--clients", "20", "--years", "2") == 0
    port = free_port()
    command = [str(Path(sys.executable).with_name("streamlit")), "run", "streamlit_app.py",
               "--server.port", str(port)]
    with running(command, port, {"MSP_REVENUE_DB": str(db)}, folder / "streamlit.log") as url:
        yield url


def test_revenue_page_renders_chart_and_table(app_url):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.goto(app_url)
            page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
            page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg",
                                   timeout=60_000)
            text = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "revenue.png"), full_page=True)
        finally:
            browser.close()
    assert "Revenue by month and category" in text
    assert "ties out" in text
    assert "Traceback" not in text
