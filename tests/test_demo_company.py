"""The demo company: deterministic, tells the playbook's story, loads through the real path."""
from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from ingest.demo.company import generate
from ingest.records import dumps_exact
from tests.helpers import UNTIL, cli, query

pytestmark = pytest.mark.long

UNTIL_DATE = date.fromisoformat(UNTIL)


@pytest.fixture(scope="module")
def documents():
    return generate(until=UNTIL_DATE).documents


@pytest.fixture(scope="module")
def demo_db(demo_builds):
    return demo_builds(60, 3)  # the command's default demo company


def entities(documents) -> dict[str, list[dict]]:
    return documents[0]["QueryResponse"]


def test_same_seed_same_company_other_seed_other_company(documents):
    assert dumps_exact(generate(until=UNTIL_DATE).documents) == dumps_exact(documents)
    assert dumps_exact(generate(seed=8, until=UNTIL_DATE).documents) != dumps_exact(documents)


def test_defaults_are_sixty_clients_over_three_years(documents):
    customers = entities(documents)["Customer"]
    assert len([c for c in customers if not c["Job"]]) == 60
    assert any(c["Job"] for c in customers)  # jobs under clients
    days = sorted(inv["TxnDate"] for inv in entities(documents)["Invoice"])
    assert days[0] < "2023-12-31" and days[0] >= "2023-12-01" and "2026-11" <= days[-1][:7]


def test_hourly_first_then_agreements_at_tier_prices(documents):
    invoices = entities(documents)["Invoice"] + entities(documents)["SalesReceipt"]
    by_item = Counter(line["SalesItemLineDetail"]["ItemRef"]["name"] for doc in invoices for line in doc["Line"]
                      if line["DetailType"] == "SalesItemLineDetail")
    for name in ("MSA - Silver", "MSA - Gold", "MSA - Platinum", "MSA Setup Fee", "After-Hours Support",
                 "Remote Support", "Travel", "Spam Filter Seats", "Finance Charge"):
        assert by_item[name] > 0, name
    first_msa = min(doc["TxnDate"] for doc in invoices if any(
        line.get("SalesItemLineDetail", {}).get("ItemRef", {}).get("name", "").startswith("MSA -") for line in doc["Line"]))
    first_hourly = min(doc["TxnDate"] for doc in invoices if any(
        line.get("SalesItemLineDetail", {}).get("ItemRef", {}).get("name") == "Remote Support" for line in doc["Line"]))
    assert first_hourly < first_msa
    fees = {Decimal(str(line["SalesItemLineDetail"]["UnitPrice"])) for doc in invoices for line in doc["Line"]
            if line.get("SalesItemLineDetail", {}).get("ItemRef", {}).get("name") == "MSA - Silver"}
    assert all(fee % 500 == 0 for fee in fees)


def test_prepayments_are_recorded_both_ways(documents):
    invoices = {inv["Id"]: inv for inv in entities(documents)["Invoice"]}
    payments = entities(documents)["Payment"]
    # a check paying invoices dated after the check: future-dated invoices
    ahead = [p for p in payments if any(invoices[line["LinkedTxn"][0]["TxnId"]]["TxnDate"] > p["TxnDate"]
                                        for line in p["Line"] if line["LinkedTxn"][0]["TxnType"] == "Invoice")]
    assert ahead
    # a check held as credit: part of it still unapplied at the end of the story
    assert any(p["UnappliedAmt"] > 0 for p in payments)


def test_credit_memos_refund_void_delete_bundles_discounts_time(documents):
    e = entities(documents)
    assert e["CreditMemo"] and e["RefundReceipt"] and e["TimeActivity"]
    assert e["RefundReceipt"][0]["PrivateNote"] == "Agreement cancelled"
    lines = [line for doc in e["Invoice"] + e["SalesReceipt"] for line in doc["Line"]]
    assert any(line["DetailType"] == "GroupLineDetail" for line in lines)
    assert any(line["DetailType"] == "DiscountLineDetail" for line in lines)
    corrections = documents[1]["CDCResponse"][0]["QueryResponse"][0]["Invoice"]
    assert [c.get("PrivateNote") or c.get("status") for c in corrections] == ["Voided", "Deleted"]


def test_loads_ties_out_and_has_small_clients(demo_db):
    assert query(demo_db, "select failed_checks from marts.mart_build_info") == [([],)]
    categories = dict(query(demo_db, "select category, sum(amount) from marts.fct_revenue_lines group by 1"))
    assert set(categories) == {"hardware", "software", "labor_hourly", "labor_msa", "other", "unmapped"}
    labor = query(demo_db, """
        select client, sum(amount) as labor from marts.fct_revenue_lines
        where category in ('labor_hourly', 'labor_msa') and txn_date >= date '2025-11-01' and txn_date < date '2026-11-01'
        group by 1""")
    assert any(total < 500 for _, total in labor) and any(500 <= total < 1000 for _, total in labor)
    assert query(demo_db, "select count(*) from marts.fct_revenue_lines where rule = 'income_account'")[0][0] > 0


def test_demo_files_load_like_the_demo(tmp_path, demo_db):
    out = tmp_path / "files"
    assert cli("demo", "--db", tmp_path / "untouched" / "w.duckdb", "--until", UNTIL, "--out", out, "--files-only") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files"]  # no warehouse loaded, built or made
    via_files = tmp_path / "files-db" / "w.duckdb"
    assert cli("load", out / "query.json", out / "cdc.json", "--realm", "demo", "--db", via_files) == 0
    sql = "select * exclude (description) from marts.fct_revenue_lines order by all"
    assert query(via_files, sql) == query(demo_db, sql)
    assert cli("load-devices", out / "devices.csv", "--as-of", UNTIL, "--db", via_files) == 0
    devices = "select export_date, organisation, client_id, device, kind, last_seen, counted from marts.fct_devices order by all"
    assert query(via_files, devices) == query(demo_db, devices)


def test_files_only_writes_the_files_the_demo_writes_beside_its_warehouse(tmp_path, capsys):
    small = ("--until", UNTIL, "--clients", "3", "--years", "1")
    assert cli("demo", "--db", tmp_path / "wh" / "w.duckdb", *small, "--out", tmp_path / "beside") == 0
    assert cli("demo", "--db", tmp_path / "wh" / "w.duckdb", *small, "--out", tmp_path / "only", "--files-only") == 0
    assert "wrote" in capsys.readouterr().err
    beside, only = ({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()} for name in ("beside", "only"))
    assert sorted(only) == ["cdc.json", "devices.csv", "query.json"] and only == beside


def test_files_only_needs_the_folder(tmp_path, capsys):
    assert cli("demo", "--db", tmp_path / "wh" / "w.duckdb", "--files-only") == 2
    assert "--out DIR" in capsys.readouterr().err and not (tmp_path / "wh").exists()


def test_if_missing_leaves_an_existing_warehouse(demo_db, capsys):
    assert cli("demo", "--db", demo_db, "--if-missing", "--seed", "99") == 0
    assert "leaving it as it is" in capsys.readouterr().out
