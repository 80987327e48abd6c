"""QuickBooks' books as it keeps them (issue 21): receivables on a date, A/R journal entries, discounts
beside shipping, income outside sales documents, accounts without a classification. Each rule is
hand-computed in its test's docstring."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from tests.builders import item_line, sales_document
from tests.companies import ITEMS, Company
from tests.helpers import query
from tests.metrics import by, report


def test_an_account_without_classification_is_placed_by_its_type(db):
    """Uniform's retainer item posts to Customer deposits, an account whose record has AccountType
    "Other Current Liability" but no Classification (QuickBooks leaves out empty fields). Intuit's
    mapping makes it a Liability: the 2,000.00 sales receipt of 3 May is money held for Uniform
    (deposit account 2,000.00 on 31 May), not "not revenue". An Income account without Classification
    stays revenue: 500.00 of consulting in May."""
    company = Company()
    company.customer("60", "Uniform")
    company.add("Account", {"Id": "L9", "Name": "Customer deposits", "FullyQualifiedName": "Customer deposits",
                            "AccountType": "Other Current Liability"})
    company.add("Account", {"Id": "I9", "Name": "Consulting", "FullyQualifiedName": "Consulting",
                            "AccountType": "Income"})
    company.add("Item", {"Id": "RET", "Name": "Retainer", "FullyQualifiedName": "Retainer", "Type": "Service",
                         "IncomeAccountRef": {"value": "L9"}})
    company.add("Item", {"Id": "CON", "Name": "Consulting", "FullyQualifiedName": "Consulting", "Type": "Service",
                         "IncomeAccountRef": {"value": "I9"}})
    company.add("SalesReceipt", sales_document("60", "2026-05-03", [item_line("2000.00", ("RET", "Retainer"))]))
    company.add("SalesReceipt", sales_document("60", "2026-05-04", [item_line("500.00", ("CON", "Consulting"))]))
    company.load(db)
    assert query(db, "select account_id, classification from staging.stg_qbo__accounts order by 1") == [
        ("I9", "Revenue"), ("L9", "Liability")]
    (held,) = report(db, "prepayments", "2026-05-31")
    assert (held["customer"], held["deposit_accounts"], held["liability"]) == ("Uniform", D("2000.00"), D("2000.00"))
    assert query(db, "select sum(amount) from marts.fct_revenue_lines") == [(D("500.00"),)]


def test_a_discount_leaves_shipping_undiscounted(db):
    """Victor's invoice: a firewall 1,000.00, remote labor 300.00, a 10% discount (130.00) and shipping
    45.00 (QuickBooks' SHIPPING_ITEM_ID line); total 1,215.00. QuickBooks discounts the products, never
    the freight: hardware 1,000 - 100 = 900.00, labor 300 - 30 = 270.00, shipping 45.00 (spread over all
    three, hardware would be 903.35 and shipping 40.65). The lines still add up: 900 + 270 + 45 = 1,215."""
    company = Company()
    company.customer("61", "Victor")
    company.add("Invoice", sales_document("61", "2026-05-04", [
        item_line("1000.00", ITEMS["hardware"]), item_line("300.00", ITEMS["hourly"]),
        {"Amount": D("130.00"), "DetailType": "DiscountLineDetail",
         "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": D("10")}},
        {"Amount": D("45.00"), "DetailType": "SalesItemLineDetail",
         "SalesItemLineDetail": {"ItemRef": {"value": "SHIPPING_ITEM_ID"}}}]))
    company.load(db)
    lines = query(db, "select item_id, gross_amount, discount_amount, amount from marts.fct_revenue_lines "
                      "order by line_index")
    assert lines == [(ITEMS["hardware"][0], D("1000.00"), D("100.00"), D("900.00")),
                     (ITEMS["hourly"][0], D("300.00"), D("30.00"), D("270.00")),
                     ("SHIPPING_ITEM_ID", D("45.00"), D("0.00"), D("45.00"))]
    may = {r["category"]: r["amount"] for r in report(db, "revenue-by-category", "2026-05-31")
           if r["month"] == date(2026, 5, 1)}
    assert (may["hardware"], may["labor_hourly"], sum(may.values())) == (D("900.00"), D("270.00"), D("1215.00"))
