"""The tie-out counts what QuickBooks' ProfitAndLoss counts as Income: accounts of type Income, fed by
sales lines and by journal entries and deposits that post to them; nothing else."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from ingest.qbo.client import QueryRefused
from ingest.qbo.errors import ConnectorError
from ingest.qbo.tieout import fetch_income
from models.months import add_months
from models.warehouse.work_db import open_work_db
from tests.builders import item_line
from tests.helpers import cli, query, write_json
from tests.qbo_helpers import raw
from tests.tie_out_books import APRIL, MARCH, MAY, REALM, STAMP, ReportOnly, account, company, journal_entry

# the command line's syncs unpaced, as the stand-in is: these tests are about what ties out, not the limits
pytestmark = pytest.mark.usefixtures("unpaced")
SEPTEMBER = date(2026, 9, 1)
STORED = "select month, account_id, amount, fetched_at from raw.qbo_profit_and_loss order by all"
STORED_MONTHS = "select month, fetched_at from raw.qbo_profit_and_loss_months order by all"


def test_income_ties_out_the_way_quickbooks_books_it(db):
    assert cli("load", write_json(db.parent / "books.json", company()), "--db", db, "--realm", REALM,
               "--no-build") == 0
    connection = ReportOnly()
    con = open_work_db(db)
    try:
        assert fetch_income(con, connection, [MARCH, APRIL, MAY]) == 3
    finally:
        con.close()
    assert connection.asked == [{"name": "ProfitAndLoss", "start_date": "2026-03-01", "end_date": "2026-05-31",
                                 "summarize_column_by": "Month", "accounting_method": "Accrual"}]
    cli("build", "--db", db)
    rows = query(db, "select month, account_id, quickbooks, ours, sales_lines, journal_entries, deposits "
                     "from marts.mart_tie_out order by month, account_id")
    assert rows == [
        # the deposit's own line to Services; its payment line and its Other Income line are not Services income
        (MARCH, "10", D("120.00"), D("120.00"), D("0.00"), D("0.00"), D("120.00")),
        # Support's 600.00 and the journal entry's 250.00 credit; the Retainer posts to a liability: not income
        (MARCH, "11", D("850.00"), D("850.00"), D("600.00"), D("250.00"), D("0.00")),
        (APRIL, "11", D("-50.00"), D("-50.00"), D("0.00"), D("-50.00"), D("0.00")),
        # May was fetched and QuickBooks had nothing: still compared, so the difference shows
        (MAY, "11", D("0.00"), D("100.00"), D("100.00"), D("0.00"), D("0.00")),
    ]
    assert query(db, "select failed_checks from marts.mart_build_info") == [(["quickbooks_tie_out"],)]


def test_a_sync_of_books_with_sub_accounts_journal_entries_and_deposits_ties_out(db, monkeypatch):
    """End to end against the stand-in, which lays its ProfitAndLoss out as QuickBooks does (parents'
    own postings on their headers): a sub-account of Managed Services (5) fed by a journal entry, and
    a deposit straight to Other Income (7, of type Income) — both income QuickBooks counts."""
    from ingest.qbo.run import run_sync
    from tests.qbo_helpers import FAST, REALM as STAND_IN, connected, start_server
    from tests.server import free_port

    server = start_server(clients=3, years=1)
    try:
        company = server.company(STAND_IN)
        company.upsert("Account", {**account("20", "Retainer Consulting", "Income", parent="5"),
                                   "FullyQualifiedName": "Managed Services:Retainer Consulting"})
        company.upsert("JournalEntry", journal_entry("900", "2026-10-15", ("Credit", "20", "300.00"),
                                                     ("Debit", "11", "300.00")))
        company.upsert("Deposit", {"Id": "901", "TxnDate": "2026-10-20", "TotalAmt": D("50.00"), "SyncToken": "0",
                                   "Line": [{"Amount": D("50.00"), "DetailType": "DepositLineDetail",
                                             "DepositLineDetail": {"AccountRef": {"value": "7"}}}]})
        connected(db, server, free_port(), monkeypatch)
        run_sync(db, None, full=True, policy=FAST)
    finally:
        server.stop()
    assert cli("build", "--db", db) == 0  # every month compared ties out
    october = date(2026, 10, 1)
    rows = {account_id: (ours, journal, deposits) for account_id, ours, journal, deposits in query(
        db, "select account_id, ours, journal_entries, deposits from marts.mart_tie_out where month = ?", [october])}
    assert rows["20"] == (D("300.00"), D("300.00"), D("0.00"))
    assert rows["7"][2] == D("50.00")


def test_a_sync_of_books_with_discounts_ties_out(db, monkeypatch):
    """End to end against the stand-in: a 10% discount of 100.00 on a 1,000.00 invoice (15 March) and a 5%
    discount of 10.00 on a 200.00 credit memo (20 March). QuickBooks posts each DiscountLineDetail's Amount,
    negated, to its DiscountAccountRef, reversed on a credit memo as its other lines are: in March, Services
    1,000.00 - 200.00 = 800.00 and Discounts given -100.00 + 10.00 = -90.00; Income 710.00. Ours must be the
    same, account by account: every difference 0."""
    from ingest.qbo.run import run_sync
    from tests.builders import sales_document
    from tests.qbo_helpers import FAST, connected, stand_in
    from tests.server import free_port

    def discount(amount: str, percent: str) -> dict:
        return {"Amount": D(amount), "DetailType": "DiscountLineDetail",
                "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": D(percent),
                                       "DiscountAccountRef": {"value": "8", "name": "Discounts given"}}}

    stamp = {"SyncToken": "0", "MetaData": {"CreateTime": "2026-03-20T10:00:00-08:00",
                                            "LastUpdatedTime": "2026-03-20T10:00:00-08:00"}}
    server = stand_in()
    server.load(REALM, {
        "Account": [{**account("10", "Services", "Income"), "Classification": "Revenue"},
                    {**account("8", "Discounts given", "Income"), "AccountSubType": "DiscountsRefundsGiven",
                     "Classification": "Revenue"}],
        "Item": [{"Id": "1", "Name": "Support", "Type": "Service", "IncomeAccountRef": {"value": "10"}, **STAMP}],
        "Customer": [{"Id": "1", "DisplayName": "Client A", **STAMP}],
        "Invoice": [sales_document(("1", "Client A"), "2026-03-15", [item_line("1000.00", ("1", "Support")),
                                                                     discount("100.00", "10")], Id="100", **stamp)],
        "CreditMemo": [sales_document(("1", "Client A"), "2026-03-20", [item_line("200.00", ("1", "Support")),
                                                                        discount("10.00", "5")], Id="200", **stamp)],
    })
    server.start()
    try:
        connected(db, server, free_port(), monkeypatch)
        run_sync(db, None, full=False, policy=FAST)
    finally:
        server.stop()
    assert cli("build", "--db", db) == 0
    assert query(db, "select account_id, quickbooks, ours, difference from marts.mart_tie_out order by account_id") == [
        ("10", D("800.00"), D("800.00"), D("0.00")), ("8", D("-90.00"), D("-90.00"), D("0.00"))]
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]


def _march_invoice_synced(db, monkeypatch, **more):
    """A stand-in company holding an invoice of 15 March (Support 1,000.00, Id 100) and `more` records, connected
    to `db` and synced once (its March fetched), started: the caller stops it."""
    from tests.builders import sales_document
    from tests.qbo_helpers import connected, stand_in
    from tests.server import free_port

    server = stand_in()
    server.load(REALM, {
        "Account": [{**account("10", "Services", "Income"), "Classification": "Revenue"}],
        "Item": [{"Id": "1", "Name": "Support", "Type": "Service", "IncomeAccountRef": {"value": "10"}, **STAMP}],
        "Customer": [{"Id": "1", "DisplayName": "Client A", **STAMP}],
        "Invoice": [sales_document(("1", "Client A"), "2026-03-15", [item_line("1000.00", ("1", "Support"))],
                                   Id="100", **STAMP)],
        **more,
    })
    server.start()
    try:
        connected(db, server, free_port(), monkeypatch)
        assert cli("sync", "--db", db) == 0
        assert set(dict(raw(db, STORED_MONTHS))) == {MARCH}
    except BaseException:
        server.stop()
        raise
    return server


def _move_the_invoice_to_april(server) -> None:
    moved = server.company(REALM).records["Invoice"]["100"]
    server.company(REALM).upsert("Invoice", {**moved, "TxnDate": "2026-04-15"})


def test_an_invoice_moved_to_another_month_has_its_old_month_fetched_again(db, monkeypatch):
    """An invoice of 15 March (Support 1,000.00) moved to 15 April in QuickBooks: March's income is gone from
    QuickBooks' ProfitAndLoss as from ours, so the next sync fetches March again (the month the stored version
    was in), not only April, and both tie out: March 0.00 (the credit memo's -200.00 alone), April 1,000.00."""
    from tests.builders import sales_document

    server = _march_invoice_synced(db, monkeypatch, CreditMemo=[sales_document(
        ("1", "Client A"), "2026-03-20", [item_line("200.00", ("1", "Support"))], Id="200", **STAMP)])
    try:
        first = dict(raw(db, STORED_MONTHS))
        _move_the_invoice_to_april(server)
        assert cli("sync", "--db", db) == 0  # a failed tie-out check would make it 1
    finally:
        server.stop()
    again = dict(raw(db, STORED_MONTHS))
    assert set(again) == {MARCH, APRIL} and again[MARCH] > first[MARCH]  # March asked for again
    assert query(db, "select month, account_id, quickbooks, ours, difference from marts.mart_tie_out "
                     "order by month") == [(MARCH, "10", D("-200.00"), D("-200.00"), D("0.00")),
                                           (APRIL, "10", D("1000.00"), D("1000.00"), D("0.00"))]
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]


