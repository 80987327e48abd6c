"""Bad answers from QuickBooks' address (issue 24, items 6 and 7): a redirect to another host, a body cut
short, a body that says gzip and is not, a gzip bomb. Each is a failed request, never a page."""
from __future__ import annotations

import dataclasses
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Authorizer, TokenStore
from ingest.qbo.client import Connection
from ingest.qbo.errors import ConnectorError
from ingest.qbo.run import run_sync
from ingest.qbo.sessions import stays_with_intuit
from tests.helpers import checksums
from tests.qbo_helpers import FAST, connected, start_server
from tests.server import free_port
from tests.stand_in.quickbooks import Faults


class EmptyPages(BaseHTTPRequestHandler):
    """Another host: answers every request with an empty page, as a captive portal or a wrong proxy might."""
    protocol_version = "HTTP/1.1"
    requests: list[str] = []

    def log_message(self, format, *args) -> None:
        return

    def _answer(self) -> None:
        EmptyPages.requests.append(self.path)
        body = b'{"QueryResponse": {}, "time": "2026-11-22T10:00:00.000-08:00"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture
def other_host():
    EmptyPages.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), EmptyPages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_redirect_off_quickbooks_is_a_failed_request_never_a_page(db, other_host, monkeypatch):
    server = start_server(clients=3, years=1, faults=Faults(redirect_to=other_host + "/v3/company/1/query"))
    try:
        connected(db, server, free_port(), monkeypatch)
        with pytest.raises(ConnectorError, match="redirect to 127.0.0.1:[0-9]+, which is not QuickBooks") as refused:
            run_sync(db, None, full=False, policy=FAST)
        assert "/v3/company/1" not in str(refused.value)  # the host only: a path could carry anything
        assert EmptyPages.requests == []
        assert checksums(db) == checksums(db.with_name("empty.duckdb"))  # nothing stored
    finally:
        server.stop()


@pytest.mark.parametrize("target, configured, stays", [
    ("https://quickbooks.api.intuit.com/v3/company/1/query", (), True),
    ("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", (), True),
    ("http://quickbooks.api.intuit.com/v3/company/1/query", (), False),      # never down to plain http
    ("https://intuit.com.example.net/v3", (), False),
    ("https://notintuit.com/v3", (), False),
    ("http://127.0.0.1:8600/v3/company/1/query", ("http://127.0.0.1:8600/v3",), True),   # the stand-in configured
    ("http://127.0.0.1:8601/v3/company/1/query", ("http://127.0.0.1:8600/v3",), False),  # another port: another server
    ("https://127.0.0.1:8600/v3", ("http://127.0.0.1:8600/v3",), False),
    ("/v3/company/1/query", ("http://127.0.0.1:8600/v3",), False),  # callers join it to where it came from first
])
def test_only_intuits_hosts_and_the_configured_address_are_followed(target, configured, stays):
    assert stays_with_intuit(target, configured) is stays


@pytest.mark.parametrize("fault", ["cut_once", "false_gzip_once"])
def test_a_broken_body_is_retried_like_any_broken_answer(fault, db, tmp_path, monkeypatch):
    calm, broken = start_server(clients=3, years=1), start_server(clients=3, years=1, faults=Faults(**{fault: True}))
    try:
        reference = tmp_path / "calm" / "w.duckdb"
        connected(reference, calm, free_port(), monkeypatch)
        run_sync(reference, None, full=False, policy=FAST)
        connected(db, broken, free_port(), monkeypatch)
        result = run_sync(db, None, full=False, policy=FAST)
        assert broken._once == {fault.removesuffix("_once")}  # the fault was served, and survived
        assert not result.failed and checksums(db) == checksums(reference)
    finally:
        calm.stop()
        broken.stop()


def test_a_gzip_bomb_is_refused_before_it_inflates(db, monkeypatch):
    server = start_server(clients=3, years=1, faults=Faults(gzip_bomb=16 * 2**20))
    try:
        connected(db, server, free_port(), monkeypatch)
        authorizer = Authorizer(qbo_config.load(db), TokenStore(qbo_config.tokens_path(db)), None)
        connection = Connection(authorizer, server.api_url, dataclasses.replace(FAST, largest_body=2**20))
        answered = server.stats.requests
        with pytest.raises(ConnectorError, match="inflates past 1 MB"):
            connection.query("select * from Customer maxresults 10")
        assert server.stats.requests == answered + 1  # refused at once, not asked again
        with pytest.raises(ConnectorError, match="inflates past 1 MB"):
            run_sync(db, None, full=False, policy=dataclasses.replace(FAST, largest_body=2**20))
    finally:
        server.stop()
