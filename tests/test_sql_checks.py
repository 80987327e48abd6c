"""Every check in sql/tests fires on a warehouse that breaks it, and the build reports it; every mart's grain
is declared in sql/tests/grains.toml, and each declared key is checked."""
from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import tomllib

from ingest import writer
from ingest.records import RawRecord
from models.warehouse import paths, sqlfiles
from models.warehouse.build import GRAINS, BuildResult, build, checks, run_checks
from models.warehouse.work_db import open_work_db, transaction
from tests.builders import invoice, item_line
from tests.helpers import cli, let_go, query, store_agreeing_profit_and_loss, write_json

CHECKS = sorted(checks())
KEYED = "_one_row_per_key"


def _payment_applied_twice() -> dict:
    """A payment line (Id 7) that names the same invoice (Id 2) twice: the invoice would be paid twice over."""
    paid = {"TxnId": "2", "TxnType": "Invoice"}
    return {"Invoice": [invoice("2", [item_line("100.00")])],
            "Payment": [{"Id": "7", "SyncToken": "0", "TxnDate": "2026-03-06", "CustomerRef": {"value": "1"},
                         "TotalAmt": Decimal("100.00"), "UnappliedAmt": Decimal("0"),
                         "Line": [{"Amount": Decimal("100.00"), "LinkedTxn": [paid, paid]}],
                         "MetaData": {"LastUpdatedTime": "2026-03-06T10:00:00Z"}}]}


def _total_not_its_lines() -> dict:
    return {"Invoice": [invoice("1", [item_line("100.00")], TotalAmt=Decimal("150.00"))]}


def _quickbooks_disagrees() -> dict:
    """An invoice (Id 3) of March that QuickBooks' ProfitAndLoss (QUICKBOOKS_MARCH) does not count as we do."""
    return {"Invoice": [invoice("3", [item_line("100.00")])]}


# March's income in QuickBooks' ProfitAndLoss as a sync stored it: a cent more than the three invoices' 300.00
# (each 100.00 of lines, whatever its total says), which every input adds to ours
QUICKBOOKS_MARCH = Decimal("300.01")


def _store_profit_and_loss(db: Path, amount: Decimal) -> None:
    """What a sync stores from QuickBooks' ProfitAndLoss: here, income for March that is not ours."""
    con = open_work_db(db)
    try:
        realm = con.execute("select any_value(realm_id) from raw.invoices").fetchone()[0]
        con.execute("insert into raw.qbo_profit_and_loss values (?, date '2026-03-01', '', null, ?, ?)",
                    [realm, amount, datetime(2026, 3, 31)])
    finally:
        con.close()


# check -> (QuickBooks input that breaks it, what of the check's rows names that input, what they say)
BROKEN_BY_INPUT = {
    "revenue_lines_tie_out": (_total_not_its_lines, "document_id, expected, lines_total",
                              [("1", Decimal("150.00"), Decimal("100.00"))]),
    "quickbooks_tie_out": (_quickbooks_disagrees, "month, quickbooks, ours",
                           [(date(2026, 3, 1), QUICKBOOKS_MARCH, Decimal("300.00"))]),
    "fct_payment_applications_one_row_per_key": (_payment_applied_twice, "payment_id, applied_to_id, copies",
                                                 [("7", "2", 2)]),
}

# No input can break these: each guards against a model bug, so a built model table is broken instead.
LINE = "rowid = (select min(rowid) from marts.fct_revenue_lines)"
BROKEN_MODEL = {
    ("categories_known", "misspelt"): f"update marts.fct_revenue_lines set category = 'labour_msa' where {LINE}",
    ("categories_known", "missing"): f"update marts.fct_revenue_lines set category = null where {LINE}",
    ("revenue_lines_voided_or_deleted", "voided"): (
        "update marts.fct_revenue_lines set document_type = voided.document_type, document_id = voided.document_id "
        "from (select * from marts.fct_sales_documents where is_voided limit 1) as voided "
        f"where marts.fct_revenue_lines.{LINE}"),
    ("revenue_lines_voided_or_deleted", "deleted"):
        f"update marts.fct_revenue_lines set document_id = 'deleted' where {LINE}",
    ("cash_spread_adds_up", "a cent too many"): "update marts.fct_invoice_payment_shares set amount = "
        "amount + 0.01 where rowid = (select min(rowid) from marts.fct_invoice_payment_shares)",
    ("labor_scopes_every_hourly_line", "missing"):
        "delete from marts.fct_labor_scopes where rowid = (select min(rowid) from marts.fct_labor_scopes)",
    **{(check, "row twice"): "insert into marts.{model} select * from marts.{model} limit 1".format(
        model=check.removesuffix(KEYED)) for check in CHECKS if check.endswith(KEYED)},
}


def grain_line(path: Path) -> bool:
    return path.read_text(encoding="utf-8").startswith("-- grain: ")


def test_every_model_has_a_grain_line():
    assert [f"{model.schema}/{model.name}" for model in sqlfiles.models()
            if not grain_line(sqlfiles.SQL_DIR / model.schema / f"{model.name}.sql")] == []


