"""The change-data-capture cursor keeps QuickBooks' time, never ours: edits made in QuickBooks between
two syncs, or while a pass runs, arrive with the next sync however far our clock is from QuickBooks',
and a cursor QuickBooks' clock has not reached yet (or no longer reaches back to) means a full sync."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests

from ingest import writer
from ingest.qbo import run as run_module, sync as sync_module
from ingest.qbo.client import Connection
from ingest.qbo.run import run_sync
from tests.qbo_helpers import FAST, ONE_AT_A_TIME, REALM, raw, sent_requests, start_server

NOTE = "edited in QuickBooks"


def our_clock(monkeypatch, shift: timedelta) -> None:
    """This machine's clock `shift` away from QuickBooks' (the stand-in keeps its own clock)."""
    class Shifted(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + shift

    for module in (sync_module, run_module, writer):
        monkeypatch.setattr(module, "datetime", Shifted)


def edit(server, entity: str = "Invoice", index: int = 5) -> str:
    """Edit one record in QuickBooks (a new SyncToken and LastUpdatedTime, by QuickBooks' clock)."""
    company = server.company(REALM)
    record = dict(company.records[entity][sorted(company.records[entity], key=int)[index]])
    record["PrivateNote"] = NOTE
    return company.upsert(entity, record)["Id"]


def stored_note(db, entity_table: str, record_id: str) -> str | None:
    (payload,) = raw(db, f"select payload from raw.{entity_table} where id = ?", [record_id])[0]
    return NOTE if NOTE in payload else None


def cursor(db) -> datetime:
    return datetime.fromisoformat(raw(db, "select cursor from raw.sync_state where entity = '_cdc'")[0][0])


# -- the stand-in answers by its own clock, as QuickBooks does -----------------------------------------

def envelope_times(server) -> dict[str, datetime]:
    """QuickBooks' time on every kind of answer the connector reads: data, faults and the HTTP Date."""
    token = server.issue_tokens(REALM)["access_token"]

    def call(method: str, path: str, bearer: str = token, **kwargs) -> requests.Response:
        return requests.request(method, f"{server.api_url}/company/{REALM}/{path}", timeout=10,
                                headers={"Authorization": f"Bearer {bearer}", "Accept": "application/json"}, **kwargs)

    since = (server.clock() - timedelta(days=1)).isoformat(timespec="seconds")
    page = call("POST", "query", data="SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 5")
    answers = {"query": page.json()["time"],
               "count": call("POST", "query", data="SELECT COUNT(*) FROM Invoice").json()["time"],
               "cdc": call("GET", "cdc", params={"entities": "Invoice", "changedSince": since}).json()["time"],
               "report": call("GET", "reports/ProfitAndLoss",
                              params={"start_date": "2026-01-01", "end_date": "2026-01-31"}).json()["Header"]["Time"],
               "400": call("POST", "query", data="SELECT * FROM Custmoer").json()["time"],
               "401": datetime.fromtimestamp(call("POST", "query", bearer="at-expired", data="SELECT * FROM Item")
                                             .json()["time"] / 1000, timezone.utc).isoformat(),
               "Date": datetime.strptime(page.headers["Date"], "%a, %d %b %Y %H:%M:%S GMT")
               .replace(tzinfo=timezone.utc).isoformat()}
    server.faults.server_error = 1.0
    answers["503"] = call("POST", "query", data="SELECT * FROM Item").json()["time"]
    server.faults.server_error, server.faults.throttle = 0.0, 1.0
    answers["429"] = re.search(r'time="([^"]+)"', call("POST", "query", data="SELECT * FROM Item").text)[1]
    server.faults.throttle = 0.0
    return {kind: datetime.fromisoformat(text) for kind, text in answers.items()}


def test_every_answer_carries_quickbooks_time_not_the_machines():
    server = start_server(clients=2, years=1)
    try:
        server.clock_offset = timedelta(hours=-5)  # QuickBooks' clock five hours behind this machine's
        times = envelope_times(server)
        machine, quickbooks = datetime.now(timezone.utc), server.clock()
        assert {kind for kind, at in times.items() if abs(at - quickbooks) > timedelta(seconds=5)} == set()
        assert all(machine - at > timedelta(hours=4) for at in times.values())
    finally:
        server.stop()


# -- edits between two syncs, whatever our clock says ---------------------------------------------------

@pytest.mark.parametrize("shift", [timedelta(minutes=7), timedelta(hours=9), timedelta(hours=-9),
                                   timedelta(days=40), timedelta(days=-40)],
                         ids=["7 min ahead", "9 h ahead", "9 h behind", "40 days ahead", "40 days behind"])
def test_an_edit_between_two_syncs_arrives_however_far_our_clock_is(db, connected_small_qbo, monkeypatch, shift):
    our_clock(monkeypatch, shift)
    run_sync(db, None, full=False, policy=FAST)
    first = cursor(db)
    assert first <= connected_small_qbo.clock()
    edited = edit(connected_small_qbo)
    sent = sent_requests(monkeypatch)
    result = run_sync(db, None, full=False, policy=FAST)
    assert result.mode == "incremental" and not result.failed
    assert result.records == {"Invoice": 1} and stored_note(db, "invoices", edited) == NOTE
    since = [params["changedSince"] for _, _, params in sent if "changedSince" in params]
    assert since == [first.isoformat(timespec="seconds")]  # the cursor QuickBooks' clock gave, in whole seconds
    assert first < cursor(db) <= connected_small_qbo.clock()
    assert nothing_read_again(db, connected_small_qbo)


def nothing_read_again(db, server) -> bool:
    """With no edits, syncs stop reading anything. A cursor is sent in whole seconds, rounded down, so a
    sync may read again what changed in the second its cursor falls in; one a second later reads nothing.
    That second passes on QuickBooks' clock, the only one a cursor keeps: moved on, not waited for."""
    server.clock_offset += timedelta(seconds=1.1)
    results = [run_sync(db, None, full=False, policy=FAST) for _ in range(2)]
    return all(r.mode == "incremental" and not r.failed for r in results) and results[-1].records == {}


# -- edits while a pass runs ----------------------------------------------------------------------------

def test_an_edit_during_a_full_pass_arrives_with_the_next_sync(db, connected_qbo, monkeypatch):
    company = connected_qbo.company(REALM)
    first_page = sorted(company.records["Invoice"], key=int)[3]
    answered = {}

    def edit_after_page_two(c, entity, number, records) -> None:
        if (entity, number) == ("Invoice", 2) and not answered:
            answered["at"] = connected_qbo.clock()
            edit(connected_qbo, index=3)  # on page 1, which QuickBooks has already answered

    connected_qbo.faults.after_page = edit_after_page_two
    run_sync(db, None, full=True, policy=ONE_AT_A_TIME)
    assert stored_note(db, "invoices", first_page) is None and cursor(db) < answered["at"]
    result = run_sync(db, None, full=False, policy=FAST)
    assert result.records.get("Invoice") == 1 and stored_note(db, "invoices", first_page) == NOTE


def test_an_edit_while_an_incremental_sync_reads_time_activities_arrives_next_time(synced, connected_qbo, monkeypatch):
    edit(connected_qbo, "TimeActivity", 1)  # the incremental sync reads TimeActivity pages as well
    edited, answered, changes = {}, threading.Event(), connected_qbo.cdc

    def change_data_capture(*args):
        found = changes(*args)
        answered.set()
        return found

    def edit_an_invoice(c, entity, number, records) -> None:
        # TimeActivity is asked for while change data capture is: the edit waits for its answer, so change data
        # capture's "time" is earlier than the edit and the TimeActivity page's later
        if entity == "TimeActivity" and not edited:
            assert answered.wait(10)
            edited["id"] = edit(connected_qbo)

    monkeypatch.setattr(connected_qbo, "cdc", change_data_capture)

    connected_qbo.faults.after_page = edit_an_invoice
    run_sync(synced, None, full=False, policy=FAST)
    assert stored_note(synced, "invoices", edited["id"]) is None
    connected_qbo.faults.after_page = None
    result = run_sync(synced, None, full=False, policy=FAST)
    assert result.records.get("Invoice") == 1 and stored_note(synced, "invoices", edited["id"]) == NOTE


# -- QuickBooks' clock apart from the cursor -----------------------------------------------------------

def test_a_cursor_ahead_of_quickbooks_clock_means_a_full_sync_not_a_lost_edit(db, connected_small_qbo):
    connected_small_qbo.clock_offset = timedelta(hours=2)  # the answers of this sync came from a clock two hours fast
    run_sync(db, None, full=False, policy=FAST)
    connected_small_qbo.clock_offset = timedelta(0)  # QuickBooks' clock corrected: the stored cursor is ahead of it
    edited = edit(connected_small_qbo)
    result = run_sync(db, None, full=False, policy=FAST)
    assert stored_note(db, "invoices", edited) == NOTE
    assert result.mode == "full" and not result.failed
    assert cursor(db) <= connected_small_qbo.clock()  # never past QuickBooks' own time
    assert nothing_read_again(db, connected_small_qbo)


def test_a_cursor_older_than_30_days_by_quickbooks_clock_means_a_full_sync(synced, connected_qbo, monkeypatch):
    connected_qbo.clock_offset = timedelta(days=31)  # 31 days on, by QuickBooks' clock; ours has not moved
    edited = edit(connected_qbo)
    result = run_sync(synced, None, full=False, policy=FAST)
    assert result.mode == "full" and not result.failed
    assert stored_note(synced, "invoices", edited) == NOTE
    assert nothing_read_again(synced, connected_qbo)


# -- answers without QuickBooks' time -------------------------------------------------------------------

def test_an_answer_without_quickbooks_time_leaves_the_cursor_where_it_was(synced, connected_qbo, monkeypatch):
    before = cursor(synced)
    edited = edit(connected_qbo)
    original = Connection.cdc

    def old_shape(self, entities, changed_since):  # an envelope as some old recordings have it: no "time"
        answer = original(self, entities, changed_since)
        answer.pop("time")
        return answer

    monkeypatch.setattr(Connection, "cdc", old_shape)
    result = run_sync(synced, None, full=False, policy=FAST)
    assert result.records == {"Invoice": 1} and stored_note(synced, "invoices", edited) == NOTE
    assert cursor(synced) == before  # reading the same changes again is safe; skipping some is not
