"""Issue #22 item 6: after a sync the Data page and `status` say when it was, name the company by its
QuickBooks name, show the build the sync published, and after `disconnect` no longer call the data synced."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import app_page, cli, query, snapshot
from tests.qbo_helpers import REALM, connected, copied_beside_its_tokens, start_server
from tests.server import free_port

from cli import status_lines
from models.figures.companies import company_names


@pytest.fixture
def synced_small(db, monkeypatch, first_command_line_sync):
    """`db` after `msp-revenue sync` of a stand-in of its own (3 clients, 1 year): the run's first command-line
    sync of that company, copied beside the tokens of the test's own sign-in; the stand-in and its company's name."""
    server = start_server(clients=3, years=1)
    connected(db, server, free_port(), monkeypatch)
    copied_beside_its_tokens(first_command_line_sync, db)
    yield db, server, company_names(snapshot(db))[REALM]
    server.stop()


def data_page(monkeypatch, db) -> AppTest:
    return app_page(monkeypatch, db, "dashboards/data.py")


def test_status_names_the_company_and_its_last_sync(synced_small):
    db, _, name = synced_small
    assert name != f"QuickBooks company {REALM}"
    (line,) = [line for line in status_lines(db) if "connected;" in line]
    assert line.startswith(f"{name} (realm {REALM}): connected;")
    assert "last sync never" not in line and "last sync 20" in line


def test_after_disconnect_status_no_longer_calls_the_data_synced_from_a_connection(synced_small):
    db, _, name = synced_small
    assert cli("disconnect", "--db", db) == 0
    lines = status_lines(db)
    assert not [line for line in lines if "connected;" in line or "file or demo data" in line], lines
    (line,) = [line for line in lines if "disconnected" in line]
    assert line.startswith(f"{name}: not connected (disconnected); its data was last synced 20")


def test_the_data_page_shows_the_last_sync_and_after_sync_now_the_new_build(synced_small, monkeypatch):
    db, server, name = synced_small
    app = data_page(monkeypatch, db)
    (shown,) = [t.value for t in app.text if "connected;" in t.value]
    assert shown.startswith(f"{name} (realm {REALM}): connected;") and "last sync 20" in shown
    before = built_lines(db)
    books = server.company(REALM)
    books.upsert("Invoice", {**next(iter(books.records["Invoice"].values())), "Id": "9001", "DocNumber": "9001"})
    (sync_now,) = [b for b in app.button if b.label == "Sync now"]
    sync_now.click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("Synced and rebuilt" in s.value for s in app.success), [e.value for e in app.error]
    after = built_lines(db)
    assert after > before
    # the page shows the build the sync just published, not the one it opened on
    assert {m.label: m.value for m in app.metric}["Revenue lines"] == f"{after:,}"


def built_lines(db) -> int:
    return query(db, "select revenue_lines from marts.mart_build_info")[0][0]
