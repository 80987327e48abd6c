"""OAuth tokens: stored in their own file (mode 0600, written whole and renamed), refreshed by one
process at a time under a lock, the rotated refresh token saved before it is ever used. No token is
ever logged or put in an error message."""
from __future__ import annotations

import functools
import json
import logging
import math
import os
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator
from urllib.parse import urlparse

import requests

from ingest.qbo.errors import ConnectorError
from ingest.qbo.config import QboConfig
from ingest.qbo.sessions import IntuitOnly, exchange_deadline
from models import files
from models.files import NoRoom, reserving, write_atomically
from models.warehouse.paths import COMMAND

log = logging.getLogger("msp_revenue.qbo")
RECONNECT = f"reconnect needed: run {COMMAND} connect"
# Seconds before its expiry an access token is refreshed before a sync's first request rather than after a 401: a
# few minutes, so one that lapses while the first answers are on their way is not sent
EARLY = 300.0


class ReconnectNeeded(ConnectorError):
    """The refresh token is stale, revoked or expired: only a new authorisation helps."""


class NotConnected(ConnectorError):
    pass


class DiskFull(ConnectorError):
    """No room on the disk for the token file: nothing was asked of Intuit."""


class TokenFileUnreadable(ConnectorError):
    """The token file is not what msp-revenue writes. The message says what is wrong in words of our
    own, never with the file's content: a broken file may still hold a token."""


@dataclass
class Tokens:
    realm_id: str
    access_token: str
    refresh_token: str
    access_expires_at: float        # epoch seconds
    refresh_expires_at: float
    refresh_hard_expires_at: float | None
    obtained_at: float

    def __repr__(self) -> str:
        return f"Tokens(realm_id={self.realm_id!r}, obtained_at={self.obtained_at})"


HARD_EXPIRY_HEADER = "x-include-refresh-token-hard-expires-in"

if TYPE_CHECKING:
    from intuitlib.client import AuthClient
    from intuitlib.exceptions import AuthClientError


# intuit-oauth (with PyJWT and cryptography: ~40 ms and ~10 MB) is imported when a token is refreshed, revoked or
# first obtained, not with this module: a sync whose access token is still valid never uses it
@functools.cache
def _timeout_auth_client() -> type:
    from intuitlib.client import AuthClient

    class TimeoutAuthClient(AuthClient, IntuitOnly):
        """intuit-oauth's client (a requests.Session; IntuitOnly comes in under AuthClient as its session) with
        a timeout on every call and a deadline on the whole of it: it sets neither; redirects stay with Intuit
        or the discovery document's configured address. Token requests also ask for the refresh token's
        5-year limit (x_refresh_token_hard_expires_in in the answer), which intuit-oauth 1.2.6 — the version
        python-quickbooks requires — does not ask for."""

        timeout = (10, 60)
        deadline = 120.0  # seconds for a whole call: a token answer is a few hundred bytes

        def configured(self) -> tuple[str, ...]:
            return (self.environment,)  # production and sandbox name Intuit's own document, on an Intuit host

        def request(self, method, url, **kwargs):
            kwargs.setdefault("timeout", self.timeout)
            if url == getattr(self, "token_endpoint", None):
                kwargs["headers"] = {**(kwargs.get("headers") or {}), HARD_EXPIRY_HEADER: "true"}
            with exchange_deadline(self.deadline, "Intuit's OAuth endpoint"):
                return super().request(method, url, **kwargs)

    TimeoutAuthClient.__module__, TimeoutAuthClient.__qualname__ = __name__, "TimeoutAuthClient"
    return TimeoutAuthClient


