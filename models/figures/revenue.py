"""Revenue views built from report results: the month-by-category table the owner reads."""
from __future__ import annotations

import pandas as pd

from models.settings.categories import CATEGORY_LABELS, CATEGORY_ORDER
from models.money import ZERO


def month_by_category_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of (month, category, amount) as one row per month (newest first), a column per
    category present (labelled for people) and a total; amounts stay Decimal."""
    months = sorted(set(frame["month"]), reverse=True)
    present = [c for c in CATEGORY_ORDER if c in set(frame["category"])]
    cells = {(row.month, row.category): row.amount for row in frame.itertuples(index=False)}
    rows = []
    for month in months:
        amounts = [cells.get((month, c), ZERO) for c in present]
        rows.append([month] + amounts + [sum(amounts, ZERO)])
    return pd.DataFrame(rows, columns=["Month"] + [CATEGORY_LABELS[c] for c in present] + ["Total"])
