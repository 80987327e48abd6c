"""Monthly charts as drawn (vl-convert's SVG, the same drawing the printouts use): one label per month,
under the middle of its bar, and no label for a month the chart does not show."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from models.documents import charts
from models.figures.formatting import month_text
from models.months import add_months
from tests.drawn_charts import SVG, bar_centres, drawn, x_labels

MONTHS = [add_months(date(2025, 11, 1), i) for i in range(12)]  # Nov 2025 .. Oct 2026
def assert_one_centred_label_per_bar(chart, months: list[date]) -> None:
    svg = drawn(chart)
    labels, centres = x_labels(svg), bar_centres(svg)
    assert [text for text, _ in labels] == [month_text(m) for m in months]
    assert len(centres) == len(months)
    for (text, x), centre in zip(labels, centres):
        assert abs(x - centre) < 1.5, (text, x, centre)


def test_revenue_by_category_labels_each_months_bar():
    frame = pd.DataFrame({"month": MONTHS * 2, "category": ["labor_msa"] * 12 + ["hardware"] * 12,
                          "amount": [Decimal("950.00")] * 12 + [Decimal("120.50")] * 12})
    assert_one_centred_label_per_bar(charts.revenue_by_category(frame), MONTHS)


def test_client_labor_by_month_labels_each_months_bar():
    frame = pd.DataFrame({"month": MONTHS, "labor_hourly": [Decimal("150.00")] * 12,
                          "labor_msa": [Decimal("800.00")] * 12})
    assert_one_centred_label_per_bar(charts.client_labor_by_month(frame), MONTHS)


def test_prepayment_schedule_labels_each_month_even_one_with_nothing():
    # nothing becomes revenue in the third month: it still has its place and its label
    held = [m for i, m in enumerate(MONTHS[:6]) if i != 2]
    frame = pd.DataFrame({"month": held, "amount": [Decimal("300.00")] * len(held)})
    svg = drawn(charts.prepayment_schedule(frame))
    assert [text for text, _ in x_labels(svg)] == [month_text(m) for m in MONTHS[:6]]
    assert len(bar_centres(svg)) == 5


@pytest.mark.parametrize("count", [12, 24])
def test_recurring_share_trend_has_a_label_per_point_and_none_past_the_last(count):
    months = [add_months(date(2024, 11, 1), i) for i in range(count)]
    frame = pd.DataFrame({"month": months, "recurring_share": [Decimal("0.5")] * count,
                          "recurring_share_12m": [Decimal("0.4")] * count})
    labels = [text for text, _ in x_labels(drawn(charts.recurring_share_trend(frame, Decimal(60))))]
    assert labels == [month_text(m) for m in months]


def test_the_trends_label_each_months_bar():
    parts = pd.DataFrame({"month": MONTHS * 2, "part": ["current"] * 12 + ["days_90_plus"] * 12,
                          "amount": [Decimal("400.00")] * 12 + [Decimal("80.00")] * 12})
    assert_one_centred_label_per_bar(charts.aging_trend(parts, date(2026, 10, 31)), MONTHS)
    held = pd.DataFrame({"month": MONTHS, "part": "liability", "amount": [Decimal("1200.00")] * 12})
    assert_one_centred_label_per_bar(charts.liability_trend(held, date(2026, 10, 31)), MONTHS)
    mrr = pd.DataFrame({"month": MONTHS, "part": "mrr", "amount": [Decimal("9500.00")] * 12})
    assert_one_centred_label_per_bar(charts.mrr_trend(mrr), MONTHS)


@pytest.mark.parametrize("trend", [charts.aging_trend, charts.liability_trend])
def test_a_month_end_trend_says_its_last_bar_is_as_of_the_as_of_date(trend):
    # as of 22 October the last bar is that day's figure, not October's month end: its label marks the month
    # as a part month and each bar's tooltip names the day it is as of
    parts = pd.DataFrame({"month": MONTHS, "part": "liability" if trend is charts.liability_trend else "current",
                          "amount": [Decimal("1200.00")] * 12})
    chart = trend(parts, date(2026, 10, 22))
    labels = [text for text, _ in x_labels(drawn(chart))]
    assert labels == [month_text(m) for m in MONTHS[:-1]] + ["Oct 2026 (part)"]
    spec = chart.to_dict()
    (rows,) = spec["datasets"].values()
    assert [(r["month_label"], r["day"]) for r in rows][-2:] == [("Sep 2026", "2026-09-30"),
                                                                 ("Oct 2026 (part)", "2026-10-22")]
    assert {"field": "day", "type": "nominal", "title": "As of"} in spec["encoding"]["tooltip"]


def test_mrr_movements_stack_losses_below_zero():
    moves = pd.DataFrame({"month": MONTHS[:2] * 2, "part": ["new", "new", "churn", "churn"],
                          "amount": [Decimal("500.00"), Decimal("300.00"), Decimal("-200.00"), Decimal("-100.00")]})
    svg = drawn(charts.mrr_movements_trend(moves))
    assert len(bar_centres(svg)) == 2
    bars = {(re.search(r"part: (\w+)", p.get("aria-label"))[1], re.search(r"month: ([\d-]+)", p.get("aria-label"))[1]):
            [float(v) for v in re.match(r"M[-\d.]+,([-\d.]+)h[-\d.]+v([-\d.]+)", p.get("d")).groups()]
            for p in svg.iter(f"{SVG}path") if p.get("aria-roledescription") == "bar"}
    assert len(bars) == 4
    for month in ("2025-11-01", "2025-12-01"):  # each churn bar hangs from the zero line the new bar stands on
        (new_top, new_height), (churn_top, _) = bars["New", month], bars["Churn", month]
        assert abs(new_top + new_height - churn_top) < 0.01
