"""Every check in sql/tests fires on a warehouse that breaks it, and the build reports it; every mart's grain
is declared in sql/tests/grains.toml, and each declared key is checked."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import tomllib

from ingest import writer
from ingest.records import RawRecord
from models.warehouse import paths, sqlfiles
from models.warehouse.build import GRAINS, build, checks, run_checks
from models.warehouse.work_db import open_work_db, transaction
from tests.builders import invoice, item_line
from tests.helpers import cli, let_go, query, store_agreeing_profit_and_loss, write_json

CHECKS = sorted(checks())
KEYED = "_one_row_per_key"


def _payment_applied_twice() -> dict:
    """A payment line that names the same invoice twice: the invoice would be paid twice over."""
    paid = {"TxnId": "1", "TxnType": "Invoice"}
    return {"Invoice": [invoice("1", [item_line("100.00")])],
            "Payment": [{"Id": "7", "SyncToken": "0", "TxnDate": "2026-03-06", "CustomerRef": {"value": "1"},
                         "TotalAmt": Decimal("100.00"), "UnappliedAmt": Decimal("0"),
                         "Line": [{"Amount": Decimal("100.00"), "LinkedTxn": [paid, paid]}],
                         "MetaData": {"LastUpdatedTime": "2026-03-06T10:00:00Z"}}]}


def _total_not_its_lines() -> dict:
    return {"Invoice": [invoice("1", [item_line("100.00")], TotalAmt=Decimal("150.00"))]}


def _quickbooks_disagrees() -> dict:
    return {"Invoice": [invoice("1", [item_line("100.00")])]}


def _store_profit_and_loss(db: Path, amount: str) -> None:
    """What a sync stores from QuickBooks' ProfitAndLoss: here, income for March that is not ours."""
    con = open_work_db(db)
    try:
        realm = con.execute("select any_value(realm_id) from raw.invoices").fetchone()[0]
        con.execute("insert into raw.qbo_profit_and_loss values (?, date '2026-03-01', '', null, ?, ?)",
                    [realm, Decimal(amount), datetime(2026, 3, 31)])
    finally:
        con.close()


# check -> (QuickBooks input that breaks it, ProfitAndLoss income a sync stored or None)
BROKEN_BY_INPUT = {
    "revenue_lines_tie_out": (_total_not_its_lines, None),
    "quickbooks_tie_out": (_quickbooks_disagrees, "101.00"),
    "fct_payment_applications_one_row_per_key": (_payment_applied_twice, None),
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


@pytest.mark.parametrize("check", sorted(BROKEN_BY_INPUT))
def test_input_that_breaks_a_check_fails_the_build(tmp_path, capsys, check):
    company, profit_and_loss = BROKEN_BY_INPUT[check]
    db = tmp_path / "wh" / "w.duckdb"
    assert cli("load", write_json(tmp_path / "company.json", company()), "--db", db, "--no-build") == 0
    if profit_and_loss:
        _store_profit_and_loss(db, profit_and_loss)
    capsys.readouterr()
    assert cli("build", "--db", db) == 1
    assert f"check {check} found" in capsys.readouterr().err
    assert check in build(db).failed_checks


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


def test_the_demo_company_gives_every_mart_rows(demo):
    assert [model.qualified for model in sqlfiles.models() if model.schema == "marts"
            and not query(demo, f"select count(*) from {model.qualified}")[0][0]] == []


@pytest.mark.parametrize("check, how", sorted(BROKEN_MODEL))
def test_a_broken_model_fails_its_check(demo, check, how):
    let_go(demo)  # the reports' kept read-only connection: DuckDB opens a file once per process
    con = duckdb.connect(str(paths.snapshot(demo)))  # the marts are built in the snapshot; broken, then rolled back
    try:
        sqlfiles.apply_macros(con, table_macros=False)
        con.begin()
        assert con.execute(BROKEN_MODEL[check, how]).fetchone()[0] == 1
        assert check in run_checks(con)
        con.rollback()
    finally:
        con.close()