def test_months_a_failed_profit_and_loss_left_are_asked_for_by_the_next_sync(db, monkeypatch):
    """The invoice moved from March to April, and QuickBooks refused that sync's ProfitAndLoss after its records and
    cursor were stored (as a sync killed then would leave them): the next sync, with nothing new to read, still asks
    for March and April (raw.income_due) and both tie out; until then nothing is lost but the wait."""
    from ingest.qbo import tieout

    server = _march_invoice_synced(db, monkeypatch)
    try:
        first = dict(raw(db, STORED_MONTHS))
        _move_the_invoice_to_april(server)
        with monkeypatch.context() as refusing:
            def refused(*_):
                raise QueryRefused("QuickBooks refused ProfitAndLoss (HTTP 400)")
            refusing.setattr(tieout, "_window_income", refused)
            assert cli("sync", "--db", db) != 0
        assert dict(raw(db, STORED_MONTHS)) == first
        assert raw(db, "select basis, month from raw.income_due order by all") == [("accrual", MARCH),
                                                                                   ("accrual", APRIL)]
        assert cli("sync", "--db", db) == 0
    finally:
        server.stop()
    again = dict(raw(db, STORED_MONTHS))
    assert set(again) == {MARCH, APRIL} and again[MARCH] > first[MARCH]
    assert raw(db, "select * from raw.income_due") == []
    assert query(db, "select month, account_id, quickbooks, ours, difference from marts.mart_tie_out "
                     "order by month") == [(APRIL, "10", D("1000.00"), D("1000.00"), D("0.00"))]
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]


