"""The exposed app's login, end to end: `msp-revenue app` listening beyond loopback, Streamlit's OIDC login
against a local provider (tests/stand_in/oidc.py), and a real browser (Debian's chromium, headless).

The app listens on 0.0.0.0 (every interface: exposed) and the browser reaches it through 127.0.0.1, so
no traffic leaves this machine. Its secrets.toml is written in a temporary home folder, never in the
project."""
from __future__ import annotations

import secrets
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import tomlkit

from models import files
from models.settings import settings
from tests.helpers import MSP_REVENUE
from tests.server import free_port, listening_addresses, running
from tests.stand_in.oidc import LocalOIDC, pkce_challenge
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.server, pytest.mark.browser]
OWNER, STRANGER = "owner@example.com", "stranger@example.com"
REFUSED = "[data-testid='stAlert']"
SETTLED = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"


@pytest.fixture(scope="module")
def provider():
    oidc = LocalOIDC()
    oidc.start()
    yield oidc
    oidc.stop()


@pytest.fixture(scope="module")
def exposed(tmp_path_factory, provider, demo_copies):
    """The app on every interface, its login pointed at the provider, the owner allowed in (in a copy of the small
    demo company the run built once: the allow-list is written beside it)."""
    folder = tmp_path_factory.mktemp("login")
    db = demo_copies("login-demo", 6, 1)
    allow(db, [OWNER.upper()])  # emails match in any case
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/oauth2callback"
    provider.register_redirect_uri(redirect_uri)
    home = folder / "home"  # Streamlit reads ~/.streamlit/secrets.toml, and so does `msp-revenue app`
    cookie_secret = secrets.token_urlsafe(32)
    auth = {"redirect_uri": redirect_uri, "cookie_secret": cookie_secret, "client_id": provider.client_id,
            "client_secret": provider.client_secret, "server_metadata_url": provider.metadata_url}
    files.write_atomically(home / ".streamlit" / "secrets.toml", tomlkit.dumps({"auth": auth}), mode=0o600)
    log = folder / "app.log"
    command = [MSP_REVENUE, "app", "--address", "0.0.0.0", "--port", str(port), "--db", str(db)]
    with running(command, port, {"HOME": str(home)}, log) as url:
        yield SimpleNamespace(url=url, port=port, log=log, secrets=(cookie_secret, provider.client_secret))


def allow(db, emails: list[str]) -> None:
    path = settings.ensure_settings_file(settings.settings_path(db))
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["access"]["allowed_emails"] = emails
    files.write_atomically(path, tomlkit.dumps(document))


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(SETTLED, timeout=60_000)


def log_in(page, exposed, provider, person: str | None, shows: str, verified: bool = True) -> str:
    """Open the app, press Log in, let the provider answer as `person`, wait for the app's new page to show
    `shows` (a selector) and return the main area's text."""
    provider.person, provider.email_verified = person, verified
    page.goto(exposed.url)
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    page.evaluate("window.beforeLogin = true")  # gone once the round trip has loaded a new page
    with page.expect_response(lambda answer: urlparse(answer.url).path == "/oauth2callback", timeout=60_000):
        page.get_by_role("button", name="Log in").click()
    page.wait_for_function("!window.beforeLogin", timeout=60_000)
    page.wait_for_selector(shows, timeout=60_000)
    settle(page)
    return page.inner_text("[data-testid='stMain']")


def figures(page) -> int:
    return len(page.query_selector_all("[data-testid='stMetric'], [data-testid='stDataFrame'], "
                                       "[data-testid='stVegaLiteChart'], [data-testid='stSidebarNav']"))


def test_the_exposed_app_listens_beyond_loopback_and_shows_only_a_login(exposed, page):
    assert listening_addresses(exposed.port) == {"0.0.0.0"}
    page.goto(exposed.url)
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    settle(page)
    assert figures(page) == 0