def __getattr__(name: str):
    """`TimeoutAuthClient`, made (and intuit-oauth imported) when it is first named."""
    if name == "TimeoutAuthClient":
        return _timeout_auth_client()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def auth_client(config: QboConfig, refresh_token: str | None = None) -> AuthClient:
    """intuit-oauth reads Intuit's discovery document as the client is made: a network failure there
    is one line naming what could not be reached."""
    from intuitlib.exceptions import AuthClientError

    try:
        return _timeout_auth_client()(config.client_id, config.client_secret, config.redirect_uri,
                                      config.environment, refresh_token=refresh_token)
    except (requests.RequestException, ValueError, AuthClientError) as err:  # the last: it answered, not 200
        raise ConnectorError(f"cannot reach Intuit's OAuth discovery document for '{config.environment}' "
                             f"({type(err).__name__}): check this machine's internet connection (or proxy) "
                             "and MSP_REVENUE_QBO_ENVIRONMENT / environment in qbo.toml") from None


def token_error(err: AuthClientError, what: str) -> ConnectorError:
    """What a person can do about a refused token request (`what`: e.g. "the refresh token")."""
    body = {}
    try:
        body = json.loads(err.content or b"{}")
    except (ValueError, TypeError):
        pass
    code = body.get("error") if isinstance(body, dict) else None
    trace = f" (Intuit's intuit_tid {err.intuit_tid})" if getattr(err, "intuit_tid", None) else ""
    log.warning("QuickBooks' token endpoint refused %s: HTTP %s, %s%s", what, err.status_code, code, trace)
    if code == "invalid_client":
        return ConnectorError(
            "QuickBooks refused the app's keys (invalid_client): check the client id and secret in "
            "MSP_REVENUE_QBO_CLIENT_ID / MSP_REVENUE_QBO_CLIENT_SECRET or qbo.toml, and that they are the "
            f"development keys for a sandbox company or the production keys for a real one{trace}")
    if code == "invalid_grant" or err.status_code in (400, 401):
        return ReconnectNeeded(f"QuickBooks refused {what} (expired, revoked or already used): {RECONNECT}{trace}")
    return ConnectorError(f"QuickBooks' token endpoint answered HTTP {err.status_code}; try again later{trace}")


def refresh(client: AuthClient, what: str, then: str, unreachable: type[ConnectorError] = ConnectorError) -> None:
    """Ask Intuit for new tokens with `client`'s refresh token (`what` it is, e.g. "the stored refresh token");
    a refusal or an endpoint out of reach in words a person can act on (`then`: what to do once it is back)."""
    from intuitlib.exceptions import AuthClientError

    try:
        client.refresh()
    except AuthClientError as err:
        raise token_error(err, what) from None
    except requests.RequestException as err:
        raise unreachable(f"cannot reach Intuit's token endpoint {urlparse(client.token_endpoint).netloc} "
                          f"({type(err).__name__}): check this machine's internet connection, proxy or firewall, "
                          f"then {then}") from None


def tokens_from(client: AuthClient, realm_id: str) -> Tokens:
    now = time.time()
    hard = getattr(client, "x_refresh_token_hard_expires_in", None)
    return Tokens(realm_id, client.access_token, client.refresh_token, now + int(client.expires_in or 3600),
                  now + int(client.x_refresh_token_expires_in or 8726400), now + int(hard) if hard else None, now)


