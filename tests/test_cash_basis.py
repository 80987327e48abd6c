"""Revenue on a cash basis (docs/METRICS.md#cash-basis), worked by hand on a month where it and accrual differ."""
from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from models.figures import month_end, reports
from tests.companies import Company, cash_october
from tests.hand_books import opened
from tests.helpers import app_page, rerun

AS_OF = date(2026, 11, 22)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Delta (40), as of 22 November 2026. Worked by hand:

    - Invoice A, 28 September: Remote Support 100.01 + Firewall 200.00 = 300.01. Paid 100.00 on 10 October.
      The 100.00 is spread over A's lines in proportion, in cents: 10,000 x 10,001 / 30,001 = 3,333.56 and
      10,000 x 20,000 / 30,001 = 6,666.44; floors 3,333 + 6,666 = 9,999, the cent left over goes to the larger
      remainder (.56, the hourly line): 33.34 hourly, 66.66 hardware, adding up to 100.00. (Each share rounded
      on its own would give the same here; the floors alone would lose a cent.)
    - Sales receipt, 5 October: Antivirus 45.50 -- cash on its date on both bases.
    - Refund receipt, 20 October: Firewall 20.00 -- out on its date on both bases.
    - Invoice B, 15 October: Remote Support 150.00, never paid in money. Credit memo, 18 October: Remote
      Support 10.00, applied to B by a payment of 0.00 on 25 October (B 10.00, the memo 10.00). Intuit's rule:
      the memo is negative income on its own date on a cash basis, and the credit it gives pays B like money
      on the day it is applied, so cash has -10.00 on 18 October and +10.00 of B on 25 October.
    - Invoice C, 1 November: Platinum agreement 500.00, paid ahead on 30 October: income on C's date, the
      later of the two (Intuit's SLN43094), so November on both bases.

    October, accrual: hourly 150.00 - 10.00 = 140.00; hardware -20.00; software 45.50; total 165.50.
    October, cash:    hourly 33.34 - 10.00 + 10.00 = 33.34; hardware 66.66 - 20.00 = 46.66; software 45.50;
                      total 125.50.
    September, accrual: hourly 100.01, hardware 200.00; cash: nothing.
    November, both: labor_msa 500.00.
    """
    company = cash_october(Company())
    return company.load(tmp_path_factory.mktemp("cash") / "wh" / "warehouse.duckdb")


@pytest.fixture(scope="module")
def books(warehouse):
    with opened(warehouse) as both:
        yield both


def run(books, name: str, **options) -> list[dict]:
    con, owner = books
    return reports.run(con, name, reports.Options(**{"as_of": AS_OF, **options}), owner).records()


def by_month(books, basis: str) -> dict[tuple[str, str], D]:
    return {(f"{r['month']:%Y-%m}", r["category"]): r["amount"]
            for r in run(books, "revenue-by-category", basis=basis)}


def test_revenue_by_category_on_each_basis(books):
    assert by_month(books, "accrual") == {
        ("2026-09", "hardware"): D("200.00"), ("2026-09", "labor_hourly"): D("100.01"),
        ("2026-10", "hardware"): D("-20.00"), ("2026-10", "labor_hourly"): D("140.00"),
        ("2026-10", "software"): D("45.50"), ("2026-11", "labor_msa"): D("500.00")}
    assert by_month(books, "cash") == {
        ("2026-10", "hardware"): D("46.66"), ("2026-10", "labor_hourly"): D("33.34"),
        ("2026-10", "software"): D("45.50"), ("2026-11", "labor_msa"): D("500.00")}


def test_a_period_on_a_cash_basis(books):
    rows = run(books, "revenue-by-category", period=(date(2026, 10, 1), date(2026, 10, 31)), basis="cash")
    assert {r["category"]: r["amount"] for r in rows} == {
        "hardware": D("46.66"), "labor_hourly": D("33.34"), "software": D("45.50")}


def test_the_cash_lines_of_a_month_add_up_and_name_their_payment(books):
    lines = run(books, "lines", month=date(2026, 10, 1), basis="cash")
    assert sum(r["amount"] for r in lines) == D("125.50")
    paid_a = [(r["item"], r["amount"], r["detail"]) for r in lines if r["txn_date"] == date(2026, 10, 10)]
    assert paid_a == [("Remote Support", D("33.34"), "share of payment 4417 (2026-10-10): 100.00 paid to the invoice, "
                                                       "the line 100.01 on it"),
                      ("Firewall", D("66.66"), "share of payment 4417 (2026-10-10): 100.00 paid to the invoice, "
                                                "the line 200.00 on it")]
    memo_and_credit = sorted((r["document_type"], r["txn_date"], r["amount"]) for r in lines
                             if r["category"] == "labor_hourly" and r["amount"].copy_abs() == D("10.00"))
    assert memo_and_credit == [("CreditMemo", date(2026, 10, 18), D("-10.00")),
                               ("Invoice", date(2026, 10, 25), D("10.00"))]
    assert sum(r["amount"] for r in run(books, "lines", month=date(2026, 10, 1))) == D("165.50")


def test_recurring_share_and_client_labor_on_a_cash_basis(books):
    share = {f"{r['month']:%Y-%m}": (r["labor_msa"], r["labor_hourly"])
             for r in run(books, "recurring-share", basis="cash")}
    assert share == {"2026-10": (D("0.00"), D("33.34")), "2026-11": (D("500.00"), D("0.00"))}
    # the 12 full months before November: November 2025 to October 2026
    (cash,) = run(books, "client-labor", basis="cash")
    (accrual,) = run(books, "client-labor")
    assert (cash["labor_hourly"], cash["hardware"], cash["software"]) == (D("33.34"), D("46.66"), D("45.50"))
    assert (accrual["labor_hourly"], accrual["hardware"], accrual["software"]) == (D("240.01"), D("180.00"),
                                                                                  D("45.50"))


def test_the_month_end_workbook_reports_on_the_settings_basis(books):
    con, owner = books
    for basis, total, heading in (("accrual", D("165.50"), "accrual basis"), ("cash", D("125.50"), "cash basis")):
        pack = month_end.build(con, dataclasses.replace(owner, report_basis=basis), date(2026, 10, 1),
                               today=AS_OF)
        summary, by_client = pack.sheets[0].blocks[0], pack.sheets[1].blocks[0]
        assert summary.title == f"Month-end pack for October 2026, revenue on {heading}"
        assert sum(row[1] for row in summary.rows) == total
        assert by_client.title == f"Revenue on {heading}"
        assert sum(sum(row[1:-1]) for row in by_client.rows) == total


def test_the_revenue_page_switches_to_cash_and_its_lines_add_up(monkeypatch, warehouse):
    app = app_page(monkeypatch, warehouse, "dashboards/revenue.py", AS_OF)
    app.session_state["period_preset"] = "Last month"
    for basis, shown in (("accrual", "$165.50"), ("cash", "$125.50")):
        app.session_state["revenue_basis"] = basis
        rerun(app)
        assert next(m for m in app.metric if m.label == "Revenue").value == shown
        next(b for b in app.button if b.key == "lines:Revenue").click()
        (said,) = [t.value for t in rerun(app).text if " adding up to " in t.value]
        assert said.endswith(f" adding up to {shown}"), said
