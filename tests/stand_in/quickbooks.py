"""A stand-in for QuickBooks Online, for the connector's tests, benchmarks and demos.

QuickBooks Online cannot be reached from here, so this local server answers in its place. It must be at
least as strict as Intuit and never more lenient: a limit, refusal or response shape below is Intuit's
(the source is named beside it), and where Intuit's behaviour is unknown the stand-in refuses.

Endpoints: the query endpoint (the grammar the connector uses), change data capture, the ProfitAndLoss
report (tests/stand_in/profit_and_loss.py), and OAuth discovery, authorize, token and revoke.

Limits, per company (Intuit "API call limits and throttles"; 2016 concurrency blog): 500 requests a
minute, 10 a second, 10 in flight; over any of them: HTTP 429 with Intuit's XML ThrottleExceeded body
(it sends XML even when JSON is asked for: ej2 #43). Intuit's limits are for every REST endpoint, and so
are these: a report counts against them as a query does (none of Intuit's pages gives reports more room).
A request counts in the second and the minute from when it arrived, by the kernel's stamp on its bytes, as Intuit
counts it, not from when this process got round to reading it: the stand-in works out pages in its own process,
and on a busy machine it read requests tenths of a second after they came, a new connection's seconds after
(measured by bench/bench_sync.py). No client of it pipelines requests (the stamp is peeked before each is read).
Every data-API response carries an Intuit-Tid header, every token-endpoint response an intuit_tid header
(recorded cassettes; node-quickbooks #192).

OAuth (Intuit "Set app redirect URIs", "OAuth 2.0"; the token errors of oauth-rubyclient #14 and
python-quickbooks #272):
- apps: `server.add_app(client_id, secret, production=False)`; the default app ("local-client",
  "local-secret") holds development keys. `server.register_redirect_uri(uri)` refuses what Intuit's
  portal refuses: https only, no IP addresses, plain http://localhost only for development keys;
- /authorize answers a 400 error page unless redirect_uri is registered for the app exactly;
- the token endpoint wants the client in an HTTP Basic header: wrong -> 401 {"error":"invalid_client"};
  a used, unknown or expired refresh token -> 400 invalid_grant "Incorrect or invalid refresh token";
  refresh tokens are single use and rotate;
- `server.playground_refresh_token(realm)` mints a refresh token out of band, as Intuit's OAuth 2.0
  Playground does; `server.expire_refresh_token(token)` makes one expire.

Faults tests inject (`Faults`, all fields may be changed while the server runs):
- latency (seconds per data request), throttle (probability of a 429, as if another app used the
  quota), server_error (probability of a 503), truncate_once (one body cut short), hang_once (one
  request held that many seconds), expire_token_after (the access token dies after n data requests);
- cut_once (one body cut short: its Content-Length promises twice what is sent, then the connection closes),
  false_gzip_once (one body marked Content-Encoding: gzip that is plain JSON), gzip_bomb=N (every data
  answer is N zero bytes gzipped);
- redirect_to=URL: every data request is answered 302 to URL, as a proxy or a hijacked address might;
- trickle / trickle_oauth (seconds): every data / OAuth answer's body is sent one byte at a time that far apart;
- forbidden=True: every data request gets 403 ApplicationAuthorizationFailed (frappe/erpnext #29161);
- query_faults={"Invoice": "detail"}: every query of that entity gets a 400 ValidationFault with that
  Detail, other entities answer normally;
- after_page=f: f(company, entity, page_number, records) runs after a SELECT * page is built and before
  it is sent (page_number counts from 1 by the query's MAXRESULTS), e.g. to delete a record between two
  pages of a full sync: `lambda c, e, n, rs: c.delete(e, rs[0]["Id"]) if (e, n) == ("Customer", 1) else None`.
- on_arrival=f: f() runs when a data request has been admitted, before anything of its answer is made; it may
  hold the answer (and the client waiting for it) as long as it likes, e.g. while a test kills the client.

Counters (`server.stats`): requests, by_status, rejections by limit ("per_second", "per_minute",
"in_flight"; limit_rejections is their sum), max_per_second and max_per_minute (the most data requests
that ARRIVED for one company in any 1 s / 60 s window, refused ones included), max_in_flight (and
max_reports_in_flight, of them reports), refreshes, paths, report_ranges.

Clock: the stand-in keeps QuickBooks' own clock, `server.clock()`: this machine's time plus `clock_offset`
(tests set it apart from ours, and may change it while the server runs), never before a minute past the
newest record loaded. Every envelope's "time" comes from it, in the recorded forms (query, CDC and fault
bodies: Pacific time with milliseconds; the 401/403 gateway body: epoch milliseconds; a 429: the XML `time`
attribute), as do the HTTP Date header (recorded: the same second), report Header.Time, and every
LastUpdatedTime and delete change data capture selects by.

Recurring templates (RecurringTransaction; Intuit's API reference for the entity): each record wraps the
template's transaction under its type ({"Invoice": {..., "RecurringInfo": {...}}}), as the reference's query
answer does; only what that reference marks filterable may be filtered on (Id, RecurDataRef, MetaData.*,
Type) and sortable sorted by (Id, RecurDataRef): anything else is a 400. Change data capture serves them
(Intuit excludes only the five entities below) and a deleted one as its delete operation answers it, the
stub's Id (and, as every stub in change data capture, its MetaData.LastUpdatedTime) under its type.

Id ranges (`Id > '12'`, `<`, `<=`, `>=`) are refused with a 400: Intuit does not document whether Ids compare
as numbers or as text, so the connector must not rely on either (it pages by offset and checks each pass).

Cursors: changedSince and MetaData.*Time literals must be ISO 8601 date-times with seconds and an
offset (2026-11-01T09:00:00-08:00, with optional milliseconds; "Z" and -0800 as in Intuit's examples);
anything else is a 400 ValidationFault. CDC refuses the entities Intuit's CDC page excludes
(TimeActivity among them); querying them works.

Run one by hand: python -m tests.stand_in.quickbooks --port 8600 --redirect-uri http://localhost:8765/callback
(README: "A local QuickBooks for trying the connector"; tests/test_readme_stand_in.py follows those steps).
"""
from __future__ import annotations

import argparse
import base64
import bisect
import functools
import gzip
import ipaddress
import json
import random
import re
import secrets
import socket
import struct
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from html import escape
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode, urlparse

from ingest.records import dumps_exact
from tests.stand_in import profit_and_loss
from tests.stand_in.serving import LoopbackServer