@pytest.fixture
def fetched(db):
    """The books loaded and QuickBooks' income for March to May stored (account 11: 850.00, -50.00, none)."""
    assert cli("load", write_json(db.parent / "books.json", company()), "--db", db, "--realm", REALM,
               "--no-build") == 0
    con = open_work_db(db)
    try:
        fetch_income(con, ReportOnly(), [MARCH, APRIL, MAY])
    finally:
        con.close()
    return db


def test_months_apart_share_a_window_and_only_they_are_stored_anew(fetched):
    before = dict((row[0], row) for row in raw(fetched, STORED) if row[1] == "11")
    con = open_work_db(fetched)
    try:
        connection = ReportOnly()
        assert fetch_income(con, connection, [MARCH, MAY]) == 2  # March: accounts 10 and 11; May: nothing
    finally:
        con.close()
    assert [(a["start_date"], a["end_date"]) for a in connection.asked] == [("2026-03-01", "2026-05-31")]
    after = dict((row[0], row) for row in raw(fetched, STORED) if row[1] == "11")
    # April was asked for with them, not stored: what an earlier sync stored of it stays as it was
    assert after[APRIL] == before[APRIL] and after[MARCH][3] > before[MARCH][3]
    months = dict(raw(fetched, STORED_MONTHS))
    assert set(months) == {MARCH, APRIL, MAY} and months[APRIL] < months[MARCH] == months[MAY]


