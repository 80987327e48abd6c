"""Trends read at a glance: MRR and its movements month by month, and receivables aging and the
prepayment liability as they stood at each month end (the as-of month: as of the as-of date)."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from models.figures import drilldown, reports
from models.money import ZERO
from models.months import add_months, month_bounds, part_month
from models.figures.vocabulary import AGING_BUCKETS, MRR_MOVEMENTS
from models.settings.settings import Settings

MONTHS_SHOWN = 12  # of aging and liability: each month end is a run of the report
PARTS = ["month", "part", "amount"]


def month_end(month: date, as_of: date) -> date:
    """The day a month's figure is as of: its last day, or the as-of date in the as-of month."""
    return min(month_bounds(month)[1], as_of)


def month_ends(as_of: date, months: int = MONTHS_SHOWN) -> list[date]:
    return [month_end(add_months(as_of, -back), as_of) for back in range(months - 1, -1, -1)]


def month_ends_title(lead: str, as_of: date, months: int = MONTHS_SHOWN) -> str:
    """A trend of month ends' title, e.g. lead "Held at": "Held at each month end, last 12 months"; while the
    as-of month is not over its last point is the as-of date, no month end, and the title says so."""
    if part_month(as_of):
        return f"{lead} each of the last {months - 1} month ends and on {as_of:%B} {as_of.day}, {as_of.year}"
    return f"{lead} each month end, last {months} months"


def aging_figure(month: date, bucket: str, as_of: date) -> drilldown.Figure:
    """A bar of the aging trend: the bucket's invoices open at that month end."""
    return drilldown.receivables(bucket, as_of=month_end(month, as_of))


def liability_figure(month: date, part: str, as_of: date) -> drilldown.Figure:
    """A bar of the liability trend: what was held at that month end."""
    return drilldown.prepayments(part, as_of=month_end(month, as_of))


def mrr_by_month(summary: pd.DataFrame) -> pd.DataFrame:
    """Rows (month, part, amount) of MRR from mrr --summary rows."""
    return pd.DataFrame({"month": summary["month"], "part": "mrr", "amount": summary["mrr"]}, columns=PARTS)


def movements_by_month(summary: pd.DataFrame) -> pd.DataFrame:
    """Rows (month, part, amount) of each month's movements (none for a movement that did not happen)."""
    long = summary.melt(id_vars=["month"], value_vars=list(MRR_MOVEMENTS), var_name="part", value_name="amount")
    return long[long["amount"] != 0].reset_index(drop=True)


def aging_over_time(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date,
                    realm: str | None = None) -> pd.DataFrame:
    """Rows (month, part, amount): each aging bucket's receivables at each month end."""
    rows = []
    for day in month_ends(as_of):
        aging = reports.run(con, "ar-aging", reports.Options(as_of=day, realm=realm), settings).frame()
        rows += [(day.replace(day=1), bucket, sum(aging[bucket], ZERO)) for bucket in AGING_BUCKETS]
    return pd.DataFrame(rows, columns=PARTS)


def liability_over_time(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date,
                        realm: str | None = None) -> pd.DataFrame:
    """Rows (month, part, amount): the prepayment liability at each month end."""
    rows = []
    for day in month_ends(as_of):
        held = reports.run(con, "prepayments", reports.Options(as_of=day, realm=realm), settings).frame()
        rows.append((day.replace(day=1), "liability", sum(held["liability"], ZERO)))
    return pd.DataFrame(rows, columns=PARTS)