# Entity names are case sensitive in queries (Intuit "Query operations and syntax").
ENTITIES = {"Account", "Attachable", "Bill", "BillPayment", "Budget", "Class", "CompanyCurrency", "CompanyInfo",
            "CreditCardPayment", "CreditMemo", "Customer", "CustomerType", "Department", "Deposit", "Employee",
            "Estimate", "Invoice", "Item", "JournalCode", "JournalEntry", "Payment", "PaymentMethod", "Preferences",
            "Purchase", "PurchaseOrder", "RefundReceipt", "SalesReceipt", "TaxAgency", "TaxCode", "TaxRate", "Term",
            "TimeActivity", "Transfer", "Vendor", "VendorCredit", "RecurringTransaction"}
NOT_IN_CDC = {"JournalCode", "TaxAgency", "TimeActivity", "TaxCode", "TaxRate"}  # Intuit's CDC page
LIST_ENTITIES = {"Customer", "Item", "Account", "Class", "Employee", "Vendor"}  # Active=true unless asked
QUERY = re.compile(
    r"^\s*select\s+(?P<what>\*|count\(\*\))\s+from\s+(?P<entity>\w+)"
    r"(?:\s+where\s+(?P<where>.+?))?(?:\s+orderby\s+(?P<order>[\w.]+)(?:\s+(?P<dir>asc|desc))?)?"
    r"(?:\s+startposition\s+(?P<start>\d+))?(?:\s+maxresults\s+(?P<max>\d+))?\s*$", re.I | re.S)
CONDITION = re.compile(r"^\s*(?P<field>[\w.]+)\s*(?P<op>>=|<=|=|>|<|\bin\b)\s*(?P<value>.+?)\s*$", re.I | re.S)
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})$")
PACIFIC = timezone(timedelta(hours=-8))
RECURRING = "RecurringTransaction"
# the types a recurring template may be (Intuit's RecurringTransaction reference, "Type")
TEMPLATE_TYPES = {"Bill", "Purchase", "CreditMemo", "Deposit", "Estimate", "Invoice", "JournalEntry", "RefundReceipt",
                  "SalesReceipt", "Transfer", "VendorCredit", "PurchaseOrder"}
RECURRING_FILTERABLE = {"Id", "RecurDataRef", "MetaData.CreateTime", "MetaData.LastUpdatedTime", "Type"}
RECURRING_SORTABLE = {"Id", "RecurDataRef"}
ACCESS_SECONDS, REFRESH_SECONDS, HARD_SECONDS = 3600, 8726400, 157680000  # 1 hour, 101 days, 5 years
CODE_SECONDS = 300  # RFC 6749 §4.1.2 allows a code ten minutes at most; five keeps to the strict side
REDIRECT_INVALID = ("The redirect_uri query parameter value is invalid. Make sure it is listed in the Redirect "
                    "URIs section on your app's keys tab and matches it exactly.")  # intuit/quickbooks-online-mcp-server #51


@dataclass
class Faults:
    """What to break, and how often (probabilities per request, from a seeded generator)."""
    latency: float = 0.0            # seconds added to every data request
    throttle: float = 0.0           # 429 ThrottleExceeded, as if another app used the quota
    server_error: float = 0.0       # 503
    truncate_once: bool = False     # one response cut in half
    cut_once: bool = False          # one body cut short: its Content-Length promises more, then the connection closes
    false_gzip_once: bool = False   # one body marked Content-Encoding: gzip that is not gzip
    gzip_bomb: int = 0              # bytes of zeros every data answer inflates to (sent gzipped); 0: off
    hang_once: float = 0.0          # one request held this many seconds before answering
    expire_token_after: int | None = None  # the access token stops working after this many requests
    forbidden: bool = False         # 403 ApplicationAuthorizationFailed on every data request
    query_faults: dict[str, str] = field(default_factory=dict)  # entity -> Detail of a 400 on its queries
    after_page: Callable[[Company, str, int, list[dict]], None] | None = None
    on_arrival: Callable[[], None] | None = None  # runs as each admitted data request arrives; may hold it
    redirect_to: str | None = None  # every data request answered 302 to this address (a proxy gone wrong)
    trickle: float = 0.0            # seconds between the bytes of every data answer (a server answering slowly)
    trickle_oauth: float = 0.0      # the same for the OAuth answers (discovery, token, revoke)
    seed: int = 1


LIMITS = ("per_second", "per_minute", "in_flight")
ONCE = {"truncate": "truncate_once", "hang": "hang_once", "cut": "cut_once", "false_gzip": "false_gzip_once"}


@dataclass
class Stats:
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    rejections: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIMITS, 0))
    max_in_flight: int = 0
    max_reports_in_flight: int = 0
    max_per_second: int = 0
    max_per_minute: int = 0
    refreshes: int = 0
    paths: list[str] = field(default_factory=list)
    report_ranges: list[tuple[date, date]] = field(default_factory=list)

    @property
    def limit_rejections(self) -> int:
        """Requests refused because the client exceeded QuickBooks' limits."""
        return sum(self.rejections.values())


@dataclass
class App:
    client_id: str
    client_secret: str
    production: bool = False
    redirect_uris: set[str] = field(default_factory=set)


@dataclass
class Grant:
    """What a code or refresh token stands for."""
    realm: str
    client_id: str
    expires: float                  # monotonic
    redirect_uri: str = ""


