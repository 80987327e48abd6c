"""QuickBooks' ProfitAndLoss read as QuickBooks lays it out: parent accounts' own postings on their
section headers, sub-accounts nested, every section's summary checked."""
from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from ingest.qbo.profit_and_loss import MONTHS_PER_REQUEST, ReportError, income_by_account, request_windows
from models.months import add_months, month_bounds

NESTED = Path(__file__).parent / "fixtures" / "qbo-reports" / "profit_and_loss_nested.json"
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def nested() -> dict:
    return json.loads(NESTED.read_text(encoding="utf-8"))


def by_account(rows) -> dict:
    return {(r.month, r.account_id): r.amount for r in rows}


def test_a_parent_accounts_own_postings_are_read_from_its_header():
    income = by_account(income_by_account(nested()))
    # "Landscaping Services" (45) has 567.50 of its own in April beside its sub-accounts' 1,601.50
    assert income[(APRIL, "45")] == D("567.50")
    assert income[(MARCH, "45")] == D("220.00")
    assert income[(APRIL, "48")] == D("951.50") and income[(APRIL, "49")] == D("400.00")
    assert income[(APRIL, "52")] == D("250.00")


def test_the_accounts_read_add_up_to_total_income_in_every_month():
    """Hand-computed: March 1,275.00 - 59.00 + 220.00 + 425.00 + 50.00 = 1,911.00 (QuickBooks' Total
    Income); April 567.50 + 951.50 + 400.00 + 250.00 = 2,169.00."""
    rows = income_by_account(nested())
    assert sum(r.amount for r in rows if r.month == MARCH) == D("1911.00")
    assert sum(r.amount for r in rows if r.month == APRIL) == D("2169.00")


def test_empty_cells_are_no_posting_and_sub_account_headers_without_postings_add_nothing():
    income = by_account(income_by_account(nested()))
    assert (MARCH, "49") not in income and (APRIL, "82") not in income
    assert not any(account in ("46", "51") for _, account in income)  # "Job Materials", "Labor": headers only


def test_only_the_income_section_counts_other_income_is_its_own():
    assert {r.account for r in income_by_account(nested())} == {
        "Design income", "Discounts given", "Landscaping Services", "Fountains and Garden Lighting",
        "Plants and Soil", "Installation"}
    assert by_account(income_by_account(nested(), "OtherIncome")) == {(MARCH, "97"): D("10.00")}


def test_a_summary_that_does_not_match_what_was_read_fails_loudly():
    report = nested()
    landscaping = report["Rows"]["Row"][0]["Rows"]["Row"][2]
    del landscaping["Header"]["ColData"][2]["value"]  # the header's April amount, as an older parser would lose it
    with pytest.raises(ReportError, match="Landscaping Services, Apr 2026: the section's summary says 2169.00"):
        income_by_account(report)


def test_an_amount_that_is_no_number_names_the_account_and_month():
    report = nested()
    report["Rows"]["Row"][0]["Rows"]["Row"][0]["ColData"][1]["value"] = "n/a"
    with pytest.raises(ReportError, match="Design income, Mar 2026: 'n/a' is not an amount"):
        income_by_account(report)


def test_a_report_without_month_columns_is_refused():
    report = copy.deepcopy(nested())
    report["Columns"]["Column"] = [report["Columns"]["Column"][0], report["Columns"]["Column"][-1]]
    with pytest.raises(ReportError, match="no month columns"):
        income_by_account(report)


@pytest.mark.parametrize("months, windows", [
    ([], []),
    ([date(2026, 1, 1)], [(date(2026, 1, 1), date(2026, 1, 31))]),
    # 14 consecutive months: at most six a request (Intuit's advice)
    ([date(2025, m, 1) for m in range(1, 13)] + [date(2026, 1, 1), date(2026, 2, 1)],
     [(date(2025, 1, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 12, 31)),
      (date(2026, 1, 1), date(2026, 2, 28))]),
    # months touched years apart are asked for apart, not as one range with everything between
    ([date(2024, 2, 1), date(2026, 11, 1), date(2026, 10, 1)],
     [(date(2024, 2, 1), date(2024, 2, 29)), (date(2026, 10, 1), date(2026, 11, 30))]),
    # scattered months that fit in six share one request, which ends with the last of them
    ([date(2026, 1, 1), date(2026, 3, 1), date(2026, 5, 1)], [(date(2026, 1, 1), date(2026, 5, 31))]),
    ([date(2026, 1, 1), date(2026, 6, 1)], [(date(2026, 1, 1), date(2026, 6, 30))]),
    # July is the seventh month from January: a window of its own
    ([date(2026, 1, 1), date(2026, 7, 1)], [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 7, 1), date(2026, 7, 31))]),
    # across a year's end; the repeated month counts once
    ([date(2025, 11, 1), date(2026, 2, 1), date(2026, 2, 1), date(2026, 4, 1), date(2026, 9, 1)],
     [(date(2025, 11, 1), date(2026, 4, 30)), (date(2026, 9, 1), date(2026, 9, 30))]),
])
def test_request_windows(months, windows):
    assert request_windows(months) == windows


def months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


@settings(max_examples=200, deadline=None)
@given(st.sets(st.builds(date, st.integers(2015, 2027), st.integers(1, 12), st.just(1)), max_size=60))
def test_request_windows_cover_every_month_in_the_fewest_windows_of_six_months_at_most(months):
    windows = request_windows(list(months))
    for first, last in windows:
        assert first.day == 1 and last == month_bounds(last)[1] and first in months and last.replace(day=1) in months
        assert months_between(first, last) <= MONTHS_PER_REQUEST
    assert all(any(first <= month <= last for first, last in windows) for month in months)
    # the fewest: each window starts six months or more after the one before, so no six-month range holds two
    # starts, and any covering needs a window for each of them
    assert all(add_months(earlier[0], MONTHS_PER_REQUEST) <= later[0] for earlier, later in zip(windows, windows[1:]))
