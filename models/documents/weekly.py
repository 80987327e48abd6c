"""The owner's week: the figures of the weekly dashboard and its one-page PDF."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import duckdb
import pandas as pd

from models.documents import charts, pdf
from models.figures import drilldown, reports, trends
from models.figures.reports import CASH_FIGURES
from models.settings.categories import CATEGORY_LABELS, CATEGORY_ORDER
from models.figures.formatting import column_label, money_text, month_text, share_text
from models.figures.periods import part_month_note
from models.figures.vocabulary import GROWTH, LOSS, MOVEMENT_LABELS, MRR_MOVEMENTS, OTHER_MOVEMENTS, PAST_DUE_BUCKETS
from models.money import ZERO
from models.months import add_months, part_month, previous_month, same_day_last_month, week_of
from models.settings.settings import Settings



@dataclass(frozen=True)
class Week:
    as_of: date
    first_day: date            # Monday
    last_day: date             # Sunday
    this_week: dict[str, Decimal]
    last_week: dict[str, Decimal]
    month_to_date: dict[str, Decimal]
    last_month_to_date: dict[str, Decimal]
    mrr: dict                  # this month's row of mrr --summary (or zeros)
    share: dict                # this month's row of recurring-share, month to date (or empty)
    last_month: date           # the last full month (its first day)
    last_month_share: dict     # its row of recurring-share (or empty): the share the page leads with
    share_trend: pd.DataFrame  # recurring-share rows of the last 24 full months (a part month reads high)
    mrr_trend: pd.DataFrame    # mrr --summary rows of the last 24 months
    by_category: pd.DataFrame  # revenue-by-category rows of the last 12 months
    receivables: Decimal
    past_due: Decimal
    prepayments: Decimal
    top_clients: pd.DataFrame  # client-labor, top 5 by labor
    target_percent: Decimal
    forecast: pd.DataFrame     # report forecast of the next FORECAST_MONTHS months: committed and expected MRR
    cash: pd.DataFrame         # report forecast --cash: what comes in, by week, the next 13 weeks
    at_risk: pd.DataFrame      # report at-risk: the clients at risk and why


def load(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date, realm: str | None = None) -> Week:
    """The week containing as_of, with every figure as of that date."""
    def run(name: str, **options) -> pd.DataFrame:
        return reports.run(con, name, reports.Options(as_of=as_of, realm=realm, **options), settings).frame()

    def by_category(first: date, last: date) -> dict[str, Decimal]:
        frame = run("revenue-by-category", period=(first, last))
        return dict(zip(frame["category"], frame["amount"]))

    first_day, last_day = week_of(as_of)
    month_start = as_of.replace(day=1)
    days = periods(as_of)
    mrr = run("mrr", summary=True)
    share = run("recurring-share")
    aging = run("ar-aging")
    monthly = run("revenue-by-category")
    start_12 = add_months(month_start, -11)
    last_month = previous_month(as_of)

    def month_rows(frame: pd.DataFrame, month: date = month_start) -> list[dict]:
        return frame[frame["month"] == month].to_dict("records")

    return Week(
        as_of=as_of, first_day=first_day, last_day=last_day,
        this_week=by_category(*days["This week"]),
        last_week=by_category(*days["Same days last week"]),
        month_to_date=by_category(*days["Month to date"]),
        last_month_to_date=by_category(*days["Same point last month"]),
        mrr=(month_rows(mrr) or [{"mrr": ZERO, "starting_mrr": ZERO, **{m: ZERO for m in MRR_MOVEMENTS},
                                  "clients": 0}])[0],
        share=(month_rows(share) or [{}])[0],
        last_month=last_month,
        last_month_share=(month_rows(share, last_month) or [{}])[0],
        share_trend=share[share["month"] != part_month(as_of)].tail(24),
        mrr_trend=mrr.tail(24),
        by_category=monthly[(monthly["month"] >= start_12) & (monthly["month"] <= month_start)] if len(monthly) else monthly,
        receivables=sum(aging["total"], ZERO) if len(aging) else ZERO,
        past_due=sum((aging[c].sum() for c in PAST_DUE_BUCKETS), ZERO)
        if len(aging) else ZERO,
        prepayments=sum(run("prepayments")["liability"], ZERO),
        top_clients=run("client-labor").head(5),
        target_percent=settings.recurring_target_percent,
        forecast=run("forecast", months=FORECAST_MONTHS),
        cash=run("forecast", cash=True),
        at_risk=run("at-risk"),
    )


FORECAST_MONTHS = 3  # the months of MRR forecast the week shows: a quarter ahead
CASH_PARTS = tuple(c for c in CASH_FIGURES if c not in ("cash_in", "becomes_revenue"))  # what cash in adds up


def at_risk_clients(week: Week) -> int:
    """The clients on the at-risk list (one on it for two reasons counts once)."""
    return len(set(zip(week.at_risk["realm_id"], week.at_risk["client_id"]))) if len(week.at_risk) else 0


def forecast_rows(week: Week) -> list[list[str]]:
    """The forecast section's table: committed and expected MRR of each coming month, as report forecast gives them."""
    return [[column_label(column), *(money_text(v) for v in week.forecast[column])]
            for column in ("committed_mrr", "expected_mrr")]