def test_every_mart_with_a_grain_line_declares_its_key():
    declared = tomllib.loads((sqlfiles.SQL_DIR / GRAINS).read_text(encoding="utf-8"))
    assert set(declared) == {"marts"}
    assert sorted(declared["marts"]) == sorted(path.stem for path in (sqlfiles.SQL_DIR / "marts").glob("*.sql")
                                               if grain_line(path))
    keyed = sorted(model for model, key in declared["marts"].items() if key)
    assert [check.removesuffix(KEYED) for check in CHECKS if check.endswith(KEYED)] == keyed
    assert len(keyed) >= 20  # all but a mart whose rows have no key (fct_document_payments)


def test_every_check_has_a_warehouse_that_breaks_it():
    assert sorted(set(BROKEN_BY_INPUT) | {check for check, _ in BROKEN_MODEL}) == CHECKS


@pytest.fixture(scope="module")
def broken_by_input(tmp_path_factory) -> tuple[Path, str, BuildResult]:
    """One warehouse holding every input of BROKEN_BY_INPUT at once (their Ids apart), built by the command line and
    then built again: the warehouse, what the command said, and what the second build found. A build is most of what
    a case costs, and each check's own rows show the input that broke it."""
    folder = tmp_path_factory.mktemp("broken-by-input")
    company: dict[str, list] = {}
    for make, _, _ in BROKEN_BY_INPUT.values():
        for entity, records in make().items():
            company.setdefault(entity, []).extend(records)
    db = folder / "wh" / "w.duckdb"
    assert cli("load", write_json(folder / "company.json", company), "--db", db, "--no-build") == 0
    _store_profit_and_loss(db, QUICKBOOKS_MARCH)
    said = io.StringIO()
    with redirect_stderr(said):
        assert cli("build", "--db", db) == 1
    return db, said.getvalue(), build(db)


@pytest.mark.parametrize("check", sorted(BROKEN_BY_INPUT))
def test_input_that_breaks_a_check_fails_the_build(broken_by_input, check):
    db, said, built_again = broken_by_input
    _, columns, rows = BROKEN_BY_INPUT[check]
    assert f"check {check} found {len(rows)} row(s)" in said
    assert check in built_again.failed_checks
    assert query(db, f"select {columns} from ({checks()[check].sql}) order by all") == rows


@pytest.fixture(scope="module")
def demo(demo_copies) -> Path:
    """A demo company whose every mart has rows, and that passes every check."""
    db = demo_copies("sql-checks", 20, 2)
    store_agreeing_profit_and_loss(db, "2026-10-01")  # so the tie-out has rows
    con = open_work_db(db)
    try:  # a sync's cursor
        con.execute("insert into raw.sync_state values ('demo', '_cdc', '2026-11-22T00:00:00+00:00', now())")
        con.execute("insert into raw.quarantine values ('demo', 'Invoice', '9999', now(), 'TxnDate is no date', "
                    "'{}', now())")
        # a retainer taken to a liability account: a sales line that is not revenue
        now = datetime(2026, 11, 22)
        with transaction(con):
            writer.write(con, "demo", [
                RawRecord("Account", "L1", now, 0, False, json.dumps(
                    {"Id": "L1", "Name": "Customer deposits", "AccountType": "Other Current Liability",
                     "Classification": "Liability"})),
                RawRecord("SalesReceipt", "R1", now, 0, False, json.dumps(
                    {"Id": "R1", "TxnDate": "2026-11-02", "CustomerRef": {"value": "1"}, "TotalAmt": "500.00",
                     "Line": [{"Amount": "500.00", "DetailType": "SalesItemLineDetail",
                               "SalesItemLineDetail": {"ItemAccountRef": {"value": "L1"}}}]}))], "a test")
    finally:
        con.close()
    assert build(db).failed_checks == {}
    return db


@pytest.fixture(scope="module")
def demo_snapshot(demo) -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo company's snapshot, where the marts are built, open to write for the module (a connection and its
    macros cost a case as much as its checks): each test breaks a model in a transaction it rolls back."""
    let_go(demo)  # the reports' kept read-only connection: DuckDB opens a file once per process
    con = duckdb.connect(str(paths.snapshot(demo)))
    try:
        sqlfiles.apply_macros(con, table_macros=False)
        yield con
    finally:
        con.close()


def test_the_demo_company_gives_every_mart_rows(demo_snapshot):
    assert [model.qualified for model in sqlfiles.models() if model.schema == "marts"
            and not demo_snapshot.execute(f"select count(*) from {model.qualified}").fetchone()[0]] == []


@pytest.mark.parametrize("check, how", sorted(BROKEN_MODEL))
def test_a_broken_model_fails_its_check(demo_snapshot, check, how):
    demo_snapshot.begin()
    try:
        assert demo_snapshot.execute(BROKEN_MODEL[check, how]).fetchone()[0] == 1
        assert check in run_checks(demo_snapshot)
    finally:
        demo_snapshot.rollback()
