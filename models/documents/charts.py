"""Altair charts, built once and used on screen and in printed documents."""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from models.settings.categories import CATEGORY_LABELS, CATEGORY_ORDER
from models.figures.formatting import month_text
from models.figures.trends import month_end
from models.figures.vocabulary import (AGING_COLORS, AGING_LABELS, FORECAST_COLORS, FORECAST_LABELS, MOVEMENT_COLORS,
                                      MOVEMENT_LABELS)
from models.money import cents
from models.months import add_months, part_month

CATEGORY_COLORS = ["#1f6f8b", "#67a9cf", "#f4a261", "#e9c46a", "#8d99ae", "#d62828"]  # in CATEGORY_ORDER
MONTH = alt.Tooltip("month_label:O", title="Month")
# A clicked bar selects its month (first day, ISO) and category: on screen it opens the lines behind
# the bar; printed, the selection does nothing.
BAR = "bar"
BAR_FIELDS = ["month", "category_code"]


def legend(title: str | None = None) -> alt.Legend:
    """A legend under the chart, its entries in rows of three and never shortened: a single row of six
    runs past a half-width chart and is cut ("Unmap"), and Vega shortens a long label ("Rea…")."""
    return alt.Legend(title=title, orient="bottom", columns=3, labelLimit=0)


def month_labels(months: pd.Series, through: date | None = None) -> list[str]:
    """How each month reads on the x axis ("Nov 2025"); the month of `through`, while it is not over on
    that day, is marked as a part month ("Dec 2026 (part)")."""
    partial = part_month(through) if through else None
    return [month_text(m, m.date() == partial) for m in pd.to_datetime(months)]


def month_axis(months: pd.Series, through: date | None = None) -> alt.X:
    """An x axis with one place per month from the first to the last, a month with nothing included:
    each bar (or point) sits in the middle of its place with its one label under it. (A time axis puts
    its ticks on month boundaries: 13 labels for 12 bars, the last a month with no data.)"""
    shown = sorted(m.date() for m in pd.to_datetime(months))
    places = []
    month = shown[0] if shown else None
    while shown and month <= shown[-1]:
        places.append(month)
        month = add_months(month, 1)
    places = month_labels(places, through)
    # across, up to a year's months; beyond that upright, so every label keeps its place
    return alt.X("month_label:O", title=None, scale=alt.Scale(domain=places),
                 axis=alt.Axis(labelAngle=0 if len(places) <= 12 else -90))


def upright_months(chart: alt.Chart) -> alt.Chart:
    """The chart with its month labels upright, for a narrow place (half a printed page), where a year's
    labels across would run into each other."""
    narrow = chart.copy(deep=True)
    narrow.encoding.x.axis = alt.Axis(labelAngle=-90)
    return narrow


def revenue_by_category(frame: pd.DataFrame, through: date | None = None) -> alt.Chart:
    """Stacked monthly revenue by category from rows of (month, category, amount), as of `through`
    (its month, not over yet, marked as a part month)."""
    # Money reaches the chart as whole cents (exact integers); only the drawing divides by 100.
    data = pd.DataFrame({
        "month_label": month_labels(frame["month"], through),
        "category": [CATEGORY_LABELS.get(c, c) for c in frame["category"]],
        "cents": cents(frame["amount"]),
        "order": [CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else len(CATEGORY_ORDER) for c in frame["category"]],
        "month": _iso(frame["month"]),
        "category_code": list(frame["category"]),
    })
    return (
        _month_bars(data, frame["month"], "Revenue ($)", through)
        .encode(
            color=alt.Color("category:N",
                            scale=alt.Scale(domain=[CATEGORY_LABELS[c] for c in CATEGORY_ORDER], range=CATEGORY_COLORS),
                            legend=legend("Category")),
            order=alt.Order("order:Q"),
            tooltip=[MONTH, "category:N",
                     alt.Tooltip("sum(dollars):Q", title="Revenue", format="$,.2f")],
        )
        .properties(height=360)
    )


def _month_bars(data: pd.DataFrame, months, title: str, through: date | None = None) -> alt.Chart:
    """Stacked bars of whole cents per month label, one labelled slot per month, drawn in dollars; a
    click selects the bar's month and category (BAR)."""
    return (
        alt.Chart(data)
        .transform_calculate(dollars="datum.cents / 100")
        .mark_bar(cursor="pointer")
        .encode(x=month_axis(months, through), y=alt.Y("sum(dollars):Q", title=title, axis=alt.Axis(format="$,.0f")),
                detail=[f"{name}:N" for name in BAR_FIELDS])
        .add_params(alt.selection_point(name=BAR, fields=BAR_FIELDS))
    )


def _iso(months: pd.Series) -> list[str]:
    return [m.isoformat() for m in pd.to_datetime(months).dt.date]


def client_labor_by_month(frame: pd.DataFrame) -> alt.Chart:
    """Hourly vs agreement labor per month, stacked, from client-labor --by-month rows."""
    data = pd.DataFrame({
        "month_label": month_labels(frame["month"]) * 2,
        "kind": [CATEGORY_LABELS["labor_hourly"]] * len(frame) + [CATEGORY_LABELS["labor_msa"]] * len(frame),
        "cents": cents(frame["labor_hourly"]) + cents(frame["labor_msa"]),
        "month": _iso(frame["month"]) * 2,
        "category_code": ["labor_hourly"] * len(frame) + ["labor_msa"] * len(frame),
    })
    return (
        _month_bars(data, frame["month"], "Labor ($)")
        .encode(
            color=alt.Color("kind:N", scale=alt.Scale(domain=[CATEGORY_LABELS["labor_msa"], CATEGORY_LABELS["labor_hourly"]],
                                                      range=[CATEGORY_COLORS[0], CATEGORY_COLORS[1]]),
                            legend=legend()),
            tooltip=[MONTH, "kind:N",
                     alt.Tooltip("sum(dollars):Q", title="Amount", format="$,.2f")],
        )
        .properties(height=260)
    )


