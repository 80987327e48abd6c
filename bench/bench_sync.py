"""Full sync of the 250-client x 10-year demo company from the local QuickBooks-compatible server,
with 250 ms of latency on every request, against QuickBooks' floor and a common-connector baseline.

Usage: .venv/bin/python bench/bench_sync.py [--clients 250] [--years 10] [--latency 0.25] [--baseline]
                                          [--rounds N] [--steps] [--edit one-percent|everyday]
The sync runs in a child process (its peak memory is that process's own high-water mark, VmHWM: its
ru_maxrss would start from the bench's resident set, which Linux carries across the fork and exec); the server
enforces QuickBooks' limits (10 in flight, 10 a second, 500 a minute) and counts the peaks it saw. The
floor is what QuickBooks' sustained limits allow: requests / min(10 a second, 500 a minute), or
requests / 10 in flight x latency, whichever is larger. For a run shorter than a minute the moving
minute window lets every request start in it, so the burst floor — the n-th request starts no earlier
than (n - 1) // 10 seconds, then takes the latency — is printed too. Then QuickBooks' ProfitAndLoss for
the tie-out (every month after a full sync) is timed apart. Then 1% of the company's records, chosen at
random (seeded), are edited in QuickBooks and `msp-revenue sync` is timed as the owner runs it (the full sync
before it ran the same way, so its build published the snapshot an incremental build starts from), in all and
by phase: Python's start and imports, the sync's requests (change data capture, time activities, their count)
and storing, its ProfitAndLoss for the months the edits touched, the build, the exit; --rounds repeats the edit
and the sync (another 1% each time), --steps prints each sync's lines with when they came; --edit everyday edits
what a day brings instead of 1% (new invoices and payments of the last day, one edited amount); --expired-token
expires the access token before each, as a nightly sync finds it; --timeline (with --steps) adds each request's
and local step's start and end. --baseline also times paging the way common open-source connectors do (200 rows a page, one request at a time).
"""
from __future__ import annotations

import argparse
import collections
import copy
import dataclasses
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.demo.company import generate  # noqa: E402
from ingest.qbo.auth import TokenStore, Tokens  # noqa: E402
from ingest.qbo import config as qbo_config  # noqa: E402
from tests.stand_in.quickbooks import Faults, LocalQuickBooks, _Handler  # noqa: E402