class TokenStore:
    """The token file (one entry per realm) and the lock that serialises refreshes across processes."""

    def __init__(self, path: Path):
        self.path = path

    @contextmanager
    def locked(self, wait: float = 120) -> Iterator[None]:
        try:
            with files.locked(self.path, wait):
                yield
        except files.LockTimeout:
            raise ConnectorError("another msp-revenue process has been refreshing the QuickBooks tokens for too "
                                 "long; try again in a minute") from None

    def read_all(self) -> dict[str, Tokens]:
        stored, problem = self._read()
        if problem:
            raise TokenFileUnreadable(
                f"the QuickBooks token file {self.path} cannot be read ({problem}). Run {COMMAND} connect: it "
                f"moves the file aside to {self.path.name}.corrupt-<time> (kept, readable by you only), keeps the "
                "companies whose tokens can still be read, and connects again")
        return stored

    def set_aside_if_unreadable(self) -> str | None:
        """Call under `locked`, before anything is spent. An unreadable file is renamed aside (kept,
        mode 0600: it may hold a token) and the companies it still held readably are written back;
        returns what was done, for the person, or None when the file is fine."""
        stored, problem = self._read()
        if problem is None:
            return None
        aside = self._aside_path()
        try:
            os.rename(self.path, aside)
            os.chmod(aside, 0o600)
        except OSError as err:
            raise TokenFileUnreadable(f"the QuickBooks token file {self.path} cannot be read ({problem}) nor moved "
                                      f"aside ({err.strerror}): move it away yourself, then run {COMMAND} connect "
                                      "again") from None
        self._write(stored)
        kept = f"; kept the tokens of {', '.join(_company(realm) for realm in stored)}" if stored else ""
        return (f"the QuickBooks token file {self.path} could not be read ({problem}): moved it aside to "
                f"{aside.name} (kept, readable by you only){kept}")

    def _read(self) -> tuple[dict[str, Tokens], str | None]:
        """The companies whose tokens can be read, and what is wrong with the file (None: nothing)."""
        try:
            content = self.path.read_bytes()
        except FileNotFoundError:
            return {}, None
        except OSError as err:
            return {}, err.strerror or type(err).__name__
        if not content.strip():
            return {}, "it is empty"
        try:
            document = json.loads(content.decode("utf-8"))
        except UnicodeDecodeError:
            return {}, "it is not text"
        except (ValueError, RecursionError):  # the last: nested deeper than the parser goes
            return {}, "it is not JSON"
        if not isinstance(document, dict):
            return {}, "it is not a JSON object of companies"
        stored, problems = {}, []
        for realm, entry in document.items():
            try:
                stored[realm] = _tokens(realm, entry)
            except ValueError as err:
                problems.append(f"{_company(realm)}: {err}")
        return stored, "; ".join(problems) or None

    def _aside_path(self) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        aside, n = self.path.with_name(f"{self.path.name}.corrupt-{stamp}"), 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        return aside

    def get(self, realm_id: str | None) -> Tokens:
        stored = self.read_all()
        if not stored:
            raise NotConnected(f"no QuickBooks company is connected: run {COMMAND} connect")
        if realm_id is None:
            if len(stored) > 1:
                raise NotConnected(f"several companies are connected ({', '.join(stored)}): name one with --realm")
            return next(iter(stored.values()))
        if realm_id not in stored:
            raise NotConnected(f"company {realm_id} is not connected: run {COMMAND} connect")
        return stored[realm_id]

    def save(self, tokens: Tokens) -> None:
        """Write the whole file anew (mode 0600) and rename it into place, then sync it to disk."""
        stored = self.read_all()
        stored[tokens.realm_id] = tokens
        self._write(stored)

    def forget(self, realm_id: str) -> None:
        stored = self.read_all()
        stored.pop(realm_id, None)
        self._write(stored)

    def _write(self, stored: dict[str, Tokens]) -> None:
        write_atomically(self.path, _text(stored), mode=0o600)
        os.chmod(self.path, 0o600)  # readable by its owner whatever the umask

    @contextmanager
    def saving_rotated(self, unspent: str = "the connection is kept") -> Iterator[Callable[[Tokens], None]]:
        """Call under `locked`, around asking Intuit for new tokens: the room for the file is taken on its
        disk first, so a full disk stops here, before Intuit rotates anything and while the stored refresh
        token is still the live one; the new tokens are then written into that room, never only held in
        memory. Raises DiskFull (naming the disk, and `unspent`: what the owner still holds) when there is no
        room."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            size = 0
        try:
            with reserving(self.path, size + TOKEN_ROOM, mode=0o600) as write:
                yield lambda tokens: write(_text({**self.read_all(), tokens.realm_id: tokens}))
        except NoRoom as err:
            raise DiskFull(f"the disk holding {self.path.parent} is full ({err.strerror}): the QuickBooks tokens "
                           f"could not be saved, so Intuit was not asked for new ones and {unspent}; "
                           "free some space there, then run it again") from None
        os.chmod(self.path, 0o600)


def _text(stored: dict[str, Tokens]) -> str:
    return json.dumps({realm: asdict(t) for realm, t in stored.items()})


TOKEN_ROOM = 64 * 1024  # bytes beyond the file's size: a company's entry is a few KB (Intuit's access token is the most)


TOKEN_FIELDS = tuple(f.name for f in fields(Tokens))
TIME_FIELDS = ("access_expires_at", "refresh_expires_at", "obtained_at")


def _tokens(realm: str, entry) -> Tokens:
    """One company's entry as msp-revenue writes it, or ValueError saying what is wrong (no values)."""
    if not isinstance(entry, dict):
        raise ValueError("its entry is not a JSON object")
    missing = [name for name in TOKEN_FIELDS if name not in entry]
    if missing:
        raise ValueError(f"{', '.join(missing)} missing")
    if entry["realm_id"] != realm:
        raise ValueError("its realm_id is not the company it is filed under")
    for name in ("access_token", "refresh_token"):
        if not isinstance(entry[name], str) or not entry[name]:
            raise ValueError(f"{name} is not a token")
    for name in TIME_FIELDS:
        if not _seconds(entry[name]):
            raise ValueError(f"{name} is not a time in seconds")
    if entry["refresh_hard_expires_at"] is not None and not _seconds(entry["refresh_hard_expires_at"]):
        raise ValueError("refresh_hard_expires_at is neither null nor a time in seconds")
    return Tokens(**{name: entry[name] for name in TOKEN_FIELDS})


