"""The local QuickBooks stand-in as the connector's and the command line's tests start it."""
from __future__ import annotations

import webbrowser

import pytest

from ingest.qbo.run import run_sync
from tests.helpers import cli
from tests.qbo_helpers import FAST, beside_own_tokens, connected, environment, start_server
from tests.run_once import built_once, listing
from tests.server import free_port


@pytest.fixture
def qbo(monkeypatch):
    """A small QuickBooks company (3 clients, 1 year), the connector's settings pointing at it; no browser
    may open."""
    server = start_server(clients=3, years=1)
    for key, value in environment(server, free_port()).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(webbrowser, "open", lambda url: pytest.fail("no browser may open in these tests"))
    yield server
    server.stop()


@pytest.fixture
def connected_qbo(db, monkeypatch):
    """A QuickBooks company (20 clients, 2 years), connected to the warehouse `db`."""
    server = start_server()
    connected(db, server, free_port(), monkeypatch)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def first_sync(tmp_path_factory):
    """A warehouse that made the first sync of connected_qbo's company (FAST) and built, once for the run: the
    original `synced` copies. The stand-in's company is the same in every server (the demo company's seed), so a
    copy is what a first sync of the test's own server would have stored, only its cursor a little earlier."""
    def make(db):
        server = start_server()
        try:
            with pytest.MonkeyPatch.context() as patch:
                connected(db, server, free_port(), patch)
                assert not run_sync(db, None, full=False, policy=FAST).failed
                assert cli("build", "--db", db) == 0
        finally:
            server.stop()

    db = built_once(tmp_path_factory, "first-sync-20x2", make, file_name="warehouse.duckdb")
    before = listing(db.parent)
    yield db
    assert listing(db.parent) == before, "a test wrote to the shared first sync; it should take `synced`"


@pytest.fixture
def synced(db, connected_qbo, first_sync):
    """`db` after its first sync of connected_qbo and a build, for the tests of what comes after one: the shared
    first sync copied beside the token file connected_qbo's own sign-in wrote (the server knows only its own
    tokens). A test about the first sync itself syncs `db` instead."""
    return beside_own_tokens(first_sync, db)
