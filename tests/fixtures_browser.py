"""One chromium for the session, a fresh tab (its own cookies) per test, and the app it opens: `msp-revenue
app` on the demo company, started once; the pages a module only reads, each opened once (`settled`)."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser import ARTIFACTS, CHROMIUM_FLAGS, chromium, resize_and_settle, settle_at_width
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
def drawn_page(browser):
    """The one tab `settled` keeps open, in a context of its own: {"path", "context", "page"} once it has opened one."""
    held: dict = {}
    try:
        yield held
    finally:
        if held:
            held["context"].close()


@pytest.fixture(scope="module")
def settled(request, browser, app_server, drawn_page):
    """The app's page at `path` in a window `width` px wide, its placeholders gone, for request.param = (path, width)
    (`indirect` parametrization), for the tests of a module that only read that page (pytest runs the tests of one
    (path, width) together). A page is opened once, at the first width asked for it, and drawn again at the next
    width by resizing its window (what a person narrowing the window does; no page reads the width on the server),
    instead of being opened afresh in a new context for each width: a fresh page costs some 2.5 s."""
    path, width = request.param
    if drawn_page.get("path") == path:
        resize_and_settle(drawn_page["page"], width)
    else:
        if drawn_page:
            drawn_page.pop("context").close()
        context = browser.new_context()
        drawn_page.update(path=path, context=context, page=context.new_page())
        settle_at_width(drawn_page["page"], app_server[0], path, width)
    yield SimpleNamespace(page=drawn_page["page"], path=path, width=width)


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
