"""The HTTP side of the connector: python-quickbooks builds the requests; this module adds what it
lacks — a timeout on every call, QuickBooks' limits kept on our side, errors classified from the
HTTP status and fault code, retries with back-off, and one token refresh after a 401."""
from __future__ import annotations

import collections
import dataclasses
import json
import logging
import math
import os
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import requests
from quickbooks import QuickBooks

from ingest.qbo.errors import ConnectorError
from ingest.qbo.auth import Authorizer, ReconnectNeeded, RECONNECT
from ingest.qbo.sessions import IntuitOnly, exchange_deadline, redirected_host, when_sent
from ingest.records import fault_text, parse_json

log = logging.getLogger("msp_revenue.qbo")
MINOR_VERSION = 75
# Set by the test suite only (docs/DECISIONS.md): its local QuickBooks asks for no real pause after a throttle
SHORT_WAITS_ENV = "MSP_REVENUE_QBO_SHORT_WAITS"


@dataclass(frozen=True)
class Policy:
    """How patient the connector is. Tests shrink the waits; production keeps Intuit's numbers."""
    concurrent: int = 10          # QuickBooks: 10 requests in flight per company
    per_second: int = 10          # QuickBooks: 10 requests a second per company and app
    second: float = 1.0           # seconds our second spans, from when each request arrived at the latest (Limiter)
    arrival_allowance: float = 0.1  # seconds a request may take to arrive once written, at the least: the network's
    # delay and jitter; a connection whose handshake took longer (a far-away MSP, a slow link) allows that (Limiter)
    per_minute: int = 500         # QuickBooks: 500 requests a minute per company
    window: float = 61.0          # seconds our minute spans: a little longer than QuickBooks' own
    throttle_wait: float = 60.0   # Intuit: after a 429, wait 60 s
    attempts: int = 6             # tries for 5xx, timeouts and broken bodies
    backoff: float = 1.0          # first back-off; doubles each try, with jitter
    timeout: tuple[float, float] = (10.0, 60.0)  # connect, read (Intuit itself gives up after 120 s)
    deadline: float = 180.0       # seconds for a whole request and its answer: Intuit's 120 s, and a minute to carry it
    page_size: int = 1000         # rows a query page asks for (QuickBooks' maximum)
    largest_body: int = 256 * 2**20  # bytes an answer may inflate to: a page of 1,000 big invoices is tens of MB

    @classmethod
    def from_environment(cls) -> Policy:
        """Intuit's numbers; with MSP_REVENUE_QBO_SHORT_WAITS=1, short pauses after a throttle or a failure.
        Only the waits shorten: the limits (in flight, per second, per minute) and the tries never change."""
        policy = cls()
        if os.environ.get(SHORT_WAITS_ENV) == "1":
            return dataclasses.replace(policy, throttle_wait=0.05, backoff=0.01)
        return policy


class QboError(ConnectorError):
    """QuickBooks refused the request for a reason retrying will not fix."""


class QueryRefused(QboError):
    """A 400: QuickBooks will not answer this request as asked (its code, Message and Detail say why)."""

    def __init__(self, message: str, time: str | None = None):
        super().__init__(message)
        self.time = time  # QuickBooks' clock when it refused (the fault's "time"), None if it sent none


class AccessRefused(QboError):
    """A 403: these keys may not read this company."""


class BodyTooLarge(QboError):
    """An answer inflating past Policy.largest_body (a gzip bomb, or no answer of QuickBooks'): refused, not retried."""


