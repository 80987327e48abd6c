"""A sync killed with SIGKILL at random moments, then run again, ends with the same raw tables as an
uninterrupted sync; and the connect command's flow, loopback and pasted."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.helpers import MSP_REVENUE, checksums, query
from tests.qbo_helpers import REALM, connected, environment, start_server
from tests.server import free_port
from tests.stand_in.quickbooks import Faults

pytestmark = [pytest.mark.server, pytest.mark.long]



def sync_process(db: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([MSP_REVENUE, "sync", "--db", str(db)], env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def sync_to_the_end(db: Path, env: dict) -> None:
    done = subprocess.run([MSP_REVENUE, "sync", "--db", str(db)], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_killed_syncs_end_with_the_uninterrupted_warehouse(tmp_path, monkeypatch):
    server = start_server(clients=30, years=2, faults=Faults(latency=0.03))
    try:
        port = free_port()
        reference = tmp_path / "reference" / "w.duckdb"
        connected(reference, server, port, monkeypatch)
        env = environment(server, port)
        sync_to_the_end(reference, env)
        expected = checksums(reference)

        db = tmp_path / "killed" / "w.duckdb"
        connected(db, server, port, monkeypatch)
        rng = random.Random(20261122)
        kills = 0
        while kills < 22:
            process = sync_process(db, env)
            time.sleep(rng.uniform(0.05, 2.5))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=60)
        sync_to_the_end(db, env)
        assert checksums(db) == expected
        assert query(db, "select count(*) from marts.fct_revenue_lines") == \
            query(reference, "select count(*) from marts.fct_revenue_lines")
    finally:
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
