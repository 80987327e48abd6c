"""Retention (issue 28) on a small company worked out by hand: gross and net revenue retention of agreement
revenue, client churn by count, month and trailing 12, and the top five clients' share of revenue."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from models.months import add_months
from tests.companies import Company
from tests.metrics import by, report

AS_OF = "2026-11-22"  # the 12 full months: November 2025 to October 2026


def retention_books() -> Company:
    """Agreement invoices on the 1st of each month, October 2025 to October 2026:

    | client | Oct 2025 .. Aug 2026 | Sep 2026 | Oct 2026 |
    |--------|----------------------|----------|----------|
    | A (1)  | 1000                 | 1000     | 1000     |
    | B (2)  | 500                  | 500      | 300      |  contraction in October
    | C (3)  | 400                  | -        | -        |  churn in September
    | D (4)  | 200                  | 200      | 600      |  expansion in October
    | E (5)  | from June 2026: 300  | 300      | 300      |  new in June
    F (6) bought 1000 of hourly work in March 2026, no agreement.
    """
    company = Company()
    for customer_id, name in (("1", "A"), ("2", "B"), ("3", "C"), ("4", "D"), ("5", "E"), ("6", "F")):
        company.customer(customer_id, name)
    for step in range(13):
        month = add_months(date(2025, 10, 1), step)
        day = month.isoformat()
        company.invoice("1", day, ("msa", "1000.00"))
        company.invoice("2", day, ("msa", "300.00" if month == date(2026, 10, 1) else "500.00"))
        if month <= date(2026, 8, 1):
            company.invoice("3", day, ("msa", "400.00"))
        company.invoice("4", day, ("msa", "600.00" if month == date(2026, 10, 1) else "200.00"))
        if month >= date(2026, 6, 1):
            company.invoice("5", day, ("msa", "300.00"))
    company.invoice("6", "2026-03-10", ("hourly", "1000.00"))
    return company


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    db = retention_books().load(tmp_path_factory.mktemp("retention") / "warehouse.duckdb")
    return by(report(db, "retention", AS_OF), "month")


def test_the_twelve_full_months(rows):
    assert list(rows) == [add_months(date(2025, 11, 1), step) for step in range(12)]


def test_monthly_retention_by_hand(rows):
    """September: the clients with MRR in August, A 1000 + B 500 + C 400 + D 200 + E 300 = 2400, keep
    1000 + 500 + 0 + 200 + 300 = 2000 in September: gross 2000 / 2400 = 83.3333%, net the same; C is 1 of the 5
    gone: 20%.
    October: of A 1000 + B 500 + D 200 + E 300 = 2000, gross keeps 1000 + 300 + 200 (D's growth is not counted)
    + 300 = 1800: 90%; net 1000 + 300 + 600 + 300 = 2200: 110%; none of the 4 gone."""
    september, october = rows[date(2026, 9, 1)], rows[date(2026, 10, 1)]
    assert (september["starting_mrr"], september["grr_percent"], september["nrr_percent"],
            september["clients_at_start"], september["clients_churned"], september["client_churn_percent"]) == (
        D("2400.00"), D("83.3333"), D("83.3333"), 5, 1, D("20.0000"))
    assert (october["starting_mrr"], october["grr_percent"], october["nrr_percent"], october["clients_at_start"],
            october["clients_churned"], october["client_churn_percent"]) == (
        D("2000.00"), D("90.0000"), D("110.0000"), 4, 0, D("0.0000"))


def test_trailing_twelve_month_retention_by_hand(rows):
    """October 2026 against October 2025: A 1000 + B 500 + C 400 + D 200 = 2100 a year before. Gross keeps A 1000,
    B 300 (of its 500), C 0, D 200 (its 600 capped at its 200): 1500 / 2100 = 0.714286 = 71.4286%. Net: 1000 + 300
    + 0 + 600 = 1900 / 2100 = 0.904762 = 90.4762%. E was not a client a year before. C is 1 of the 4 gone: 25%."""
    october = rows[date(2026, 10, 1)]
    assert (october["year_ago_mrr"], october["grr_12m_percent"], october["nrr_12m_percent"],
            october["clients_year_ago"], october["clients_churned_12m"], october["client_churn_12m_percent"]) == (
        D("2100.00"), D("71.4286"), D("90.4762"), 4, 1, D("25.0000"))
    # a year before November 2025 nobody had MRR: no trailing retention to speak of
    first = rows[date(2025, 11, 1)]
    assert (first["year_ago_mrr"], first["grr_12m_percent"], first["nrr_12m_percent"]) == (D("0.00"), None, None)


def test_top_five_share_by_hand(rows):
    """The 12 months November 2025 to October 2026: A 12 x 1000 = 12000, B 11 x 500 + 300 = 5800, C 10 x 400 =
    4000 (November to August), D 11 x 200 + 600 = 2800, E 5 x 300 = 1500, F 1000 of hourly work: 27100 in all.
    The top five leave F out: 26100 / 27100 = 0.963100 = 96.3100%."""
    october = rows[date(2026, 10, 1)]
    assert (october["top5_revenue_12m"], october["revenue_12m"], october["top5_share_12m_percent"]) == (
        D("26100.00"), D("27100.00"), D("96.3100"))