class Limiter:
    """Never more than `concurrent` requests in flight, nor `per_second` in any second, nor `per_minute` in any minute
    window, as QuickBooks counts them: when they arrive. When that is, this side cannot know exactly. It is after the
    request's last byte has been written (`Slot.sent`), and before its answer starts to come back (`Slot.answered`);
    the network and the server's own reading of it take some of the time between, rarely much. What is not part of
    it is the time before the write: a loaded machine can hold a thread between a request being let go and its
    bytes leaving for tenths of a second (a stamp taken when a request was let go, with a second of 1.2 s, still let
    11 arrive within one: a 429, and Intuit's minute of waiting).
    So a request counts in QuickBooks' second from when it is let go until whichever comes first: its answer
    starting, or `arrival_allowance` after its last byte was written (the network's delay and jitter) — longer when
    the connection it went on took longer to be made: a handshake is at least one round trip of the same path, so it
    bounds the one-way trip of a request's last bytes (an MSP far from Intuit's servers, a slow link); in the minute,
    until its answer starts. One more is let go only while fewer than `per_second` requests count within the last
    `second`. If every request arrives by then, no 11 arrive within one second: of 11 such, the last let go (at t,
    before its arrival, under a second after the first of them arrived) would have seen the other 10 still counting,
    each counting until after its own arrival, so after t - 1. A request not yet written counts as in flight."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self._slots = threading.BoundedSemaphore(policy.concurrent)
        self._counted: collections.deque[Slot] = collections.deque()  # in the order let go
        self._changed = threading.Condition()
        self.settled = 0  # requests let go that were written whole, or ended without being written

    def wait_settled(self, count: int, unless: Callable[[], bool]) -> None:
        """Until `count` requests in all have been written whole or ended unwritten, or `unless()` (checked again on
        each `nudge`): a thread that waits for their answers can then work without holding up the threads writing
        them (they need the interpreter it would hold)."""
        with self._changed:
            self._changed.wait_for(lambda: self.settled >= count or unless())

    def nudge(self) -> None:
        """Have `wait_settled` check its `unless` again."""
        with self._changed:
            self._changed.notify_all()

    def slot(self) -> Slot:
        return Slot(self)

    def _let_go(self, slot: Slot) -> None:
        self._slots.acquire()
        policy = self.policy
        with self._changed:
            while True:
                now = time.monotonic()
                while self._counted and self._counted[0].answered_at <= now - policy.window:
                    self._counted.popleft()
                waits = [self._wait(now, policy.per_minute, policy.window, [s.answered_at for s in self._counted]),
                         self._wait(now, policy.per_second, policy.second, [s.arrived_by for s in self._counted])]
                if all(wait is not None and wait <= 0 for wait in waits):
                    self._counted.append(slot)
                    return
                # None: only a request written or answered can free a place (every one counted is still in flight)
                self._changed.wait(max((w for w in waits if w is not None), default=None))

    @staticmethod
    def _wait(now: float, most: int, span: float, counting_until: list[float]) -> float | None:
        """Seconds until fewer than `most` requests count within the last `span` (None: until one is written or
        answered); `counting_until` holds when each stops counting (inf: not known yet)."""
        ends = sorted(end for end in counting_until if end > now - span)
        if len(ends) < most:
            return 0.0
        oldest = ends[len(ends) - most]  # the one that must leave the span for another to start
        return None if oldest == math.inf else oldest + span - now

    def _sent(self, slot: Slot, handshake: float) -> None:
        with self._changed:
            if slot.sent_at == math.inf:
                slot.sent_at = time.monotonic()
                slot.way = max(self.policy.arrival_allowance, handshake)
                self.settled += 1
            else:  # a second request in one slot (a redirect followed): counted until its answer, to be safe
                slot.way = math.inf
            self._changed.notify_all()

    def _answered(self, slot: Slot) -> None:
        with self._changed:
            if slot.answered_at == math.inf:
                slot.answered_at = time.monotonic()
                self._changed.notify_all()

    def _done(self, slot: Slot) -> None:
        self._answered(slot)  # a request that failed before any answer counts until now
        with self._changed:
            if slot.sent_at == math.inf:  # never written whole (its send failed): it settles by ending
                self.settled += 1
                self._changed.notify_all()
        self._slots.release()


class Slot:
    """One request's place within the Limiter's limits: `with limiter.slot() as slot:` lets it go; call
    `slot.sent()` once its last byte has been written, and `slot.answered()` once its answer starts to come back
    (its status and headers). Without `sent()`, it counts in QuickBooks' second until its answer."""

    def __init__(self, limiter: Limiter):
        self.limiter = limiter
        self.sent_at = math.inf  # until it is written, it may arrive any time: it counts in every window
        self.answered_at = math.inf
        self.way = math.inf  # how long its bytes may take to arrive once written (`sent`)

    @property
    def arrived_by(self) -> float:
        """The latest QuickBooks can have seen it arrive, as far as is known now (inf while it is not written)."""
        return min(self.answered_at, self.sent_at + self.way)

    def __enter__(self) -> Slot:
        self.limiter._let_go(self)
        return self

    def sent(self, handshake: float = 0.0) -> None:
        """Its last byte was written, on a connection whose handshake took `handshake` seconds."""
        self.limiter._sent(self, handshake)

    def answered(self) -> None:
        self.limiter._answered(self)

    def __exit__(self, *exc) -> None:
        self.limiter._done(self)


