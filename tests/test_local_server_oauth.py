"""The local QuickBooks server's OAuth endpoints and rate limits refuse what Intuit refuses, with
Intuit's answers."""
from __future__ import annotations

import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.exceptions import AuthClientError

from tests.qbo_helpers import INTUIT_TID, REALM
from tests.stand_in.quickbooks import LocalQuickBooks

REDIRECT = "http://localhost:8765/callback"


@pytest.fixture
def server():
    qbo = LocalQuickBooks()
    qbo.company(REALM)
    qbo.register_redirect_uri(REDIRECT)
    qbo.start()
    yield qbo
    qbo.stop()


def authorize(server, redirect_uri: str = REDIRECT, **extra) -> requests.Response:
    params = {"client_id": server.client_id, "redirect_uri": redirect_uri, "response_type": "code",
              "scope": "com.intuit.quickbooks.accounting", "state": "s1", **extra}
    return requests.get(f"{server.url}/authorize?{urlencode(params)}", allow_redirects=False, timeout=10)


def token(server, secret: str | None = None, headers: dict | None = None, **form) -> requests.Response:
    return requests.post(f"{server.url}/oauth2/v1/tokens/bearer", data=form, timeout=10, headers=headers,
                         auth=(server.client_id, server.client_secret if secret is None else secret))


def code_from(answer: requests.Response) -> str:
    return parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]


# -- redirect URIs -------------------------------------------------------------------------------------
@pytest.mark.parametrize("uri", ["http://127.0.0.1:8765/callback", "https://127.0.0.1/callback",
                                 "https://[::1]:8443/callback", "http://example.com/callback",
                                 "ftp://localhost/callback"])
def test_redirect_uris_intuit_refuses_cannot_be_registered(uri):
    with pytest.raises(ValueError):
        LocalQuickBooks().register_redirect_uri(uri)


def test_plain_http_localhost_is_for_development_keys_only():
    development, production = LocalQuickBooks(), LocalQuickBooks(production=True)
    development.register_redirect_uri("http://localhost:8765/callback")
    with pytest.raises(ValueError, match="production keys need an https"):
        production.register_redirect_uri("http://localhost:8765/callback")
    production.register_redirect_uri("https://msp.example.com/qbo/callback")
    assert production.apps[production.client_id].redirect_uris == {"https://msp.example.com/qbo/callback"}


def test_the_consent_page_refuses_a_redirect_uri_not_registered_exactly(server):
    for uri in ("http://127.0.0.1:8765/callback", "http://localhost:8766/callback", REDIRECT + "/"):
        answer = authorize(server, uri)
        assert answer.status_code == 400 and "Location" not in answer.headers
        assert "The redirect_uri query parameter value is invalid" in answer.text
    assert authorize(server, client_id="someone-else").status_code == 400
    assert authorize(server, state="").status_code == 400
    sent_back = urlparse(authorize(server).headers["Location"])
    assert f"{sent_back.scheme}://{sent_back.netloc}{sent_back.path}" == REDIRECT
    assert set(parse_qs(sent_back.query)) == {"code", "state", "realmId"}


# -- the token endpoint ----------------------------------------------------------------------------------
def test_a_wrong_client_secret_is_invalid_client(server):
    answer = token(server, secret="wrong", grant_type="refresh_token", refresh_token=server.playground_refresh_token(REALM))
    assert (answer.status_code, answer.json()) == (401, {"error": "invalid_client"})
    assert INTUIT_TID.match(answer.headers["intuit_tid"])
    unsigned = requests.post(f"{server.url}/oauth2/v1/tokens/bearer", timeout=10,
                             data={"grant_type": "refresh_token", "refresh_token": "rt-x"})
    assert unsigned.status_code == 401


