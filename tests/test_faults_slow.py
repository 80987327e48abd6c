"""Servers that answer slowly, a byte at a time (issue 24, item 4): every call to QuickBooks and to Intuit's
OAuth endpoints has a deadline for the whole exchange, not only for each read. Deadlines here are a
second or two, set per test; production keeps its own."""
from __future__ import annotations

import dataclasses
import time

import pytest

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Authorizer, TimeoutAuthClient, TokenStore
from ingest.qbo.client import Connection
from ingest.qbo.errors import ConnectorError
from tests.qbo_helpers import FAST, connected, start_server
from tests.server import free_port

QUICK = dataclasses.replace(FAST, deadline=1.5, attempts=2, timeout=(2.0, 1.0))


@pytest.fixture
def server():
    qbo = start_server(clients=3, years=1)
    yield qbo
    qbo.stop()


def test_a_page_trickled_a_byte_at_a_time_is_cut_at_the_deadline(db, server, monkeypatch):
    connected(db, server, free_port(), monkeypatch)
    connection = Connection(Authorizer(qbo_config.load(db), TokenStore(qbo_config.tokens_path(db)), None),
                            server.api_url, QUICK)
    server.faults.trickle = 0.2  # a byte every 0.2 s: each read well within its 1 s timeout
    started = time.monotonic()
    with pytest.raises(ConnectorError, match="did not answer properly 2 times"):
        connection.query("select * from Customer maxresults 100")
    assert time.monotonic() - started < 8  # two tries of 1.5 s, not the minutes the page would take


def test_a_token_answer_trickled_a_byte_at_a_time_is_cut_at_the_deadline(db, server, monkeypatch):
    connected(db, server, free_port(), monkeypatch)
    authorizer = Authorizer(qbo_config.load(db), TokenStore(qbo_config.tokens_path(db)), None)
    monkeypatch.setattr(TimeoutAuthClient, "deadline", 1.5)
    server.faults.trickle_oauth = 0.2
    started = time.monotonic()
    with pytest.raises(ConnectorError, match="cannot reach Intuit's OAuth discovery document"):
        authorizer.refresh(authorizer.access_token)
    assert time.monotonic() - started < 5
