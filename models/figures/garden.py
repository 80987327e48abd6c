"""The client garden as the owner reads it: the ranked clients with each one's monthly labor trend, the
bands between the lines in money, and one scale for every client's trend."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from models.figures.formatting import money_text, months_text

CENT = Decimal("0.01")


def with_trends(ranked: pd.DataFrame, by_month: pd.DataFrame) -> pd.DataFrame:
    """Garden rows with a `trend` column: the client's labor per month (whole dollars, oldest first),
    from client-labor --by-month rows, for a sparkline."""
    trends = (by_month.sort_values("month").groupby("customer_id")["labor_total"]
              .apply(lambda month_totals: [int(total) for total in month_totals]).rename("trend"))
    return ranked.merge(trends, left_on="customer_id", right_index=True, how="left")


def line_text(line: Decimal) -> str:
    """A line as the owner draws it: $1,000, or $250.50 when it has cents."""
    return f"${line:,.0f}" if line == line.to_integral_value() else money_text(line)


def band_text(lines_reached: int, lines: tuple[Decimal, ...]) -> str:
    """The band of a client that reached `lines_reached` of the (ascending) lines, in money: a client on
    a line is at or above it, so a band ends a cent below the next line."""
    if lines_reached == 0:
        return f"under {line_text(lines[0])}"
    if lines_reached == len(lines):
        return f"{line_text(lines[-1])} and over"
    return f"{line_text(lines[lines_reached - 1])} to {money_text(lines[lines_reached] - CENT)}"


def with_bands(ranked: pd.DataFrame, lines: tuple[Decimal, ...]) -> pd.DataFrame:
    """Garden rows with `band` in money, from the lines each client reached."""
    return ranked.assign(band=[band_text(int(reached), lines) for reached in ranked["lines_reached"]])


def with_margin(ranked: pd.DataFrame, margin: pd.DataFrame) -> pd.DataFrame:
    """Garden rows with each client's gross margin % and, for a problem client (report margin), the months it
    was under the problem line: the playbook weeds the clients that do not pay, and those that cost more than
    they bring. A client of the garden with no margin row (no costs or revenue in the window) has neither."""
    by_client = {(row.realm_id, row.client_id): row for row in margin.itertuples(index=False)}
    found = [by_client.get((realm, client)) for realm, client in zip(ranked["realm_id"], ranked["customer_id"])]
    return ranked.assign(gross_margin_pct=[row.gross_margin_pct if row else None for row in found],
                         margin_problem=[months_text(row.problem_months) if row else "" for row in found])


def with_payment(ranked: pd.DataFrame, payers: pd.DataFrame) -> pd.DataFrame:
    """Garden rows with how each client pays (report payment-behaviour): its invoices' amount-weighted days to pay
    over the 12 full months and `late_payer` (an invoice past due by more than [payments] late_days today), the
    playbook's "clients who don't pay their bills". A client with no invoices and nothing overdue has neither."""
    by_client = {(row.realm_id, row.client_id): row for row in payers.itertuples(index=False)}
    found = [by_client.get((realm, client)) for realm, client in zip(ranked["realm_id"], ranked["customer_id"])]
    return ranked.assign(weighted_days_to_pay=[row.weighted_days_to_pay if row else None for row in found],
                         late_payer=[bool(row.late_payer) if row else False for row in found])


def trend_scale(trends: pd.Series) -> tuple[int, int]:
    """(lowest, highest) month over every client's trend, zero included: one scale for every row's
    sparkline, so a small client's bars look small."""
    months = [month for trend in trends.dropna() for month in trend]
    return min([0, *months]), max([0, *months])
