"""The three ways a real owner connects a QuickBooks company, each against the local stand-in:
a Playground refresh token, an https redirect answered by paste, and http://localhost (sandbox keys)."""
from __future__ import annotations

import webbrowser

import pytest
import requests

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import TokenStore
from tests.helpers import cli
from tests.qbo_helpers import REALM


def stored(db) -> dict:
    return {realm: t.refresh_token for realm, t in TokenStore(qbo_config.tokens_path(db)).read_all().items()}


def test_a_playground_refresh_token_is_refreshed_at_once_and_kept(qbo, db, capsys, unpaced):
    from_playground = qbo.issue_tokens(REALM)["refresh_token"]
    assert cli("connect", "--db", db, "--refresh-token", from_playground, "--realm", REALM) == 0
    assert f"connected QuickBooks company {REALM}" in capsys.readouterr().err
    kept = stored(db)[REALM]
    assert kept != from_playground  # refreshed at once: Intuit rotated it, and the new one is what is kept
    assert from_playground not in qbo.refresh_tokens
    # the 5-year limit is asked for (intuit-oauth 1.2.6 does not ask by itself) and kept
    assert TokenStore(qbo_config.tokens_path(db)).get(REALM).refresh_hard_expires_at is not None
    assert cli("sync", "--db", db) == 0  # unpaced: the point is that the kept token syncs, not the limits


def test_the_refresh_token_can_come_from_standard_input(qbo, db, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(qbo.issue_tokens(REALM)["refresh_token"] + "\n"))
    assert cli("connect", "--db", db, "--refresh-token", "-", "--realm", REALM) == 0
    assert REALM in stored(db)


def test_a_refused_refresh_token_says_so_and_keeps_what_was_stored(qbo, db, capsys):
    assert cli("connect", "--db", db, "--refresh-token", qbo.issue_tokens(REALM)["refresh_token"], "--realm", REALM) == 0
    before = qbo_config.tokens_path(db).read_bytes()
    assert cli("connect", "--db", db, "--refresh-token", "rt-not-one-intuit-issued", "--realm", "9130354455000002") == 1
    err = capsys.readouterr().err
    assert "QuickBooks refused the refresh token given" in err and "rt-not-one-intuit-issued" not in err
    assert qbo_config.tokens_path(db).read_bytes() == before


def test_a_refresh_token_needs_its_realm(qbo, db):
    with pytest.raises(SystemExit, match="give --refresh-token and --realm together"):
        cli("connect", "--db", db, "--refresh-token", "rt-x")


def test_the_realm_is_the_companys_number(qbo, db, capsys):
    assert cli("connect", "--db", db, "--refresh-token", "rt-x", "--realm", "Craig's Landscaping") == 1
    assert "the Realm ID is the company's number" in capsys.readouterr().err


def test_an_https_redirect_switches_to_paste_before_the_browser_opens(qbo, db, monkeypatch):
    redirect = "https://reports.example-msp.com/quickbooks/callback"
    qbo.register_redirect_uri(redirect)  # as listed under the app's redirect URIs at developer.intuit.com
    monkeypatch.setenv("MSP_REVENUE_QBO_REDIRECT_URI", redirect)
    events = []
    shown = []

    def browser(url):
        events.append("browser opened")
        return True

    def paste():
        events.append("asked to paste")
        consent = next(text.split()[-1] for text in shown if "authorize" in text)
        answer = requests.get(consent, allow_redirects=False, timeout=10)  # what the browser is sent to
        return answer.headers["Location"]

    monkeypatch.setattr(webbrowser, "open", browser)
    from services import connect

    realm = connect(db, ask=paste, paste=False, open_browser=True, timeout=5, show=shown.append)
    assert realm == REALM
    paste_hint = next(i for i, text in enumerate(shown) if "paste it here" in text)
    assert paste_hint == 1 and events == ["browser opened", "asked to paste"]


@pytest.mark.parametrize("uri", ["http://127.0.0.1:8765/callback", "http://my-server.lan:8765/callback",
                                 "https://192.168.1.20/callback"])
def test_a_redirect_intuit_refuses_is_refused_before_anything_opens(qbo, db, monkeypatch, capsys, uri):
    monkeypatch.setenv("MSP_REVENUE_QBO_REDIRECT_URI", uri)
    assert cli("connect", "--db", db, "--no-browser") == 1
    err = capsys.readouterr().err
    assert f"Intuit does not accept the redirect URI {uri}" in err and "docs/CONNECT.md" in err
    assert not qbo_config.tokens_path(db).exists()


def test_the_default_redirect_is_one_intuit_accepts_for_sandbox_keys(monkeypatch, tmp_path):
    monkeypatch.delenv("MSP_REVENUE_QBO_REDIRECT_URI", raising=False)
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_ID", "id")
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_SECRET", "secret")
    assert qbo_config.load(tmp_path / "w.duckdb").redirect_uri == "http://localhost:8765/callback"


def test_an_unreachable_discovery_document_is_one_line(monkeypatch, db, capsys):
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_ID", "id")
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_SECRET", "secret")
    monkeypatch.setenv("MSP_REVENUE_QBO_ENVIRONMENT", "http://127.0.0.1:9/.well-known/openid_configuration")
    monkeypatch.setenv("MSP_REVENUE_QBO_REDIRECT_URI", "http://localhost:8765/callback")
    assert cli("connect", "--db", db, "--no-browser") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("msp-revenue: cannot reach Intuit's OAuth discovery document") and "\n" not in err
    assert "Traceback" not in err


def test_a_discovery_document_answering_an_error_is_one_line(qbo, db, monkeypatch, capsys):
    monkeypatch.setenv("MSP_REVENUE_QBO_ENVIRONMENT", qbo.url + "/no-such-document")
    assert cli("connect", "--db", db, "--no-browser") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("msp-revenue: cannot reach Intuit's OAuth discovery document") and "\n" not in err
