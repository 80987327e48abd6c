"""The app's Sync now (and any work it runs in a child process) keeps its own time limit, even while the child
says nothing (issue 24, item 5): a sync waiting on a slow QuickBooks is stopped at the limit."""
from __future__ import annotations

import time

import services
from tests.qbo_helpers import connected, start_server
from tests.server import free_port
from tests.stand_in.quickbooks import Faults


def test_the_time_limit_holds_while_the_child_is_silent(db, monkeypatch):
    server = start_server(clients=3, years=1, faults=Faults(latency=40))  # every page takes 40 s to come
    try:
        connected(db, server, free_port(), monkeypatch)
        started = time.monotonic()
        outcome = services.run_in_child(db, ["sync"], "the sync", timeout=5)
        assert time.monotonic() - started < 20
        assert not outcome.ok and outcome.message == "stopped after 5s"
    finally:
        server.stop()
