"""A local QuickBooks company and a connected warehouse, for the connector's tests."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import requests

from ingest.demo.company import generate
from ingest.qbo import config as qbo_config
from ingest.qbo.auth import TokenStore
from ingest.qbo.client import Policy
from ingest.qbo.connect import connect
from tests.stand_in.quickbooks import Faults, LocalQuickBooks

REALM = "9130354455000001"
FAST = Policy(throttle_wait=0.05, backoff=0.01, timeout=(2.0, 1.0), page_size=100)


def start_server(clients: int = 20, years: int = 2, faults: Faults | None = None) -> LocalQuickBooks:
    server = LocalQuickBooks(faults)
    server.load(REALM, generate(clients=clients, years=years, until=__import__("datetime").date(2026, 11, 22))
                .documents[0]["QueryResponse"])
    server.start()
    return server


def environment(server: LocalQuickBooks, port: int) -> dict[str, str]:
    return {"MSP_REVENUE_QBO_CLIENT_ID": server.client_id, "MSP_REVENUE_QBO_CLIENT_SECRET": server.client_secret,
            "MSP_REVENUE_QBO_ENVIRONMENT": server.discovery_url, "MSP_REVENUE_QBO_API_URL": server.api_url,
            "MSP_REVENUE_QBO_REDIRECT_URI": f"http://127.0.0.1:{port}/callback"}


def consent_in_background(url_text: str) -> None:
    """What the person does in the browser: open the consent page (the local server says yes at once)."""
    url = url_text.split()[-1]
    threading.Thread(target=lambda: (time.sleep(0.2), requests.get(url, timeout=10)), daemon=True).start()


def connected(db: Path, server: LocalQuickBooks, port: int, monkeypatch) -> None:
    for key, value in environment(server, port).items():
        monkeypatch.setenv(key, value)
    config = qbo_config.load(db)
    connect(config, TokenStore(qbo_config.tokens_path(db)), open_browser=False, timeout=20, show=consent_in_background)
