"""Why a report has no rows, in one sentence: what `report NAME` prints instead of a table of headers alone (the
machine formats keep the empty table), and what the app's pages say in its place. One home per sentence: the report
registry names each report's (reports.REPORTS' `no_rows`), and a page showing the same report says the same words.
Each takes the report's Options (duck-typed: this module stays below reports.py)."""
from __future__ import annotations

from typing import Any

from models.figures.formatting import month_text
from models.warehouse import paths

NO_SALES = "No sales documents yet: once invoices or sales receipts are loaded, revenue shows here."
NO_LABOR_REVENUE = "No labor revenue yet."
NO_CLIENT_REVENUE = "No client has revenue in the 12 full months before this date."
NO_MARGIN = "No client has revenue or costs in the 12 full months before this date."
NO_ROLL_FORWARD = "Nothing held, received, recognised or refunded in that month."
NOTHING_PAST_DUE = "Nothing is past due."
NO_PAYMENTS = "No invoices in the last 24 full months, and nothing overdue."
NO_POLICY_BREACH = "No client broke a payment rule that is switched on in the 12 full months before this date."
# nothing checked is not "nothing broken"
NO_POLICY_CHECKED = ("Every payment rule is switched off under [policies] in settings.toml, so none is checked: set the "
                     "rules you want checked to true.")
NOTHING_COMMITTED = ("Nothing is committed for the coming months: no active recurring template bills an agreement, and "
                     "no client had agreement revenue this month.")
NO_RISK = ("No client is at risk: no agreement template is paused or ending, no MRR cut in the last 3 full months still "
           "stands, and nobody pays later than the year before and past their due dates.")
NO_FORECAST_MONTH_OVER = ("No month is over since the first forecast was kept: each build (a sync, a load, a rebuild) "
                          "keeps the forecast of the 12 months after its day, and a month shows here once it is over.")
NO_DEVICE_BILLING = ("No client is billed per device (no invoice line a [device_kinds] rule names, this month or the 12 "
                     "before): say in categories.toml which items bill servers and desktops, then rebuild.")
# why income is not compared with QuickBooks, also in the app's badge and the month-end email (freshness.tie_out_text)
NOT_FETCHED = "no sync has fetched QuickBooks' ProfitAndLoss yet"
NOT_FETCHED_CASH = "no sync has fetched QuickBooks' cash-basis ProfitAndLoss yet"


def no_device_export() -> str:
    return (f"No device export is loaded by this date: load one with `{paths.COMMAND} load-devices FILE` (or upload "
            "it on the Devices page).")


def no_agreement_lines(as_of_month: Any) -> str:
    return f"No client has agreement lines in {month_text(as_of_month)} by this date."


def revenue_by_category(o: Any) -> str:
    return f"No revenue from {o.period[0].isoformat()} to {o.period[1].isoformat()}." if o.period else NO_SALES


def prepayments(o: Any) -> str:
    return NO_ROLL_FORWARD if o.roll_forward else "Nothing is held as prepayment by this date."


def ar_aging(o: Any) -> str:
    return NOTHING_PAST_DUE if o.finance_charges else "Nothing is owed by this date."


def tie_out(o: Any) -> str:
    if o.basis == "cash":
        return (f"Not compared with QuickBooks on a cash basis: {NOT_FETCHED_CASH} (a sync fetches it when [reports] "
                "basis is \"cash\", or with sync --cash-tie-out).")
    return f"Not compared with QuickBooks: {NOT_FETCHED} (run `{paths.COMMAND} sync` on a connected company)."


def margin(o: Any) -> str:
    return "No cost that names no customer in the 12 full months before this date." if o.overhead else NO_MARGIN


def forecast(o: Any) -> str:
    if o.cash:
        return "Nothing is forecast to come in: no recurring template, receivable, hourly work or prepaid money."
    return NOTHING_COMMITTED


def price_sheet(o: Any) -> str:
    if o.client:
        return (f"Client {o.client} has no agreement lines in {month_text(o.as_of)} by this date: the price sheet "
                "lists agreement clients only.")
    return no_agreement_lines(o.as_of)


def lines(o: Any) -> str:
    return f"No lines behind {o.kind}: the figure is nil."


NO_ROWS = {
    "revenue-lines": lambda o: NO_SALES,
    "revenue-by-category": revenue_by_category,
    "recurring-share": lambda o: NO_LABOR_REVENUE,
    "mrr": lambda o: "No agreement revenue by this date: MRR is the agreement (labor_msa) lines of each month.",
    "client-labor": lambda o: NO_CLIENT_REVENUE,
    "garden": lambda o: NO_CLIENT_REVENUE,
    "tiers": lambda o: "No client has revenue in the 12 full months before this date, or device counts.",
    "prepayments": prepayments,
    "ar-aging": ar_aging,
    "categories": lambda o: "No item or income account in use by this date: nothing to categorise.",
    "labor-scopes": lambda o: "No hourly labor line: no item or class to give a scope.",
    "load-history": lambda o: "Nothing is loaded yet: no load or sync has stored a record.",
    "tie-out": tie_out,
    "held-records": lambda o: "No record is held back: the models read every record the syncs stored.",
    "agreement-rate": lambda o: "No agreement revenue in the 12 full months before this date.",
    "margin": margin,
    "policies": lambda o: NO_POLICY_BREACH,
    "payment-behaviour": lambda o: NO_PAYMENTS,
    "forecast": forecast,
    "at-risk": lambda o: NO_RISK,
    "forecast-accuracy": lambda o: NO_FORECAST_MONTH_OVER,
    "devices": lambda o: NO_DEVICE_BILLING,
    "price-sheet": price_sheet,
    "device-organisations": lambda o: no_device_export(),
    "retention": lambda o: "No agreement revenue in the 12 full months before this date.",
    "lines": lines,
}