class Records(dict):
    """One entity's records by Id, indexed by LastUpdatedTime so that change data capture and a query by
    MetaData.LastUpdatedTime read the few records changed instead of the whole entity (in the benchmarks the
    stand-in shares the machine with the connector it serves, and a scan of 92k records a request was its CPU,
    not ours). The index answers exactly what the scan did, in the same order: every way of putting or removing
    a record (`records[entity][id] = ...`, `del`, pop, update, clear, Company.add/upsert/delete) marks its Id for
    the index to read again, and when any record's LastUpdatedTime is not a date-time `_moment` reads, callers
    scan as before (so a malformed stamp fails the way it did). A record's MetaData changed in place, under
    the dict's feet, is not seen: edit records by putting them (Company.upsert)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()
        self._lock = threading.RLock()
        self._position: dict[str, int] = {}   # Id -> insertion rank: the dict's own order, which answers keep
        self._next = 0
        self._dirty: set[str] = set()          # Ids put or removed since the index last read them
        self._stamps: dict[str, datetime] = {}
        self._unreadable: set[str] = set()     # Ids whose LastUpdatedTime is no date-time `_moment` reads
        self._sorted: list[tuple[datetime, str]] = []
        self.update(*args, **kwargs)

    def __setitem__(self, key, value) -> None:
        with self._lock:
            if key not in self:
                self._position[key], self._next = self._next, self._next + 1
            super().__setitem__(key, value)
            self._dirty.add(key)

    def __delitem__(self, key) -> None:
        with self._lock:
            super().__delitem__(key)
            del self._position[key]
            self._dirty.add(key)

    def pop(self, key, *default):
        with self._lock:
            if key in self:
                value = super().__getitem__(key)
                del self[key]
                return value
            if default:
                return default[0]
            raise KeyError(key)

    def popitem(self):
        with self._lock:
            key = next(reversed(self))  # LIFO, as a dict's
            return key, self.pop(key)

    def clear(self) -> None:
        with self._lock:
            for key in list(self):
                del self[key]

    def update(self, *args, **kwargs) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        with self._lock:
            if key not in self:
                self[key] = default
            return super().__getitem__(key)

    def __ior__(self, other):
        self.update(other)
        return self

    def since(self, entity: str, moment: datetime) -> list[dict] | None:
        """The records last updated at or after `moment`, in the dict's order; None when some record's
        LastUpdatedTime cannot be read as a date-time (the caller scans, and fails as the scan does)."""
        with self._lock:
            self._refresh(entity)
            if self._unreadable:
                return None
            start = bisect.bisect_left(self._sorted, (moment,))
            ids = sorted((record_id for _, record_id in self._sorted[start:]), key=self._position.__getitem__)
            return [super(Records, self).__getitem__(record_id) for record_id in ids]

    def _refresh(self, entity: str) -> None:
        dirty, self._dirty = self._dirty, set()
        if len(dirty) > len(self._sorted) // 8 + 64:  # a load, or many edits: sorting anew is cheaper
            self._stamps, self._unreadable = {}, set()
            for record_id, record in self.items():
                self._read(entity, record_id, record)
            self._sorted = sorted((stamp, record_id) for record_id, stamp in self._stamps.items())
            return
        for record_id in dirty:
            old = self._stamps.pop(record_id, None)
            self._unreadable.discard(record_id)
            if old is not None:
                del self._sorted[bisect.bisect_left(self._sorted, (old, record_id))]
            if record_id in self:
                stamp = self._read(entity, record_id, super().__getitem__(record_id))
                if stamp is not None:
                    bisect.insort(self._sorted, (stamp, record_id))

    def _read(self, entity: str, record_id: str, record: dict) -> datetime | None:
        try:
            text = _field(record, "MetaData.LastUpdatedTime", entity)
            stamp = _moment(text, "LastUpdatedTime") if isinstance(text, str) else None
        except (QueryError, StopIteration, AttributeError, TypeError, ValueError):
            stamp = None  # no date-time (or no template inside a recurring one's wrapper): callers scan
        if stamp is None:
            self._unreadable.add(record_id)
        else:
            self._stamps[record_id] = stamp
        return stamp


def _changed_since(records: dict, entity: str, since: datetime) -> list[dict]:
    """The records a scan of `records` for LastUpdatedTime >= `since` would keep, or a superset of them in the
    dict's order: the index's answer when it has one, else every record (the scan decides)."""
    found = records.since(entity, since) if isinstance(records, Records) else None
    return list(records.values()) if found is None else found


def _lower_bound(conditions: list[str]) -> datetime | None:
    """The moment a `MetaData.LastUpdatedTime >` or `>=` condition sets, when one does and reads as a date-time;
    None otherwise (every record is read, and the conditions refuse what they refused)."""
    for condition in conditions:
        match = CONDITION.match(condition)
        if match and match["field"] == "MetaData.LastUpdatedTime" and match["op"] in (">", ">="):
            try:
                return _moment(match["value"].strip().strip("'"), match["field"])
            except (QueryError, ValueError):
                return None
    return None


class Company:
    """One realm's records, with the change log change data capture reads."""

    def __init__(self, clock) -> None:
        self.records: dict[str, dict[str, dict]] = defaultdict(Records)
        self.deleted: dict[str, dict[str, datetime]] = defaultdict(dict)
        self.clock = clock
        self.deleted_types: dict[str, str] = {}  # a deleted recurring template's Id -> its type
        # (month "YYYY-MM-01", account id) -> an amount the ProfitAndLoss adds, as if posted outside what
        # the connector reads
        self.pnl_adjustments: dict[tuple[str, str], Decimal] = {}

    def add(self, entity: str, record: dict) -> None:
        self.records[entity][str(_body(entity, record)["Id"])] = record

    def upsert(self, entity: str, record: dict) -> dict:
        """Create or edit a record now (new SyncToken and LastUpdatedTime); a recurring template's inside
        its wrapper."""
        body = dict(_body(entity, record))
        old = self.records[entity].get(str(body["Id"]))
        body["SyncToken"] = str(int(_body(entity, old)["SyncToken"]) + 1) if old else "0"
        body["MetaData"] = {**body.get("MetaData", {}), "LastUpdatedTime": _stamp(self.clock())}
        record = {_template_type(record): body} if entity == RECURRING else body
        self.records[entity][str(body["Id"])] = record
        return record

    def void(self, entity: str, record_id: str) -> dict:
        record = dict(self.records[entity][record_id])
        record.update({"TotalAmt": Decimal(0), "Balance": Decimal(0), "PrivateNote": "Voided",
                       "TxnTaxDetail": {"TotalTax": Decimal(0)},
                       "Line": [{**line, "Amount": Decimal(0)} for line in record.get("Line", [])]})
        return self.upsert(entity, record)

    def ensure_unapplied_cash_account(self) -> None:
        """QuickBooks creates its "Unapplied Cash Payment Income" account (Income, sub-type
        UnappliedCashPaymentIncome) for cash-basis reporting, in a company that has none; a sync then reads it."""
        accounts = self.records["Account"]
        if not profit_and_loss.unapplied_cash_account(accounts):
            next_id = str(max((int(i) for i in accounts if i.isdigit()), default=0) + 1)
            self.upsert("Account", {"Id": next_id, "Name": "Unapplied Cash Payment Income", "Active": True,
                                    "SubAccount": False, "FullyQualifiedName": "Unapplied Cash Payment Income",
                                    "AccountType": "Income", "AccountSubType": profit_and_loss.UNAPPLIED_CASH,
                                    "Classification": "Revenue", "CurrentBalance": Decimal(0)})

    def delete(self, entity: str, record_id: str) -> None:
        record = self.records[entity].pop(record_id)
        self.deleted[entity][record_id] = self.clock()
        if entity == RECURRING:
            self.deleted_types[record_id] = _template_type(record)


