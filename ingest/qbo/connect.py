"""Connecting a QuickBooks company, three ways (docs/CONNECT.md):
1. a refresh token from Intuit's OAuth 2.0 Playground for this app's keys, refreshed at once and kept;
2. the authorisation-code flow with an https redirect URI (what production keys need): Intuit's
   consent page, then the address the browser was sent to, pasted back;
3. the same flow with http://localhost (development keys only): the answer arrives on this machine.
The app does 2 and 3 in two steps (`begin`, `finish`), the answer coming back in another browser session
(to the app's own address, for development keys), so the attempt's state is kept in a file meanwhile.
"""
from __future__ import annotations

import http.server
import ipaddress
import json
import threading
import time
import webbrowser
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import parse_qs, urlparse

import requests
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError

from ingest.qbo.errors import ConnectorError
from ingest.qbo.auth import TokenFileUnreadable, TokenStore, Tokens, auth_client, refresh, tokens_from
from ingest.qbo.config import QboConfig
from models.files import write_atomically
from models.warehouse.paths import COMMAND


class ConnectError(ConnectorError):
    pass


@dataclass(frozen=True)
class Redirect:
    code: str
    state: str
    realm_id: str


def parse_redirect(url: str) -> Redirect:
    query = parse_qs(urlparse(url.strip()).query)
    if "error" in query:
        raise ConnectError(f"Intuit answered {query['error'][0]} (access was not allowed); connect again and "
                           "allow access for the company")
    try:
        return Redirect(query["code"][0], query.get("state", [""])[0], query["realmId"][0])
    except KeyError:
        raise ConnectError("that address has no code and realmId: paste the whole address the browser "
                           "was sent to after you allowed access") from None