def _seconds(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _company(realm: str) -> str:
    """How a message names an entry: by its company number, or not at all when the key is no such
    number (it could be anything, a token included)."""
    return f"company {realm}" if realm.isdigit() and len(realm) <= 32 else "an entry"


class Authorizer:
    """Hands out a current access token for one realm and refreshes it when QuickBooks says so."""

    def __init__(self, config: QboConfig, store: TokenStore, realm_id: str | None):
        self.config, self.store = config, store
        self.tokens = store.get(realm_id)

    @property
    def realm_id(self) -> str:
        return self.tokens.realm_id

    @property
    def access_token(self) -> str:
        return self.tokens.access_token

    def refresh_if_expiring(self) -> bool:
        """Refresh before any request when the stored access token has expired or expires within EARLY seconds;
        returns whether it did. Intuit's access token lasts an hour, so a nightly sync always finds it expired:
        its first requests were answered 401 only for us to learn what the token file already said, a round trip
        before the refresh every sync needed anyway. The refresh is the one a 401 asks for (once, under the lock;
        a token another process refreshed meanwhile is used); a 401 later still refreshes."""
        if not self.expiring():
            return False
        self.refresh(self.tokens.access_token)
        return True

    def expiring(self) -> bool:
        """Whether the stored access token has expired or expires within EARLY seconds."""
        return self.tokens.access_expires_at - time.time() <= EARLY

    def refresh(self, rejected_access_token: str) -> None:
        """After a 401: refresh once, unless another thread or process already did."""
        with self.store.locked():
            current = self.store.get(self.realm_id)
            if current.access_token != rejected_access_token and current.access_expires_at > time.time():
                self.tokens = current  # someone else refreshed while we waited for the lock
                return
            log.info("refreshing the QuickBooks access token for company %s", self.realm_id)
            with self.store.saving_rotated() as save:
                client = auth_client(self.config, refresh_token=current.refresh_token)
                refresh(client, "the stored refresh token", then="sync again")
                fresh = tokens_from(client, self.realm_id)
                # the rotated refresh token is on disk before the new access token is used
                save(fresh)
            self.tokens = fresh
