"""The local QuickBooks stand-in as the connector's and the command line's tests start it."""
from __future__ import annotations

import webbrowser
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ingest.qbo.run import run_sync
from tests.helpers import cli
from tests.qbo_helpers import (FAST, connected, copied_beside_its_tokens, environment, start_server,
                               unpaced_command_line)
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
def unpaced(monkeypatch):
    """Command-line syncs in the test's process unpaced (qbo_helpers.unpaced_command_line): for the tests that sync
    through the command line and are not about the limits."""
    unpaced_command_line(monkeypatch)


@pytest.fixture
def connected_qbo(db, monkeypatch):
    """A QuickBooks company (20 clients, 2 years), connected to the warehouse `db`."""
    server = start_server()
    connected(db, server, free_port(), monkeypatch)
    yield server
    server.stop()


@pytest.fixture
def connected_small_qbo(db, qbo, monkeypatch):
    """qbo's small company (3 clients, 1 year), connected to the warehouse `db`: for the tests of a first sync whose
    point needs no more than a page of each entity (a first sync of connected_qbo's reads some 1,700 records)."""
    connected(db, qbo, free_port(), monkeypatch)
    return qbo


@pytest.fixture(scope="session")
def first_sync(tmp_path_factory):
    """A warehouse that made the first sync of connected_qbo's company (FAST) and built, once for the run: the
    original `synced` copies. The stand-in's company is the same in every server (the demo company's seed), so a
    copy is what a first sync of the test's own server would have stored, only its cursor a little earlier."""
    def sync_and_build(db):
        assert not run_sync(db, None, full=False, policy=FAST).failed
        assert cli("build", "--db", db) == 0

    yield from _synced_once(tmp_path_factory, "first-sync-20x2", (20, 2), sync_and_build)


@pytest.fixture
def synced(db, connected_qbo, first_sync):
    """`db` after its first sync of connected_qbo and a build, for the tests of what comes after one: the shared
    first sync copied beside the token file connected_qbo's own sign-in wrote (the server knows only its own
    tokens). A test about the first sync itself syncs `db` instead."""
    return copied_beside_its_tokens(first_sync, db)


@pytest.fixture(scope="session")
def first_command_line_sync(tmp_path_factory):
    """A warehouse that made the first `msp-revenue sync` (the command line's, unpaced as the stand-in is: then a
    build) of a small QuickBooks company (3 clients, 1 year), once for the run; a test copies it beside the tokens
    of its own stand-in of that size (copied_beside_its_tokens), as `synced` does the first sync."""
    def sync(db):
        with pytest.MonkeyPatch.context() as patch:
            unpaced_command_line(patch)
            assert cli("sync", "--db", db) == 0

    yield from _synced_once(tmp_path_factory, "first-command-line-sync-3x1", (3, 1), sync)


@pytest.fixture
def synced_small_company(db, connected_small_qbo, first_command_line_sync):
    """`db` after its first sync of connected_small_qbo's company (3 clients, 1 year): the run's shared first
    command-line sync copied beside the tokens of the test's own sign-in, as `synced` is for connected_qbo; for the
    tests of what comes after a sync whose point needs no more than a few clients (a sync and a build of the
    20 x 2 company take some 1,700 records each time)."""
    return copied_beside_its_tokens(first_command_line_sync, db)


def _synced_once(tmp_path_factory, name: str, size: tuple[int, int], sync: Callable[[Path], None]) -> Iterator[Path]:
    """The warehouse `name` of the run (tests/run_once.py), connected to a stand-in of `size` (clients, years) and
    synced by sync(db), made by the first worker to ask; the session fails if a test wrote to it."""
    def make(db):
        server = start_server(*size)
        try:
            with pytest.MonkeyPatch.context() as patch:
                connected(db, server, free_port(), patch)
                sync(db)
        finally:
            server.stop()

    db = built_once(tmp_path_factory, name, make, file_name="warehouse.duckdb")
    before = listing(db.parent)
    yield db
    assert listing(db.parent) == before, f"a test wrote to the shared {name}; it should take a copy beside its own " \
                                         "tokens (copied_beside_its_tokens)"