def recurring_share_trend(frame: pd.DataFrame, target_percent) -> alt.LayerChart:
    """The monthly and 12-month recurring share of labor, with the target as a rule."""
    rows = frame.dropna(subset=["recurring_share"])
    data = pd.DataFrame({
        "month_label": month_labels(rows["month"]) * 2,
        "series": ["This month"] * len(rows) + ["Rolling 12 months"] * len(rows),
        # shares are exact decimals to 6 places; parts per million reach the chart as integers
        "ppm": [int(v * 1_000_000) for v in rows["recurring_share"]]
               + [int(v * 1_000_000) if v is not None else 0 for v in rows["recurring_share_12m"]],
    })
    lines = (
        alt.Chart(data)
        .transform_calculate(share="datum.ppm / 1000000")
        .mark_line(point=True)
        .encode(
            x=month_axis(rows["month"]),
            # a short title: an upright one longer than the plot is cut at its top
            y=alt.Y("share:Q", title="Share of labor", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("series:N", legend=legend(),
                            scale=alt.Scale(range=[CATEGORY_COLORS[0], CATEGORY_COLORS[3]])),
            tooltip=[MONTH, "series:N",
                     alt.Tooltip("share:Q", format=".1%")],
        )
    )
    target = (
        alt.Chart(pd.DataFrame({"target_ppm": [int(target_percent * 10_000)]}))
        .transform_calculate(target="datum.target_ppm / 1000000")
        .mark_rule(strokeDash=[6, 4], color=CATEGORY_COLORS[5])
        .encode(y="target:Q")
    )
    return (lines + target).properties(height=300)


def parts_by_month(frame: pd.DataFrame, labels: dict[str, str], colors: dict[str, str], title: str,
                   as_of: date | None = None) -> alt.Chart:
    """Stacked bars of rows (month, part, amount), one colour a part in the order of `labels` (part ->
    its name); parts below zero stack downwards. A click selects the bar's month and part (BAR). With
    `as_of`, a trend of month ends: each bar is as of its month's last day, the as-of month's (marked a
    part month) as of the as-of date, and its tooltip says which day."""
    data = pd.DataFrame({
        "month_label": month_labels(frame["month"], as_of),
        "part": [labels[p] for p in frame["part"]],
        "cents": cents(frame["amount"]),
        "order": [list(labels).index(p) for p in frame["part"]],
        "month": _iso(frame["month"]),
        "category_code": list(frame["part"]),
    })
    tooltip = [MONTH, alt.Tooltip("part:N", title="Part"), alt.Tooltip("sum(dollars):Q", title="Amount", format="$,.2f")]
    if as_of:
        data["day"] = [month_end(m, as_of).isoformat() for m in pd.to_datetime(frame["month"]).dt.date]
        tooltip.insert(1, alt.Tooltip("day:N", title="As of"))
    return (
        _month_bars(data, frame["month"], title, as_of)
        .encode(
            color=alt.Color("part:N", scale=alt.Scale(domain=list(labels.values()), range=[colors[p] for p in labels]),
                            legend=legend()),
            order=alt.Order("order:Q"),
            tooltip=tooltip,
        )
        .properties(height=280)
    )


def mrr_trend(parts: pd.DataFrame) -> alt.Chart:
    """MRR month by month, from rows (month, 'mrr', amount)."""
    return parts_by_month(parts, {"mrr": "MRR"}, {"mrr": CATEGORY_COLORS[0]}, "MRR ($)")


def mrr_movements_trend(parts: pd.DataFrame) -> alt.Chart:
    """What moved MRR each month: rows (month, movement, amount), gains above zero, losses below."""
    return parts_by_month(parts, MOVEMENT_LABELS, MOVEMENT_COLORS, "Change in MRR ($)")


def forecast_by_source(parts: pd.DataFrame) -> alt.Chart:
    """Committed MRR of each coming month by where it comes from: rows (month, source, amount)."""
    return parts_by_month(parts, FORECAST_LABELS, FORECAST_COLORS, "Committed MRR ($)")


def aging_trend(parts: pd.DataFrame, as_of: date) -> alt.Chart:
    """Receivables at each month end by days past due (the as-of month's: on the as-of date): rows
    (month, bucket, amount)."""
    return parts_by_month(parts, AGING_LABELS, AGING_COLORS, "Receivables ($)", as_of)


def liability_trend(parts: pd.DataFrame, as_of: date) -> alt.Chart:
    """The prepayment liability at each month end (the as-of month's: on the as-of date): rows
    (month, 'liability', amount)."""
    return parts_by_month(parts, {"liability": "Prepayment liability"}, {"liability": CATEGORY_COLORS[0]},
                          "Held ($)", as_of)


def prepayment_schedule(frame: pd.DataFrame) -> alt.Chart:
    """What of the liability becomes revenue in each coming month, from rows (month, amount); a click
    selects the bar's month (BAR)."""
    parts = pd.DataFrame({"month": frame["month"], "part": "becomes_revenue", "amount": frame["amount"]})
    return parts_by_month(parts, {"becomes_revenue": "Becomes revenue"}, {"becomes_revenue": CATEGORY_COLORS[0]},
                          "Becomes revenue ($)")
