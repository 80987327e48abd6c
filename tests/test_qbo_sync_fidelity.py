"""Sync fidelity against the local QuickBooks stand-in: the cursors QuickBooks is sent, deletes only
when QuickBooks confirms them, its per-second limit (under a fault storm too, whose result must be the calm
sync's), deleted time activities, one refused entity, and errors a person can act on."""
from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path

import pytest

from ingest.qbo.run import run_sync
from ingest.qbo.sync import ENTITIES, MAX_REPASSES
from models.warehouse import entities as catalog
from tests.helpers import checksums, cli, copied_warehouse, query
from tests.qbo_helpers import (FAST, ONE_AT_A_TIME, PACED, REALM, STORM_POLICY, connected, raw, sent_requests,
                               start_server, storm_faults)
from tests.server import free_port
from tests.stand_in.quickbooks import NOT_IN_CDC, Faults, LocalQuickBooks

WHOLE_SECONDS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def deleted_flags(db, entity: str, ids: list[str]) -> dict[str, bool]:
    table = catalog.BY_NAME[entity].table
    return dict(raw(db, f"select id, deleted from raw.{table} where list_contains(?, id)", [ids]))


def delete_after_first_page(server, entity: str) -> tuple[str, str]:
    """Delete the 11th record of `entity` once QuickBooks has built the first page of a pass (so it is on
    page 1); returns (that record, the first record of page 2, which the delete shifts onto page 1)."""
    ids = sorted(server.company(REALM).records[entity], key=int)
    assert len(ids) > 2 * FAST.page_size
    gone = ids[10]

    def after_page(company, name, number, records) -> None:
        if (name, number) == (entity, 1) and len(records) == FAST.page_size and gone in company.records[entity]:
            if entity in NOT_IN_CDC:
                del company.records[entity][gone]  # QuickBooks keeps no trace of it
            else:
                company.delete(entity, gone)

    server.faults.after_page = after_page
    return gone, ids[FAST.page_size]


# -- 1. cursors --------------------------------------------------------------------------------------

def test_cursors_are_sent_in_whole_seconds_with_an_offset(synced, connected_qbo, monkeypatch):
    (cursor,) = raw(synced, "select cursor from raw.sync_state where entity = '_cdc'")[0]
    # QuickBooks' own "time" carries milliseconds (2020-09-29T08:02:53.512-07:00); peers send whole seconds
    precise = cursor[:19] + ".912" + cursor[-6:]
    raw(synced, "update raw.sync_state set cursor = ? where entity = '_cdc'", [precise])
    sent = sent_requests(monkeypatch)
    run_sync(synced, None, full=False, policy=FAST)
    since = [params["changedSince"] for _, _, params in sent if "changedSince" in params]
    stamps = [m for _, body, _ in sent for m in re.findall(r"LastUpdatedTime >=? '([^']+)'", body)]
    assert since and stamps
    assert all(WHOLE_SECONDS.match(s) for s in since + stamps), since + stamps
    assert since[0] == cursor[:19] + cursor[-6:]  # the second the cursor falls in, never a later one


# -- 2. deletes during a full sync -------------------------------------------------------------------

def test_a_delete_during_a_full_sync_marks_only_that_record_deleted(synced, connected_qbo):
    gone, shifted = delete_after_first_page(connected_qbo, "Invoice")
    run_sync(synced, None, full=True, policy=ONE_AT_A_TIME)
    assert deleted_flags(synced, "Invoice", [shifted]) == {shifted: False}
    # the delete came after the pass read `gone`: change data capture since the pass began tells
    run_sync(synced, None, full=False, policy=FAST)
    assert deleted_flags(synced, "Invoice", [gone, shifted]) == {gone: True, shifted: False}


def test_a_full_sync_still_deletes_what_quickbooks_no_longer_has(synced, connected_qbo):
    company = connected_qbo.company(REALM)
    gone = sorted(company.records["Invoice"], key=int)[5]
    del company.records["Invoice"][gone]  # deleted long ago: change data capture no longer tells
    result = run_sync(synced, None, full=True, policy=FAST)
    assert result.deleted == {"Invoice": 1}
    assert deleted_flags(synced, "Invoice", [gone]) == {gone: True}



def with_invoices(server, total: int) -> dict[str, dict]:
    """The company's invoices, copied under new Ids (and document numbers) until there are `total`: a
    company big enough for a first full sync of many pages."""
    invoices = server.company(REALM).records["Invoice"]
    originals, next_id = list(invoices.values()), max(int(i) for i in invoices) + 1
    while len(invoices) < total:
        copy = dict(originals[len(invoices) % len(originals)], Id=str(next_id), DocNumber=f"C{next_id}")
        invoices[copy["Id"]] = copy
        next_id += 1
    return invoices


