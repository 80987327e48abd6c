"""The client garden as the owner reads it: the ranked clients with each one's monthly labor trend."""
from __future__ import annotations

import pandas as pd


def with_trends(ranked: pd.DataFrame, by_month: pd.DataFrame) -> pd.DataFrame:
    """Garden rows with a `trend` column: the client's labor per month (whole dollars, oldest first),
    from client-labor --by-month rows, for a sparkline."""
    trends = (by_month.sort_values("month").groupby("customer_id")["labor_total"]
              .apply(lambda month_totals: [int(total) for total in month_totals]).rename("trend"))
    return ranked.merge(trends, left_on="customer_id", right_index=True, how="left")