class SeptemberRefused(ReportOnly):
    def report(self, name: str, params: dict) -> dict:
        if params["start_date"] == SEPTEMBER.isoformat():
            raise QueryRefused("QuickBooks refused GET ProfitAndLoss (HTTP 400, code 4001: Invalid query)")
        return super().report(name, params)


def test_a_window_quickbooks_refuses_leaves_the_stored_income_as_it_was_and_says_which(fetched):
    before = raw(fetched, STORED), raw(fetched, STORED_MONTHS)
    con = open_work_db(fetched)
    try:
        with pytest.raises(ConnectorError) as refused:
            fetch_income(con, SeptemberRefused(), [MARCH, SEPTEMBER])  # seven months apart: two windows
    finally:
        con.close()
    message = str(refused.value)
    assert message.startswith("QuickBooks' ProfitAndLoss for Sep 2026 could not be fetched: QuickBooks refused")
    assert "no month of it changed" in message and "sync --full" in message
    assert (raw(fetched, STORED), raw(fetched, STORED_MONTHS)) == before


def test_each_basis_is_asked_for_at_once_and_stored_only_when_every_window_of_both_answered(fetched):
    """One IncomeRequests for both bases: every window goes out when it is made, before the build calls for them; a
    cash window answered on the wrong basis (ReportOnly answers every report on Accrual) stores neither basis."""
    from ingest.qbo.tieout import IncomeRequests

    before = raw(fetched, STORED), raw(fetched, STORED_MONTHS)
    connection = ReportOnly()
    con = open_work_db(fetched)
    try:
        with IncomeRequests(connection, {"accrual": [MARCH], "cash": [MARCH]}) as asked:
            with pytest.raises(ConnectorError, match="cash-basis Mar 2026: asked for the Cash basis"):
                asked.store(con)
    finally:
        con.close()
    assert sorted(a["accounting_method"] for a in connection.asked) == ["Accrual", "Cash"]
    assert (raw(fetched, STORED), raw(fetched, STORED_MONTHS)) == before
    assert raw(fetched, "select count(*) from raw.qbo_cash_profit_and_loss_months") == [(0,)]


def test_the_windows_are_asked_for_together_never_more_than_ten_at_once(db, connected_qbo):
    """Ten years of months are 21 windows: the stand-in, which refuses an eleventh request in flight, sees
    ten reports answered at once and refuses none."""
    from ingest.qbo import config as qbo_config
    from ingest.qbo.auth import Authorizer, TokenStore
    from ingest.qbo.client import Connection
    from tests.qbo_helpers import FAST

    config = qbo_config.load(db)
    connection = Connection(Authorizer(config, TokenStore(qbo_config.tokens_path(db)), None), config.api_url, FAST)
    connected_qbo.faults.latency = 0.3  # each report takes as long as a real one: the windows overlap
    months = [add_months(date(2016, 11, 1), n) for n in range(121)]
    con = open_work_db(db)
    try:
        fetch_income(con, connection, months)
    finally:
        con.close()
    assert len(connected_qbo.stats.report_ranges) == 21
    assert connected_qbo.stats.max_reports_in_flight == 10 and connected_qbo.stats.limit_rejections == 0
    assert len(raw(db, STORED_MONTHS)) == 121