def stored_invoices(db) -> set[str]:
    return {row[0] for row in raw(db, "select id from raw.invoices where not deleted")}


def test_a_delete_during_the_first_full_sync_skips_no_record(db, connected_qbo):
    """2,300 invoices, pages of 100 read one after the other; the 11th invoice is deleted once QuickBooks
    has built page 1. Offset paging then serves page 2 from position 101 of what is left, so the 101st
    invoice (now 100th) is on no page: before the pass was checked against QuickBooks' count, the first
    sync never stored it and no change data capture would ever report it. Every invoice QuickBooks still
    has must be in the warehouse, and revenue must tie out to QuickBooks' ProfitAndLoss."""
    invoices = with_invoices(connected_qbo, 2300)
    gone, skipped = delete_after_first_page(connected_qbo, "Invoice")
    result = run_sync(db, None, full=False, policy=ONE_AT_A_TIME)
    assert result.mode == "full" and not result.failed
    assert gone not in invoices and skipped in invoices
    assert stored_invoices(db) - {gone} == set(invoices)
    # `gone` was read before its delete: change data capture reports it to the next sync
    assert run_sync(db, None, full=False, policy=FAST).mode == "incremental"
    assert stored_invoices(db) == set(invoices)
    assert cli("build", "--db", db) == 0
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]  # revenue = QuickBooks' income


def test_an_entity_that_keeps_changing_is_reported_and_read_whole_by_the_next_sync(db, connected_qbo, caplog):
    """A delete during every pass of Invoice: after the first pass and MAX_REPASSES more, the sync stops
    reading it and says so, naming it; the other entities are synced; the next sync reads it whole."""
    with_invoices(connected_qbo, 300)
    connected_qbo.faults.after_page = lambda company, name, number, records: \
        company.delete(name, records[0]["Id"]) if (name, number) == ("Invoice", 1) and records else None
    result = run_sync(db, None, full=False, policy=ONE_AT_A_TIME)
    assert list(result.failed) == ["Invoice"]
    assert result.failed["Invoice"].startswith(f"Invoice changed in QuickBooks while it was read, {MAX_REPASSES + 1} "
                                               "passes in a row")
    assert result.records["Customer"] == len(connected_qbo.company(REALM).records["Customer"])
    assert raw(db, "select count(*) from raw.invoices where deleted")[0][0] == 0  # nothing marked deleted
    connected_qbo.faults.after_page = None
    assert run_sync(db, None, full=False, policy=FAST).failed == {}
    assert stored_invoices(db) == set(connected_qbo.company(REALM).records["Invoice"])



def queries_of(sent, entity: str) -> list[str]:
    """The queries of `entity` the connector sent, in the order they started."""
    return [body for _, body, _ in sorted(sent, key=lambda s: s[0]) if re.search(rf"FROM {entity}\b", body)]


