"""A stand-in for an OpenID Connect provider (Google, Microsoft Entra ID, Okta, Auth0...), for the app's login tests.

The exposed app logs people in with Streamlit's OIDC login; no real provider can be reached from here, so
this local server answers in its place. Like the QuickBooks stand-in it is at least as strict as a real
provider and never more lenient (the rule each refusal follows is named beside it):
- one registered client: `client_id`/`client_secret`, and redirect URIs added with
  `register_redirect_uri(uri)`; /authorize shows an error page, and never redirects, unless redirect_uri
  matches a registered one exactly (OIDC Core 3.1.2.1; RFC 6749 3.1.2.4);
- /authorize wants response_type=code, a scope with openid, a state and a nonce, and PKCE with S256 (RFC 7636;
  S256 is what the discovery document offers); a request missing one is sent back with an error, as RFC 6749
  4.1.2.1 says. The person signed in is `provider.person` (an email, set by the test) and consents at once;
  `provider.person = None` declines (error=access_denied), `provider.email_verified = False` vouches for
  no address;
- the token endpoint authenticates the client (HTTP Basic or form: the discovery document lists both) and
  gives the wrong one 401 invalid_client; a code works once, for 60 seconds, with the redirect_uri and the
  code_verifier of its authorization, else 400 invalid_grant (RFC 6749 4.1.2, 4.1.3; RFC 7636 4.6);
- the id_token is RS256-signed with a key the jwks endpoint publishes, and carries iss, aud, sub, iat, exp,
  the authorization's nonce, at_hash, email, email_verified and name (OIDC Core 2, 3.1.3.6); /userinfo
  answers for a valid access token only.

`provider.stats` counts authorizations, codes exchanged, refusals by reason and the PKCE methods used.

Run one by hand: python -m tests.stand_in.oidc --port 8700 --redirect-uri http://localhost:8501/oauth2callback
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import tomlkit
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.stand_in.serving import LoopbackServer

CODE_SECONDS = 60  # RFC 6749 4.1.2: short-lived, ten minutes at most
TOKEN_SECONDS = 3600
KEY_ID = "stand-in-1"


@dataclass
class Authorization:
    """What a code stands for, until it is exchanged once."""
    email: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    expires: float  # monotonic


@dataclass
class Stats:
    authorizations: int = 0             # codes handed out
    exchanges: int = 0                  # codes turned into tokens
    refusals: Counter = field(default_factory=Counter)  # reason -> count
    pkce_methods: Counter = field(default_factory=Counter)


class LocalOIDC(LoopbackServer):
    """The provider; start() runs it on a free loopback port in a background thread."""

    def __init__(self, client_id: str = "msp-revenue-app", client_secret: str | None = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.redirect_uris: set[str] = set()
        self.person: str | None = "owner@example.com"
        self.email_verified = True  # False: an address typed at sign-up and never confirmed
        self.stats = Stats()
        self.codes: dict[str, Authorization] = {}
        self.access_tokens: dict[str, str] = {}  # token -> email
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._lock = threading.Lock()

    def register_redirect_uri(self, uri: str) -> None:
        self.redirect_uris.add(uri)

    # -- server ------------------------------------------------------------------------------------
    def start(self, port: int = 0) -> str:
        return self.serve(_Handler, "provider", port)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    # -- what the endpoints answer -------------------------------------------------------------------
    def metadata(self) -> dict:
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "email_verified", "name"]}

    def jwks(self) -> dict:
        key = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**key, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def authorize(self, params: dict) -> tuple[int, str]:
        """(302, where to send the browser) or (400, an error page's message)."""
        if params.get("client_id") != self.client_id:
            return self._refuse_page("unknown client_id", "The OAuth client was not found.")
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in self.redirect_uris:
            return self._refuse_page("redirect_uri not registered",
                                     f"The redirect URI in the request, {redirect_uri}, does not match the ones "
                                     "authorized for the OAuth client.")
        state = params.get("state", "")
        error = self._authorization_error(params)
        if error:
            self.stats.refusals[error] += 1
            return 302, _with_query(redirect_uri, {"error": "invalid_request", "error_description": error,
                                                   **({"state": state} if state else {})})
        if self.person is None:
            self.stats.refusals["declined"] += 1
            return 302, _with_query(redirect_uri, {"error": "access_denied", "state": state})
        code = secrets.token_urlsafe(24)
        self.stats.pkce_methods[params["code_challenge_method"]] += 1
        with self._lock:
            self.codes[code] = Authorization(self.person, redirect_uri, params["nonce"], params["code_challenge"],
                                             time.monotonic() + CODE_SECONDS)
            self.stats.authorizations += 1
        return 302, _with_query(redirect_uri, {"code": code, "state": state})

    def token(self, form: dict, basic: str | None) -> tuple[int, dict]:
        if not self._client_authenticated(form, basic):
            self.stats.refusals["invalid_client"] += 1
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self.codes.pop(form.get("code", ""), None)  # a code works once, whatever happens next
        reason = _grant_problem(grant, form)
        if reason:
            self.stats.refusals[reason] += 1
            return 400, {"error": "invalid_grant", "error_description": reason}
        access = secrets.token_urlsafe(24)
        with self._lock:
            self.access_tokens[access] = grant.email
            self.stats.exchanges += 1
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                     "scope": "openid email profile", "id_token": self.id_token(grant, access)}

    def id_token(self, grant: Authorization, access: str) -> str:
        now = int(time.time())
        digest = hashlib.sha256(access.encode()).digest()
        claims = {**self.claims(grant.email), "iss": self.url, "aud": self.client_id, "iat": now,
                  "exp": now + TOKEN_SECONDS, "nonce": grant.nonce, "at_hash": _b64(digest[:len(digest) // 2])}
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})

    def userinfo(self, bearer: str | None) -> tuple[int, dict]:
        email = self.access_tokens.get((bearer or "").removeprefix("Bearer ").strip())
        if email is None:
            return 401, {"error": "invalid_token"}
        return 200, self.claims(email)

    def claims(self, email: str) -> dict:
        return {"sub": hashlib.sha256(email.encode()).hexdigest()[:21], "email": email,
                "email_verified": self.email_verified, "name": email.split("@")[0].title()}

    # -- checks --------------------------------------------------------------------------------------
    @staticmethod
    def _authorization_error(params: dict) -> str | None:
        if params.get("response_type") != "code":
            return "response_type must be code"
        if "openid" not in params.get("scope", "").split():
            return "scope must include openid"
        if not params.get("state") or not params.get("nonce"):
            return "state and nonce are required"
        if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
            return "PKCE with code_challenge_method=S256 is required"
        return None

    def _client_authenticated(self, form: dict, basic: str | None) -> bool:
        scheme, _, encoded = (basic or "").partition(" ")
        if scheme == "Basic":
            try:
                client_id, _, secret = base64.b64decode(encoded).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return False
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        return client_id == self.client_id and secrets.compare_digest(secret, self.client_secret)

    def _refuse_page(self, reason: str, message: str) -> tuple[int, str]:
        self.stats.refusals[reason] += 1
        return 400, message


def _grant_problem(grant: Authorization | None, form: dict) -> str | None:
    if grant is None:
        return "unknown or used code"
    if grant.expires < time.monotonic():
        return "expired code"
    if form.get("redirect_uri") != grant.redirect_uri:
        return "redirect_uri differs from the authorization's"
    if pkce_challenge(form.get("code_verifier", "")) != grant.code_challenge:
        return "code_verifier does not match"
    return None


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 4.2: S256."""
    return _b64(hashlib.sha256(verifier.encode("ascii", "replace")).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _with_query(uri: str, params: dict) -> str:
    return uri + ("&" if urlparse(uri).query else "?") + urlencode(params)


class _Handler(BaseHTTPRequestHandler):
    provider: LocalOIDC
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # quiet: tests read stats, not logs
        return

    def do_GET(self) -> None:
        url = urlparse(self.path)
        provider = self.provider
        if url.path == "/.well-known/openid-configuration":
            return self._json(200, provider.metadata())
        if url.path == "/jwks":
            return self._json(200, provider.jwks())
        if url.path == "/userinfo":
            return self._json(*provider.userinfo(self.headers.get("Authorization")))
        if url.path == "/authorize":
            status, answer = provider.authorize({k: v[0] for k, v in parse_qs(url.query).items()})
            if status == 302:
                return self._send(302, "", "text/plain", {"Location": answer})
            return self._send(status, f"<html><body><h1>Error 400</h1><p>{escape(answer)}</p>"
                                      "</body></html>", "text/html;charset=utf-8")
        self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        if urlparse(self.path).path != "/token":
            return self._json(404, {"error": "not_found"})
        self._json(*self.provider.token(form, self.headers.get("Authorization")))

    def _json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload), "application/json", {"Cache-Control": "no-store"})

    def _send(self, status: int, text: str, content_type: str, headers: dict | None = None) -> None:
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a local OpenID Connect provider that signs in one person.")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--email", default="owner@example.com", help="the person who signs in (consents at once)")
    parser.add_argument("--redirect-uri", action="append", default=[],
                        help="a redirect URI to register (repeatable), e.g. http://localhost:8501/oauth2callback")
    args = parser.parse_args()
    provider = LocalOIDC()
    provider.person = args.email
    for uri in args.redirect_uri:
        provider.register_redirect_uri(uri)
    provider.start(args.port)
    auth = {"redirect_uri": next(iter(args.redirect_uri), "http://localhost:8501/oauth2callback"),
            "cookie_secret": secrets.token_urlsafe(32), "client_id": provider.client_id,
            "client_secret": provider.client_secret, "server_metadata_url": provider.metadata_url}
    print(f"local OIDC provider on {provider.url}, signing in {args.email}; for .streamlit/secrets.toml:\n")
    print(tomlkit.dumps({"auth": auth}))
    threading.Event().wait()


if __name__ == "__main__":
    main()
