"""The local QuickBooks stand-in as the connector's and the command line's tests start it."""
from __future__ import annotations

import webbrowser

import pytest

from tests.qbo_helpers import connected, environment, start_server
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
