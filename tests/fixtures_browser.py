"""One chromium for the session, a fresh tab (its own cookies) per test, and the app it opens: `msp-revenue
app` on the demo company, started once."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser import ARTIFACTS, CHROMIUM_FLAGS, chromium, settle_at_width
from tests.helpers import cli, copied_warehouse
from tests.run_once import built_once
from tests.server import free_port, running


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    """A new tab in a context of its own: no cookies or downloads of another test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def settled(request, browser, app_server):
    """The app's page at `path` in a window `width` px wide, its placeholders gone, for request.param = (path, width)
    (`indirect` parametrization): opened once, in a context of its own, for the tests of a module that only read
    that page (pytest runs the tests of one (path, width) together), instead of once a test."""
    path, width = request.param
    context = browser.new_context()
    try:
        page = context.new_page()
        settle_at_width(page, app_server[0], path, width)
        yield SimpleNamespace(page=page, path=path, width=width)
    finally:
        context.close()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """(URL, warehouse) of `msp-revenue app` as `make run` starts it, on a demo company that ends today (the
    app's default as-of date), so its pages show a full year."""
    def make(db: Path) -> None:
        assert cli("demo", "--db", db, "--clients", "20", "--years", "2") == 0

    # built once for the run, each worker's server on a copy of its own (the pages may save settings beside it)
    original = built_once(tmp_path_factory, f"app-demo-{date.today()}", make)
    db = copied_warehouse(original, tmp_path_factory.mktemp("app-server") / "wh")
    folder = db.parent
    port = free_port()
    command = [str(Path(sys.executable).with_name("msp-revenue")), "app", "--db", str(db), "--port", str(port)]
    with running(command, port, {}, folder / "streamlit.log") as url:
        yield url, db
