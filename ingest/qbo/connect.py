"""The OAuth 2.0 authorisation-code flow: print (and open) Intuit's consent page, take the redirect
on a loopback address (or the redirect URL pasted in, for a headless server), keep the tokens."""
from __future__ import annotations

import http.server
import threading
import webbrowser
from dataclasses import dataclass
from typing import Callable
from urllib.parse import parse_qs, urlparse

from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError

from ingest.qbo import ConnectorError
from ingest.qbo.auth import TokenStore, Tokens, auth_client, tokens_from
from ingest.qbo.config import QboConfig


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
        raise ConnectError(f"QuickBooks did not connect: {query['error'][0]}")
    try:
        return Redirect(query["code"][0], query.get("state", [""])[0], query["realmId"][0])
    except KeyError:
        raise ConnectError("that address has no code and realmId: paste the whole address the browser "
                           "was sent to after you allowed access") from None


def wait_for_redirect(redirect_uri: str, timeout: float) -> Redirect:
    """Serve the redirect URI's loopback address until Intuit sends the browser back to it."""
    target = urlparse(redirect_uri)
    if target.hostname not in ("127.0.0.1", "localhost"):
        raise ConnectError(f"the redirect URI {redirect_uri} is not a loopback address: use --paste")
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

    server = http.server.HTTPServer(("127.0.0.1", target.port or 80), Callback)
    server.timeout = 1
    thread = threading.Thread(target=lambda: _serve_until(server, received, timeout), daemon=True)
    thread.start()
    thread.join()
    server.server_close()
    if not received:
        raise ConnectError(f"no answer from QuickBooks within {timeout:.0f}s; run msp-revenue connect again "
                           "(or with --paste on a machine without a browser)")
    return parse_redirect(received[0])


def _serve_until(server, received: list, timeout: float) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not received and time.monotonic() < deadline:
        server.handle_request()


def connect(config: QboConfig, store: TokenStore, paste: Callable[[], str] | None = None, open_browser: bool = True,
            timeout: float = 300, show=print) -> Tokens:
    """paste: asks for the redirect address by hand (after the consent address is shown) instead of
    waiting for it on the loopback address."""
    client = auth_client(config)
    url = client.get_authorization_url([Scopes.ACCOUNTING])
    state = client.state_token
    show(f"Open this address to let msp-revenue read your QuickBooks company:\n\n  {url}\n")
    if paste is None and open_browser:
        webbrowser.open(url)
    redirect = parse_redirect(paste()) if paste is not None else wait_for_redirect(config.redirect_uri, timeout)
    if redirect.state != state:
        raise ConnectError("the answer does not belong to this connection attempt (state differs); try again")
    try:
        client.get_bearer_token(redirect.code, realm_id=redirect.realm_id)
    except AuthClientError as err:
        raise ConnectError(f"QuickBooks refused the authorisation code (HTTP {err.status_code}); "
                           "codes work once and for a few minutes: run msp-revenue connect again") from None
    tokens = tokens_from(client, redirect.realm_id)
    with store.locked():
        store.save(tokens)
    return tokens


def disconnect(config: QboConfig, store: TokenStore, realm_id: str | None) -> tuple[str, bool]:
    """Revoke the refresh token at Intuit and forget the tokens; returns (realm, revoked)."""
    tokens = store.get(realm_id)
    revoked = True
    try:
        auth_client(config).revoke(token=tokens.refresh_token)
    except Exception:  # forgetting matters more than Intuit's answer; say so instead of failing
        revoked = False
    with store.locked():
        store.forget(tokens.realm_id)
    return tokens.realm_id, revoked