class ApiSession(IntuitOnly):
    """A session to the data API: redirects only to Intuit or to the API address configured."""

    def __init__(self, api_url: str):
        super().__init__()
        self.api_url = api_url

    def configured(self) -> tuple[str, ...]:
        return (self.api_url,)


class QboClient(QuickBooks):
    """python-quickbooks' client with our session: a requests session whose bearer token comes from the
    Authorizer (so a refresh in one thread serves all), and a timeout on every call."""

    def _start_session(self):
        self.session = ApiSession(self.api_url_v3)
        return None

    def process_request(self, request_type, url, headers="", params="", data=""):
        headers = dict(headers or {})
        headers["Authorization"] = "Bearer " + self.authorizer.access_token
        # streamed: the caller reads the body itself, bounded (read_body)
        return self.session.request(request_type, url, headers=headers, params=params, data=data,
                                    timeout=self.policy.timeout, stream=True)


class Connection:
    """Requests to one company, safe to use from several threads."""

    def __init__(self, authorizer: Authorizer, api_url: str, policy: Policy | None = None):
        self.authorizer = authorizer
        self.policy = policy or Policy.from_environment()
        self.limiter = Limiter(self.policy)
        self.api_url = api_url
        self._local = threading.local()
        self.requests = 0
        self.waits = collections.Counter()

    def _client(self) -> QboClient:
        if not hasattr(self._local, "client"):
            client = QboClient(minorversion=MINOR_VERSION, company_id=self.authorizer.realm_id)
            client.api_url_v3 = self.api_url
            client.sandbox = False
            client.authorizer, client.policy = self.authorizer, self.policy
            client._start_session()
            self._local.client = client
        return self._local.client

    def query(self, text: str) -> dict:
        client = self._client()
        url = f"{client.api_url}/company/{client.company_id}/query"
        return self._call("POST", url, text, {"Content-Type": "application/text"})

    def cdc(self, entities: list[str], changed_since: str) -> dict:
        client = self._client()
        url = f"{client.api_url}/company/{client.company_id}/cdc"
        return self._call("GET", url, None, {}, {"entities": ",".join(entities), "changedSince": changed_since})

    def report(self, name: str, params: dict) -> dict:
        client = self._client()
        url = f"{client.api_url}/company/{client.company_id}/reports/{name}"
        return self._call("GET", url, None, {}, params)

    def _call(self, method: str, url: str, body: str | None, headers: dict, params: dict | None = None) -> dict:
        client = self._client()
        params = {**(params or {}), "minorversion": MINOR_VERSION}
        headers = {"Accept": "application/json", **headers}
        refreshed, failures, throttles = False, 0, 0
        while True:
            token = self.authorizer.access_token
            try:
                with self.limiter.slot() as slot, exchange_deadline(self.policy.deadline, "QuickBooks"), \
                        when_sent(slot.sent):
                    self.requests += 1
                    response = client.process_request(method, url, headers=headers, params=params, data=body or "")
                    slot.answered()  # it arrived before its answer began: it counts in QuickBooks' second until now
                    with response:
                        text = read_body(response, self.policy.largest_body)
            except (requests.Timeout, requests.ConnectionError) as err:
                failures = self._back_off(failures, f"{type(err).__name__} from QuickBooks")
                continue
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as err:
                # a body cut short, or marked gzip and not gzip: a broken answer like any other
                failures = self._back_off(failures, f"a broken body from QuickBooks ({type(err).__name__})")
                continue
            status = response.status_code
            payload, readable = _read(text)
            errors = _errors(payload)
            code = str(errors[0].get("code") or "fault") if errors else None
            if status == 200 and readable and not code:
                return payload
            # Intuit's support finds a request by its intuit_tid; a fault's detail can quote a token
            trace = f"intuit_tid {response.headers.get('Intuit-Tid') or 'not sent'}"
            what = f"{method} {url.rsplit('/', 1)[-1]}"
            if status == 429 or code == "3001":
                throttles += 1
                if throttles > 10:
                    raise QboError("QuickBooks kept answering 'too many requests' for over ten minutes; "
                                   f"another app may be using this company's quota — try again later ({trace})")
                wait = self.policy.throttle_wait * random.uniform(1.0, 1.25)
                self.waits["throttled"] += 1
                log.warning("QuickBooks throttled %s (429, %s); waiting %.1fs as Intuit asks", what, trace, wait)
                time.sleep(wait)
                continue
            if status == 401:
                log.warning("QuickBooks did not accept the access token for %s (401, code %s, %s)", what, code, trace)
                if refreshed:
                    raise ReconnectNeeded(RECONNECT)
                self.authorizer.refresh(token)
                refreshed = True
                continue
            if status >= 500 or (status == 200 and not readable):
                failures = self._back_off(failures, f"HTTP {status}" + ("" if readable else ", unreadable body")
                                          + f" from {what}, {trace}")
                continue
            if 300 <= status < 400:  # a redirect that leaves Intuit (IntuitOnly): its answer is not QuickBooks'
                raise QboError(f"QuickBooks' address answered {what} with a redirect to {redirected_host(response)}, "
                               f"which is not QuickBooks: not followed, nothing of it stored (HTTP {status}, {trace}); "
                               "check the API address in MSP_REVENUE_QBO_API_URL / qbo.toml and any proxy")
            log.warning("QuickBooks refused %s: HTTP %s, code %s, %s", what, status, code, trace)
            if status == 403:
                raise AccessRefused(
                    f"QuickBooks refused access to company {client.company_id} (403, code {code}): the keys may "
                    "be for the sandbox while the company is a production one, or the reverse; or the app lost "
                    f"its authorisation — reconnect ({trace})")
            if status == 400:
                raise QueryRefused(f"QuickBooks refused {what} (HTTP 400, {_with_detail(errors)}; {trace})",
                                   answered_at(payload))
            raise QboError(f"QuickBooks refused {what}: HTTP {status}, "
                           f"{fault_text(payload.get('Fault') or payload.get('fault'))} ({trace})")

    def _back_off(self, failures: int, reason: str) -> int:
        failures += 1
        if failures >= self.policy.attempts:
            raise QboError(f"QuickBooks did not answer properly {failures} times in a row ({reason}); "
                           "try the sync again later — what was stored so far is kept")
        wait = self.policy.backoff * 2 ** (failures - 1) * random.uniform(0.75, 1.25)
        self.waits["retried"] += 1
        log.warning("%s; retrying in %.1fs (try %d of %d)", reason, wait, failures + 1, self.policy.attempts)
        time.sleep(wait)
        return failures


