"""A local QuickBooks company and a connected warehouse, for the connector's tests."""
from __future__ import annotations

import dataclasses
import re
import shutil
import threading
import time
from datetime import date
from pathlib import Path

import requests

from ingest.demo.company import generate
from ingest.qbo import config as qbo_config
from ingest.qbo.auth import TokenStore
from ingest.qbo.client import Policy, QboClient
from ingest.qbo.connect import connect
from models.warehouse.work_db import open_work_db
from tests.stand_in.quickbooks import Faults, LocalQuickBooks

REALM = "9130354455000001"
INTUIT_TID = re.compile(r"^1-[0-9a-f]{8}-[0-9a-f]{24}$")  # as recorded: 1-5f733c38-6312b3f50596e47933ee0781
# QuickBooks' limits, with short waits and 100-row pages (several pages from a small company): the policy of
# the tests about the limits, run against a stand-in that enforces them (start_server(paced=True)). Its timeouts
# are production's: an answer that comes never waits on them, and a 1 s read timeout failed healthy syncs on a
# loaded machine (a profiled sync at load 20). The tests about a hung answer shorten them themselves.
PACED = Policy(throttle_wait=0.05, backoff=0.01, page_size=100)
# The other tests neither pace nor are paced: 10 requests a second would only make them wait.
UNPACED = 100_000
FAST = dataclasses.replace(PACED, per_second=UNPACED, per_minute=UNPACED)
ONE_AT_A_TIME = dataclasses.replace(FAST, concurrent=1)  # page 1 is answered before page 2 is asked for
# The fault storm (storm_faults: throttles, 503s, a cut body, an expired token, one answer held 1.5 s) against
# the paced stand-in: a read timeout under the hang, so the held answer is given up on and asked again, as one
# Intuit never finishes would be. The limits are Intuit's: the limiter counts each request from when it is let go
# until it was written (and 0.1 s more) or answered, and the stand-in counts it when its bytes arrived, so a busy
# machine holding threads or the stand-in cannot crowd its second (ingest/qbo/client.Limiter).
STORM_POLICY = dataclasses.replace(PACED, timeout=(2.0, 1.0))


def unpaced_command_line(patch) -> None:
    """Command-line syncs in this process (the `patch` undoing it) as the command line builds their policy
    (Policy.from_environment: the suite's short waits, Intuit's 10 in flight, tries and timeouts), but for the
    pacing: for the tests that sync through the command line with the unpaced stand-in and are not about the
    limits, whose policy tests/test_qbo_connector.py holds to Intuit's numbers. At ten a second a first sync
    of even a handful of records waits some 4 s (a count and a page of each of 30-odd entities)."""
    built = Policy.from_environment
    patch.setattr(Policy, "from_environment",
                  classmethod(lambda cls: dataclasses.replace(built(), per_second=UNPACED, per_minute=UNPACED)))


def storm_faults() -> Faults:
    """The fault storm's faults, new for each stand-in (a test may change its server's faults)."""
    return Faults(throttle=0.22, server_error=0.05, truncate_once=True, hang_once=1.5, expire_token_after=15, seed=4)


def stand_in(faults: Faults | None = None, paced: bool = False) -> LocalQuickBooks:
    """The stand-in, serving nothing yet. It refuses more than 10 requests in flight always, and more than 10
    a second or 500 a minute when `paced` (the tests about those limits): the others sync with FAST, unpaced."""
    limits = {} if paced else {"per_second": UNPACED, "per_minute": UNPACED}
    return LocalQuickBooks(faults, **limits)


def start_server(clients: int = 20, years: int = 2, faults: Faults | None = None,
                 paced: bool = False) -> LocalQuickBooks:
    """The stand-in (see stand_in) serving the demo company of that size, started."""
    server = stand_in(faults, paced)
    server.load(REALM, generate(clients=clients, years=years, until=date(2026, 11, 22))
                .documents[0]["QueryResponse"])
    server.start()
    return server


def environment(server: LocalQuickBooks, port: int) -> dict[str, str]:
    """The connector's settings for this server, with a redirect URI registered on the app's keys as a
    developer registers one: Intuit refuses IP addresses, so it is localhost (sandbox keys allow http)."""
    redirect_uri = f"http://localhost:{port}/callback"
    server.register_redirect_uri(redirect_uri)
    return {"MSP_REVENUE_QBO_CLIENT_ID": server.client_id, "MSP_REVENUE_QBO_CLIENT_SECRET": server.client_secret,
            "MSP_REVENUE_QBO_ENVIRONMENT": server.discovery_url, "MSP_REVENUE_QBO_API_URL": server.api_url,
            "MSP_REVENUE_QBO_REDIRECT_URI": redirect_uri}


def consent_in_background(url_text: str) -> None:
    """What the person does in the browser: open the consent page (the local server says yes at once). connect
    shows the address only once its callback address is listening (ingest.qbo.connect.wait_for_redirect), so the
    browser may go at once: a pause here only waited."""
    url = url_text.split()[-1]
    threading.Thread(target=lambda: requests.get(url, timeout=10), daemon=True).start()


def connected(db: Path, server: LocalQuickBooks, port: int, monkeypatch) -> None:
    for key, value in environment(server, port).items():
        monkeypatch.setenv(key, value)
    config = qbo_config.load(db)
    connect(config, TokenStore(qbo_config.tokens_path(db)), open_browser=False, timeout=20, show=consent_in_background)


def copied_beside_its_tokens(first: Path, db: Path) -> Path:
    """The synced warehouse `first` and everything beside it copied beside `db`, but for the token file (and its
    lock) that `db`'s own sign-in wrote: a stand-in knows only the tokens it issued."""
    tokens = qbo_config.tokens_path(first).name
    assert db.name == first.name
    for path in first.parent.iterdir():
        if not path.name.startswith(tokens):
            copy = shutil.copytree if path.is_dir() else shutil.copy2
            copy(path, db.parent / path.name)
    return db


def raw(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of the work database (raw tables, sync state)."""
    con = open_work_db(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sent_requests(monkeypatch) -> list[tuple[float, str, dict]]:
    """(start time, body, query parameters) of every data request the connector sends."""
    sent, original = [], QboClient.process_request

    def recording(self, request_type, url, headers="", params="", data=""):
        sent.append((time.monotonic(), data or "", dict(params or {})))
        return original(self, request_type, url, headers=headers, params=params, data=data)

    monkeypatch.setattr(QboClient, "process_request", recording)
    return sent