REALM = "9130354455000001"
UNTIL = date(2026, 11, 22)  # the demo company's last day: an everyday edit's new documents are dated on it
CHILD = """
import json, sys, threading, time
from pathlib import Path
import ingest.qbo
from ingest.qbo import run, tieout
from ingest.qbo.client import Policy
policy = Policy(**json.loads(sys.argv[2]))
def peak_rss_mb():  # this process's own peak: ru_maxrss would count the bench's (the stand-in's company) from the fork
    status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
    return int(status["VmHWM"].split()[0]) / 1024
marks, answered, waited, synced = {}, [], [], []
def asked(self, *args, ask=tieout.IncomeRequests.__init__):  # the ProfitAndLoss requests go out: the sync is over
    marks["asked"] = time.perf_counter()
    ask(self, *args)
def window(*args, answer=tieout._window_income):
    try:
        return answer(*args)
    finally:
        answered.append(time.perf_counter())
def stored(self, con, store=tieout.IncomeRequests.store):  # what the build (or the sync) waited for them and stored
    started = time.perf_counter()
    marks.setdefault("stored", started)  # when the build first asked for them
    try:
        return store(self, con)
    finally:
        waited.append(time.perf_counter() - started)
def sync(*args, run_sync=run.run_sync, **kwargs):  # the command's sync with the policy asked for, its result kept
    marks["sync_started"] = time.perf_counter()
    synced.append(run_sync(*args, policy=policy, **kwargs))
    marks["synced"] = time.perf_counter()
    return synced[0]
tieout.IncomeRequests.__init__, tieout._window_income, tieout.IncomeRequests.store = asked, window, stored
ingest.qbo.run_sync = sync
from ingest.qbo import client as client_module, sessions
def let_go(self, slot, inner=client_module.Limiter._let_go):  # when the limiter lets each request go
    inner(self, slot)
    sys.stderr.write(f"limiter {time.perf_counter():.6f} let-go {threading.get_ident()}\\n")  # one write: whole lines
def request(self, *args, inner=sessions._Watched.request, **kwargs):  # when its last byte is with the socket
    written = inner(self, *args, **kwargs)
    sys.stderr.write(f"limiter {time.perf_counter():.6f} written {threading.get_ident()} {self.sock.getsockname()[1]}\\n")
    return written
client_module.Limiter._let_go, sessions._Watched.request = let_go, request
if sys.argv[5] == "timeline":  # each request and each local step of the sync, stamped when it starts and ends
    from ingest.qbo import client, sync as sync_module
    def timed(owner, name, what=None):
        inner = getattr(owner, name)
        def stamped(*args, **kwargs):
            label = what(*args) if what else name
            print(f"timeline {time.perf_counter():.6f} start {label}", file=sys.stderr, flush=True)
            try:
                return inner(*args, **kwargs)
            finally:
                print(f"timeline {time.perf_counter():.6f} end {label}", file=sys.stderr, flush=True)
        setattr(owner, name, stamped)
    timed(client.Connection, "_call", lambda self, method, url, body, headers, params=None:
          f"{method} {url.rsplit('/', 1)[-1]} {(body or str(params))[:70]}")
    for name in ("open_work_db", "months_touched", "Authorizer", "Connection"):
        timed(run, name)
    timed(run.settings, "read")
    timed(run.qbo_config, "load")
    for name in ("_cursors", "_store", "_note_posting_changes", "_move_cursor", "_entity_cursors",
                 "_reconcile_time_activities", "_changes", "_time_activities_since", "_while_answered"):
        timed(sync_module, name)
if sys.argv[4] == "command":  # `msp-revenue sync` as the owner runs it: the sync, its ProfitAndLoss and the build
    from cli import main
    code = main(["sync", "--db", sys.argv[1]] + (["--full"] if sys.argv[3] == "full" else []))
    assert code == 0, code
else:
    sync(Path(sys.argv[1]), None, full=sys.argv[3] == "full")
result = synced[0]
print(json.dumps({"seconds": result.seconds, "with_tie_out": marks["synced"] - marks["sync_started"],
                  "mode": result.mode, "marks": marks, "waited": sum(waited),
                  "profit_and_loss": max(answered, default=marks["asked"]) - marks["asked"],
                  "room": marks["stored"] - max(answered, default=marks["asked"]),
                  "records": sum(result.records.values()), "pages": result.pages,
                  "peak_rss_mb": peak_rss_mb()}))
if sys.argv[4] == "command":  # and the process ends as `msp-revenue` does
    from cli import end
    end(0)
"""


class Watched(LocalQuickBooks):
    """The stand-in, noting when each data request arrived (the moment it counts it at) and from which port."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrivals: list[tuple[float, int]] = []
        self.unstamped = 0  # requests counted when read: the kernel kept no stamp of their arrival
        self._peer = threading.local()

    def start(self) -> str:
        peer = self._peer

        class Handler(_Handler):
            def handle(self) -> None:  # one thread serves each connection
                peer.port = self.client_address[1]
                super().handle()

        self.handler = Handler
        return super().start()

    def admit(self, realm: str, report: bool = False, arrived: float | None = None) -> bool:
        now = time.monotonic()  # when the stand-in got round to it, if the kernel kept no stamp of its arrival
        admitted = super().admit(realm, report, arrived)
        self.unstamped += arrived is None
        self.arrivals.append((now if arrived is None else min(arrived, now), self._peer.port))
        return admitted


def arrival_lags(server: Watched, lines: list[str], arrivals: int) -> dict:
    """Per data request: how long after being let go it was written (`held`), and how long after being written the
    stand-in counted its arrival (`lag`), paired by the connection's port, in order."""
    let_go, written = {}, collections.defaultdict(list)
    for line in lines:
        _, at, what, thread, *port = line.split()
        if what == "let-go":
            let_go[thread] = float(at)
        elif thread in let_go:  # a data request's (the OAuth client's requests are let go by no limiter)
            written[int(port[0])].append((let_go.pop(thread), float(at)))
    arrived = collections.defaultdict(list)
    for at, port in server.arrivals[arrivals:]:
        arrived[port].append(at)
    held, lags = [], []
    for port, sends in written.items():
        for (went, wrote), at in zip(sends, arrived[port]):
            held.append(wrote - went)
            lags.append(at - wrote)
    return {"held": sorted(held), "lag": sorted(lags)}


