"""A stand-in for QuickBooks Online, for the connector's tests, benchmarks and demos.

QuickBooks Online cannot be reached from here, so this local server answers in its place: the query
endpoint (the grammar the connector uses), change data capture, the ProfitAndLoss report's income
section, and the OAuth discovery, authorize, token and revoke endpoints with refresh-token rotation.
It enforces QuickBooks' limits (500 requests a minute and 10 at once per company, answered with 429
bodies like the real ones) and can inject latency and faults. Response shapes follow the recorded
exchanges in tests/fixtures/qbo-cassettes.

Run one by hand: python -m tests.stand_in.quickbooks --port 8600 --demo-clients 60 --demo-years 3
"""
from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from ingest.records import dumps_exact

LIST_ENTITIES = {"Customer", "Item", "Account", "Class", "Employee", "Vendor"}
SALES = {"Invoice": 1, "SalesReceipt": 1, "CreditMemo": -1, "RefundReceipt": -1}
QUERY = re.compile(
    r"^\s*select\s+(?P<what>\*|count\(\*\))\s+from\s+(?P<entity>\w+)"
    r"(?:\s+where\s+(?P<where>.+?))?(?:\s+orderby\s+(?P<order>[\w.]+)(?:\s+(?P<dir>asc|desc))?)?"
    r"(?:\s+startposition\s+(?P<start>\d+))?(?:\s+maxresults\s+(?P<max>\d+))?\s*$", re.I | re.S)
CONDITION = re.compile(r"^\s*(?P<field>[\w.]+)\s*(?P<op>>=|<=|=|>|<|\bin\b)\s*(?P<value>.+?)\s*$", re.I | re.S)


@dataclass
class Faults:
    """What to break, and how often (probabilities per request, from a seeded generator)."""
    latency: float = 0.0            # seconds added to every data request
    throttle: float = 0.0           # 429 ThrottleExceeded, as if another app used the quota
    server_error: float = 0.0       # 503
    truncate_once: bool = False     # one response cut in half
    hang_once: float = 0.0          # one request held this many seconds before answering
    expire_token_after: int | None = None  # the access token stops working after this many requests
    seed: int = 1


@dataclass
class Stats:
    requests: int = 0
    by_status: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    limit_rejections: int = 0       # requests refused because the client exceeded QuickBooks' limits
    max_in_flight: int = 0
    max_per_minute: int = 0
    refreshes: int = 0
    paths: list[str] = field(default_factory=list)


class Company:
    """One realm's records, with the change log change data capture reads."""

    def __init__(self, clock) -> None:
        self.records: dict[str, dict[str, dict]] = defaultdict(dict)
        self.deleted: dict[str, dict[str, datetime]] = defaultdict(dict)
        self.clock = clock
        self.pnl_adjustments: dict[tuple[str, str], Decimal] = {}  # (month, account id) -> extra amount

    def add(self, entity: str, record: dict) -> None:
        self.records[entity][str(record["Id"])] = record

    def upsert(self, entity: str, record: dict) -> dict:
        """Create or edit a record now (new SyncToken and LastUpdatedTime)."""
        old = self.records[entity].get(str(record["Id"]))
        record = dict(record)
        record["SyncToken"] = str(int(old["SyncToken"]) + 1) if old else "0"
        record["MetaData"] = {**record.get("MetaData", {}), "LastUpdatedTime": _stamp(self.clock())}
        self.records[entity][str(record["Id"])] = record
        return record

    def void(self, entity: str, record_id: str) -> dict:
        record = dict(self.records[entity][record_id])
        record.update({"TotalAmt": Decimal(0), "Balance": Decimal(0), "PrivateNote": "Voided",
                       "TxnTaxDetail": {"TotalTax": Decimal(0)},
                       "Line": [{**line, "Amount": Decimal(0)} for line in record.get("Line", [])]})
        return self.upsert(entity, record)

    def delete(self, entity: str, record_id: str) -> None:
        del self.records[entity][record_id]
        self.deleted[entity][record_id] = self.clock()


