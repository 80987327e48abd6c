"""Altair charts, built once and used on screen and in printed documents."""
from __future__ import annotations

import altair as alt
import pandas as pd

from models.categories import CATEGORY_LABELS, CATEGORY_ORDER
from models.money import cents

CATEGORY_COLORS = ["#1f6f8b", "#67a9cf", "#f4a261", "#e9c46a", "#8d99ae", "#d62828"]  # in CATEGORY_ORDER


def revenue_by_category(frame: pd.DataFrame) -> alt.Chart:
    """Stacked monthly revenue by category from rows of (month, category, amount)."""
    # Money reaches the chart as whole cents (exact integers); only the drawing divides by 100.
    data = pd.DataFrame({
        "month": pd.to_datetime(frame["month"]),
        "category": [CATEGORY_LABELS.get(c, c) for c in frame["category"]],
        "cents": cents(frame["amount"]),
        "order": [CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else len(CATEGORY_ORDER) for c in frame["category"]],
    })
    return (
        alt.Chart(data)
        .transform_calculate(dollars="datum.cents / 100")
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None),
            y=alt.Y("sum(dollars):Q", title="Revenue ($)", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("category:N",
                            scale=alt.Scale(domain=[CATEGORY_LABELS[c] for c in CATEGORY_ORDER], range=CATEGORY_COLORS),
                            legend=alt.Legend(title="Category", orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), "category:N",
                     alt.Tooltip("sum(dollars):Q", title="Revenue", format="$,.2f")],
        )
        .properties(height=360)
    )


def client_labor_by_month(frame: pd.DataFrame) -> alt.Chart:
    """Hourly vs agreement labor per month, stacked, from client-labor --by-month rows."""
    data = pd.DataFrame({
        "month": list(pd.to_datetime(frame["month"])) * 2,
        "kind": [CATEGORY_LABELS["labor_hourly"]] * len(frame) + [CATEGORY_LABELS["labor_msa"]] * len(frame),
        "cents": cents(frame["labor_hourly"]) + cents(frame["labor_msa"]),
    })
    return (
        alt.Chart(data)
        .transform_calculate(dollars="datum.cents / 100")
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %y")),
            y=alt.Y("sum(dollars):Q", title="Labor ($)", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("kind:N", scale=alt.Scale(domain=[CATEGORY_LABELS["labor_msa"], CATEGORY_LABELS["labor_hourly"]],
                                                      range=[CATEGORY_COLORS[0], CATEGORY_COLORS[1]]),
                            legend=alt.Legend(title=None, orient="bottom")),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), "kind:N",
                     alt.Tooltip("sum(dollars):Q", title="Amount", format="$,.2f")],
        )
        .properties(height=260)
    )


def recurring_share_trend(frame: pd.DataFrame, target_percent) -> alt.LayerChart:
    """The monthly and 12-month recurring share of labor, with the target as a rule."""
    rows = frame.dropna(subset=["recurring_share"])
    data = pd.DataFrame({
        "month": list(pd.to_datetime(rows["month"])) * 2,
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
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %y")),
            y=alt.Y("share:Q", title="Recurring share of labor", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("series:N", legend=alt.Legend(title=None, orient="bottom"),
                            scale=alt.Scale(range=[CATEGORY_COLORS[0], CATEGORY_COLORS[3]])),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), "series:N",
                     alt.Tooltip("share:Q", format=".1%")],
        )
    )
    target = (
        alt.Chart(pd.DataFrame({"target_ppm": [int(target_percent * 10_000)]}))
        .transform_calculate(target="datum.target_ppm / 1000000")
        .mark_rule(strokeDash=[6, 4], color=CATEGORY_COLORS[5])
        .encode(y="target:Q")
    )
    return (lines + target).properties(height=260)


def amounts_by_month(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Bars of (month, amount) rows, e.g. the prepayment schedule."""
    data = pd.DataFrame({"month": pd.to_datetime(frame["month"]), "cents": cents(frame["amount"])})
    return (
        alt.Chart(data)
        .transform_calculate(dollars="datum.cents / 100")
        .mark_bar(color=CATEGORY_COLORS[0])
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %y")),
            y=alt.Y("dollars:Q", title=title, axis=alt.Axis(format="$,.0f")),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"),
                     alt.Tooltip("dollars:Q", title=title, format="$,.2f")],
        )
        .properties(height=240)
    )