def wait_for_redirect(redirect_uri: str, timeout: float, ready: Callable[[], None] = lambda: None) -> Redirect:
    """Serve the redirect URI's localhost address until Intuit sends the browser back to it; `ready`
    (show and open the consent page) runs once the address is listening, so no answer can be missed."""
    target = urlparse(redirect_uri)
    received: list[str] = []

    class Callback(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if urlparse(self.path).path != target.path:
                self.send_error(404)
                return
            received.append(f"{redirect_uri}?{urlparse(self.path).query}")
            body = b"<h1>QuickBooks is connected.</h1><p>You can close this window and go back to the terminal.</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # the query string holds the authorisation code
            return

    server = http.server.HTTPServer(("localhost", target.port or 80), Callback)
    server.timeout = 1
    thread = threading.Thread(target=lambda: _serve_until(server, received, timeout), daemon=True)
    thread.start()
    # served before the browser opens: a browser named by $BROWSER (w3m, lynx, a script) is waited for until it
    # exits, and it waits for this page
    ready()
    thread.join()
    server.server_close()
    if not received:
        raise ConnectError(f"no answer from QuickBooks within {timeout:.0f}s; run {COMMAND} connect again "
                           "(or with --paste on a machine without a browser)")
    return parse_redirect(received[0])


def _serve_until(server, received: list, timeout: float) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not received and time.monotonic() < deadline:
        server.handle_request()


def answer_by_paste(redirect_uri: str) -> bool:
    """Whether Intuit's answer must be pasted (an https redirect URI: Intuit sends the browser to that
    site, not to this machine) or arrives here (http://localhost, which Intuit allows for development
    keys only). Any other address Intuit refuses, so it is refused here before anything is opened."""
    target = urlparse(redirect_uri)
    host = target.hostname or ""
    if target.scheme == "https" and host and not _is_ip_address(host):
        return True
    if target.scheme == "http" and host == "localhost":
        return False
    raise ConnectError(
        f"Intuit does not accept the redirect URI {redirect_uri}: production keys need an https address that is "
        "not an IP address (e.g. https://developer.intuit.com/v2/OAuth2Playground/RedirectUrl), development "
        "(sandbox) keys may use http://localhost:PORT/callback. Set redirect_uri in qbo.toml to one listed under "
        "your app's redirect URIs at developer.intuit.com (docs/CONNECT.md)")


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def connect(config: QboConfig, store: TokenStore, ask: Callable[[], str] | None = None, paste: bool = False,
            open_browser: bool = True, timeout: float = 300, show=print) -> Tokens:
    """The authorisation-code flow. The answer is pasted (`ask`) when `paste` is asked for or the redirect
    URI is https; otherwise it is taken on the localhost address."""
    by_paste = answer_by_paste(config.redirect_uri) or paste
    if by_paste and ask is None:
        raise ConnectError(f"the redirect URI {config.redirect_uri} sends the answer to another site: it must be "
                           f"pasted, so run {COMMAND} connect in a terminal")
    client = auth_client(config)
    url = client.get_authorization_url([Scopes.ACCOUNTING])
    state = client.state_token
    _set_aside_unreadable(store, show)  # before the consent page: a code is spent only once it can be kept

    def consent_page() -> None:
        show(f"Open this address to let msp-revenue read your QuickBooks company:\n\n  {url}\n")
        if by_paste:
            show(f"After you allow access, your browser is sent to {config.redirect_uri}?code=...; copy that whole "
                 "address from the browser's address bar and paste it here.")
        if open_browser:
            webbrowser.open(url)

    if by_paste:
        consent_page()
        redirect = parse_redirect(ask())
    else:
        redirect = wait_for_redirect(config.redirect_uri, timeout, ready=consent_page)
    if redirect.state != state:
        raise ConnectError("the answer does not belong to this connection attempt (state differs); try again")
    return _exchange(client, store, redirect, show)


def _exchange(client, store: TokenStore, redirect: Redirect, show: Callable[[str], None]) -> Tokens:
    """Trade the answer's authorisation code for tokens and keep them."""
    with _room_for_tokens(store, show, "the authorisation code was not used") as keep:
        try:
            client.get_bearer_token(redirect.code, realm_id=redirect.realm_id)
        except AuthClientError as err:
            raise ConnectError(f"QuickBooks refused the authorisation code (HTTP {err.status_code}); "
                               "codes work once and for a few minutes: connect again") from None
        except requests.RequestException as err:
            raise ConnectError(f"cannot reach Intuit's token endpoint ({type(err).__name__}): check this machine's "
                               "internet connection and try again") from None
        return keep(tokens_from(client, redirect.realm_id))


PENDING_SECONDS = 900  # how long an attempt begun in the app waits for its answer (Intuit's codes last less)


def begin(config: QboConfig, store: TokenStore, pending: Path, show: Callable[[str], None] = print) -> str:
    """The first step of the consent-page route from the app: Intuit's consent page address. The attempt's
    state is kept in `pending` (the owner's only) until `finish` matches the answer to it."""
    answer_by_paste(config.redirect_uri)  # a redirect URI Intuit would refuse is refused before anything opens
    client = auth_client(config)
    url = client.get_authorization_url([Scopes.ACCOUNTING])
    _set_aside_unreadable(store, show)
    write_atomically(pending, json.dumps({"state": client.state_token, "until": time.time() + PENDING_SECONDS}),
                     mode=0o600)
    return url


def finish(config: QboConfig, store: TokenStore, pending: Path, answer: str,
           show: Callable[[str], None] = print) -> Tokens:
    """The second step: the address Intuit sent the browser to (pasted, or the app's own address with its
    query), matched to the attempt `begin` kept, then traded for tokens that are kept. The attempt is used
    up either way: an answer works once."""
    redirect = parse_redirect(answer)
    try:
        attempt = json.loads(pending.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConnectError("no connection attempt is waiting for this answer: press Connect to start one") from None
    pending.unlink(missing_ok=True)
    if not isinstance(attempt, dict) or redirect.state != attempt.get("state"):
        raise ConnectError("the answer does not belong to the last connection attempt (state differs): "
                           "press Connect to start again")
    if time.time() > float(attempt.get("until", 0)):
        raise ConnectError("the connection attempt is older than 15 minutes: press Connect to start again")
    return _exchange(auth_client(config), store, redirect, show)


def connect_with_refresh_token(config: QboConfig, store: TokenStore, refresh_token: str, realm_id: str,
                               show: Callable[[str], None] = print) -> Tokens:
    """A refresh token the owner got elsewhere (Intuit's OAuth 2.0 Playground, for this app's keys):
    refreshed at once, which proves it and rotates it, and only then stored. A refused token leaves
    the token file as it was (an unreadable one set aside, as before any connect)."""
    realm_id, refresh_token = realm_id.strip(), refresh_token.strip()
    if not realm_id.isdigit():
        raise ConnectError(f"the Realm ID is the company's number (the Playground shows it), not {realm_id!r}")
    if not refresh_token:
        raise ConnectError("the refresh token is empty: copy it from the Playground's step 2 (Get tokens)")
    client = auth_client(config, refresh_token=refresh_token)
    # before the refresh, which uses up the token given
    with _room_for_tokens(store, show, "the refresh token given is still unused") as keep:
        refresh(client, "the refresh token given", then="try again", unreachable=ConnectError)
        return keep(tokens_from(client, realm_id))


def _set_aside_unreadable(store: TokenStore, show: Callable[[str], None]) -> None:
    with store.locked():
        done = store.set_aside_if_unreadable()
    if done:
        show(done)


@contextmanager
def _room_for_tokens(store: TokenStore, show: Callable[[str], None],
                     unspent: str) -> Iterator[Callable[[Tokens], Tokens]]:
    """Around asking Intuit for tokens, which spends the code or refresh token asked with: under the token lock,
    an unreadable token file set aside and the room for the new file taken on its disk first, so a full disk
    stops here with nothing spent (auth.TokenStore.saving_rotated); yields what keeps the new tokens."""
    with store.locked():
        done = store.set_aside_if_unreadable()
        if done:
            show(done)
        with store.saving_rotated(unspent) as save:
            def keep(tokens: Tokens) -> Tokens:
                save(tokens)
                return tokens
            yield keep


def disconnect(config: QboConfig, store: TokenStore, realm_id: str | None) -> tuple[str, bool]:
    """Revoke the refresh token at Intuit and forget the tokens; returns (realm, revoked)."""
    try:
        tokens = store.get(realm_id)
    except TokenFileUnreadable as err:
        raise TokenFileUnreadable(f"{err}; nothing was revoked: to end msp-revenue's access at once, remove it "
                                  "from the company's connected apps in QuickBooks") from None
    revoked = True
    try:
        auth_client(config).revoke(token=tokens.refresh_token)
    except Exception:  # forgetting matters more than Intuit's answer; say so instead of failing
        revoked = False
    with store.locked():
        store.forget(tokens.realm_id)
    return tokens.realm_id, revoked