class LocalQuickBooks:
    """The server; start() runs it on a free loopback port in a background thread."""

    def __init__(self, faults: Faults | None = None, per_minute: int = 500, concurrent: int = 10,
                 client_id: str = "local-client", client_secret: str = "local-secret") -> None:
        self.faults = faults or Faults()
        self.per_minute, self.concurrent = per_minute, concurrent
        self.client_id, self.client_secret = client_id, client_secret
        self.companies: dict[str, Company] = {}
        self.stats = Stats()
        self.access_tokens: dict[str, float] = {}   # token -> expiry (monotonic)
        self.refresh_tokens: set[str] = set()
        self.codes: dict[str, str] = {}             # authorization code -> realm
        self._lock = threading.Lock()
        self._random = random.Random(self.faults.seed)
        self._in_flight: dict[str, int] = defaultdict(int)
        self._recent: dict[str, deque] = defaultdict(deque)
        self._once: set[str] = set()
        self._data_requests = 0
        self._clock_base = datetime.now(timezone.utc)
        self._clock_started = time.monotonic()
        self.server: ThreadingHTTPServer | None = None

    # -- data and clock ----------------------------------------------------------------------------
    def clock(self) -> datetime:
        return self._clock_base + timedelta(seconds=time.monotonic() - self._clock_started)

    def company(self, realm: str) -> Company:
        if realm not in self.companies:
            self.companies[realm] = Company(self.clock)
        return self.companies[realm]

    def load(self, realm: str, entities: dict[str, list[dict]]) -> Company:
        """Serve these records for a realm; the clock moves past their newest LastUpdatedTime."""
        company = self.company(realm)
        newest = self._clock_base
        for entity, records in entities.items():
            for record in records:
                company.add(entity, record)
                stamp = record.get("MetaData", {}).get("LastUpdatedTime")
                if stamp:
                    newest = max(newest, datetime.fromisoformat(stamp).astimezone(timezone.utc))
        self._clock_base = max(self._clock_base, newest + timedelta(minutes=1))
        return company

    def issue_tokens(self, realm: str) -> dict:
        access, refresh = "at-" + secrets.token_hex(12), "rt-" + secrets.token_hex(12)
        with self._lock:
            self.access_tokens[access] = time.monotonic() + 3600
            self.refresh_tokens.add(refresh)
        return {"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": 3600,
                "x_refresh_token_expires_in": 8726400, "x_refresh_token_hard_expires_in": 157680000,
                "realm_id": realm}

    # -- server ------------------------------------------------------------------------------------
    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"qbo": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid_configuration"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v3"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # -- limits and faults -------------------------------------------------------------------------
    def admit(self, realm: str) -> bool:
        with self._lock:
            now = time.monotonic()
            recent = self._recent[realm]
            while recent and recent[0] < now - 60:
                recent.popleft()
            if self._in_flight[realm] >= self.concurrent or len(recent) >= self.per_minute:
                self.stats.limit_rejections += 1
                return False
            self._in_flight[realm] += 1
            recent.append(now)
            self.stats.max_in_flight = max(self.stats.max_in_flight, self._in_flight[realm])
            self.stats.max_per_minute = max(self.stats.max_per_minute, len(recent))
            return True

    def release(self, realm: str) -> None:
        with self._lock:
            self._in_flight[realm] -= 1

    def draw(self, kind: str) -> bool:
        with self._lock:
            if kind in ("truncate", "hang"):
                enabled = self.faults.truncate_once if kind == "truncate" else self.faults.hang_once > 0
                if enabled and kind not in self._once and self._data_requests > 3 and self._random.random() < 0.2:
                    self._once.add(kind)
                    return True
                return False
            probability = {"throttle": self.faults.throttle, "server_error": self.faults.server_error}[kind]
            return self._random.random() < probability

    def authorised(self, header: str | None) -> bool:
        token = (header or "").removeprefix("Bearer ").strip()
        with self._lock:
            self._data_requests += 1
            limit = self.faults.expire_token_after
            if limit is not None and self._data_requests == limit:
                self.access_tokens.clear()  # the token expires mid-run, as after an hour
            expiry = self.access_tokens.get(token)
            return expiry is not None and expiry > time.monotonic()

    # -- API -----------------------------------------------------------------------------------------
    def query(self, realm: str, text: str) -> dict:
        match = QUERY.match(text)
        if not match:
            raise QueryError(f"QueryParserError: Encountered unexpected text in {text!r}")
        entity = match["entity"]
        records = list(self.company(realm).records.get(entity, {}).values())
        conditions = re.split(r"\s+and\s+", match["where"], flags=re.I) if match["where"] else []
        if entity in LIST_ENTITIES and not any(c.strip().lower().startswith("active") for c in conditions):
            records = [r for r in records if r.get("Active", True)]
        for condition in conditions:
            records = [r for r in records if _matches(r, condition)]
        if match["what"] != "*":
            return {"QueryResponse": {"totalCount": len(records)}, "time": _stamp(self.clock())}
        order = match["order"] or "Id"
        records.sort(key=lambda r: _sort_key(_field(r, order)), reverse=(match["dir"] or "").lower() == "desc")
        start = int(match["start"] or 1)
        size = min(int(match["max"] or 100), 1000)
        page = records[start - 1:start - 1 + size]
        body = {entity: page, "startPosition": start, "maxResults": len(page)} if page else {}
        return {"QueryResponse": body, "time": _stamp(self.clock())}

    def cdc(self, realm: str, entities: str, changed_since: str) -> dict:
        since = datetime.fromisoformat(changed_since.replace(" ", "+")).astimezone(timezone.utc)
        if since < self.clock() - timedelta(days=30):
            raise QueryError("changedSince must be within the last 30 days")
        company = self.company(realm)
        found: list[tuple[datetime, str, dict]] = []
        for entity in entities.split(","):
            for record in company.records.get(entity, {}).values():
                stamp = datetime.fromisoformat(record["MetaData"]["LastUpdatedTime"]).astimezone(timezone.utc)
                if stamp >= since:
                    found.append((stamp, entity, record))
            for record_id, when in company.deleted.get(entity, {}).items():
                if when >= since:
                    found.append((when, entity, {"domain": "QBO", "status": "Deleted", "Id": record_id,
                                                 "MetaData": {"LastUpdatedTime": _stamp(when)}}))
        found.sort(key=lambda item: item[0])
        found = found[:1000]  # QuickBooks answers with at most 1,000 objects, and no paging
        grouped: dict[str, list[dict]] = defaultdict(list)
        for _, entity, record in found:
            grouped[entity].append(record)
        responses = [{entity: records, "startPosition": 1, "maxResults": len(records)} for entity, records in grouped.items()]
        return {"CDCResponse": [{"QueryResponse": responses}], "time": _stamp(self.clock())}

    def profit_and_loss(self, realm: str, start: str, end: str) -> dict:
        """The income section by month (accrual): every sales line's amount into its income account,
        discounts into their discount account; credit memos and refund receipts negative."""
        company = self.company(realm)
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        months = []
        cursor = first.replace(day=1)
        while cursor <= last:
            months.append(cursor)
            cursor = (cursor + timedelta(days=32)).replace(day=1)
        items = company.records.get("Item", {})
        accounts = company.records.get("Account", {})
        totals: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for entity, sign in SALES.items():
            for doc in company.records.get(entity, {}).values():
                day = date.fromisoformat(doc["TxnDate"])
                if not first <= day <= last:
                    continue
                for account, amount in _income_lines(doc, items):
                    totals[account][day.replace(day=1)] += sign * amount
        for (month, account), amount in self.company(realm).pnl_adjustments.items():
            totals[account][date.fromisoformat(month)] += amount
        columns = [{"ColTitle": "", "ColType": "Account"}] + [
            {"ColTitle": m.strftime("%b %Y"), "ColType": "Money",
             "MetaData": [{"Name": "StartDate", "Value": m.isoformat()}, {"Name": "EndDate", "Value": m.isoformat()}]}
            for m in months] + [{"ColTitle": "Total", "ColType": "Money"}]
        rows = []
        for account_id in sorted(totals):
            name = accounts.get(account_id, {}).get("Name", account_id)
            values = [totals[account_id].get(m, Decimal(0)) for m in months]
            rows.append({"ColData": [{"value": name, "id": account_id}]
                         + [{"value": f"{v:.2f}"} for v in values] + [{"value": f"{sum(values):.2f}"}],
                         "type": "Data"})
        return {
            "Header": {"Time": _stamp(self.clock()), "ReportName": "ProfitAndLoss", "ReportBasis": "Accrual",
                       "StartPeriod": start, "EndPeriod": end, "SummarizeColumnsBy": "Month", "Currency": "USD"},
            "Columns": {"Column": columns},
            "Rows": {"Row": [{"Header": {"ColData": [{"value": "Income"}]}, "Rows": {"Row": rows},
                              "type": "Section", "group": "Income"}]},
        }