def cash_summary(week: Week) -> str:
    """The cash forecast's weeks in one line: cash in, what it is made of, and the clients at risk."""
    cash = week.cash
    parts = " + ".join(f"{column_label(column).lower()} {money_text(sum(cash[column], ZERO))}"
                       for column in CASH_PARTS)
    risky = at_risk_clients(week)
    first, last = cash["period_start"].iloc[0], cash["period_end"].iloc[-1]
    return (f"Cash in, the next {len(cash)} weeks ({first:%B} {first.day} – {last:%B} {last.day}, {last.year}): "
            f"{money_text(sum(cash['cash_in'], ZERO))} ({parts}). "
            f"{risky} client{'s' if risky != 1 else ''} at risk (the Forecast page lists them and why).")


def movements_text(moves: tuple[str, ...]) -> str:
    """Movements added together, as the PDF's money table names them (indented under MRR)."""
    return "  " + " + ".join(MOVEMENT_LABELS[m].lower() for m in moves)


CHANGE = "Change"  # the comparison tables' last column: this period less the earlier one


def periods(as_of: date) -> dict[str, tuple[date, date]]:
    """The days each comparison column sums, by the column's name."""
    first_day = week_of(as_of)[0]
    last_month_day = same_day_last_month(as_of)
    return {"This week": (first_day, as_of),
            "Same days last week": (first_day - timedelta(days=7), as_of - timedelta(days=7)),
            "Month to date": (as_of.replace(day=1), as_of),
            "Same point last month": (last_month_day.replace(day=1), last_month_day)}


def period_figure(week: Week, column: str, category: str | None = None) -> drilldown.Figure | None:
    """The revenue lines behind a comparison column (a category's, or all)."""
    if column not in periods(week.as_of):
        return None
    first, last = periods(week.as_of)[column]
    return drilldown.revenue_in_days(first, last, category, column.lower())


def comparison_cell(week: Week, row: pd.Series, column: str) -> drilldown.Figure | None:
    """A cell of a comparison table (columns: category, this period, the earlier one, Change): the
    period's lines, or for the change the lines of this period less those of the earlier one."""
    category = drilldown.category_of(row.iloc[0])
    if column != CHANGE:
        return period_figure(week, column, category)
    current, earlier = row.index[1], row.index[2]
    figure = period_figure(week, current, category)
    return replace(figure, title=f"Change: {figure.title}, against {earlier.lower()}",
                   against=periods(week.as_of)[earlier])


def total(by_category: dict[str, Decimal]) -> Decimal:
    return sum(by_category.values(), ZERO)


def comparison_rows(current: dict[str, Decimal], previous: dict[str, Decimal]) -> list[list]:
    """Per category present in either period, and a total: (label, current, previous, change)."""
    categories = [c for c in CATEGORY_ORDER if c in current or c in previous]
    rows = [[CATEGORY_LABELS[c], current.get(c, ZERO), previous.get(c, ZERO),
             current.get(c, ZERO) - previous.get(c, ZERO)] for c in categories]
    total_now, total_then = total(current), total(previous)
    rows.append(["Total", total_now, total_then, total_now - total_then])
    return rows


