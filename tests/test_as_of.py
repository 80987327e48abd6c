"""Nothing dated after the as-of date counts as revenue: invoices dated ahead (prepaid months) wait
for their day, and the as-of month is month to date."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from tests.companies import Company
from tests.metrics import report


def books(db):
    """Client 10 on an agreement: 900.00 billed 1 Nov, hourly 300.00 on 10 Nov and 200.00 on
    25 Nov; the December and January agreement invoices prepaid and dated ahead."""
    company = Company()
    company.customer("10", "Acme Dental")
    company.invoice("10", "2026-11-01", ("msa", "900.00"))
    company.invoice("10", "2026-11-10", ("hourly", "300.00"))
    company.invoice("10", "2026-11-25", ("hourly", "200.00"))
    company.invoice("10", "2026-12-01", ("msa", "900.00"))
    company.invoice("10", "2027-01-01", ("msa", "900.00"))
    return company.load(db)


def test_revenue_by_month_stops_at_the_as_of_date(db):
    rows = report(books(db), "revenue-by-category", "2026-11-20")
    # hand-computed: as of 20 Nov only the 1 Nov agreement and the 10 Nov hourly invoice are revenue
    assert [(r["month"], r["category"], r["amount"]) for r in rows] == [
        (date(2026, 11, 1), "labor_hourly", D("300.00")), (date(2026, 11, 1), "labor_msa", D("900.00"))]
    later = report(db, "revenue-by-category", "2027-01-15")
    assert {r["month"] for r in later} == {date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)}


def test_the_recurring_share_of_the_as_of_month_is_month_to_date(db):
    (november,) = [r for r in report(books(db), "recurring-share", "2026-11-20") if r["month"] == date(2026, 11, 1)]
    # 900 / (900 + 300) = 0.75 as of the 20th; the 25 Nov hourly invoice is not dated yet
    assert (november["labor_msa"], november["labor_hourly"], november["recurring_share"]) == (
        D("900.00"), D("300.00"), D("0.750000"))