def answered_at(envelope: dict) -> str | None:
    """QuickBooks' clock when it answered: the "time" every envelope carries (recorded:
    "2020-09-29T08:02:53.512-07:00", the second of the HTTP Date), or None when there is none — some old
    recorded shapes lack it, and the 401/403 gateway body gives epoch milliseconds, never needed here."""
    moment = envelope.get("time")
    try:
        parsed = datetime.fromisoformat(moment) if isinstance(moment, str) else None
    except ValueError:
        return None
    return moment if parsed is not None and parsed.tzinfo is not None else None


def read_body(response: requests.Response, largest: int) -> str:
    """The answer's body as text, inflated as its Content-Encoding says but never past `largest` bytes:
    urllib3 inflates a streamed body a chunk at a time, so a bomb is refused before it fills memory."""
    body = bytearray()
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > largest:
            raise BodyTooLarge(f"QuickBooks' answer inflates past {largest / 2**20:,.0f} MB, more than any page of "
                               "QuickBooks' holds: refused, nothing of it stored; try the sync again later")
    return body.decode(response.encoding or "utf-8", errors="replace")


def _read(text: str) -> tuple[dict, bool]:
    try:
        payload = parse_json(text)
    except (json.JSONDecodeError, ValueError):
        return {}, False
    return (payload, True) if isinstance(payload, dict) else ({}, False)


def _errors(payload: dict) -> list[dict]:
    """The Error entries of a fault body (a 401's keys are lowercase), or [] for none."""
    fault = payload.get("Fault") or payload.get("fault")
    if not isinstance(fault, dict):
        return []
    errors = fault.get("Error") or fault.get("error") or [{}]
    return [e for e in (errors if isinstance(errors, list) else [errors]) if isinstance(e, dict)] or [{}]


def _with_detail(errors: list[dict]) -> str:
    """Code, Message and Detail of a 400's errors: a validation fault's Detail names what was wrong and
    quotes no token (only a 401's does)."""
    return "; ".join(f"code {e.get('code', '')}: " + " — ".join(
        str(part) for part in (e.get("Message"), e.get("Detail")) if part) for e in errors)