class LocalQuickBooks(LoopbackServer):
    """The server; start() runs it on a free loopback port in a background thread."""

    handler: type[BaseHTTPRequestHandler]  # _Handler, set below it

    def __init__(self, faults: Faults | None = None, per_minute: int = 500, per_second: int = 10,
                 concurrent: int = 10, client_id: str = "local-client", client_secret: str = "local-secret",
                 production: bool = False, clock_offset: timedelta = timedelta(0)) -> None:
        self.faults = faults or Faults()
        self.clock_offset = clock_offset  # QuickBooks' clock minus this machine's
        self.per_minute, self.per_second, self.concurrent = per_minute, per_second, concurrent
        self.client_id, self.client_secret = client_id, client_secret
        self.apps: dict[str, App] = {}
        self.add_app(client_id, client_secret, production=production)
        self.companies: dict[str, Company] = {}
        self.stats = Stats()
        self.access_tokens: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Grant] = {}
        self.codes: dict[str, Grant] = {}
        self._lock = threading.Lock()
        self._random = random.Random(self.faults.seed)
        self._in_flight: dict[str, int] = defaultdict(int)
        self._reports_in_flight: dict[str, int] = defaultdict(int)
        # realm -> arrival times (sorted: a request is admitted after it arrived, not always in the order of arrival)
        self._admitted: dict[str, list[float]] = defaultdict(list)  # of admitted requests
        self._arrived: dict[str, list[float]] = defaultdict(list)   # of all, refused ones too
        self._once: set[str] = set()
        self._data_requests = 0
        self._clock_base = datetime.now(timezone.utc)
        self._clock_started = time.monotonic()

    # -- data and clock ----------------------------------------------------------------------------
    def clock(self) -> datetime:
        return self._clock_base + self.clock_offset + timedelta(seconds=time.monotonic() - self._clock_started)

    def company(self, realm: str) -> Company:
        if realm not in self.companies:
            self.companies[realm] = Company(self.clock)
        return self.companies[realm]

    def load(self, realm: str, entities: dict[str, list[dict]]) -> Company:
        """Serve these records for a realm; the clock moves past their newest LastUpdatedTime."""
        company = self.company(realm)
        newest = self.clock()
        for entity, records in entities.items():
            for record in records:
                company.add(entity, record)
                stamp = _body(entity, record).get("MetaData", {}).get("LastUpdatedTime")
                if stamp:
                    newest = max(newest, datetime.fromisoformat(stamp).astimezone(timezone.utc))
        self._clock_base += max(timedelta(0), newest + timedelta(minutes=1) - self.clock())
        for entity, records in company.records.items():  # indexed now, not within the first request that asks
            if isinstance(records, Records):
                records.since(entity, newest)
        return company

    # -- apps and tokens ---------------------------------------------------------------------------
    def add_app(self, client_id: str, client_secret: str, production: bool = False) -> App:
        """An app's keys: development keys (production=False) connect sandbox companies, and only they
        may use a plain-http localhost redirect URI."""
        self.apps[client_id] = App(client_id, client_secret, production)
        return self.apps[client_id]

    def register_redirect_uri(self, uri: str, client_id: str | None = None) -> None:
        """Add a redirect URI to an app's keys tab, refusing what Intuit refuses: "The Intuit OAuth 2.0
        Server can only redirect to URIs beginning with https. IP addresses aren't allowed."; "You can add
        localhost (no HTTPS) as a URI for sandbox environments." (Intuit, "Set app redirect URIs")."""
        app = self.apps[client_id or self.client_id]
        target = urlparse(uri)
        host = target.hostname or ""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass  # a host name: the rules below decide
        else:
            raise ValueError(f"{uri}: IP addresses aren't allowed in Intuit redirect URIs; use localhost")
        if target.scheme == "https" and host:
            app.redirect_uris.add(uri)
        elif target.scheme == "http" and host == "localhost" and not app.production:
            app.redirect_uris.add(uri)
        elif target.scheme == "http" and host == "localhost":
            raise ValueError(f"{uri}: production keys need an https redirect URI (http://localhost is for sandbox keys)")
        else:
            raise ValueError(f"{uri}: Intuit redirect URIs must begin with https")

    def issue_tokens(self, realm: str, client_id: str | None = None, hard_expiry: bool = False) -> dict:
        """A token response as Intuit's token endpoint gives it (it names no realm: the redirect did)."""
        access, refresh = "at-" + secrets.token_hex(12), "rt-" + secrets.token_hex(12)
        now, client = time.monotonic(), client_id or self.client_id
        with self._lock:
            self.access_tokens[access] = Grant(realm, client, now + ACCESS_SECONDS)
            self.refresh_tokens[refresh] = Grant(realm, client, now + REFRESH_SECONDS)
        body = {"token_type": "bearer", "expires_in": ACCESS_SECONDS, "refresh_token": refresh,
                "x_refresh_token_expires_in": REFRESH_SECONDS, "access_token": access}
        if hard_expiry:  # only when the request asked for it (intuit-oauth 1.2.7's opt-in request header)
            body["x_refresh_token_hard_expires_in"] = HARD_SECONDS
        return body

    def playground_refresh_token(self, realm: str, client_id: str | None = None) -> str:
        """A refresh token for `realm` as a developer copies it from Intuit's OAuth 2.0 Playground: the
        token endpoint accepts it once and rotates it, like one from the authorization-code flow."""
        return self.issue_tokens(realm, client_id)["refresh_token"]

    def expire_refresh_token(self, token: str) -> None:
        with self._lock:
            self.refresh_tokens[token].expires = time.monotonic() - 1

    # -- server ------------------------------------------------------------------------------------
    def start(self) -> str:
        url = self.serve(self.handler, "qbo")
        try:  # set on the listening socket, each connection has it from the start: its first request is stamped too
            self.server.socket.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        except OSError:
            pass
        return url

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid_configuration"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v3"

    # -- limits and faults -------------------------------------------------------------------------
    def admit(self, realm: str, report: bool = False, arrived: float | None = None) -> bool:
        """Whether a data request that `arrived` (time.monotonic(); now if None) is within the limits: counted when it
        arrived, as Intuit counts it, not when this process got round to it (a busy stand-in reads a request tenths of
        a second, a new connection's even seconds, after its bytes came), so any second holding its arrival counts."""
        with self._lock:
            now = time.monotonic()
            at = now if arrived is None else min(arrived, now)
            arrival, admitted = self._arrived[realm], self._admitted[realm]
            for window in (arrival, admitted):  # kept two minutes: one arriving late still meets its minute
                del window[:bisect.bisect_right(window, now - 120)]
            bisect.insort(arrival, at)
            self.stats.max_per_minute = max(self.stats.max_per_minute, _most_around(arrival, at, 60))
            self.stats.max_per_second = max(self.stats.max_per_second, _most_around(arrival, at, 1))
            bisect.insort(admitted, at)
            refused = ("in_flight" if self._in_flight[realm] >= self.concurrent else
                       "per_minute" if _most_around(admitted, at, 60) > self.per_minute else
                       "per_second" if _most_around(admitted, at, 1) > self.per_second else None)
            if refused:
                admitted.remove(at)
                self.stats.rejections[refused] += 1
                return False
            self._in_flight[realm] += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self._in_flight[realm])
            if report:
                self._reports_in_flight[realm] += 1
                self.stats.max_reports_in_flight = max(self.stats.max_reports_in_flight,
                                                       self._reports_in_flight[realm])
            return True

    def release(self, realm: str, report: bool = False) -> None:
        with self._lock:
            self._in_flight[realm] -= 1
            self._reports_in_flight[realm] -= report

    def draw(self, kind: str) -> bool:
        with self._lock:
            if kind in ONCE:
                enabled = bool(getattr(self.faults, ONCE[kind]))
                if enabled and kind not in self._once and self._data_requests > 3 and self._random.random() < 0.2:
                    self._once.add(kind)
                    return True
                return False
            probability = {"throttle": self.faults.throttle, "server_error": self.faults.server_error}[kind]
            return self._random.random() < probability

    def token_grant(self, header: str | None) -> Grant | None:
        """The grant behind a bearer token, or None when it is unknown or expired."""
        token = (header or "").removeprefix("Bearer ").strip()
        with self._lock:
            self._data_requests += 1
            limit = self.faults.expire_token_after
            if limit is not None and self._data_requests == limit:
                self.access_tokens.clear()  # the token expires mid-run, as after an hour
            grant = self.access_tokens.get(token)
            return grant if grant is not None and grant.expires > time.monotonic() else None

    # -- API -----------------------------------------------------------------------------------------
    def query(self, realm: str, text: str) -> dict:
        match = QUERY.match(text)
        if not match:
            raise QueryError(f"QueryParserError: Encountered unexpected text in {text!r}", "4000", "Error parsing query")
        entity = match["entity"]
        if entity not in ENTITIES:  # the recorded answer to "FROM Custmoer" (error/400.yml)
            raise QueryError(f"QueryValidationError: invalid context declaration: {entity}")
        if entity in self.faults.query_faults:
            raise QueryError(self.faults.query_faults[entity])
        company = self.company(realm)
        conditions = re.split(r"\s+and\s+", match["where"], flags=re.I) if match["where"] else []
        # changed since a moment: the records the index finds at or after it; every condition is still applied below
        since = _lower_bound(conditions)
        records = list(company.records.get(entity, {}).values()) if since is None else \
            _changed_since(company.records.get(entity, {}), entity, since)
        if entity in LIST_ENTITIES and not any(c.strip().lower().startswith("active") for c in conditions):
            records = [r for r in records if r.get("Active", True)]
        if entity == RECURRING:
            _recurring_query(conditions, match["order"])
        for condition in conditions:
            records = _filter(records, condition, entity)
        if match["what"] != "*":
            return {"QueryResponse": {"totalCount": len(records)}, "time": _stamp(self.clock(), True)}
        order = match["order"] or "Id"
        records.sort(key=lambda r: _sort_key(_field(r, order, entity)), reverse=(match["dir"] or "").lower() == "desc")
        start = int(match["start"] or 1)
        size = min(int(match["max"] or 100), 1000)
        page = records[start - 1:start - 1 + size]
        if self.faults.after_page:
            self.faults.after_page(company, entity, (start - 1) // size + 1, page)
        body = {entity: page, "startPosition": start, "maxResults": len(page)} if page else {}
        return {"QueryResponse": body, "time": _stamp(self.clock(), True)}

    def cdc(self, realm: str, entities: str, changed_since: str) -> dict:
        since = _moment(changed_since, "changedSince")
        if since < self.clock() - timedelta(days=30):
            raise QueryError("changedSince must be within the last 30 days")
        canonical = {e.lower(): e for e in ENTITIES}  # the recorded exchange asked for "estimate"
        names = [canonical.get(e.strip().lower()) for e in entities.split(",")]
        if None in names:
            raise QueryError(f"unknown entity in entities={entities}")
        refused = [e for e in names if e in NOT_IN_CDC]
        if refused:
            raise QueryError(f"change data capture does not support {', '.join(refused)}")
        company = self.company(realm)
        found: list[tuple[datetime, str, dict]] = []
        for entity in names:
            for record in _changed_since(company.records.get(entity, {}), entity, since):
                stamp = datetime.fromisoformat(_body(entity, record)["MetaData"]["LastUpdatedTime"]).astimezone(timezone.utc)
                if stamp >= since:
                    found.append((stamp, entity, record))
            for record_id, when in company.deleted.get(entity, {}).items():
                if when >= since:
                    stub = {"Id": record_id, "MetaData": {"LastUpdatedTime": _stamp(when)}}
                    if entity == RECURRING:  # as its delete operation answers: the stub under its type
                        stub = {company.deleted_types[record_id]: stub}
                    found.append((when, entity, {"domain": "QBO", "status": "Deleted", **stub}))
        found.sort(key=lambda item: item[0])
        found = found[:1000]  # QuickBooks answers with at most 1,000 objects, and no paging
        grouped: dict[str, list[dict]] = defaultdict(list)
        for _, entity, record in found:
            grouped[entity].append(record)
        responses = [{entity: records, "startPosition": 1, "maxResults": len(records)} for entity, records in grouped.items()]
        return {"CDCResponse": [{"QueryResponse": responses}], "time": _stamp(self.clock(), True)}

    def post(self, realm: str, bases: tuple[str, ...] = ("Accrual",)) -> None:
        """Work out the company's postings now (profit_and_loss.postings_by_day), as QuickBooks posts a transaction
        when it is saved: a benchmark calls it after its edits, so that the first report after them does not spend
        the bench's own CPU on every record while the connector it times runs beside it."""
        for basis in bases:
            profit_and_loss.postings_by_day(self.company(realm).records, basis)

    def profit_and_loss(self, realm: str, params: dict) -> dict:
        basis = params.get("accounting_method", "Accrual")
        try:
            first, last = date.fromisoformat(params["start_date"]), date.fromisoformat(params["end_date"])
        except (KeyError, ValueError) as err:
            raise QueryError(f"start_date and end_date must be dates (YYYY-MM-DD): {err}") from None
        self.stats.report_ranges.append((first, last))
        company = self.company(realm)
        if basis == "Cash":
            company.ensure_unapplied_cash_account()
        try:
            return profit_and_loss.report(company.records, first, last, params.get("summarize_column_by", "Total"),
                                          _stamp(self.clock()), company.pnl_adjustments, basis)
        except profit_and_loss.ReportRequestError as err:
            raise QueryError(str(err)) from None


class QueryError(ValueError):
    """A request QuickBooks answers with a 400 ValidationFault."""

    def __init__(self, detail: str, code: str = "4001", message: str = "Invalid query"):
        super().__init__(detail)
        self.detail, self.code, self.message = detail, code, message


def _most_around(moments: list[float], at: float, span: float) -> int:
    """The most of the sorted `moments` within any `span` seconds (t - span, t] that holds `at` (one of them)."""
    ends = moments[bisect.bisect_left(moments, at):bisect.bisect_left(moments, at + span)]
    return max(bisect.bisect_right(moments, end) - bisect.bisect_right(moments, end - span) for end in ends)


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux's; Python names it only on some builds


def _arrival(connection: socket.socket) -> float | None:
    """When the next request's bytes came in (time.monotonic()), by the kernel's stamp on them, waiting for them
    if none has come yet; None when the connection closed or the kernel keeps no stamps. Read without taking
    them (MSG_PEEK): the request is then read as usual. No client of the stand-in pipelines requests, so nothing
    of the next is already buffered when this waits."""
    try:
        data, ancillary, _, _ = connection.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
    except OSError:
        return None
    for level, kind, raw in ancillary:
        if data and level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(raw) >= 16:
            seconds, nanoseconds = struct.unpack("qq", raw[:16])
            return seconds + nanoseconds / 1e9 - (time.time() - time.monotonic())  # the kernel's is wall-clock time
    return None


def _moment(text: str, what: str) -> datetime:
    """An ISO 8601 date-time with an offset, the form Intuit documents and records; nothing looser."""
    if not DATETIME.match(text):
        raise QueryError(f"{what} {text!r} is not a date-time like 2026-11-01T09:00:00-08:00")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif text[-5] in "+-":
        text = text[:-2] + ":" + text[-2:]
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _body(entity: str, record: dict) -> dict:
    """The record a recurring template wraps; any other entity's record itself."""
    return record[_template_type(record)] if entity == RECURRING else record


def _template_type(record: dict) -> str:
    return next(key for key in record if key in TEMPLATE_TYPES)


def _recurring_query(conditions: list[str], order: str | None) -> None:
    """What Intuit's RecurringTransaction reference allows a query: filters on its filterable fields, and an
    order by its sortable ones; the rest is refused, as a field QuickBooks cannot query by is."""
    for condition in conditions:
        name = (CONDITION.match(condition) or {"field": condition.strip()})["field"]
        if name not in RECURRING_FILTERABLE:
            raise QueryError(f"QueryValidationError: property '{name}' is not queryable on RecurringTransaction")
    if order and order not in RECURRING_SORTABLE:
        raise QueryError(f"QueryValidationError: property '{order}' is not sortable on RecurringTransaction")


def _field(record: dict, dotted: str, entity: str = "") -> Any:
    if entity == RECURRING and dotted == "Type":
        return _template_type(record)
    value: Any = _body(entity, record)
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _sort_key(value: Any):
    text = str(value if value is not None else "")
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _filter(records: list[dict], condition: str, entity: str = "") -> list[dict]:
    field_of = functools.partial(_field, entity=entity)
    match = CONDITION.match(condition)
    if not match:
        raise QueryError(f"QueryParserError: cannot read the condition {condition!r}", "4000", "Error parsing query")
    name, op, literal = match["field"], match["op"].lower(), match["value"].strip()
    if op == "in":
        options = [v.strip().strip("'").lower() for v in literal.strip("()").split(",")]
        return [r for r in records if str(field_of(r, name) if field_of(r, name) is not None else True).lower() in options]
    expected = literal.strip("'")
    if name == "Id" and op != "=":
        # Intuit lists < and > among the operators and Id as a filterable string, but not whether Ids compare
        # as numbers or as text ('10' < '9'): unknown, so refused rather than guessed (docs/DECISIONS.md)
        raise QueryError(f"Id {op} {literal}: the local QuickBooks does not serve Id ranges (Intuit does not "
                         "document whether Ids compare as numbers or as text)")
    if name.endswith("Time"):  # MetaData.LastUpdatedTime, MetaData.CreateTime: compared as moments
        right: Any = _moment(expected, name)
        pairs = [(r, _moment(str(field_of(r, name)), name)) for r in records]
    else:
        right, pairs = expected, [(r, str(field_of(r, name))) for r in records]
    compare = {"=": lambda a: a == right, ">": lambda a: a > right, ">=": lambda a: a >= right,
               "<": lambda a: a < right, "<=": lambda a: a <= right}[op]
    return [r for r, left in pairs if compare(left)]


def _stamp(moment: datetime, milliseconds: bool = False) -> str:
    """Pacific time as QuickBooks writes it: records in seconds, a response's "time" in milliseconds."""
    return moment.astimezone(PACIFIC).isoformat(timespec="milliseconds" if milliseconds else "seconds")


def _tid() -> str:
    """An Intuit transaction id: "1-", the time in hex, 24 hex digits (1-5f733c38-6312b3f50596e47933ee0781)."""
    return f"1-{int(time.time()):08x}-{secrets.token_hex(12)}"


def _fault(now: datetime, code: str, message: str, detail: str, kind: str = "ValidationFault",
           element: str | None = None) -> dict:
    """The capitalised fault body of the recorded 400s (error/400.yml, 500.yml, validation.yml), timed `now`."""
    error = {"Message": message, "Detail": detail, "code": code}
    if element:
        error["element"] = element
    return {"Fault": {"Error": [error], "type": kind}, "time": _stamp(now, True)}


def _lowercase_fault(now: datetime, code: str, name: str, status: int, detail: str | None, kind: str) -> dict:
    """The lowercase fault body Intuit's gateway sends with 401 and 403 (error/401.yml; erpnext #29161)."""
    return {"warnings": None, "intuitObject": None,
            "fault": {"error": [{"message": f"message={name}; errorCode=00{code}; statusCode={status}",
                                 "detail": detail, "code": code, "element": None}], "type": kind},
            "report": None, "queryResponse": None, "batchItemResponse": [], "attachableResponse": [],
            "syncErrorResponse": None, "requestId": None, "time": int(now.timestamp() * 1000), "status": None,
            "cdcresponse": []}


def _throttled(now: datetime) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse xmlns="http://schema.intuit.com/'
            f'finance/v3" time="{_stamp(now, True)}"><Fault type="SERVICE"><Error code="3001">'
            "<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>"
            "<Detail>The request limit was reached.  Try again later</Detail></Error></Fault></IntuitResponse>")


