"""What a clicked figure is, and the lines behind it: a headline, a table cell or a chart bar names a
Figure; report lines lists its documents and lines, which add up to it (docs/METRICS.md#lines)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd

from models.figures import reports
from models.figures.scenario_changes import ScenarioChanges
from models.figures.reports import PREPAYMENT_FIGURES, ROLL_FORWARD_FIGURES
from models.figures.vocabulary import (AGING_FIGURES, AT_RISK_REASONS, FORECAST_COLUMNS, FORECAST_LABELS,
                                      MARGIN_PART_LABELS, MOVEMENT_LABELS, POLICY_LABELS)
from models.settings.categories import CATEGORY_LABELS, CATEGORY_ORDER
from models.figures.formatting import column_label, money_text, month_text
from models.money import ZERO
from models.months import add_months, full_months_before, month_bounds
from models.settings.settings import BASES, Settings

LABOR = ("labor_hourly", "labor_msa")
LINE_COLUMNS = ("txn_date", "document_type", "doc_number", "client", "customer", "item", "category", "rule_pattern",
                "detail", "amount", "currency", "link")


@dataclass(frozen=True)
class Figure:
    """A figure as the owner clicked it: its name in words and the report lines options that list it."""
    title: str
    kind: str = "revenue"
    month: date | None = None
    period: tuple[date, date] | None = None
    categories: tuple[str, ...] | None = None
    client: str | None = None
    rollup: bool = True
    account: str | None = None
    against: tuple[date, date] | None = None  # less the lines of these days: the figure is a change
    realm: str | None = None        # the company, when the figure is one company's (a client's)
    as_of: date | None = None       # the day the figure stood, when not the page's (a trend's month end)
    basis: str = "accrual"          # revenue: on the documents' dates or when paid (settings.BASES)
    scenario: ScenarioChanges | None = None  # a what-if's changes: the scenario as of the page's date

    def report_options(self) -> dict:
        """The options of report lines, but for the as-of date and the company (the page's)."""
        return {"kind": self.kind, "month": self.month, "period": self.period, "categories": self.categories,
                "client": self.client, "rollup": self.rollup, "account": self.account, "against": self.against,
                "basis": self.basis, "scenario": self.scenario}


def options(figure: Figure, as_of: date, realm: str | None = None) -> reports.Options:
    """Report lines' options for the figure as of a date, in the page's company unless it names one."""
    return reports.Options(as_of=figure.as_of or as_of, realm=figure.realm or realm, **figure.report_options())


def lines(con: duckdb.DuckDBPyConnection, settings: Settings, figure: Figure, as_of: date,
          realm: str | None = None) -> pd.DataFrame:
    return reports.run(con, "lines", options(figure, as_of, realm), settings).frame()


def lines_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The lines as the owner reads them: categories by their names, the columns that say something."""
    shown = frame[list(LINE_COLUMNS)].copy() if len(frame) else pd.DataFrame(columns=list(LINE_COLUMNS))
    names = {**CATEGORY_LABELS, **MARGIN_PART_LABELS, **POLICY_LABELS}
    shown["category"] = [names.get(c, c) if isinstance(c, str) else c for c in shown["category"]]
    return shown.rename(columns={"customer": "customer_or_job"})  # "customer" reads "Client" everywhere else


def total(frame: pd.DataFrame) -> Decimal:
    return sum(frame["amount"], ZERO) if len(frame) else ZERO


def summary_text(figure: Figure, frame: pd.DataFrame) -> str:
    count = len(frame)
    return f"{figure.title}: {count} line{'s' if count != 1 else ''} adding up to {money_text(total(frame))}"


# -- figures, by where they are clicked -------------------------------------------------------------------

def revenue_in_month(month: date, category: str | None = None, client: str | None = None,
                     client_name: str | None = None, realm: str | None = None, basis: str = "accrual") -> Figure:
    """A month's revenue (by the as-of date), of one category or all, of one client or all."""
    return Figure(_title(_revenue_words(category, basis), month_text(month), client_name), month=month,
                  categories=_categories(category), client=client, realm=realm, basis=basis)


def revenue_in_days(first: date, last: date, category: str | None = None, words: str = "",
                    client: str | None = None, client_name: str | None = None, realm: str | None = None,
                    basis: str = "accrual") -> Figure:
    return Figure(_title(_revenue_words(category, basis), words or f"{first.isoformat()} to {last.isoformat()}",
                         client_name),
                  period=(first, last), categories=_categories(category), client=client, realm=realm, basis=basis)


def _revenue_words(category: str | None, basis: str) -> str:
    """What a revenue figure is, in words, on its basis."""
    return _on_basis(CATEGORY_LABELS.get(category, "Revenue") if category != "labor" else "Labor", basis)


def _on_basis(what: str, basis: str) -> str:
    """A figure's words; on a cash basis they say so (accrual is what every page shows)."""
    return what if basis == "accrual" else f"{what} ({BASES[basis].lower()})"


def twelve_months(as_of: date, category: str | None, client: str | None = None, client_name: str | None = None,
                  realm: str | None = None) -> Figure:
    """A client's revenue over the 12 full months before the as-of month (client-labor's columns)."""
    first, last = full_months_before(as_of)
    return revenue_in_days(first, month_bounds(last)[1], category,
                           f"{month_text(first)} – {month_text(last)}", client, client_name, realm)


def mrr(month: date, client: str | None = None, client_name: str | None = None) -> Figure:
    return Figure(_title("MRR", month_text(month), client_name), kind="mrr", month=month, client=client)


def mrr_part(month: date, part: str) -> Figure:
    """A bar of the MRR trend: the month's MRR, or one of its movements."""
    return mrr(month) if part == "mrr" else mrr_movement(month, part)


def mrr_movement(month: date, movement: str) -> Figure:
    """One line of the month's MRR movements: the start (last month's MRR), a movement, or the end."""
    if movement == "starting_mrr":
        return mrr(add_months(month, -1))
    if movement == "mrr":
        return mrr(month)
    return Figure(_title(f"MRR {MOVEMENT_LABELS[movement].lower()}", month_text(month), None), kind=f"mrr:{movement}",
                  month=month)


def receivables(column: str, client: str | None = None, client_name: str | None = None,
                as_of: date | None = None) -> Figure:
    words = {"total": "Receivables", "past_due": "Receivables past due"}.get(column, f"Receivables, {column_label(column)}")
    return Figure(_title(words, _as_of_text(as_of), client_name), kind=f"ar-aging:{column}", client=client,
                  as_of=as_of)


def prepayments(column: str, client: str | None = None, client_name: str | None = None,
                as_of: date | None = None) -> Figure:
    words = "Prepayment liability" if column == "liability" else column_label(column)
    return Figure(_title(words, _as_of_text(as_of), client_name), kind=f"prepayments:{column}", client=client,
                  as_of=as_of)


def becomes_revenue(month: date) -> Figure:
    """A bar of the prepayment schedule: what of the liability is earned in that month."""
    return Figure(_title("Becomes revenue", month_text(month), None), kind="prepayments:liability", month=month)


def roll_forward(month: date, column: str, client: str | None = None, client_name: str | None = None) -> Figure:
    """A column of the prepayments roll-forward of a month (a client's, or every client's)."""
    return Figure(_title(f"Prepayments {column}", month_text(month), client_name), kind=f"roll-forward:{column}",
                  month=month, client=client)


def roll_forward_cell(month: date, row: pd.Series, column: str) -> Figure:
    """A cell of the roll-forward by client: its column, or the client's closing (its name's cell)."""
    return roll_forward(month, column if column in ROLL_FORWARD_FIGURES else "closing", row["customer_id"],
                        row["customer"])


def _as_of_text(as_of: date | None) -> str | None:
    return f"as of {as_of.isoformat()}" if as_of else None


def client_receivables(row: pd.Series, column: str) -> Figure:
    """A cell of the aging by client: its bucket, or the client's whole balance (its name's cell)."""
    chosen = column if column in AGING_FIGURES else "total"
    return receivables(chosen, row["customer_id"], row["customer"])


def client_prepayments(row: pd.Series, column: str) -> Figure:
    """A cell of the prepayments by client: its column, or the client's liability (its name's cell)."""
    chosen = column if column in PREPAYMENT_FIGURES else "liability"
    return prepayments(chosen, row["customer_id"], row["customer"])


def margin(column: str, as_of: date, client: str | None = None, client_name: str | None = None,
           month: date | None = None) -> Figure:
    """A margin figure (report margin's column) over the 12 full months before the as-of month, or one month."""
    first, last = full_months_before(as_of)
    when = month_text(month) if month else f"{month_text(first)} – {month_text(last)}"
    return Figure(_title(column_label(column), when, client_name), kind=f"margin:{column}", client=client, month=month)


def overhead(as_of: date, month: date | None = None) -> Figure:
    """The costs that name no customer over the 12 full months before the as-of month, or in one month."""
    return margin("overhead", as_of, month=month)


def client_margin(as_of: date, row: pd.Series, column: str) -> Figure:
    """A cell of the margin by client: its figure, or the client's gross margin (any other cell)."""
    chosen = column if column in reports.MARGIN_FIGURES else "gross_margin"
    return margin(chosen, as_of, row["client_id"], row["client"])


def policy(column: str, as_of: date, client: str | None = None, client_name: str | None = None) -> Figure:
    """A payment rule's breaches (report policies' column, its count and its amount alike) over the 12 full
    months before the as-of month, of one client or all."""
    first, last = full_months_before(as_of)
    return Figure(_title(column_label(column), f"{month_text(first)} – {month_text(last)}", client_name),
                  kind=f"policies:{column}", client=client)


def client_policy(as_of: date, row: pd.Series, column: str) -> Figure | None:
    """A cell of the policies by client: its rule's breaches (the count's or the amount's column); none for
    the client's name."""
    rule = column.removesuffix("_amount")
    return policy(rule, as_of, row["client_id"], row["client"]) if rule in reports.POLICY_FIGURES else None


def devices(column: str, as_of: date, client: str | None = None, client_name: str | None = None) -> Figure:
    """A device figure (report devices' column) as of a date: the devices of the latest export, the device lines
    of the as-of month, or both (the monthly difference)."""
    return Figure(_title(column_label(column), month_text(as_of.replace(day=1)), client_name),
                  kind=f"devices:{column}", client=client)


def client_devices(as_of: date, row: pd.Series, column: str) -> Figure:
    """A cell of the devices by client: its figure, or the client's monthly difference (any other cell)."""
    chosen = column if column in reports.DEVICE_FIGURES else "monthly_difference"
    return devices(chosen, as_of, row["client_id"], row["client"])


def price_sheet(column: str, as_of: date, client: str | None = None, client_name: str | None = None) -> Figure:
    """A price-sheet figure (report price-sheet's column) as of a date: the agreement lines of the as-of month, the
    device counts at the tier's list prices, or both (the difference)."""
    return Figure(_title(column_label(column), month_text(as_of.replace(day=1)), client_name),
                  kind=f"price-sheet:{column}", client=client)


def client_price_sheet(as_of: date, row: pd.Series, column: str) -> Figure:
    """A cell of the price sheet by client: its figure, or the client's difference (any other cell)."""
    chosen = column if column in reports.PRICE_SHEET_FIGURES else "difference"
    return price_sheet(chosen, as_of, row["client_id"], row["client"])


# report payment-behaviour's columns -> the figure of report lines --kind payments:FIGURE behind them (a count and
# its money alike; the days to pay are the paid invoices', a share the invoices it is of)
PAYMENT_CELLS = {
    **{c: "invoices" for c in ("invoices", "invoiced", "paid_by_due_share", "payment_methods")},
    **{c: "paid" for c in ("paid", "paid_amount", "average_days_to_pay", "weighted_days_to_pay")},
    "paid_by_due": "paid_by_due", "paid_by_due_amount": "paid_by_due",
    "late": "late", "late_amount": "late",
    "previous_average_days_to_pay": "previous_paid", "previous_weighted_days_to_pay": "previous_paid",
    "previous_paid_by_due_share": "previous_invoices",
    "autopay_documents": "autopay", "autopay": "autopay",
    **{c: "overdue" for c in ("overdue", "overdue_amount", "days_late", "late_payer")},
}
# report payment-behaviour --summary's columns -> the figure behind them
PAYMENT_SUMMARY_CELLS = {"sales_12m": "sales", "receivables": "receivables", "days_sales_outstanding": "receivables",
                         "agreement_money": "agreement_money", "agreement_by_3rd": "agreement_by_3rd",
                         "agreement_by_3rd_share": "agreement_by_3rd"}


def payments(figure: str, as_of: date, client: str | None = None, client_name: str | None = None) -> Figure:
    """How clients paid (report payment-behaviour's figure) over the 12 full months before the as-of month (the 12
    before those for previous_; what is overdue on the as-of date), of one client or all."""
    first, last = full_months_before(as_of)
    if figure.startswith("previous_"):
        first, last = add_months(first, -12), add_months(last, -12)
    when = as_of.isoformat() if figure == "overdue" else f"{month_text(first)} – {month_text(last)}"
    return Figure(_title(column_label(figure), when, client_name), kind=f"payments:{figure}", client=client)


def client_payments(as_of: date, row: pd.Series, column: str) -> Figure | None:
    """A cell of how each client pays: the documents behind it; none for the client's name or the template."""
    figure = PAYMENT_CELLS.get(column)
    return payments(figure, as_of, row["client_id"], row["client"]) if figure else None


def payment_month(row: pd.Series, column: str) -> Figure | None:
    """A cell of the company's months (report payment-behaviour --summary): the documents behind it that month."""
    figure = PAYMENT_SUMMARY_CELLS.get(column)
    if figure is None:
        return None
    return Figure(_title(column_label(figure), month_text(row["month"]), None), kind=f"payments:{figure}",
                  month=row["month"])


def forecast(source: str, month: date, client: str | None = None, client_name: str | None = None) -> Figure:
    """Committed MRR of a month after the as-of month (source `committed`), or one of the parts it adds up."""
    what = column_label("committed_mrr") if source == "committed" else f"Committed MRR, {FORECAST_LABELS[source]}"
    return Figure(_title(what, month_text(month), client_name), kind=f"forecast:{source}", month=month, client=client)


def forecast_cell(row: pd.Series, column: str) -> Figure | None:
    """A cell of the forecast by month: its part of committed MRR, or the month's committed MRR (its month and
    committed cells); none for expected MRR and the rates, which are a factor on committed, not lines."""
    if column in ("month", "committed_mrr"):
        return forecast("committed", row["month"])
    return forecast(FORECAST_COLUMNS[column], row["month"]) if column in FORECAST_COLUMNS else None


# report forecast --scenario's columns whose cells open the parts behind them: a change opens what the scenario
# moved (report lines --kind scenario:COLUMN), a base MRR the committed forecast's lines
SCENARIO_CHANGES = {"mrr_change": "mrr", "scenario_mrr": "mrr", "hourly_change": "hourly", "scenario_hourly": "hourly",
                    "cash_change": "cash", "scenario_cash_in": "cash"}


def scenario_cell(scenario: ScenarioChanges, row: pd.Series, column: str) -> Figure | None:
    """A cell of a what-if against the base, by month: a change (or the scenario's figure beside the base) opens
    the clients and lines the scenario moved that month; the base MRR its committed lines."""
    if column == "base_mrr":
        return forecast("committed", row["month"])
    if column not in SCENARIO_CHANGES:
        return None
    figure = SCENARIO_CHANGES[column]
    return Figure(_title(f"What-if {scenario.name!r}, {column_label(figure + '_change')}", month_text(row["month"]),
                         None),
                  kind=f"scenario:{figure}", month=row["month"], scenario=scenario)


def cash(column: str, first_day: date, last_day: date) -> Figure:
    """A column of the cash forecast over some days after the as-of date (a week, a month, all of them)."""
    return Figure(_title(column_label(column), f"{first_day:%d %b %Y} – {last_day:%d %b %Y}", None),
                  kind=f"cash:{column}", period=(first_day, last_day))


def cash_cell(row: pd.Series, column: str) -> Figure:
    """A cell of the cash forecast by week or month: its column over the row's days; its period's cash in."""
    chosen = column if column in reports.CASH_FIGURES else "cash_in"
    return cash(chosen, row["period_start"], row["period_end"])


def at_risk(reason: str, client: str, client_name: str, realm: str | None = None) -> Figure:
    """Why a client is at risk (report at-risk's row): the template lines, MRR lines or paid invoices behind it."""
    return Figure(_title(AT_RISK_REASONS[reason], None, client_name), kind=f"at-risk:{reason}", client=client,
                  realm=realm)


def at_risk_cell(as_of: date, row: pd.Series, column: str) -> Figure:
    """A cell of the at-risk list: the client's MRR of the last full month for `mrr`, else the row's lines."""
    if column == "mrr":
        return replace(mrr(full_months_before(as_of)[1], row["client_id"], row["client"]), realm=row["realm_id"])
    return at_risk(row["reason"], row["client_id"], row["client"], row["realm_id"])


def forecast_accuracy_cell(row: pd.Series, column: str) -> Figure | None:
    """A cell of the forecast against actual: the MRR that came opens its lines; the kept forecast, figures stored
    when it was made, opens none."""
    return mrr(row["month"]) if column in ("month", "actual_mrr") else None


def tie_out_difference(month: date, account: str | None = None, basis: str = "accrual") -> Figure:
    return Figure(_title(_on_basis("Difference from QuickBooks", basis), month_text(month), account),
                  kind="tie-out:difference", month=month, account=account, basis=basis)


def category_of(column: str) -> str | None:
    """The category a column names, by its name or label ("MSA labor" -> labor_msa; labor_total ->
    labor); None for a total, a month or a name: every category."""
    if column in ("labor_total", "labor_12m", column_label("labor_total")):
        return "labor"
    return next((c for c in CATEGORY_ORDER if CATEGORY_LABELS[c] == column or c == column), None)


def month_table_cell(row: pd.Series, column: str, basis: str = "accrual") -> Figure:
    """A cell of the revenue-by-month table (a row per month, a column per category and the total)."""
    return revenue_in_month(row["Month"], category_of(column), basis=basis)


def months_table_total(months, column: str, basis: str = "accrual") -> Figure:
    """A total under a table with a row per month: the column's revenue over all of its months."""
    first, last = min(months), max(months)
    return revenue_in_days(first, month_bounds(last)[1], category_of(column),
                           f"{month_text(first)} – {month_text(last)}", basis=basis)


def _categories(category: str | None) -> tuple[str, ...] | None:
    if category == "labor":
        return LABOR
    return (category,) if category else None


def _title(what: str, when: str | None, who: str | None) -> str:
    return ", ".join(part for part in (what, when, who) if part)