def test_an_allowed_person_logs_in_through_the_provider_and_sees_the_dashboard(exposed, provider, page):
    before = provider.stats.exchanges
    text = log_in(page, exposed, provider, OWNER, shows="[data-testid='stMetric']")
    page.screenshot(path=str(ARTIFACTS / "login-allowed.png"), full_page=True)
    assert "This week" in text and "Traceback" not in text
    assert figures(page) > 0 and "ties out" in page.inner_text("[data-testid='stSidebar']")
    assert OWNER in page.inner_text("[data-testid='stSidebar']")  # who is logged in, beside Log out
    assert provider.stats.exchanges == before + 1 and provider.stats.pkce_methods["S256"] >= 1
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    settle(page)
    assert figures(page) == 0


def test_a_person_not_on_the_allow_list_is_refused_and_sees_no_figures(exposed, provider, page):
    text = log_in(page, exposed, provider, STRANGER, shows=REFUSED)
    page.screenshot(path=str(ARTIFACTS / "login-refused.png"))
    assert "not on this app's allow-list" in text
    page.get_by_role("button", name="Log out").wait_for(timeout=30_000)  # drawn just after the refusal
    assert figures(page) == 0


def test_an_allowed_address_the_provider_has_not_verified_is_refused(exposed, provider, page):
    text = log_in(page, exposed, provider, OWNER, shows=REFUSED, verified=False)
    assert "not on this app's allow-list" in text and figures(page) == 0


def test_a_declined_login_stays_out(exposed, provider, page):
    log_in(page, exposed, provider, None, shows="[data-testid='stButton']")
    assert page.get_by_role("button", name="Log in").is_visible() and figures(page) == 0


def test_no_secret_reaches_the_log_or_the_browser(exposed, provider, page):
    log_in(page, exposed, provider, OWNER, shows="[data-testid='stMetric']")
    shown = page.content() + "".join(c["value"] for c in page.context.cookies())
    logged = exposed.log.read_text()
    for secret in exposed.secrets:
        assert secret not in logged and secret not in shown


# -- the provider stand-in is as strict as a real one ----------------------------------------------------------
def authorize(provider, **override) -> requests.Response:
    verifier = secrets.token_urlsafe(48)
    params = {"client_id": provider.client_id, "redirect_uri": next(iter(provider.redirect_uris)),
              "response_type": "code", "scope": "openid email", "state": "s1", "nonce": "n1",
              "code_challenge": pkce_challenge(verifier), "code_challenge_method": "S256", **override}
    answer = requests.get(f"{provider.url}/authorize", params=params, allow_redirects=False, timeout=10)
    answer.verifier = verifier
    return answer


def exchange(provider, code: str, verifier: str, secret: str | None = None) -> requests.Response:
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
            "redirect_uri": next(iter(provider.redirect_uris))}
    return requests.post(f"{provider.url}/token", data=form, timeout=10,
                         auth=(provider.client_id, secret or provider.client_secret))


def _query(answer: requests.Response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(answer.headers["Location"]).query).items()}


def test_the_provider_never_redirects_to_an_unregistered_uri(exposed, provider):
    registered = next(iter(provider.redirect_uris))
    for uri in (registered + "/", registered.replace("127.0.0.1", "localhost"), "http://evil.example/oauth2callback"):
        answer = authorize(provider, redirect_uri=uri)
        assert answer.status_code == 400 and "Location" not in answer.headers


def test_the_provider_wants_pkce_state_and_nonce(exposed, provider):
    provider.person = OWNER
    for missing in ("code_challenge", "state", "nonce"):
        answer = authorize(provider, **{missing: ""})
        assert answer.status_code == 302 and _query(answer)["error"] == "invalid_request"
    assert _query(authorize(provider, code_challenge_method="plain"))["error"] == "invalid_request"


def test_a_code_works_once_with_its_verifier_and_the_right_secret(exposed, provider):
    provider.person = OWNER
    answer = authorize(provider)
    code = _query(answer)["code"]
    assert exchange(provider, code, answer.verifier, secret="wrong").status_code == 401
    assert exchange(provider, code, answer.verifier).status_code == 200
    assert exchange(provider, code, answer.verifier).json()["error"] == "invalid_grant"  # used
    other = authorize(provider)
    assert exchange(provider, _query(other)["code"], answer.verifier).json()["error"] == "invalid_grant"
