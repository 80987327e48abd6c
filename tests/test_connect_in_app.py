"""Connecting a QuickBooks company from the app's Data page, every route against the local stand-in:
the app's keys saved owner-only, a Playground refresh token, the consent page answered by paste, and
(in Chromium) the consent page coming back to the Data page itself, as development keys allow."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import TokenStore
from tests.companies import Company
from tests.helpers import app_page
from tests.qbo_helpers import REALM, environment
from tests.server import free_port, running

pytestmark = pytest.mark.long


def books(db: Path) -> Path:
    company = Company()
    company.customer("1", "Alpha")
    company.invoice("1", "2026-06-10", ("hourly", "1000.00"))
    return company.load(db)


def data_page(monkeypatch, db: Path) -> AppTest:
    return app_page(monkeypatch, db, "dashboards/data.py")


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def field(app: AppTest, label: str):
    return next(t for t in app.text_input if t.label == label)


def test_the_apps_keys_are_saved_owner_only(monkeypatch, db):
    app = data_page(monkeypatch, books(db))
    button(app, "Save keys").click()
    app.run()
    assert any("Client ID and client secret" in e.value or "client id and client secret" in e.value for e in app.error)
    assert not qbo_config.secrets_path(db).exists()
    field(app, "Client ID").set_value("AB-client-id")
    field(app, "Client secret").set_value('se"cret\\x')
    button(app, "Save keys").click()
    app.run()
    path = qbo_config.secrets_path(db)
    assert path.stat().st_mode & 0o777 == 0o600
    config = qbo_config.load(db)
    assert (config.client_id, config.client_secret, config.environment) == ("AB-client-id", 'se"cret\\x', "sandbox")
    assert config.redirect_uri.endswith("/data") and config.redirect_uri.startswith("http://localhost:")


def test_a_playground_refresh_token_connects_from_the_page(qbo, monkeypatch, db):
    app = data_page(monkeypatch, books(db))
    field(app, "Realm ID (the company's number)").set_value(REALM)
    field(app, "Refresh token").set_value("rt-not-one-intuit-issued")
    button(app, "Connect with the token").click()
    app.run()
    assert any("QuickBooks did not connect" in e.value for e in app.error)
    field(app, "Refresh token").set_value(qbo.issue_tokens(REALM)["refresh_token"])
    button(app, "Connect with the token").click()
    app.run()
    assert any(f"Connected QuickBooks company {REALM}" in s.value for s in app.success)
    assert REALM in TokenStore(qbo_config.tokens_path(db)).read_all()


def test_the_consent_page_answered_by_paste(qbo, monkeypatch, db):
    """Production keys: the answer goes to another site, and its address is pasted on the page. An answer
    of another attempt (state differs) is refused; the right one connects."""
    import requests

    app = data_page(monkeypatch, books(db))
    button(app, "Connect with Intuit").click()
    app.run()
    consent = app.session_state["qbo_consent_url"]
    answer = requests.get(consent, allow_redirects=False, timeout=10).headers["Location"]
    field(app, "Address the browser was sent to").set_value(answer.replace("state=", "state=x"))
    button(app, "Finish connecting").click()
    app.run()
    assert any("state differs" in e.value for e in app.error)
    button(app, "Connect with Intuit").click()
    app.run()
    answer = requests.get(app.session_state["qbo_consent_url"], allow_redirects=False, timeout=10).headers["Location"]
    field(app, "Address the browser was sent to").set_value(answer)
    button(app, "Finish connecting").click()
    app.run()
    assert any(f"Connected QuickBooks company {REALM}" in s.value for s in app.success)
    assert REALM in TokenStore(qbo_config.tokens_path(db)).read_all()


@pytest.mark.server
@pytest.mark.browser
def test_development_keys_come_back_to_the_data_page_in_chromium(qbo, tmp_path, db, page):
    books(db)
    port = free_port()
    env = {key: value for key, value in environment(qbo, port).items()}
    env["MSP_REVENUE_QBO_REDIRECT_URI"] = f"http://localhost:{port}/data"
    qbo.register_redirect_uri(env["MSP_REVENUE_QBO_REDIRECT_URI"])
    command = [str(Path(sys.executable).with_name("msp-revenue")), "app", "--db", str(db), "--port", str(port)]
    with running(command, port, env, tmp_path / "app.log") as url:
        page.goto(f"{url}/data")
        page.get_by_text("Connect to QuickBooks").first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Connect with Intuit").click()
        with page.expect_popup() as opened:  # the consent page opens in a new tab, as a link button does
            page.get_by_role("link", name="Open Intuit's consent page").click()
        back = opened.value  # Intuit (the stand-in) says yes and sends the tab back to the Data page
        back.get_by_text(f"Connected QuickBooks company {REALM}").wait_for(timeout=60_000)
        assert "code=" not in back.url  # the answer is not left in the address bar
    assert REALM in TokenStore(qbo_config.tokens_path(db)).read_all()
