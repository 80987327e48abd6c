"""The HTTP side of the connector: python-quickbooks builds the requests; this module adds what it
lacks — a timeout on every call, QuickBooks' limits kept on our side, errors classified from the
HTTP status and fault code, retries with back-off, and one token refresh after a 401."""
from __future__ import annotations

import collections
import dataclasses
import json
import logging
import os
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import requests
from quickbooks import QuickBooks

from ingest.qbo.errors import ConnectorError
from ingest.qbo.auth import Authorizer, ReconnectNeeded, RECONNECT
from ingest.qbo.sessions import IntuitOnly, exchange_deadline, redirected_host
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
    second: float = 1.2           # seconds our second spans: longer than QuickBooks', for network jitter
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
    """Never more than `concurrent` requests in flight, nor `per_second` started in any (sliding) second,
    nor `per_minute` in any minute window."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self._slots = threading.BoundedSemaphore(policy.concurrent)
        self._started: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._slots.acquire()
        policy = self.policy
        while True:
            with self._lock:
                now = time.monotonic()
                while self._started and self._started[0] <= now - policy.window:
                    self._started.popleft()
                waits = []
                if len(self._started) >= policy.per_minute:
                    waits.append(self._started[-policy.per_minute] + policy.window - now)
                if len(self._started) >= policy.per_second:
                    waits.append(self._started[-policy.per_second] + policy.second - now)
                wait = max(waits, default=0.0)
                if wait <= 0:
                    self._started.append(now)
                    return
            time.sleep(max(wait, 0.001))

    def __exit__(self, *exc) -> None:
        self._slots.release()


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
                with self.limiter, exchange_deadline(self.policy.deadline, "QuickBooks"):
                    self.requests += 1
                    response = client.process_request(method, url, headers=headers, params=params, data=body or "")
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
