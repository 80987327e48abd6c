"""Altair charts, built once and used on screen and in printed documents."""
from __future__ import annotations

import altair as alt
import pandas as pd

CATEGORY_ORDER = ["labor_msa", "labor_hourly", "hardware", "software", "other", "unmapped"]
CATEGORY_COLORS = ["#1f6f8b", "#67a9cf", "#f4a261", "#e9c46a", "#8d99ae", "#d62828"]
CATEGORY_LABELS = {
    "labor_msa": "MSA labor", "labor_hourly": "Hourly labor", "hardware": "Hardware",
    "software": "Software", "other": "Other", "unmapped": "Unmapped",
}


def revenue_by_category(frame: pd.DataFrame) -> alt.Chart:
    """Stacked monthly revenue by category from rows of (month, category, amount)."""
    # Money reaches the chart as whole cents (exact integers); only the drawing divides by 100.
    data = pd.DataFrame({
        "month": pd.to_datetime(frame["month"]),
        "category": [CATEGORY_LABELS.get(c, c) for c in frame["category"]],
        "cents": [int(amount * 100) for amount in frame["amount"]],
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