INVALID_REFRESH = {"error_description": "Incorrect or invalid refresh token", "error": "invalid_grant"}


class _Handler(BaseHTTPRequestHandler):
    qbo: LocalQuickBooks
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # quiet: tests read stats, not logs
        return

    def handle_one_request(self) -> None:
        self._arrived_at = _arrival(self.connection)
        super().handle_one_request()

    def date_time_string(self, timestamp=None) -> str:
        """The Date header by QuickBooks' clock (recorded: the same second as the body's "time")."""
        return super().date_time_string(self.qbo.clock().timestamp())

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        url = urlparse(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        qbo = self.qbo
        qbo.stats.requests += 1
        qbo.stats.paths.append(url.path)
        self.trickle = qbo.faults.trickle if url.path.startswith("/v3/") else qbo.faults.trickle_oauth
        if url.path == "/.well-known/openid_configuration":
            return self._json(200, {"issuer": qbo.url, "authorization_endpoint": f"{qbo.url}/authorize",
                                    "token_endpoint": f"{qbo.url}/oauth2/v1/tokens/bearer",
                                    "revocation_endpoint": f"{qbo.url}/oauth2/v1/tokens/revoke",
                                    "userinfo_endpoint": f"{qbo.url}/userinfo", "jwks_uri": f"{qbo.url}/jwks"})
        if url.path == "/authorize":
            return self._authorize(params)
        if url.path == "/oauth2/v1/tokens/bearer":
            return self._token(parse_qs(body))
        if url.path == "/oauth2/v1/tokens/revoke":
            return self._revoke(body)
        parts = url.path.strip("/").split("/")  # v3/company/{realm}/...
        if len(parts) < 4 or parts[:2] != ["v3", "company"]:
            return self._json(400, _fault(qbo.clock(), "500", "Unsupported Operation",
                                          f"Operation {url.path} is not supported."),
                              {"Intuit-Tid": _tid()})
        realm, report = parts[2], parts[3] == "reports"
        if not qbo.admit(realm, report, self._arrived_at):
            return self._send(429, _throttled(qbo.clock()), "application/xml", {"Intuit-Tid": _tid()})
        self._admission = (realm, report)
        try:
            self._data(realm, parts[3:], method, params, body)
        finally:
            self._let_go()

    def _let_go(self) -> None:
        """The admitted request no longer in flight, once: just before the last of its answer is written, since the
        client may send its next request the moment it has read it (released after, a client waiting for each answer
        was now and then seen with two in flight)."""
        admission, self._admission = getattr(self, "_admission", None), None
        if admission is not None:
            self.qbo.release(*admission)

    # -- data API ------------------------------------------------------------------------------------
    def _data(self, realm: str, rest: list[str], method: str, params: dict, body: str) -> None:
        qbo = self.qbo
        if qbo.faults.on_arrival:
            qbo.faults.on_arrival()
        tid = {"Intuit-Tid": _tid()}
        if qbo.faults.redirect_to:
            return self._send(302, "", "text/plain", {"Location": qbo.faults.redirect_to})
        header = self.headers.get("Authorization")
        grant = qbo.token_grant(header)
        if grant is None:
            token = (header or "").removeprefix("Bearer ").strip()
            return self._json(401, _lowercase_fault(qbo.clock(), "3200", "AuthenticationFailed", 401,
                                                    f"Token expired: {token}", "AUTHENTICATION"),
                              {**tid, "Www-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'})
        if qbo.faults.forbidden or grant.realm != realm:  # a token is for the company it was granted for
            return self._json(403, _lowercase_fault(qbo.clock(), "3100", "ApplicationAuthorizationFailed", 403, None,
                                                    "SERVICE"), tid)
        if qbo.faults.latency:
            time.sleep(qbo.faults.latency)
        if qbo.draw("hang"):
            time.sleep(qbo.faults.hang_once)
        if qbo.draw("throttle"):
            return self._send(429, _throttled(qbo.clock()), "application/xml", tid)
        if qbo.draw("server_error"):
            return self._json(503, _fault(qbo.clock(), "10000",
                                          "An application error has occurred while processing your request",
                                          "System Failure Error", "SystemFault"), tid)
        try:
            if rest == ["query"]:
                payload = qbo.query(realm, body if method == "POST" else params.get("query", ""))
            elif rest == ["cdc"]:
                payload = qbo.cdc(realm, params.get("entities", ""), params.get("changedSince", ""))
            elif rest == ["reports", "ProfitAndLoss"]:
                payload = qbo.profit_and_loss(realm, params)
            else:
                return self._json(400, _fault(qbo.clock(), "500", "Unsupported Operation",
                                              f"Operation {'/'.join(rest)} is not supported."), tid)
        except QueryError as err:
            return self._json(400, _fault(qbo.clock(), err.code, err.message, err.detail), tid)
        text = dumps_exact(payload, indent=None)
        if qbo.draw("truncate"):
            return self._send(200, text[: len(text) // 2], headers=tid)
        if qbo.draw("cut"):
            self.close_connection = True  # the rest never comes: the connection closes mid-body
            return self._send(200, text, headers={**tid, "Content-Length": str(len(text.encode()) * 2)})
        if qbo.draw("false_gzip"):
            return self._send(200, text, headers={**tid, "Content-Encoding": "gzip"})
        if qbo.faults.gzip_bomb:
            return self._send(200, _bomb(qbo.faults.gzip_bomb), headers={**tid, "Content-Encoding": "gzip"})
        self._send(200, text, "application/json;charset=utf-8", tid)

    # -- OAuth -------------------------------------------------------------------------------------
    def _authorize(self, params: dict) -> None:
        """Intuit's consent page: refuses what Intuit refuses, else the user consents at once."""
        qbo = self.qbo
        app = qbo.apps.get(params.get("client_id", ""))
        redirect_uri = params.get("redirect_uri", "")
        if app is None:
            return self._page(400, "The client_id query parameter value is invalid.")
        if redirect_uri not in app.redirect_uris:
            return self._page(400, REDIRECT_INVALID)
        if params.get("response_type") != "code" or not params.get("scope") or not params.get("state"):
            return self._page(400, "response_type=code, scope and state are required.")
        realm = next(iter(qbo.companies), "9130000000000000")
        code = "code-" + secrets.token_hex(8)
        with qbo._lock:
            qbo.codes[code] = Grant(realm, app.client_id, time.monotonic() + CODE_SECONDS, redirect_uri)
        target = redirect_uri + "?" + urlencode({"code": code, "state": params["state"], "realmId": realm})
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _client(self) -> App | None:
        """The app named by the request's HTTP Basic credentials, if they are right."""
        scheme, _, encoded = (self.headers.get("Authorization") or "").partition(" ")
        try:
            client_id, _, secret = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        app = self.qbo.apps.get(client_id)
        ok = scheme == "Basic" and app is not None and secrets.compare_digest(secret, app.client_secret)
        return app if ok else None

    def _token(self, form: dict) -> None:
        qbo = self.qbo
        tid = {"intuit_tid": _tid()}
        app = self._client()
        if app is None:
            return self._json(401, {"error": "invalid_client"}, tid)
        grant_type = form.get("grant_type", [""])[0]
        hard = (self.headers.get("x-include-refresh-token-hard-expires-in") or "").lower() == "true"
        if grant_type == "authorization_code":
            with qbo._lock:
                grant = qbo.codes.pop(form.get("code", [""])[0], None)  # a code works once
            if grant is None or grant.client_id != app.client_id or grant.expires < time.monotonic() \
                    or grant.redirect_uri != form.get("redirect_uri", [""])[0]:
                return self._json(400, {"error": "invalid_grant"}, tid)
            return self._json(200, qbo.issue_tokens(grant.realm, app.client_id, hard), tid)
        if grant_type == "refresh_token":
            with qbo._lock:
                grant = qbo.refresh_tokens.pop(form.get("refresh_token", [""])[0], None)  # single use: it rotates
            if grant is None or grant.client_id != app.client_id or grant.expires < time.monotonic():
                return self._json(400, INVALID_REFRESH, tid)
            qbo.stats.refreshes += 1
            return self._json(200, qbo.issue_tokens(grant.realm, app.client_id, hard), tid)
        return self._json(400, {"error": "unsupported_grant_type"}, tid)

    def _revoke(self, body: str) -> None:
        qbo = self.qbo
        tid = {"intuit_tid": _tid()}
        if self._client() is None:
            return self._json(401, {"error": "invalid_client"}, tid)
        token = json.loads(body or "{}").get("token", "") if body.startswith("{") else parse_qs(body).get("token", [""])[0]
        with qbo._lock:
            revoked = qbo.refresh_tokens.pop(token, None) or qbo.access_tokens.pop(token, None)
            if revoked:  # revoking a refresh token disconnects the app: its access tokens stop working too
                for key in [k for k, g in qbo.access_tokens.items() if (g.realm, g.client_id) == (revoked.realm, revoked.client_id)]:
                    del qbo.access_tokens[key]
        self._send(200, "", "text/plain", tid)

    # -- answers -------------------------------------------------------------------------------------
    def _page(self, status: int, message: str) -> None:
        self._send(status, f"<html><body><h1>Uh oh, there's a connection problem.</h1><p>{escape(message)}</p></body></html>",
                   "text/html;charset=utf-8")

    def _json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        self._send(status, dumps_exact(payload, indent=None), "application/json", headers)

    def _send(self, status: int, text: str | bytes, content_type: str = "application/json;charset=utf-8",
              headers: dict | None = None) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        headers = {"Content-Length": str(len(data)), **(headers or {})}
        self.qbo.stats.by_status[status] += 1
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if not data:
            self._let_go()
        self.end_headers()
        try:
            if getattr(self, "trickle", 0):
                self._trickle(data)
            else:
                self._let_go()
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): nothing to answer

    def _trickle(self, data: bytes) -> None:
        """The body one byte every `trickle` seconds."""
        for byte in range(len(data)):
            if byte == len(data) - 1:
                self._let_go()
            self.wfile.write(data[byte:byte + 1])
            self.wfile.flush()
            time.sleep(self.trickle)


LocalQuickBooks.handler = _Handler


@functools.lru_cache(maxsize=2)
def _bomb(size: int) -> bytes:
    """`size` zero bytes gzipped: a small body that inflates to `size` (2 MB carry 2 GiB)."""
    return gzip.compress(bytes(size), compresslevel=1)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a local QuickBooks Online-compatible server with the demo company.")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--realm", default="9130000000000000")
    parser.add_argument("--demo-clients", type=int, default=60)
    parser.add_argument("--demo-years", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every data request")
    parser.add_argument("--redirect-uri", action="append", default=[],
                        help="a redirect URI to register for the app (repeatable), e.g. http://localhost:8765/callback")
    args = parser.parse_args()
    from ingest.demo.company import generate

    server = LocalQuickBooks(Faults(latency=args.latency))
    for uri in args.redirect_uri:
        server.register_redirect_uri(uri)
    server.load(args.realm, generate(clients=args.demo_clients, years=args.demo_years).documents[0]["QueryResponse"])
    server.serve(_Handler, "qbo", args.port)
    print(f"local QuickBooks on {server.url}: realm {args.realm}, client id {server.client_id}, "
          f"secret {server.client_secret}, discovery {server.discovery_url}", flush=True)
    # as strict as Intuit: the consent page refuses a redirect URI the app has not registered
    print("redirect URIs registered: " + (", ".join(sorted(server.apps[server.client_id].redirect_uris)) or
                                          "none, so the consent page refuses every one (add --redirect-uri URI)"),
          flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
