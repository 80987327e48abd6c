"""Full sync of the 250-client x 10-year demo company from the local QuickBooks-compatible server,
with 250 ms of latency on every request, against QuickBooks' floor and a common-connector baseline.

Usage: .venv/bin/python bench/bench_sync.py [--clients 250] [--years 10] [--latency 0.25] [--baseline]
The sync runs in a child process (its peak memory is that process's maximum resident set); the server
enforces QuickBooks' limits (10 in flight, 10 a second, 500 a minute) and counts the peaks it saw. The
floor is what QuickBooks' sustained limits allow: requests / min(10 a second, 500 a minute), or
requests / 10 in flight x latency, whichever is larger. For a run shorter than a minute the moving
minute window lets every request start in it, so the burst floor — the n-th request starts no earlier
than (n - 1) // 10 seconds, then takes the latency — is printed too. Then QuickBooks' ProfitAndLoss for
the tie-out (every month after a full sync) is timed apart. Then 1% of the company's records, chosen at
random (seeded), are edited in QuickBooks and an incremental sync is timed: its requests (change data
capture, time activities, their count) and its ProfitAndLoss for the months the edits touched. --baseline
also times paging the way common open-source connectors do (200 rows a page, one request at a time).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.demo.company import generate  # noqa: E402
from ingest.qbo.auth import TokenStore, Tokens  # noqa: E402
from ingest.qbo import config as qbo_config  # noqa: E402
from tests.stand_in.quickbooks import Faults, LocalQuickBooks  # noqa: E402

REALM = "9130354455000001"
CHILD = """
import json, resource, sys, time
from pathlib import Path
from ingest.qbo import run
from ingest.qbo.client import Policy
policy = Policy(**json.loads(sys.argv[2]))
fetching, fetch_income = [], run.fetch_income
def timed(*args):  # the ProfitAndLoss requests and storing what they answered, apart from the sync
    started = time.perf_counter()
    try:
        return fetch_income(*args)
    finally:
        fetching.append(time.perf_counter() - started)
run.fetch_income = timed
started = time.perf_counter()
result = run.run_sync(Path(sys.argv[1]), None, full=sys.argv[3] == "full", policy=policy)
print(json.dumps({"seconds": result.seconds, "with_tie_out": time.perf_counter() - started, "mode": result.mode,
                  "profit_and_loss": sum(fetching),
                  "records": sum(result.records.values()), "pages": result.pages,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def connected(server: LocalQuickBooks, folder: Path, name: str) -> Path:
    db = folder / name / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    tokens = server.issue_tokens(REALM)
    TokenStore(qbo_config.tokens_path(db)).save(Tokens(REALM, tokens["access_token"], tokens["refresh_token"],
                                                       1e12, 1e12, None, 0))
    return db


def edit_one_percent(server: LocalQuickBooks, seed: int = 1) -> int:
    """Edit 1% of every entity's records in QuickBooks (a new SyncToken and LastUpdatedTime); returns how many."""
    company, chosen = server.company(REALM), random.Random(seed)
    edited = 0
    for entity, records in company.records.items():
        for record_id in chosen.sample(sorted(records), len(records) // 100):
            company.upsert(entity, {**records[record_id], "PrivateNote": "edited for the benchmark"})
            edited += 1
    return edited


def run(server: LocalQuickBooks, db: Path, policy: dict, mode: str = "full") -> dict:
    env = {**os.environ, "MSP_REVENUE_QBO_CLIENT_ID": server.client_id,
           "MSP_REVENUE_QBO_CLIENT_SECRET": server.client_secret,
           "MSP_REVENUE_QBO_ENVIRONMENT": server.discovery_url, "MSP_REVENUE_QBO_API_URL": server.api_url}
    before, paths = server.stats.requests, len(server.stats.paths)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    ranges = len(server.stats.report_ranges)
    server.stats.max_in_flight = server.stats.max_per_second = server.stats.max_reports_in_flight = 0
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), json.dumps(policy), mode], env=env,
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    if done.returncode:
        raise SystemExit(done.stderr)
    figures = json.loads(done.stdout.splitlines()[-1])
    reports = sum("/reports/" in path for path in server.stats.paths[paths:])
    figures["requests"] = server.stats.requests - before - reports
    figures["report_requests"] = reports
    figures["report_months"] = sum((last.year - first.year) * 12 + last.month - first.month + 1
                                   for first, last in server.stats.report_ranges[ranges:])
    figures.update(in_flight=server.stats.max_in_flight, per_second=server.stats.max_per_second,
                   rejected=server.stats.limit_rejections, reports_in_flight=server.stats.max_reports_in_flight)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures["cpu"] = usage.ru_utime + usage.ru_stime - children.ru_utime - children.ru_stime
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    server = LocalQuickBooks(Faults(latency=args.latency))
    server.load(REALM, generate(clients=args.clients, years=args.years, until=date(2026, 11, 22))
                .documents[0]["QueryResponse"])
    server.start()
    with tempfile.TemporaryDirectory() as folder:
        db = connected(server, Path(folder), "ours")
        ours = run(server, db, {})
        requests = ours["requests"]
        floor = max(requests / 10 * args.latency, requests / min(10, 500 / 60))
        burst = max((requests - 1) // 10 * max(1.0, args.latency), (requests - 1) // 500 * 60) + args.latency
        print(f"demo company: {args.clients} clients x {args.years} years, {args.latency * 1000:.0f} ms a request")
        print(f"  full sync: {ours['seconds']:.1f} s for {ours['records']:,} records in {requests} requests "
              f"({ours['pages']} pages); floor {floor:.1f} s -> {ours['seconds'] / floor:.2f}x the floor "
              f"(burst floor {burst:.1f} s -> {ours['seconds'] / burst:.2f}x); peak memory {ours['peak_rss_mb']:.0f} MB")
        print(f"    floor terms: requests/10 in flight x latency = {requests / 10 * args.latency:.1f} s, "
              f"requests/min(10 a second, 500 a minute) = {requests / min(10, 500 / 60):.1f} s")
        print(f"    the sync process used {ours['cpu']:.1f} s of CPU (sync and tie-out)")
        print(f"    then the tie-out's ProfitAndLoss: {ours['report_requests']} requests "
              f"({ours['report_months']} months asked for), at most {ours['reports_in_flight']} in flight, "
              f"{ours['profit_and_loss']:.1f} s (sync and tie-out {ours['with_tie_out']:.1f} s)")
        print(f"    the server saw at most {ours['in_flight']} in flight and {ours['per_second']} in one second; "
              f"{ours['rejected']} refused over a limit")
        edited = edit_one_percent(server)
        again = run(server, db, {}, mode="incremental")
        assert again["mode"] == "incremental", again
        print(f"  incremental sync after {edited:,} records (1%) were edited: {again['with_tie_out']:.1f} s in all; "
              f"the sync {again['seconds']:.1f} s ({again['requests']} requests, {again['records']:,} records), "
              f"then ProfitAndLoss {again['profit_and_loss']:.1f} s ({again['report_requests']} "
              f"requests, {again['report_months']} months asked for, at most {again['reports_in_flight']} in flight); "
              f"peak memory {again['peak_rss_mb']:.0f} MB; {again['rejected']} refused over a limit")
        if args.baseline:
            base = run(server, connected(server, Path(folder), "baseline"), {"concurrent": 1, "page_size": 200})
            print(f"  baseline (200 rows a page, one request at a time): {base['seconds']:.1f} s in "
                  f"{base['requests']} requests")
    server.stop()


if __name__ == "__main__":
    main()
