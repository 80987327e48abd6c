"""A sync killed with SIGKILL at random points of its progress, then run again, ends with the same raw tables as an
uninterrupted sync; and the connect command's flow, loopback and pasted."""
from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from ingest.qbo.sync import ENTITIES
from tests.helpers import MSP_REVENUE, checksums, query
from tests.paused_runs import PausedRuns
from tests.qbo_helpers import REALM, connected, environment, raw, start_server
from tests.server import free_port
from tests.stand_in.quickbooks import Faults

pytestmark = [pytest.mark.server, pytest.mark.long]

# The kills, by what the killed run was doing: a full sync (starting up, counting and paging every entity), the
# build while QuickBooks' income is asked for (the full sync's cursor committed), then incremental syncs.
FULL, INCOME, INCREMENTAL = 10, 1, 11
# what `msp-revenue sync` imports when it runs (the sync, then the build), so each forked run starts at `main`
SYNC_IMPORTS = ("services", "ingest.qbo.run", "models.warehouse.build", "models.figures.freshness")


class HeldAnswer:
    """The stand-in's on_arrival hook: holds the n-th data request of a run (`arm(n)`) until `release()`, so the
    test kills the run while it waits for that answer, its other requests in flight and its pages being stored.
    It counts every request that arrives, for the number of answers a run that ended by itself asked for."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.arrived, self.hold_at, self.first_arrival = 0, 0, None
        self.holding, self._released = threading.Event(), threading.Event()

    def arm(self, hold_at: int) -> None:
        with self._lock:
            self.arrived, self.hold_at, self.first_arrival = 0, hold_at, None
            self.holding.clear()
            self._released.clear()

    def release(self) -> None:
        self._released.set()

    def __call__(self) -> None:
        with self._lock:
            self.arrived += 1
            self.first_arrival = self.first_arrival or time.monotonic()
            held = self.arrived == self.hold_at
        if held:
            self.holding.set()
            self._released.wait(timeout=60)


def held_or_ended(pid: int, hold: HeldAnswer) -> bool:
    """Whether the run reached its held answer (True) or ended by itself first (False)."""
    ended = os.pidfd_open(pid)
    try:
        while not hold.holding.wait(0.01):
            if select.select([ended], [], [], 0)[0]:
                return hold.holding.is_set()
        return True
    finally:
        os.close(ended)


def sync_to_the_end(db: Path, env: dict) -> None:
    done = subprocess.run([MSP_REVENUE, "sync", "--db", str(db)], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_killed_syncs_end_with_the_uninterrupted_warehouse(tmp_path, monkeypatch):
    """Each kill lands at a point of the sync's own progress, while the stand-in holds the run's n-th answer: n drawn
    from the answers of the phase the kill is for (a full sync's counts and pages; QuickBooks' income, asked for
    while the build runs; what an incremental sync asks for), 0 a random moment before the run's first request
    (opening the work database). A wait of random length instead mostly killed runs still importing on a loaded
    machine, and never a run past its pages. Each killed run is forked from a process that has imported the command
    (tests/paused_runs.py) and dies by a real SIGKILL, unpaced as the stand-in is (the kills are about what a run
    leaves, not the limits: at ten a second each full run waited seconds for its n-th answer); the uninterrupted
    sync and the last one start the console command, with its pacing."""
    hold = HeldAnswer()
    server = start_server(clients=30, years=2, faults=Faults(latency=0.03, on_arrival=hold))
    try:
        port = free_port()
        reference = tmp_path / "reference" / "w.duckdb"
        connected(reference, server, port, monkeypatch)
        env = environment(server, port)
        hold.arm(0)
        started = time.monotonic()
        sync_to_the_end(reference, env)
        expected = checksums(reference)
        asked, before_first = hold.arrived, hold.first_arrival - started
        # the records are all stored before QuickBooks' income is asked for (ingest.qbo.run)
        queries = sum(path.endswith("/query") for path in server.stats.paths)
        # every entity read in one request (each holds less than a page: its first page is all of it), then
        # QuickBooks' income
        assert queries == len(ENTITIES) and queries < asked
        phases = [(0, queries)] * FULL + [(queries + 1, asked)] * INCOME + [(0, None)] * INCREMENTAL

        db = tmp_path / "killed" / "w.duckdb"
        connected(db, server, port, monkeypatch)
        rng = random.Random(20261122)
        incremental, ran_on = asked, 0
        with PausedRuns(SYNC_IMPORTS, unpaced=True) as runs:
            for first, last in phases:
                while True:
                    at = rng.randint(first, incremental if last is None else last)
                    hold.arm(max(at, 1))
                    launched = time.monotonic()
                    pid = runs.started(["sync", "--db", str(db)])
                    if at == 0:
                        hold.holding.wait(rng.uniform(0, before_first))
                    killed = at == 0 or held_or_ended(pid, hold)
                    if killed:
                        os.kill(pid, signal.SIGKILL)
                    assert runs.ended() == (-signal.SIGKILL if killed else 0)
                    hold.release()
                    if hold.first_arrival:  # a forked run's start-up, shorter than the console command's
                        before_first = hold.first_arrival - launched
                    if killed:
                        break
                    # only an incremental sync asks for fewer answers than drawn: a killed full sync leaves no cursor
                    assert last is None, f"a sync killed in its full pass left a cursor: the next ended at {at}"
                    incremental, ran_on = hold.arrived, ran_on + 1  # what an incremental sync asks for
                    assert ran_on < 3, "incremental syncs asked for fewer answers each time"
        sync_to_the_end(db, env)
        assert checksums(db) == expected
        assert query(db, "select count(*) from marts.fct_revenue_lines") == \
            query(reference, "select count(*) from marts.fct_revenue_lines")
        # QuickBooks' income too: a sync killed once its cursor moved, before its ProfitAndLoss was stored, left
        # its months owed (raw.income_due), and a later sync asked for them
        months = "select month from raw.qbo_profit_and_loss_months order by month"
        assert raw(db, months) == raw(reference, months)
        assert raw(db, "select * from raw.income_due") == []
        tie_out = "select month, account_id, quickbooks, ours from marts.mart_tie_out order by all"
        assert query(db, tie_out) == query(reference, tie_out)
    finally:
        hold.release()
        server.stop()


def test_connect_on_the_loopback_address_then_disconnect(tmp_path):
    server = start_server(clients=3, years=1)
    try:
        db = tmp_path / "w.duckdb"
        env = {**os.environ, **environment(server, free_port())}
        process = subprocess.Popen([MSP_REVENUE, "connect", "--no-browser",
                                    "--timeout", "30", "--db", str(db)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        url = next(line.strip() for line in process.stdout if line.strip().startswith("http"))
        assert "client_id=local-client" in url and "scope=com.intuit.quickbooks.accounting" in url
        assert requests.get(url, timeout=10).status_code == 200  # the browser lands on our callback page
        assert process.wait(timeout=30) == 0
        assert f"connected QuickBooks company {REALM}" in process.stderr.read()
        done = subprocess.run([MSP_REVENUE, "disconnect", "--db", str(db)],
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and f"forgot the tokens of QuickBooks company {REALM}" in done.stderr
        assert not server.refresh_tokens  # revoked at "Intuit"
    finally:
        server.stop()


def test_connect_with_a_pasted_redirect_address(tmp_path):
    server = start_server(clients=3, years=1)
    try:
        db = tmp_path / "w.duckdb"
        env = {**os.environ, **environment(server, free_port())}
        process = subprocess.Popen([MSP_REVENUE, "connect", "--paste",
                                    "--db", str(db)], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        url = next(line.strip() for line in process.stdout if line.strip().startswith("http"))
        redirect = requests.get(url, allow_redirects=False, timeout=10).headers["Location"]
        out, err = process.communicate(redirect + "\n", timeout=30)
        assert process.returncode == 0, err
        assert f"connected QuickBooks company {REALM}" in err
    finally:
        server.stop()
