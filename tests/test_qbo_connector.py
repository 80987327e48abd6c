"""The QuickBooks Online connector against the local QuickBooks-compatible server."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import stat
import threading
import time
from decimal import Decimal


from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Authorizer, TokenStore
from ingest.qbo.client import SHORT_WAITS_ENV, Connection, Policy
from ingest.qbo import run
from ingest.qbo.run import run_sync
from ingest.qbo.sync import ENTITIES
from tests.helpers import cli, query, work_query, write_json
from tests.qbo_helpers import FAST, REALM, connected, start_server
from tests.server import free_port
from tests.stand_in.quickbooks import Faults

LINES = "select * exclude (description) from marts.fct_revenue_lines order by all"


def test_a_sync_gives_the_same_revenue_lines_as_loading_the_same_entities(synced, connected_qbo, tmp_path):
    company = {entity: list(records.values()) for entity, records in connected_qbo.company(REALM).records.items()}
    other = tmp_path / "loaded" / "w.duckdb"
    assert cli("load", write_json(tmp_path / "company.json", company), "--realm", REALM, "--db", other) == 0
    assert query(synced, LINES) == query(other, LINES)
    assert len(query(synced, LINES)) > 500


def test_the_token_file_is_private(synced):
    assert stat.S_IMODE(os.stat(qbo_config.tokens_path(synced)).st_mode) == 0o600


def test_edits_voids_and_deletes_arrive_with_the_next_sync(synced_small_company, connected_small_qbo):
    synced = synced_small_company
    company = connected_small_qbo.company(REALM)
    invoices = list(company.records["Invoice"].values())
    edited, voided, deleted = invoices[10], invoices[11], invoices[12]
    changed = dict(edited)
    changed["Line"] = [dict(edited["Line"][0], Amount=edited["Line"][0]["Amount"] + Decimal("100.00"))] + edited["Line"][1:]
    changed["TotalAmt"] = edited["TotalAmt"] + Decimal("100.00")
    company.upsert("Invoice", changed)
    company.void("Invoice", voided["Id"])
    company.delete("Invoice", deleted["Id"])
    before = dict(query(synced, "select document_id, sum(amount) from marts.fct_revenue_lines "
                                "where document_type = 'Invoice' group by 1"))
    run_sync(synced, None, full=False, policy=FAST)
    assert cli("build", "--db", synced) == 0
    after = dict(query(synced, "select document_id, sum(amount) from marts.fct_revenue_lines "
                               "where document_type = 'Invoice' group by 1"))
    assert after[edited["Id"]] == before[edited["Id"]] + Decimal("100.00")
    assert voided["Id"] not in after and deleted["Id"] not in after
    assert query(synced, "select failed_checks from marts.mart_build_info") == [([],)]  # ties out, QuickBooks too


def test_what_the_build_imports_is_ready_before_it_starts_and_its_failure_stops_nothing(synced_small_company):
    """`meanwhile` (the build's imports) runs while the sync waits on QuickBooks; the build starts once it is over, so
    two threads never import the same modules at once, and a failure there is left to the build's own imports."""
    events = []

    def meanwhile(con, held):
        time.sleep(0.5)  # longer than this sync's requests
        events.append("imported")
        raise ImportError("a module the build needs is missing")

    def then(con, result, tie_out):
        events.append("built")
        tie_out(con)

    result = run_sync(synced_small_company, None, full=False, policy=FAST, then=then, meanwhile=meanwhile)
    assert events == ["imported", "built"] and result.mode == "incremental" and not result.failed


def test_the_build_imports_run_on_the_sync_thread_once_its_first_requests_are_written(synced_small_company,
                                                                                   connected_small_qbo, monkeypatch):
    """`meanwhile` runs once, on the sync's own thread, once change data capture and TimeActivity's changes and count
    are written (a full sync's counts), while their answers are awaited: on a thread of its own, or while they were
    being written, it would hold up the sync's statements and the writing threads (each takes the interpreter back
    from it)."""
    connected_small_qbo.faults.latency = 0.5  # the answers come well after the requests are written
    made = []

    class Kept(Connection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(run, "Connection", Kept)
    seen = []

    def meanwhile(con, held):
        seen.append((made[0].requests, made[0].limiter.settled, threading.current_thread() is threading.main_thread()))

    result = run_sync(synced_small_company, None, full=False, policy=FAST, meanwhile=meanwhile)
    assert seen == [(3, 3, True)] and result.mode == "incremental" and not result.failed
    # a full sync: while its counts are in flight (ten at a time), once they are written or the first is answered
    made.clear()
    assert run_sync(synced_small_company, None, full=True, policy=FAST, meanwhile=meanwhile).mode == "full"
    requests, written, on_this_thread = seen[1]
    assert len(seen) == 2 and on_this_thread and FAST.concurrent <= written <= requests <= len(ENTITIES)  # no page yet


def test_a_full_sync_finds_deletes_by_comparing_ids(synced_small_company, connected_small_qbo):
    synced = synced_small_company
    company = connected_small_qbo.company(REALM)
    gone = list(company.records["Customer"])[-1]
    del company.records["Customer"][gone]  # deleted long ago: change data capture no longer tells
    run_sync(synced, None, full=True, policy=FAST)
    assert work_query(synced, "select count(*) from staging.stg_qbo__customers where customer_id = ?", [gone]) == [(1,)]
    assert cli("build", "--db", synced) == 0
    assert work_query(synced, "select count(*) from staging.stg_qbo__customers where customer_id = ?", [gone]) == [(0,)]


def test_the_tie_out_reports_the_difference_when_quickbooks_disagrees(synced_small_company, connected_small_qbo, capsys):
    synced = synced_small_company
    connected_small_qbo.company(REALM).pnl_adjustments[("2026-10-01", "4")] = Decimal("123.45")
    run_sync(synced, None, full=True, policy=FAST)
    assert cli("build", "--db", synced) == 1
    assert query(synced, "select month, account, quickbooks - ours from marts.mart_tie_out where difference <> 0") == [
        (__import__("datetime").date(2026, 10, 1), "Labor - Hourly", Decimal("123.45"))]
    capsys.readouterr()
    assert cli("status", "--db", synced) == 0
    assert "2026-10 Labor - Hourly" in capsys.readouterr().out


def test_the_rotated_refresh_token_is_on_disk_before_it_is_used(db, monkeypatch):
    server = start_server(faults=Faults(expire_token_after=8))
    try:
        connected(db, server, free_port(), monkeypatch)
        from ingest.qbo.client import QboClient

        sent, original = [], QboClient.process_request

        def checked(self, *args, **kwargs):
            on_disk = json.loads(qbo_config.tokens_path(db).read_text())[REALM]
            assert on_disk["access_token"] == self.authorizer.access_token  # what is sent is what is saved
            sent.append(on_disk["refresh_token"])
            return original(self, *args, **kwargs)

        monkeypatch.setattr(QboClient, "process_request", checked)
        run_sync(db, None, full=False, policy=FAST)
        assert server.stats.refreshes == 1 and len(set(sent)) == 2
        assert sent[-1] in server.refresh_tokens  # the saved one is the one QuickBooks will accept next
    finally:
        server.stop()


def test_two_refreshes_at_once_refresh_once(db, connected_qbo):
    config = qbo_config.load(db)
    first = Authorizer(config, TokenStore(qbo_config.tokens_path(db)), None)
    second = Authorizer(config, TokenStore(qbo_config.tokens_path(db)), None)
    rejected = first.access_token
    threads = [threading.Thread(target=a.refresh, args=(rejected,)) for a in (first, second)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert connected_qbo.stats.refreshes == 1
    assert first.access_token == second.access_token != rejected


def expire_access_token(db, server) -> None:
    """The access token an hour old, as a nightly sync finds it: expired in the token file and in QuickBooks."""
    path = qbo_config.tokens_path(db)
    stored = json.loads(path.read_text())
    stored[REALM]["access_expires_at"] = time.time() - 60
    path.write_text(json.dumps(stored))
    server.access_tokens.clear()


def test_an_expired_access_token_is_refreshed_before_the_first_request(synced, connected_qbo):
    """Not after QuickBooks answers 401: that round trip only said what the token file already did (issue 25)."""
    expire_access_token(synced, connected_qbo)
    assert cli("sync", "--db", synced) == 0
    assert connected_qbo.stats.refreshes == 1
    assert connected_qbo.stats.by_status[401] == 0
    assert TokenStore(qbo_config.tokens_path(synced)).get(REALM).access_expires_at > time.time() + 3000


def test_a_stale_refresh_token_asks_to_reconnect(db, connected_qbo, capsys):
    path = qbo_config.tokens_path(db)
    stored = json.loads(path.read_text())
    stored[REALM]["refresh_token"] = "rt-stale"
    path.write_text(json.dumps(stored))
    connected_qbo.access_tokens.clear()  # the access token has expired
    assert cli("sync", "--db", db) == 1
    assert "reconnect needed: run ./msp-revenue connect" in capsys.readouterr().err


def test_an_expired_access_token_with_a_stale_refresh_token_asks_to_reconnect_before_any_request(
        db, connected_qbo, capsys):
    expire_access_token(db, connected_qbo)
    path = qbo_config.tokens_path(db)
    stored = json.loads(path.read_text())
    stored[REALM]["refresh_token"] = "rt-stale"
    path.write_text(json.dumps(stored))
    assert cli("sync", "--db", db) == 1
    assert "reconnect needed: run ./msp-revenue connect" in capsys.readouterr().err
    assert not [p for p in connected_qbo.stats.paths if p.startswith("/v3/")]


def test_no_token_or_secret_reaches_a_log_line_or_an_error(db, monkeypatch, caplog, capsys):
    server = start_server(faults=Faults(throttle=0.1, server_error=0.05, expire_token_after=10, seed=2))
    try:
        caplog.set_level(logging.DEBUG)
        connected(db, server, free_port(), monkeypatch)
        run_sync(db, None, full=False, policy=FAST)
        server.refresh_tokens.clear()
        server.access_tokens.clear()
        assert cli("sync", "--db", db) == 1  # and an error message
        captured = capsys.readouterr()
        text = caplog.text + captured.err + captured.out
        issued = [t for t in json.loads(qbo_config.tokens_path(db).read_text())[REALM].values() if isinstance(t, str)]
        secrets = [server.client_secret] + [t for t in issued if t.startswith(("at-", "rt-"))]
        assert secrets[1:] and all(secret not in text for secret in secrets)
        assert "reconnect needed" in captured.err
    finally:
        server.stop()


def test_not_connected_and_missing_credentials_say_what_to_do(db, monkeypatch, capsys):
    for key in ("MSP_REVENUE_QBO_CLIENT_ID", "MSP_REVENUE_QBO_CLIENT_SECRET"):
        monkeypatch.delenv(key, raising=False)
    assert cli("sync", "--db", db) == 1
    assert "no QuickBooks app credentials" in capsys.readouterr().err
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_ID", "x")
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_SECRET", "y")
    assert cli("sync", "--db", db) == 1
    assert "no QuickBooks company is connected: run ./msp-revenue connect" in capsys.readouterr().err


def test_the_month_end_tie_out_sheet_compares_with_quickbooks(synced, connected_qbo, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "october.xlsx"
    assert cli("export", "month-end", "--month", "2026-10", "--out", out, "--db", synced) == 0
    rows = [[c.value for c in row] for row in load_workbook(out)["Tie-out"].iter_rows()]
    assert ["Income account", "QuickBooks ProfitAndLoss", "Ours", "Difference"] in [r[:4] for r in rows]
    assert all(Decimal(str(r[3])) == 0 for r in rows if r[0] in ("Labor - Hourly", "Managed Services", "Hardware"))


def test_only_the_waits_shorten_for_the_tests(monkeypatch):
    """The suite sets MSP_REVENUE_QBO_SHORT_WAITS so that a throttled command-line sync does not sleep 60 s;
    nothing else of Intuit's numbers moves, and without it (or with any other value) nothing does."""
    production = Policy()
    assert (production.throttle_wait, production.backoff) == (60.0, 1.0)
    monkeypatch.setenv(SHORT_WAITS_ENV, "1")
    short = Policy.from_environment()
    assert short.throttle_wait < 1 and short.backoff < 1
    assert dataclasses.replace(short, throttle_wait=60.0, backoff=1.0) == production
    assert Connection(None, "http://127.0.0.1:9/v3").policy == short
    for value in ("0", "yes", ""):
        monkeypatch.setenv(SHORT_WAITS_ENV, value)
        assert Policy.from_environment() == production
    monkeypatch.delenv(SHORT_WAITS_ENV)
    assert Policy.from_environment() == production == Connection(None, "http://127.0.0.1:9/v3").policy
