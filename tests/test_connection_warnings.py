"""The owner is warned, on every page and by `status`, before the QuickBooks connection lapses or when
the numbers are stale: the refresh token's 100 days without use, Intuit's 5-year limit, the last sync."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Tokens, TokenStore
from services import Connection
from tests.helpers import PROJECT, cli

NOW = datetime(2026, 11, 22, 12, 0)
DAY = 86400


def connection(refresh_days=90.0, hard_days=None, synced=NOW - timedelta(hours=3)) -> Connection:
    return Connection("9130354455000001", 5, 55, refresh_days, hard_days, synced)


@pytest.mark.parametrize("conn, expected", [
    (connection(), []),
    (connection(refresh_days=9.4), ["the connection lapses in 9 days unless it syncs"]),
    (connection(refresh_days=-1), ["the connection has lapsed (no sync for 100 days): run ./msp-revenue connect"]),
    (connection(hard_days=30), ["reaches Intuit's 5-year limit in 30 days"]),
    (connection(synced=NOW - timedelta(days=2, hours=12)), ["last synced 2.5 days ago"]),
    (connection(synced=None), ["connected but never synced"]),
])
def test_warnings(conn, expected):
    found = conn.warnings(NOW)
    assert len(found) == len(expected) and all(e in w for e, w in zip(expected, found))


@pytest.fixture
def lapsing(demo_copy):
    db = demo_copy(3, 1)
    now = time.time()
    TokenStore(qbo_config.tokens_path(db)).save(
        Tokens("9130354455000001", "at-x", "rt-x", now + 3000, now + 5 * DAY, now + 20 * DAY, now - 600))
    return db


def test_status_warns(lapsing, capsys):
    assert cli("status", "--db", lapsing) == 0
    out = capsys.readouterr().out
    assert "warning: QuickBooks company 9130354455000001: the connection lapses in 5 days" in out
    assert "5-year limit in 20 days" in out and "connected but never synced" in out


def test_every_page_warns(lapsing, monkeypatch):
    monkeypatch.setenv("MSP_REVENUE_DB", str(lapsing))
    for page in ("dashboards/this_week.py", "dashboards/receivables.py"):
        app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=90)
        app.run()
        app.switch_page(page)
        app.run()
        assert not app.exception
        warnings = [w.value for w in app.sidebar.warning]
        assert any("lapses in 5 days" in w for w in warnings) and any("never synced" in w for w in warnings)