def share_summary(week: Week) -> str:
    """The recurring share as the summary says it: the last full month and its 12 months first, this
    month's part-month figure after, named as such and, while the month is not over, with the words the This
    week page shows under it (a month to date reads high and is not judged against the target)."""
    last = week.last_month_share
    note = part_month_note(week.as_of, week.target_percent)
    return (f"recurring share {share_text(last.get('recurring_share'))} in {week.last_month:%B %Y}, "
            f"{share_text(last.get('recurring_share_12m'))} over the 12 months to {week.last_month:%B %Y} "
            f"(target {week.target_percent}%); {share_text(week.share.get('recurring_share'))} month to date"
            + (f" — {note}" if note else ""))


def money_and_forecast(week: Week):
    """The money now and the forecast, side by side (the forecast beneath would push the charts to a second page):
    MRR and its movements, receivables and prepayments; the coming months' MRR, the weeks' cash and the clients at
    risk."""
    mrr = week.mrr
    money = pdf.table(pdf.TableData(["", "Amount"], [
        ["MRR this month", money_text(mrr["mrr"])],
        *([movements_text(moves), money_text(sum((mrr[m] for m in moves), ZERO))] for moves in (GROWTH, LOSS)),
        *([f"{movements_text((m,))} ({note})", money_text(mrr[m])]
          for m, note in OTHER_MOVEMENTS.items() if mrr[m]),
        ["Receivables", money_text(week.receivables)],
        ["  of which past due", money_text(week.past_due)],
        ["Held as prepayment", money_text(week.prepayments)],
    ]))
    forecast = [pdf.table(pdf.TableData(["MRR", *(month_text(m) for m in week.forecast["month"])],
                                        forecast_rows(week))),
                pdf.paragraph(cash_summary(week))]
    left = money.wrap(pdf.CONTENT_WIDTH, pdf.CONTENT_WIDTH)[0] + MONEY_GAP
    return pdf.side_by_side([("Money", [money]), ("Forecast", forecast)],
                            [left, pdf.CONTENT_WIDTH - 2 * pdf.FRAME_PADDING - left])


MONEY_GAP = 0.3 * pdf.inch  # between the money table and the forecast beside it
# the charts' height: what is left of the page under the forecast and the month to date's note (2.4 in before the
# forecast, 2.1 before the note: a second page with a busy week)
CHART_HEIGHT = 1.95 * pdf.inch


def summary_pdf(week: Week, company_name: str) -> bytes:
    """The week on one Letter page."""
    def money_rows(rows: list[list]) -> list[list[str]]:
        return [[row[0]] + [money_text(v) for v in row[1:]] for row in rows]

    weekly = money_rows(comparison_rows(week.this_week, week.last_week))
    monthly = money_rows(comparison_rows(week.month_to_date, week.last_month_to_date))
    flow = [
        pdf.paragraph(company_name, pdf.SUBTITLE),
        pdf.paragraph(f"Week of {week.first_day:%B} {week.first_day.day}, {week.first_day.year}", pdf.TITLE),
        pdf.paragraph(f"Figures as of {week.as_of.isoformat()} · MRR {money_text(week.mrr['mrr'])} · "
                      f"{share_summary(week)}", pdf.SUBTITLE),
        pdf.paragraph("Invoiced this week", pdf.HEADING),
        pdf.table(pdf.TableData(["Category", "This week", "Same days last week", CHANGE], weekly[:-1], weekly[-1])),
        pdf.paragraph(f"Month to date ({month_text(week.as_of)})", pdf.HEADING),
        pdf.table(pdf.TableData(["Category", "Month to date", "Same point last month", CHANGE], monthly[:-1],
                                monthly[-1])),
        money_and_forecast(week),
    ]
    # the same chart objects as This week's, side by side to keep the week on one page
    shown = ([("MRR, last 24 months", charts.mrr_trend(trends.mrr_by_month(week.mrr_trend)))]
             if len(week.mrr_trend) else []) + \
        ([("Revenue by month and category", charts.upright_months(charts.revenue_by_category(week.by_category, week.as_of)))]
         if len(week.by_category) else [])
    if shown:
        flow.append(pdf.charts_side_by_side(shown, height=CHART_HEIGHT))
    return pdf.render([flow], f"Week of {week.first_day.isoformat()}",
                      f"{company_name} · {pdf.prepared_on(week.as_of)}")
