"""Real QuickBooks sandbox records (tests/fixtures/qbo-sandbox) through load and build."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest

from tests.helpers import cli, query
from tests.recorded import SANDBOX_JSONL

SALES = {"invoices": "Invoice", "sales_receipts": "SalesReceipt", "credit_memos": "CreditMemo",
         "refund_receipts": "RefundReceipt"}


def sandbox_records() -> list[dict]:
    return [json.loads(line, parse_float=Decimal) for line in SANDBOX_JSONL.read_text().splitlines()]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The sandbox's records loaded once: the tests only read them."""
    db = tmp_path_factory.mktemp("sandbox") / "w.duckdb"
    assert cli("load", SANDBOX_JSONL, "--realm", "sandbox", "--db", db) == 0
    return db


def test_every_sales_document_ties_out_to_total_less_tax(loaded):
    expected = {}
    for record in sandbox_records():
        if record["stream"] in SALES:
            doc = record["data"]
            sign = -1 if record["stream"] in ("credit_memos", "refund_receipts") else 1
            expected[(SALES[record["stream"]], doc["Id"])] = sign * (
                Decimal(str(doc["TotalAmt"])) - Decimal(str(doc["TxnTaxDetail"]["TotalTax"])))
    rows = query(loaded, "select document_type, document_id, sum(amount) from marts.fct_revenue_lines group by all")
    actual = {(t, i): total for t, i, total in rows}
    assert actual == expected
    assert len(expected) == 11


def test_document_counts_per_type_match_the_file(loaded):
    in_file = Counter(SALES[r["stream"]] for r in sandbox_records() if r["stream"] in SALES)
    rows = query(loaded, "select document_type, count(distinct document_id) from marts.fct_revenue_lines group by 1")
    assert dict(rows) == dict(in_file) == {"Invoice": 5, "SalesReceipt": 4, "CreditMemo": 1, "RefundReceipt": 1}


def test_discount_and_tax_are_handled(loaded):
    # Sales receipt 1011: 87.50 of pest control less a 10% discount (8.75); invoice 1004 carries 175.52 tax.
    assert query(loaded, "select gross_amount, discount_amount, amount from marts.fct_revenue_lines "
                         "where document_id = '38'") == [(Decimal("87.50"), Decimal("8.75"), Decimal("78.75"))]
    assert query(loaded, "select sum(amount) from marts.fct_revenue_lines where document_id = '12' "
                         "and document_type = 'Invoice'") == [(Decimal("2194.00"),)]


def test_sub_customer_rolls_up_to_its_parent(loaded):
    rows = query(loaded, "select distinct customer, parent_customer, client from marts.fct_revenue_lines "
                         "where customer_id = '8'")
    assert rows == [("0969 Ocean View Road", "Freeman Sporting Goods", "Freeman Sporting Goods")]


def test_unused_entities_are_skipped_and_counted(db, capsys):
    assert cli("load", SANDBOX_JSONL, "--db", db, "--no-build") == 0
    err = capsys.readouterr().err
    assert "skipped (not used by the warehouse): BillPayment 5, Estimate 4, PaymentMethod 5" in err
    assert "Invoice 5 (5 new" in err


def test_build_checks_pass(loaded):
    assert query(loaded, "select failed_checks, revenue_lines from marts.mart_build_info") == [([], 22)]