def test_a_code_works_once_for_the_redirect_uri_it_was_given_to(server):
    code = code_from(authorize(server))
    assert token(server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT + "x").status_code == 400
    code = code_from(authorize(server))
    first = token(server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert first.status_code == 200
    assert set(first.json()) == {"token_type", "expires_in", "refresh_token", "x_refresh_token_expires_in", "access_token"}
    again = token(server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert (again.status_code, again.json()) == (400, {"error": "invalid_grant"})


def test_a_playground_refresh_token_works_once_and_rotates(server):
    minted = server.playground_refresh_token(REALM)
    first = token(server, grant_type="refresh_token", refresh_token=minted)
    assert first.status_code == 200 and first.json()["refresh_token"] != minted
    invalid = {"error_description": "Incorrect or invalid refresh token", "error": "invalid_grant"}
    used = token(server, grant_type="refresh_token", refresh_token=minted)
    assert (used.status_code, used.json()) == (400, invalid)
    rotated = first.json()["refresh_token"]
    access = first.json()["access_token"]
    data = requests.post(f"{server.api_url}/company/{REALM}/query", data="SELECT * FROM Customer", timeout=10,
                         headers={"Authorization": f"Bearer {access}", "Content-Type": "application/text"})
    assert data.status_code == 200  # the new access token reads the company the playground token was for
    server.expire_refresh_token(rotated)
    expired = token(server, grant_type="refresh_token", refresh_token=rotated)
    assert (expired.status_code, expired.json()) == (400, invalid)
    tids = [a.headers["intuit_tid"] for a in (first, used, expired)]
    assert all(INTUIT_TID.match(t) for t in tids) and len(set(tids)) == 3


def test_the_hard_expiry_comes_only_when_asked_for(server):
    asked = token(server, headers={"x-include-refresh-token-hard-expires-in": "true"},
                  grant_type="refresh_token", refresh_token=server.playground_refresh_token(REALM))
    plain = token(server, grant_type="refresh_token", refresh_token=server.playground_refresh_token(REALM))
    assert asked.json()["x_refresh_token_hard_expires_in"] == 157680000
    assert "x_refresh_token_hard_expires_in" not in plain.json()


def test_intuits_own_client_sees_the_errors_it_was_written_for(server):
    """intuit-oauth reads intuit_tid from the token endpoint's headers for its AuthClientError."""
    client = AuthClient(server.client_id, server.client_secret, REDIRECT, server.discovery_url)
    with pytest.raises(AuthClientError) as refused:
        client.refresh(refresh_token="rt-never-issued")
    assert refused.value.status_code == 400 and INTUIT_TID.match(refused.value.intuit_tid)
    assert b"Incorrect or invalid refresh token" in refused.value.content
    client.refresh(refresh_token=server.playground_refresh_token(REALM))
    assert client.access_token in server.access_tokens
    wrong = AuthClient(server.client_id, "wrong", REDIRECT, server.discovery_url)
    with pytest.raises(AuthClientError) as unknown:
        wrong.refresh(refresh_token=client.refresh_token)
    assert unknown.value.status_code == 401 and INTUIT_TID.match(unknown.value.intuit_tid)


def test_revoking_the_refresh_token_disconnects(server):
    tokens = token(server, grant_type="refresh_token", refresh_token=server.playground_refresh_token(REALM)).json()
    revoke = requests.post(f"{server.url}/oauth2/v1/tokens/revoke", json={"token": tokens["refresh_token"]},
                           auth=(server.client_id, server.client_secret), timeout=10)
    assert revoke.status_code == 200 and INTUIT_TID.match(revoke.headers["intuit_tid"])
    assert tokens["refresh_token"] not in server.refresh_tokens and tokens["access_token"] not in server.access_tokens


# -- limits ------------------------------------------------------------------------------------------------
def query(server, access: str) -> requests.Response:
    return requests.post(f"{server.api_url}/company/{REALM}/query", data="SELECT COUNT(*) FROM Customer", timeout=10,
                         headers={"Authorization": f"Bearer {access}", "Accept": "application/json"})


def test_more_than_ten_requests_in_a_second_are_throttled_with_intuits_429(server):
    access = server.issue_tokens(REALM)["access_token"]
    started = time.monotonic()
    answers = [query(server, access) for _ in range(12)]
    assert time.monotonic() - started < 1.0  # one at a time: only the per-second limit can refuse
    assert [a.status_code for a in answers] == [200] * 10 + [429] * 2
    throttled = answers[-1]
    assert throttled.headers["Content-Type"] == "application/xml" and INTUIT_TID.match(throttled.headers["Intuit-Tid"])
    assert ('<Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>'
            in throttled.text)
    assert server.stats.rejections == {"per_second": 2, "per_minute": 0, "in_flight": 0}
    assert server.stats.limit_rejections == 2 and server.stats.max_per_second == 12 and server.stats.max_in_flight == 1


def test_a_request_read_late_counts_in_the_second_it_arrived_in(server):
    """The stand-in counts a request when its bytes came (the kernel's stamp), as Intuit does, not when a busy
    stand-in got round to reading it: an 11th that arrived within a second of ten others is refused however late it
    is read, one that arrived more than a second before them is not, and the stamp of a real request is taken
    before it is read."""
    now = time.monotonic()

    def admitted(arrived: float) -> bool:
        if not server.admit(REALM, arrived=arrived):
            return False
        server.release(REALM)
        return True

    assert all(admitted(now - 0.5 + i / 100) for i in range(10))
    assert not admitted(now - 1.2)  # read 1.2 s late: within a second of the ten
    assert admitted(now - 1.6)  # more than a second before the ten
    assert not admitted(now)  # in order: the 11th within a second
    assert server.stats.rejections["per_second"] == 2 and server.stats.max_per_second == 11
    assert server.stats.max_per_minute == 13
    stamps = []
    admit = server.admit
    server.admit = lambda realm, report=False, arrived=None: (stamps.append((arrived, time.monotonic())),
                                                              admit(realm, report, arrived))[1]
    time.sleep(1.1)
    assert query(server, server.issue_tokens(REALM)["access_token"]).status_code == 200
    [(arrived, read)] = stamps
    assert arrived is not None and arrived <= read


def test_reports_count_against_the_ten_in_flight_as_queries_do(server):
    """Intuit's limits are for every REST endpoint: an eleventh ProfitAndLoss while ten are answered is a 429."""
    access = server.issue_tokens(REALM)["access_token"]
    server.faults.latency = 1.0  # the first ten are still being answered when the last two arrive
    barrier = threading.Barrier(12)

    def report(month: int) -> requests.Response:
        barrier.wait()
        return requests.get(f"{server.api_url}/company/{REALM}/reports/ProfitAndLoss", timeout=10,
                            params={"start_date": f"2026-{month:02d}-01", "end_date": f"2026-{month:02d}-28"},
                            headers={"Authorization": f"Bearer {access}", "Accept": "application/json"})

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(report, range(1, 13)))
    assert sorted(a.status_code for a in answers) == [200] * 10 + [429] * 2, server.stats.rejections
    assert all('<Error code="3001">' in a.text for a in answers if a.status_code == 429)
    assert server.stats.rejections["in_flight"] == 2
    assert server.stats.max_reports_in_flight == server.stats.max_in_flight == 10


def test_ten_a_second_is_allowed(server):
    access, sent = server.issue_tokens(REALM)["access_token"], deque(maxlen=10)
    for _ in range(30):
        if len(sent) == sent.maxlen:  # each request a second after the one ten before it was answered
            time.sleep(max(0.0, sent[0] + 1.02 - time.monotonic()))
        assert query(server, access).status_code == 200
        sent.append(time.monotonic())  # after the answer: the server counted it by then, however slow the machine
    assert server.stats.limit_rejections == 0 and server.stats.max_per_second == 10
    assert server.stats.max_per_minute == 30