class QueryError(ValueError):
    pass


def _income_lines(doc: dict, items: dict) -> list[tuple[str, Decimal]]:
    out = []
    for line in doc.get("Line", []):
        kind = line.get("DetailType")
        if kind == "SalesItemLineDetail":
            detail = line["SalesItemLineDetail"]
            account = (detail.get("ItemAccountRef") or {}).get("value") or \
                (items.get(detail["ItemRef"]["value"], {}).get("IncomeAccountRef") or {}).get("value", "")
            out.append((account, Decimal(str(line.get("Amount", 0)))))
        elif kind == "GroupLineDetail":
            out.extend(_income_lines({"Line": line["GroupLineDetail"].get("Line", [])}, items))
        elif kind == "DiscountLineDetail":
            account = (line["DiscountLineDetail"].get("DiscountAccountRef") or {}).get("value", "")
            out.append((account, -Decimal(str(line.get("Amount", 0)))))
    return out


def _field(record: dict, dotted: str) -> Any:
    value: Any = record
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _sort_key(value: Any):
    text = str(value if value is not None else "")
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _matches(record: dict, condition: str) -> bool:
    match = CONDITION.match(condition)
    if not match:
        raise QueryError(f"QueryParserError: cannot read the condition {condition!r}")
    value = _field(record, match["field"])
    literal = match["value"].strip()
    if match["op"].lower() == "in":
        options = [v.strip().strip("'").lower() for v in literal.strip("()").split(",")]
        return str(value if value is not None else True).lower() in options
    expected = literal.strip("'")
    if match["field"].endswith("LastUpdatedTime"):
        left = datetime.fromisoformat(str(value)).astimezone(timezone.utc)
        right = datetime.fromisoformat(expected).astimezone(timezone.utc)
    else:
        left, right = str(value), expected
    return {"=": left == right, ">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}[match["op"]]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone(timedelta(hours=-8))).isoformat(timespec="seconds")


def _fault(code: str, message: str, kind: str = "ValidationFault") -> dict:
    return {"Fault": {"Error": [{"Message": message, "Detail": message, "code": code}], "type": kind},
            "time": _stamp(datetime.now(timezone.utc))}


THROTTLED = {"Fault": {"Error": [{"Message": "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                                  "Detail": "The request limit was reached.", "code": "3001"}], "type": "SERVICE"}}
EXPIRED = {"warnings": None, "intuitObject": None,
           "fault": {"error": [{"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                                "detail": "Token expired", "code": "3200", "element": None}],
                     "type": "AUTHENTICATION"},
           "report": None, "queryResponse": [], "batchItemResponse": [], "attachableResponse": [],
           "syncErrorResponse": None, "requestId": None, "time": 0, "status": None, "cdcresponse": []}


class _Handler(BaseHTTPRequestHandler):
    qbo: LocalQuickBooks
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # quiet: tests read stats, not logs
        return

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
        if url.path == "/.well-known/openid_configuration":
            return self._json(200, {"issuer": qbo.url, "authorization_endpoint": f"{qbo.url}/authorize",
                                    "token_endpoint": f"{qbo.url}/oauth2/v1/tokens/bearer",
                                    "revocation_endpoint": f"{qbo.url}/oauth2/v1/tokens/revoke",
                                    "userinfo_endpoint": f"{qbo.url}/userinfo", "jwks_uri": f"{qbo.url}/jwks"})
        if url.path == "/authorize":  # the user consents at once and is sent back with a code
            realm = next(iter(qbo.companies), "9130000000000000")
            code = "code-" + secrets.token_hex(8)
            qbo.codes[code] = realm
            target = params["redirect_uri"] + "?" + urlencode({"code": code, "state": params.get("state", ""),
                                                               "realmId": realm})
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if url.path == "/oauth2/v1/tokens/bearer":
            return self._token(parse_qs(body))
        if url.path == "/oauth2/v1/tokens/revoke":
            token = json.loads(body or "{}").get("token", "") if body.startswith("{") else parse_qs(body).get("token", [""])[0]
            with qbo._lock:
                qbo.refresh_tokens.discard(token)
                qbo.access_tokens.pop(token, None)
            return self._json(200, {})
        parts = url.path.strip("/").split("/")  # v3/company/{realm}/...
        if len(parts) < 4 or parts[:2] != ["v3", "company"]:
            return self._json(404, _fault("404", f"no such endpoint {url.path}"))
        realm = parts[2]
        if not qbo.admit(realm):
            return self._json(429, THROTTLED)
        try:
            self._data(realm, parts[3:], method, params, body)
        finally:
            qbo.release(realm)

    def _data(self, realm: str, rest: list[str], method: str, params: dict, body: str) -> None:
        qbo = self.qbo
        if not qbo.authorised(self.headers.get("Authorization")):
            return self._json(401, EXPIRED)
        if qbo.faults.latency:
            time.sleep(qbo.faults.latency)
        if qbo.draw("hang"):
            time.sleep(qbo.faults.hang_once)
        if qbo.draw("throttle"):
            return self._json(429, THROTTLED)
        if qbo.draw("server_error"):
            return self._json(503, _fault("10000", "An application error has occurred", "SystemFault"))
        try:
            if rest == ["query"]:
                payload = qbo.query(realm, body if method == "POST" else params.get("query", ""))
            elif rest == ["cdc"]:
                payload = qbo.cdc(realm, params["entities"], params["changedSince"])
            elif rest == ["reports", "ProfitAndLoss"]:
                payload = qbo.profit_and_loss(realm, params["start_date"], params["end_date"])
            else:
                return self._json(400, _fault("4000", f"unsupported operation {'/'.join(rest)}"))
        except (QueryError, KeyError) as err:
            return self._json(400, _fault("4000", str(err)))
        text = dumps_exact(payload, indent=None)
        if qbo.draw("truncate"):
            return self._send(200, text[: len(text) // 2])
        self._send(200, text)

    def _token(self, form: dict) -> None:
        qbo = self.qbo
        grant = form.get("grant_type", [""])[0]
        if grant == "authorization_code":
            realm = qbo.codes.pop(form.get("code", [""])[0], None)
            if realm is None:
                return self._json(400, {"error": "invalid_grant"})
            return self._json(200, qbo.issue_tokens(realm))
        if grant == "refresh_token":
            token = form.get("refresh_token", [""])[0]
            with qbo._lock:
                valid = token in qbo.refresh_tokens
                qbo.refresh_tokens.discard(token)  # single use: the old refresh token is now stale
            if not valid:
                return self._json(400, {"error": "invalid_grant"})
            qbo.stats.refreshes += 1
            return self._json(200, qbo.issue_tokens(""))
        return self._json(400, {"error": "unsupported_grant_type"})

    def _json(self, status: int, payload: dict) -> None:
        self._send(status, dumps_exact(payload, indent=None))

    def _send(self, status: int, text: str) -> None:
        data = text.encode("utf-8")
        self.qbo.stats.by_status[status] += 1
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout): nothing to answer


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a local QuickBooks Online-compatible server with the demo company.")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--realm", default="9130000000000000")
    parser.add_argument("--demo-clients", type=int, default=60)
    parser.add_argument("--demo-years", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every data request")
    args = parser.parse_args()
    from ingest.demo.company import generate

    server = LocalQuickBooks(Faults(latency=args.latency))
    server.load(args.realm, generate(clients=args.demo_clients, years=args.demo_years).documents[0]["QueryResponse"])
    handler = type("Handler", (_Handler,), {"qbo": server})
    server.server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"local QuickBooks on {server.url}: realm {args.realm}, client id {server.client_id}, "
          f"secret {server.client_secret}, discovery {server.discovery_url}")
    server.server.serve_forever()


if __name__ == "__main__":
    main()
