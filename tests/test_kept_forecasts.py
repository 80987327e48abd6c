"""Kept forecasts (issue 28): each build keeps the MRR forecast it made, no build erases it, and a month that is
over shows what was forecast for it against what came (report forecast-accuracy), worked by hand."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from models.warehouse import kept_forecasts
from tests.companies import Company
from tests.helpers import app_page, cli, work_query
from tests.metrics import report


def made_on(monkeypatch, day: str) -> None:
    monkeypatch.setattr(kept_forecasts, "made_on", lambda: date.fromisoformat(day))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Built on 22 November 2025: Acme's template bills 950 a month from 1 Dec; Foxtrot is invoiced 300 by hand
    (Aug - Nov), carried. December's forecast: 950 + 300 = 1,250.00 committed; no churn, contraction or expansion in
    the 12 full months (both new in August): expected the same. Then December comes: Acme 950 by its template,
    Foxtrot cut to 200: 1,150.00; built again on 5 January 2026."""
    company = Company()
    company.customer("10", "Acme")
    company.customer("60", "Foxtrot")
    for month in ("08", "09", "10", "11"):
        company.document("SalesReceipt", "10", f"2025-{month}-01", ("msa", "950.00"))
        company.invoice("60", f"2025-{month}-01", ("silver", "300.00"))
    company.template("SalesReceipt", "10", ("msa", "950.00"), next_date="2025-12-01", previous="2025-11-01")
    with pytest.MonkeyPatch.context() as monkeypatch:
        made_on(monkeypatch, "2025-11-22")
        db = company.load(tmp_path_factory.mktemp("kept") / "warehouse.duckdb")
        company.document("SalesReceipt", "10", "2025-12-01", ("msa", "950.00"))
        company.invoice("60", "2025-12-01", ("silver", "200.00"))
        made_on(monkeypatch, "2026-01-05")
        return company.load(db)


def test_a_month_over_shows_its_kept_forecast_against_what_came(books):
    """December: forecast on 22 Nov (a month ahead) 1,250.00; came 1,150.00: 100.00 less, -8% of expected.
    January is not over on 5 January: not listed."""
    assert report(books, "forecast-accuracy", "2026-01-05") == [{
        "month": date(2025, 12, 1), "made_on": date(2025, 11, 22), "months_ahead": 1,
        "committed_mrr": D("1250.00"), "expected_mrr": D("1250.00"), "actual_mrr": D("1150.00"),
        "committed_difference": D("-100.00"), "expected_difference": D("-100.00"),
        "expected_error_percent": D("-8.0000")}]


def test_no_build_erases_a_kept_forecast_and_a_day_keeps_its_last(books, monkeypatch):
    """A full rebuild on 5 January again replaces that day's forecast and leaves 22 November's: twelve months of
    Acme's 950 and Foxtrot's 300 carried (15,000.00); on 5 January Acme's 950 alone (11,400.00): Foxtrot has no
    January invoice yet to carry."""
    made_on(monkeypatch, "2026-01-05")
    assert cli("build", "--full", "--db", books) == 0
    kept = work_query(books, "select made_on, count(*), sum(committed_mrr) from raw.kept_forecasts group by made_on "
                        "order by made_on")
    assert kept == [(date(2025, 11, 22), 12, D("15000.00")), (date(2026, 1, 5), 12, D("11400.00"))]


def test_the_actual_mrr_opens_to_its_lines(books):
    lines = report(books, "lines", "2026-01-05", kind="mrr", month=date(2025, 12, 1))
    assert sum((r["amount"] for r in lines), D("0.00")) == D("1150.00")


def test_the_forecast_page_shows_the_month_against_its_forecast(books, monkeypatch):
    app = app_page(monkeypatch, books, "dashboards/forecast.py", date(2026, 1, 5))
    assert not app.exception, [e.message for e in app.exception]
    (shown,) = [grid.value for grid in app.dataframe if "actual_mrr" in grid.value.columns]
    assert list(zip(shown["expected_mrr"], shown["actual_mrr"])) == [(D("1250.00"), D("1150.00"))]
