"""`make run` on a fresh warehouse starts the app on the demo company, on loopback only."""
from __future__ import annotations

import sys
import urllib.request
from pathlib import Path

import pytest

from models.warehouse import paths
from tests.helpers import query, run_cli_process
from tests.server import free_port, listening_addresses, running

pytestmark = pytest.mark.server


def test_make_run_builds_the_demo_and_serves_it_on_loopback(tmp_path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    port = free_port()
    venv_bin = str(Path(sys.executable).parent)
    env = {"MSP_REVENUE_DB": str(db), "PORT": str(port), "PATH": f"{venv_bin}:/usr/bin:/bin"}
    with running(["make", "run", f"PORT={port}"], port, env, tmp_path / "make-run.log") as url:
        assert listening_addresses(port) == {"127.0.0.1"}
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"<noscript>" in response.read()
    assert paths.snapshot(db).exists()
    assert query(db, "select realms from marts.mart_build_info") == [(["demo"],)]
    said = (tmp_path / "make-run.log").read_text()
    assert "msp-revenue demo --if-missing" in said
    assert "WARNING" not in said and "Traceback" not in said, said  # the start-up says nothing alarming


def test_the_app_command_refuses_to_listen_beyond_loopback_without_login(tmp_path):
    db = tmp_path / "w.duckdb"
    for address in ("0.0.0.0", "192.168.1.20", "::"):
        result = run_cli_process("app", "--address", address, "--db", db)
        assert result.returncode == 1
        assert f"Refusing to serve on {address}" in result.stderr