def test_a_full_sync_reads_an_entity_of_less_than_a_page_in_one_request(db, connected_qbo, monkeypatch):
    """A first page shorter than a page is the entity whole: no count is asked for it. A bigger entity's first
    page is followed by its count and a pass that reads that page again, the pass checked against the count."""
    sent = sent_requests(monkeypatch)
    result = run_sync(db, None, full=True, policy=ONE_AT_A_TIME)
    assert result.failed == {}
    records = {entity: len(ids) for entity, ids in connected_qbo.company(REALM).records.items()}
    assert records["Customer"] < FAST.page_size < records["Invoice"]
    assert queries_of(sent, "Customer") == ["SELECT * FROM Customer WHERE Active IN (true,false) ORDERBY Id "
                                            f"STARTPOSITION 1 MAXRESULTS {FAST.page_size}"]
    pages = -(-records["Invoice"] // FAST.page_size)
    assert queries_of(sent, "Invoice") == [f"SELECT * FROM Invoice ORDERBY Id STARTPOSITION 1 MAXRESULTS {FAST.page_size}",
                                           "SELECT COUNT(*) FROM Invoice"] + \
        [f"SELECT * FROM Invoice ORDERBY Id STARTPOSITION {p * FAST.page_size + 1} MAXRESULTS {FAST.page_size}"
         for p in range(pages)]
    # one request an entity of less than a page, its first page, its count and its pass for each of the others
    assert len([1 for _, body, _ in sent if body.startswith("SELECT")]) == \
        sum(1 if n < FAST.page_size else 2 + -(-n // FAST.page_size) for n in (records.get(e, 0) for e in ENTITIES))
    assert stored_invoices(db) == set(connected_qbo.company(REALM).records["Invoice"])
    assert result.records["Customer"] == records["Customer"]


def test_an_entity_that_grew_past_a_page_since_the_last_sync_is_counted_and_read_whole(synced, connected_qbo,
                                                                                      monkeypatch):
    customers = connected_qbo.company(REALM).records["Customer"]
    original, next_id = next(iter(customers.values())), 900_000  # past every Id (a job's is '5003-J')
    while len(customers) < 2 * FAST.page_size + 50:
        customers[str(next_id)] = dict(original, Id=str(next_id), DisplayName=f"Grown {next_id}")
        next_id += 1
    sent = sent_requests(monkeypatch)
    result = run_sync(synced, None, full=True, policy=FAST)
    assert result.failed == {} and result.deleted == {}
    assert "SELECT COUNT(*) FROM Customer WHERE Active IN (true,false)" in queries_of(sent, "Customer")
    assert {row[0] for row in raw(synced, "select id from raw.customers where not deleted")} == set(customers)


def pass_delete(server, entity: str, serving: int, trace: bool) -> tuple[str, str]:
    """Delete the 11th record of `entity` once QuickBooks has built its full first page for the `serving`-th time
    (1: the page asked for before the count; 2: the first page of the pass); `trace`: whether change data
    capture reports it. Returns (that record, the first record of page 2, which the delete shifts onto page 1)."""
    ids = sorted(server.company(REALM).records[entity], key=int)
    gone, served = ids[10], []

    def after_page(company, name, number, records) -> None:
        if (name, number) == (entity, 1) and len(records) == FAST.page_size:
            served.append(number)
            if len(served) == serving:
                company.delete(entity, gone) if trace else company.records[entity].pop(gone)

    server.faults.after_page = after_page
    return gone, ids[FAST.page_size]


def test_a_delete_during_the_pass_after_the_first_page_skips_no_record(db, connected_qbo):
    """The delete lands once the pass has read its first page (asked for again after the count): the record it
    shifts onto that page is read by a second pass."""
    invoices = connected_qbo.company(REALM).records["Invoice"]
    gone, shifted = pass_delete(connected_qbo, "Invoice", 2, trace=True)
    result = run_sync(db, None, full=False, policy=ONE_AT_A_TIME)
    assert result.mode == "full" and result.failed == {}
    assert gone not in invoices and shifted in invoices
    assert stored_invoices(db) - {gone} == set(invoices)


def test_a_record_deleted_between_the_first_page_and_the_count_is_marked_deleted_by_the_full_sync(synced,
                                                                                               connected_qbo):
    """The early first page of an entity that is counted is not what its pass read: a record on it that is gone
    by the count (and that change data capture never reports) is marked deleted by this sync."""
    gone, shifted = pass_delete(connected_qbo, "Invoice", 1, trace=False)
    result = run_sync(synced, None, full=True, policy=ONE_AT_A_TIME)
    assert result.failed == {} and result.deleted == {"Invoice": 1}
    assert deleted_flags(synced, "Invoice", [gone, shifted]) == {gone: True, shifted: False}



def test_a_count_that_disagrees_with_the_pages_costs_one_pass_not_the_entity(db, connected_small_qbo, monkeypatch):
    """Should QuickBooks count one invoice more than its pages ever return, nothing changed between two
    passes that read the same Ids (a skip needs a delete of a record already read, which a second pass
    cannot read again): the entity is read whole after two passes, not reported as changing."""
    answer = connected_small_qbo.query

    def miscounted(realm, text):
        found = answer(realm, text)
        if text.startswith("SELECT COUNT(*) FROM Invoice"):
            found["QueryResponse"]["totalCount"] += 1
        return found

    monkeypatch.setattr(connected_small_qbo, "query", miscounted)
    result = run_sync(db, None, full=False, policy=FAST)
    assert result.failed == {}
    assert stored_invoices(db) == set(connected_small_qbo.company(REALM).records["Invoice"])


# -- 3. ten requests a second ------------------------------------------------------------------------

def assert_ten_a_second(starts: list[float]) -> None:
    starts = sorted(starts)
    assert len(starts) > 20
    crowded = [round(b - a, 3) for a, b in zip(starts, starts[10:]) if b - a < 1.0]
    assert not crowded, f"11 requests started within {min(crowded)} s"


def test_no_more_than_ten_requests_start_in_any_second(db, connected_qbo, monkeypatch):
    sent = sent_requests(monkeypatch)
    run_sync(db, None, full=True, policy=PACED)
    assert_ten_a_second([started for started, _, _ in sent])


@dataclasses.dataclass
class Storm:
    db: Path  # the warehouse after its first sync through the storm
    server: LocalQuickBooks  # the paced stand-in that raised it, stopped: its counters
    starts: list[float]  # when each data request started


@pytest.fixture(scope="module")
def fault_storm(tmp_path_factory) -> Storm:
    """A first sync of connected_qbo's company through the fault storm, against the paced stand-in, once for the
    tests about it: at Intuit's ten a second it takes some 9 s, and each test asks something else of the same
    sync (its pacing; what it stored and what it met). A test that writes to its warehouse copies it."""
    db = tmp_path_factory.mktemp("fault-storm") / "wh" / "warehouse.duckdb"
    storm = start_server(faults=storm_faults(), paced=True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            connected(db, storm, free_port(), patch)
            sent = sent_requests(patch)
            run_sync(db, None, full=False, policy=STORM_POLICY)
    finally:
        storm.stop()
    return Storm(db, storm, [started for started, _, _ in sent])


def test_ten_a_second_holds_under_the_fault_storm(fault_storm):
    assert_ten_a_second(fault_storm.starts)
    assert fault_storm.server.stats.limit_rejections == 0 and fault_storm.server.stats.max_per_second <= 10


def test_a_fault_storm_gives_the_same_result_within_the_limits(fault_storm, first_sync, tmp_path):
    reference = copied_warehouse(first_sync, tmp_path / "calm")  # the same company synced without a fault
    assert checksums(fault_storm.db) == checksums(reference)
    stats = fault_storm.server.stats
    assert stats.by_status[429] >= 5 and stats.by_status[503] >= 1 and stats.by_status[401] >= 1
    assert stats.refreshes == 1 and "truncate" in fault_storm.server._once and "hang" in fault_storm.server._once
    assert stats.limit_rejections == 0 and stats.max_in_flight <= 10 and stats.max_per_minute <= 500


def test_an_incremental_sync_sends_its_independent_requests_together(synced, connected_qbo):
    """Change data capture, TimeActivity's changes and TimeActivity's count wait for no answer of one another:
    all three are in flight at once (nothing changed, so no ProfitAndLoss follows)."""
    connected_qbo.faults.latency = 0.5  # each answer takes long enough for the others to be sent meanwhile
    connected_qbo.stats.max_in_flight = 0
    result = run_sync(synced, None, full=False, policy=FAST)
    assert result.mode == "incremental" and connected_qbo.stats.max_in_flight == 3


# -- 4. deleted time activities ----------------------------------------------------------------------

def test_a_deleted_time_activity_leaves_on_an_incremental_sync(synced, connected_qbo):
    company = connected_qbo.company(REALM)
    gone = sorted(company.records["TimeActivity"], key=int)[3]
    del company.records["TimeActivity"][gone]  # change data capture does not cover TimeActivity
    result = run_sync(synced, None, full=False, policy=FAST)
    assert result.mode == "incremental" and result.deleted == {"TimeActivity": 1}
    assert deleted_flags(synced, "TimeActivity", [gone]) == {gone: True}
    live = raw(synced, "select count(*) from raw.time_activities where not deleted")[0][0]
    assert live == len(company.records["TimeActivity"])


def test_a_time_activity_shifted_between_pages_is_not_deleted(synced, connected_qbo):
    company = connected_qbo.company(REALM)
    earlier = sorted(company.records["TimeActivity"], key=int)[-1]
    del company.records["TimeActivity"][earlier]  # the counts differ: this sync reads TimeActivity whole
    gone, shifted = delete_after_first_page(connected_qbo, "TimeActivity")
    run_sync(synced, None, full=False, policy=ONE_AT_A_TIME)
    assert deleted_flags(synced, "TimeActivity", [earlier, shifted]) == {earlier: True, shifted: False}
    run_sync(synced, None, full=False, policy=FAST)  # the counts differ again: `gone` is found
    assert deleted_flags(synced, "TimeActivity", [gone, shifted]) == {gone: True, shifted: False}


# -- 5. one refused entity ---------------------------------------------------------------------------

DETAIL = "QueryValidationError: property 'Active' is not queryable"


def test_a_refused_entity_is_reported_and_the_others_sync(db, connected_small_qbo, caplog):
    connected_small_qbo.faults.query_faults = {"Class": DETAIL}
    result = run_sync(db, None, full=False, policy=FAST)
    assert list(result.failed) == ["Class"]
    assert "HTTP 400" in result.failed["Class"] and "code 4001: Invalid query" in result.failed["Class"]
    assert DETAIL in result.failed["Class"] and "intuit_tid 1-" in result.failed["Class"]
    assert result.records["Invoice"] == len(connected_small_qbo.company(REALM).records["Invoice"])
    assert raw(db, "select count(*) from raw.classes")[0][0] == 0
    assert "Class" in caplog.text and "sync incomplete" in caplog.text

    connected_small_qbo.faults.query_faults = {}  # QuickBooks answers again: the next (incremental) sync reads Class whole
    again = run_sync(db, None, full=False, policy=FAST)
    assert again.mode == "incremental" and not again.failed
    assert raw(db, "select count(*) from raw.classes")[0][0] == len(connected_small_qbo.company(REALM).records["Class"]) > 0
    # and Class follows the shared cursor again: its own is gone, as every other entity's is
    assert raw(db, "select entity from raw.sync_state where realm_id = ? and entity <> '_cdc'", [REALM]) == []


def test_a_refused_entity_keeps_its_cursor_on_an_incremental_sync(synced, connected_qbo):
    (before,) = raw(synced, "select cursor from raw.sync_state where entity = '_cdc'")[0]
    company = connected_qbo.company(REALM)
    invoice = dict(company.records["Invoice"][sorted(company.records["Invoice"], key=int)[0]])
    company.upsert("Invoice", invoice)
    connected_qbo.faults.query_faults = {"TimeActivity": DETAIL}
    result = run_sync(synced, None, full=False, policy=FAST)
    assert list(result.failed) == ["TimeActivity"] and result.records.get("Invoice") == 1
    cursors = dict(raw(synced, "select entity, cursor from raw.sync_state"))
    assert cursors["TimeActivity"] == before and cursors["_cdc"] != before


def test_the_sync_command_fails_with_a_summary_when_an_entity_was_refused(synced, connected_qbo, caplog):
    connected_qbo.faults.query_faults = {"TimeActivity": DETAIL}  # read by query on an incremental sync as well
    assert cli("sync", "--db", synced) == 1
    assert "sync incomplete" in caplog.text and "TimeActivity" in caplog.text


# -- 6. errors a person can act on -------------------------------------------------------------------

def test_discovery_unreachable_is_one_line_naming_the_host(db, connected_qbo, monkeypatch, capsys):
    port = free_port()
    monkeypatch.setenv("MSP_REVENUE_QBO_ENVIRONMENT", f"http://127.0.0.1:{port}/.well-known/openid_configuration")
    connected_qbo.access_tokens.clear()  # the access token has expired: the sync must reach Intuit's OAuth endpoints
    assert cli("sync", "--db", db) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"127.0.0.1:{port}" in err[0] and "Traceback" not in err[0]


def test_a_forbidden_company_says_which_keys_to_check(db, connected_qbo, capsys):
    connected_qbo.faults.forbidden = True
    assert cli("sync", "--db", db) == 1
    err = capsys.readouterr().err
    assert f"QuickBooks refused access to company {REALM} (403, code 3100)" in err
    assert "sandbox while the company is a production one, or the reverse" in err and "reconnect" in err


def test_a_wrong_client_secret_names_the_keys_not_a_reconnect(db, connected_qbo, monkeypatch, capsys):
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_SECRET", "not-the-secret")
    connected_qbo.access_tokens.clear()  # the access token has expired: the refresh presents the app's keys
    assert cli("sync", "--db", db) == 1
    err = capsys.readouterr().err
    assert "QuickBooks refused the app's keys" in err and "MSP_REVENUE_QBO_CLIENT_ID" in err
    assert "reconnect needed" not in err and "not-the-secret" not in err


def test_failed_requests_are_logged_with_intuit_tid_and_never_a_token(db, connected_qbo, caplog):
    connected_qbo.faults = Faults(throttle=0.2, server_error=0.05, expire_token_after=10)
    caplog.set_level(logging.WARNING)
    run_sync(db, None, full=False, policy=FAST)
    failed = [r.getMessage() for r in caplog.records if "intuit_tid 1-" in r.getMessage()]
    assert len(failed) >= connected_qbo.stats.by_status[429] + connected_qbo.stats.by_status[503] + connected_qbo.stats.by_status[401] > 5
    assert all(token not in caplog.text for token in list(connected_qbo.access_tokens) + list(connected_qbo.refresh_tokens))