def connected(server: LocalQuickBooks, folder: Path, name: str) -> Path:
    db = folder / name / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    tokens = server.issue_tokens(REALM)
    TokenStore(qbo_config.tokens_path(db)).save(Tokens(REALM, tokens["access_token"], tokens["refresh_token"],
                                                       1e12, 1e12, None, 0))
    return db


def expire_access_token(server: LocalQuickBooks, db: Path) -> None:
    """The access token an hour old (Intuit's last an hour): expired in the token file and in the stand-in."""
    store = TokenStore(qbo_config.tokens_path(db))
    store.save(dataclasses.replace(store.get(REALM), access_expires_at=time.time() - 60))
    server.access_tokens.clear()


def edit_one_percent(server: LocalQuickBooks, seed: int = 1) -> int:
    """Edit 1% of every entity's records in QuickBooks (a new SyncToken and LastUpdatedTime); returns how many."""
    company, chosen = server.company(REALM), random.Random(seed)
    edited = 0
    for entity, records in company.records.items():
        for record_id in chosen.sample(sorted(records), len(records) // 100):
            company.upsert(entity, {**records[record_id], "PrivateNote": "edited for the benchmark"})
            edited += 1
    return edited


def edit_everyday(server: LocalQuickBooks, seed: int = 1, invoices: int = 5, payments: int = 3) -> int:
    """What a day brings the books, dated the demo's last day: `invoices` new invoices (copies of random recent
    ones), `payments` of them paid in full, and one edited amount (one more unit on the latest untaxed invoice's
    first item line, its subtotal and total with it); returns how many records were created or edited."""
    company, chosen = server.company(REALM), random.Random(seed)
    today = UNTIL.isoformat()

    def next_id(entity: str) -> str:
        return str(max(int(record_id) for record_id in company.records[entity]) + 1)

    recent = sorted(company.records["Invoice"].values(), key=lambda i: (i["TxnDate"], int(i["Id"])))
    created = []
    for model in chosen.sample(recent[-200:], invoices):
        invoice = {key: value for key, value in copy.deepcopy(model).items()
                   if key not in ("MetaData", "LinkedTxn", "SyncToken")}
        new_id = next_id("Invoice")
        invoice.update(Id=new_id, DocNumber=f"D{new_id}", TxnDate=today, Balance=invoice["TotalAmt"])
        created.append(company.upsert("Invoice", invoice))
    for invoice in created[:payments]:
        company.upsert("Payment", {"Id": next_id("Payment"), "TxnDate": today, "CustomerRef": invoice["CustomerRef"],
                                   "TotalAmt": invoice["TotalAmt"], "UnappliedAmt": Decimal("0.00"),
                                   "Line": [{"Amount": invoice["TotalAmt"],
                                             "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    edited = copy.deepcopy(next(i for i in reversed(recent)
                                if Decimal(str((i.get("TxnTaxDetail") or {}).get("TotalTax", 0))) == 0))
    line = next(line for line in edited["Line"] if line.get("DetailType") == "SalesItemLineDetail")
    detail, price = line["SalesItemLineDetail"], Decimal(str(line["SalesItemLineDetail"]["UnitPrice"]))
    detail["Qty"] = Decimal(str(detail["Qty"])) + 1
    for money in [line] + [each for each in edited["Line"] if each.get("DetailType") == "SubTotalLineDetail"]:
        money["Amount"] = Decimal(str(money["Amount"])) + price
    for field in ("TotalAmt", "Balance"):
        edited[field] = Decimal(str(edited[field])) + price
    company.upsert("Invoice", edited)
    return invoices + payments + 1


def run(server: LocalQuickBooks, db: Path, policy: dict, mode: str = "full", how: str = "sync",
        timeline: bool = False) -> dict:
    """One sync in a child process: `how` "sync" runs the connector's sync and its ProfitAndLoss; "command" runs
    `msp-revenue sync` as the owner does, the build included (its stderr lines come back timed, as `steps`)."""
    env = {**os.environ, "MSP_REVENUE_QBO_CLIENT_ID": server.client_id,
           "MSP_REVENUE_QBO_CLIENT_SECRET": server.client_secret,
           "MSP_REVENUE_QBO_ENVIRONMENT": server.discovery_url, "MSP_REVENUE_QBO_API_URL": server.api_url}
    before, paths = server.stats.requests, len(server.stats.paths)
    children, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    ranges, arrivals, unstamped = len(server.stats.report_ranges), len(server.arrivals), server.unstamped
    server.stats.max_in_flight = server.stats.max_per_second = server.stats.max_reports_in_flight = 0
    started = time.perf_counter()  # CLOCK_MONOTONIC, the child's perf_counter too: its marks compare with this
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), json.dumps(policy), mode, how,
                              "timeline" if timeline else "-"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    lines = list(child.stderr)
    limiter = [line for line in lines if line.startswith("limiter ")]
    steps = [(float(line.split()[1]) - started, line.split(" ", 2)[2].rstrip()) if line.startswith("timeline ")
             else (time.perf_counter() - started, line.rstrip()) for line in lines if not line.startswith("limiter ")]
    out = child.stdout.read()
    if child.wait():
        raise SystemExit("\n".join(line for _, line in steps))
    wall = time.perf_counter() - started
    figures = json.loads(out.splitlines()[-1])
    marks = {name: mark - started for name, mark in figures.pop("marks").items()}
    # the ProfitAndLoss overlaps with the build: the build's phase includes what it waited for it
    figures["phases"] = {"start": marks["sync_started"], "sync": marks["asked"] - marks["sync_started"],
                         "build": marks["synced"] - marks["asked"], "of which waiting for ProfitAndLoss":
                         figures["waited"], "exit": wall - marks["synced"]}
    figures.update(wall=wall, steps=steps, unstamped=server.unstamped - unstamped,
                   **arrival_lags(server, limiter, arrivals))
    reports = sum("/reports/" in path for path in server.stats.paths[paths:])
    figures["requests"] = server.stats.requests - before - reports
    figures["report_requests"] = reports
    figures["report_months"] = sum((last.year - first.year) * 12 + last.month - first.month + 1
                                   for first, last in server.stats.report_ranges[ranges:])
    figures.update(in_flight=server.stats.max_in_flight, per_second=server.stats.max_per_second,
                   rejected=server.stats.limit_rejections, reports_in_flight=server.stats.max_reports_in_flight)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["cpu"] = usage.ru_utime + usage.ru_stime - children.ru_utime - children.ru_stime
    usage = resource.getrusage(resource.RUSAGE_SELF)  # the stand-in's threads: its pages compete for the same cores
    figures["stand_in_cpu"] = usage.ru_utime + usage.ru_stime - own.ru_utime - own.ru_stime
    return figures


def describe(figures: dict) -> str:
    """The spread of when requests were written after being let go, and counted by the stand-in after written."""
    def spread(values: list[float]) -> str:
        if not values:
            return "none"
        return (f"median {values[len(values) // 2] * 1000:.1f} ms, 99th {values[int(len(values) * 0.99)] * 1000:.1f}"
                f" ms, most {values[-1] * 1000:.1f} ms")
    return (f"{len(figures['lag'])} data requests written after being let go: {spread(figures['held'])}; "
            f"counted by the stand-in after being written: {spread(figures['lag'])} ({figures['unstamped']} counted "
            "when read, without the kernel's stamp)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--rounds", type=int, default=1, help="incremental syncs, each after another 1%% was edited")
    parser.add_argument("--steps", action="store_true", help="print each incremental sync's lines, timed")
    parser.add_argument("--expired-token", action="store_true",
                        help="before each incremental sync, expire the access token (in the token file and in the "
                             "stand-in), as a nightly sync finds it an hour after the last")
    parser.add_argument("--timeline", action="store_true",
                        help="with --steps: each request's and each local step's start and end in the sync, timed")
    parser.add_argument("--edit", choices=("one-percent", "everyday"), default="one-percent",
                        help="what changes before each incremental sync: a memo on 1%% of the records, or what a "
                             "day brings (a few new invoices and payments, one edited amount)")
    args = parser.parse_args()
    server = Watched(Faults(latency=args.latency))
    server.load(REALM, generate(clients=args.clients, years=args.years, until=UNTIL)
                .documents[0]["QueryResponse"])
    server.start()
    # the stand-in's company (millions of objects) out of the garbage collector's way: its full collections, set off
    # by the stand-in's own answers, took the bench's CPU while the sync it times ran beside it
    gc.freeze()
    with tempfile.TemporaryDirectory() as folder:
        db = connected(server, Path(folder), "ours")
        ours = run(server, db, {}, how="command", timeline=args.timeline)  # built too: an incremental starts from it
        requests = ours["requests"]
        floor = max(requests / 10 * args.latency, requests / min(10, 500 / 60))
        burst = max((requests - 1) // 10 * max(1.0, args.latency), (requests - 1) // 500 * 60) + args.latency
        print(f"demo company: {args.clients} clients x {args.years} years, {args.latency * 1000:.0f} ms a request")
        print(f"  full sync: {ours['seconds']:.1f} s for {ours['records']:,} records in {requests} requests "
              f"({ours['pages']} pages); floor {floor:.1f} s -> {ours['seconds'] / floor:.2f}x the floor "
              f"(burst floor {burst:.1f} s -> {ours['seconds'] / burst:.2f}x); peak memory {ours['peak_rss_mb']:.0f} MB")
        print(f"    floor terms: requests/10 in flight x latency = {requests / 10 * args.latency:.1f} s, "
              f"requests/min(10 a second, 500 a minute) = {requests / min(10, 500 / 60):.1f} s")
        print(f"    the sync process used {ours['cpu']:.1f} s of CPU (sync, tie-out and build), the stand-in "
              f"{ours['stand_in_cpu']:.1f} s (answering it, on the same cores); for a sync under a minute and "
              f"{requests} < 500 requests, the burst floor is the one QuickBooks' limits set")
        print(f"    then the tie-out's ProfitAndLoss: {ours['report_requests']} requests "
              f"({ours['report_months']} months asked for), at most {ours['reports_in_flight']} in flight, "
              f"{ours['profit_and_loss']:.1f} s (sync, tie-out and build {ours['with_tie_out']:.1f} s)")
        # whether the ProfitAndLoss is on the full sync's critical path: the build runs while it is asked for, and
        # waits for it only when it has made every model that does not read it first
        print(f"    the build after the sync: {ours['phases']['build']:.1f} s, of which waiting for the ProfitAndLoss "
              f"{ours['waited']:.2f} s; its last answer came {ours['room']:.2f} s before the build asked for it "
              f"(load average {os.getloadavg()[0]:.1f})")
        print(f"    the server saw at most {ours['in_flight']} in flight and {ours['per_second']} in one second; "
              f"{ours['rejected']} refused over a limit")
        print(f"    {describe(ours)}")
        for at, line in ours["steps"] if args.steps and args.timeline else []:
            print(f"    {at:6.3f} s  {line}")
        for round_ in range(1, args.rounds + 1):
            edited = (edit_everyday if args.edit == "everyday" else edit_one_percent)(server, seed=round_)
            what = "a day's edits" if args.edit == "everyday" else "1%"
            server.post(REALM)  # the stand-in's ledger brought up to date before the sync, not by its first report
            gc.freeze()
            if args.expired_token:
                expire_access_token(server, db)
            again = run(server, db, {}, mode="incremental", how="command", timeline=args.timeline)
            assert again["mode"] == "incremental", again
            phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in again["phases"].items())
            print(f"  incremental `msp-revenue sync` after {edited:,} records ({what}) were created or edited: {again['wall']:.2f} s "
                  f"in all ({phases}); CPU {again['cpu']:.2f} s; peak memory {again['peak_rss_mb']:.0f} MB; "
                  f"the sync {again['seconds']:.2f} s "
                  f"({again['requests']} requests, {again['records']:,} records), ProfitAndLoss "
                  f"{again['profit_and_loss']:.2f} s from its first request to its last answer, "
                  f"{again['report_requests']} requests ({again['report_months']} months asked for, at most "
                  f"{again['reports_in_flight']} in flight); {again['rejected']} refused over a limit")
            for at, line in again["steps"] if args.steps else []:
                print(f"    {at:6.3f} s  {line}")
        if args.baseline:
            base = run(server, connected(server, Path(folder), "baseline"), {"concurrent": 1, "page_size": 200})
            print(f"  baseline (200 rows a page, one request at a time): {base['seconds']:.1f} s in "
                  f"{base['requests']} requests")
    gc.unfreeze()  # collected at exit again: DuckDB's bindings report what the collector never reached as leaked
    server.stop()


if __name__ == "__main__":
    main()
