"""Reports: named, parameterised queries over the snapshot, their options and their output formats.

Every query file has one name (QUERIES, found in sql/reports for what reports, status and the app run, and
sql/month_end for the month-end workbook's sheets). A report declares the options it takes by the fields
of Options they set (the command line spells them as flags and refuses the others); its `plan` picks the
query for the options given and binds its parameters. The CLI, the app, the status and the month-end pack
run queries through `run` and `run_query`, so all of them show the same numbers.
"""
from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, TextIO

from models.warehouse import sqlfiles
from models.figures.formatting import column_text, plain_text, write_csv_rows
from models.figures import no_rows as no_rows_texts
from models.figures.no_rows import NO_ROWS
from models.figures.vocabulary import AGING_FIGURES, AT_RISK_REASONS, FORECAST_SOURCES, MRR_MOVEMENTS, POLICY_LABELS
from models.months import add_months, month_bounds, months_between
from models.names import name_key
from models.settings.settings import Settings

# The command line builds its parser from this registry, so importing it must stay light (DECISIONS.md,
# "Starting light"): DuckDB, pandas and pyarrow are imported where a report runs, not here.
if TYPE_CHECKING:
    import duckdb
    import pandas as pd
    import pyarrow as pa

    from models.figures.scenario_changes import ScenarioChanges

FORMATS = ("csv", "json", "table")
QUERY_FOLDERS = ("reports", "month_end")


def _query_files() -> dict[str, str]:
    """Every query file by its name (the file's stem), from the query folders; one name, one file."""
    found: dict[str, str] = {}
    for folder in QUERY_FOLDERS:
        for path in sorted((sqlfiles.SQL_DIR / folder).glob("*.sql")):
            if path.stem in found:
                raise RuntimeError(f"sql/{folder}/{path.name} and sql/{found[path.stem]} share the name "
                                   f"{path.stem!r}: rename one, as queries are run by name")
            found[path.stem] = f"{folder}/{path.name}"
    return found


QUERIES = _query_files()


@dataclass(frozen=True)
class Options:
    as_of: date = field(default_factory=date.today)
    realm: str | None = None
    by_month: bool = False          # client-labor: one row per client and month
    rollup: bool = True             # client-labor: jobs and sub-customers under their client
    client: str | None = None       # client-labor, tiers: only this client (QuickBooks customer Id; find_client)
    period: tuple[date, date] | None = None  # revenue-by-category: totals over these days instead
    summary: bool = False           # mrr, garden: the per-month / per-line summary
    overhead: bool = False          # margin: per month, the costs that name no customer
    costs: bool = False             # tie-out: the cost lines against QuickBooks' cost sections
    schedule: bool = False          # prepayments: by coming month
    roll_forward: date | None = None  # prepayments: the month (its first day) to roll forward
    finance_charges: bool = False   # ar-aging: the past-due list with charges
    lines: tuple[Decimal, ...] | None = None  # garden: overrides the settings' lines
    kind: str = "revenue"           # lines: the figure whose lines are listed (LINE_KINDS)
    month: date | None = None       # lines: the month (its first day) of the figure
    categories: tuple[str, ...] | None = None  # lines --kind revenue: only these categories
    account: str | None = None      # lines --kind tie-out:difference: one income account (Id or name)
    against: tuple[date, date] | None = None  # lines --kind revenue: less the lines of these days (a change)
    months: int = 12                # forecast: how many months after the as-of month
    cash: bool = False              # forecast: what comes in, by week (or by_month), instead of MRR
    weeks: int = 13                 # forecast --cash: how many weeks from the day after the as-of date
    basis: str = "accrual"          # revenue figures: accrual or cash (settings.BASES; docs/METRICS.md#cash-basis)
    scenario: ScenarioChanges | None = None  # forecast, lines --kind scenario:COLUMN: a what-if as of the as-of date


@dataclass(frozen=True)
class Plan:
    query: str                      # a name in QUERIES
    params: dict[str, Any]
    relations: dict[str, pa.Table] = field(default_factory=dict)  # registered for the query


# What an option holds, which says how it is given: a switch is on or off; a negated switch turns off what
# is on by default; a past day is a date not after today; a period and days are two dates, first and last;
# figure is one of LINE_KINDS.
OPTION_VALUES = ("switch", "negated", "past_day", "period", "days", "month", "text", "amounts", "categories",
                 "figure", "months", "weeks", "basis")
# A forecast's reach: its expected MRR compounds the trailing rates month by month, which past three years says
# nothing an owner can act on (and a rate of +100% a month would outgrow DECIMAL(38, 12) in ten)
MOST_FORECAST_MONTHS = 36
MOST_FORECAST_WEEKS = 52


@dataclass(frozen=True)
class Option:
    """An option a report takes, by the field of Options it sets."""
    name: str
    help: str
    value: str = "switch"           # one of OPTION_VALUES
    metavar: str | None = None      # how a text is written, e.g. ID


@dataclass(frozen=True)
class Report:
    name: str
    description: str                # one line
    plan: Callable[[Options, Settings], Plan]
    options: tuple[Option, ...] = ()  # the options it takes; it refuses the others


class OptionClash(ValueError):
    """Two options a report takes that say contrary things; the message says which to leave out."""


class UnknownClient(ValueError):
    """The text given for a client names no client, or more than one."""


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def frame(self) -> pd.DataFrame:
        """As a data frame; money stays Decimal (object columns), never float."""
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=self.columns)


def _basic(query: str) -> Callable[[Options, Settings], Plan]:
    return lambda o, s: Plan(query, {"realm": o.realm})


def _revenue_by_category(o: Options, s: Settings) -> Plan:
    if o.period:
        return Plan("revenue_in_period", {"first_day": o.period[0], "last_day": o.period[1], "realm": o.realm,
                                          "basis": o.basis})
    return Plan("revenue_by_category", {"as_of": o.as_of, "realm": o.realm, "basis": o.basis})


def _recurring_share(o: Options, s: Settings) -> Plan:
    return Plan("recurring_share", {"as_of": o.as_of, "realm": o.realm, "basis": o.basis})


def _as_of(query: str) -> Callable[[Options, Settings], Plan]:
    return lambda o, s: Plan(query, {"as_of": o.as_of, "realm": o.realm})


def _client_labor(o: Options, s: Settings) -> Plan:
    query = "client_labor_by_month" if o.by_month else "client_labor"
    return Plan(query, {"as_of": o.as_of, "realm": o.realm, "rollup": o.rollup, "client": o.client, "basis": o.basis})


def _mrr(o: Options, s: Settings) -> Plan:
    return Plan("mrr_summary" if o.summary else "mrr", {"as_of": o.as_of, "realm": o.realm})


def _garden(o: Options, s: Settings) -> Plan:
    lines = list(o.lines or s.garden_lines)
    return Plan("garden_summary" if o.summary else "garden",
                {"as_of": o.as_of, "realm": o.realm, "lines": sorted(lines)})


def _tiers(o: Options, s: Settings) -> Plan:
    return Plan("tiers", {"as_of": o.as_of, "realm": o.realm, "client": o.client,
                              "setup_percent": s.setup_fee_percent}, _priced_by(s))


def _priced_by(s: Settings) -> dict[str, pa.Table]:
    """What the tiers and the price sheet price a client at: the owner's tiers and the typed device counts (tables
    the query reads)."""
    return {"tier_prices": tier_prices(s), "client_devices": client_devices(s)}


def _prepayments(o: Options, s: Settings) -> Plan:
    if o.roll_forward:
        start, end = month_bounds(o.roll_forward)
        return Plan("prepayment_roll_forward", {"month_start": start, "month_end": end, "realm": o.realm})
    if o.schedule:
        return Plan("prepayment_schedule", {"as_of": o.as_of, "realm": o.realm})
    return Plan("prepayments", {"as_of": o.as_of, "realm": o.realm})


def _ar_aging(o: Options, s: Settings) -> Plan:
    if o.finance_charges:
        return Plan("ar_finance_charges",
                    {"as_of": o.as_of, "realm": o.realm, "rate_percent": s.finance_charge_percent})
    return Plan("ar_aging", {"as_of": o.as_of, "realm": o.realm})


def _agreement_rate(o: Options, s: Settings) -> Plan:
    return Plan("agreement_rate", {"as_of": o.as_of, "realm": o.realm, "contract_rate": s.contract_rate})


def _forecast(o: Options, s: Settings) -> Plan:
    if o.scenario:
        return Plan("forecast_scenario", {"as_of": o.as_of, "months": o.months, "realm": o.realm,
                                          "net_days": s.policies.hourly_net_days, **o.scenario.params()},
                    o.scenario.relations())
    if o.cash:
        return Plan("forecast_cash", {"as_of": o.as_of, "by_month": o.by_month, "weeks": o.weeks,
                                      "months": o.months, "realm": o.realm, "net_days": s.policies.hourly_net_days})
    return Plan("forecast", {"as_of": o.as_of, "months": o.months, "realm": o.realm})


def _at_risk(o: Options, s: Settings) -> Plan:
    return Plan("at_risk", {"as_of": o.as_of, "months": o.months, "realm": o.realm,
                            "slower_days": s.payments.slower_days, "reasons": list(AT_RISK_REASONS)})


def _margin(o: Options, s: Settings) -> Plan:
    if o.overhead:
        return Plan("margin_overhead", {"as_of": o.as_of, "realm": o.realm})
    return Plan("margin_by_month" if o.by_month else "margin", {
        "as_of": o.as_of, "realm": o.realm, "client": o.client, **_costing(s),
        "problem_percent": s.margin.problem_percent, "markup_target": s.margin.markup_percent}, _costed_by(s))


def _devices(o: Options, s: Settings) -> Plan:
    return Plan("devices", {"as_of": o.as_of, "realm": o.realm, "client": o.client})


def _price_sheet(o: Options, s: Settings) -> Plan:
    return Plan("price_sheet", {"as_of": o.as_of, "realm": o.realm, "client": o.client}, _priced_by(s))


def _policies(o: Options, s: Settings) -> Plan:
    return Plan("policies", {"as_of": o.as_of, "realm": o.realm, "client": o.client, **_policy_rules(s)})


def policies_switched_on(s: Settings) -> tuple[str, ...]:
    """The rules' columns the settings switch on, in POLICY_FIGURES' order: what a page can say was checked even
    when no client broke a rule (the report's empty columns say it only on a client's row)."""
    return tuple(rule for rule in POLICY_FIGURES if getattr(s.policies, POLICY_SWITCHES[rule]))


def _payment_behaviour(o: Options, s: Settings) -> Plan:
    if o.summary:
        return Plan("payment_behaviour_summary", {"as_of": o.as_of, "realm": o.realm})
    return Plan("payment_behaviour", {"as_of": o.as_of, "realm": o.realm, "client": o.client,
                                      "card_methods": _card_methods(s), "late_days": s.payments.late_days})


def _card_methods(s: Settings) -> list[str]:
    return [m.lower() for m in s.payments.card_methods]


def _policy_rules(s: Settings) -> dict[str, Any]:
    """The payment rules as policy_breaches takes them, from the settings ([policies], the finance-charge rate)."""
    p = s.policies
    return {"hardware_on": p.hardware_paid_by_invoice, "agreement_on": p.agreement_paid_by_first,
            "check_months": p.check_months, "check_methods": [m.lower() for m in p.check_methods],
            "hourly_terms_on": p.hourly_terms, "net_days": p.hourly_net_days, "hourly_paid_on": p.hourly_paid_by_due,
            "finance_on": p.finance_charges, "rate_percent": s.finance_charge_percent}


def _costing(s: Settings) -> dict[str, Any]:
    """What the margin figures cost work and devices at, from the settings (client_margin_lines' parameters)."""
    m = s.margin
    return {"labor_cost": m.labor_cost, "tool_server": m.tool_per_server, "tool_desktop": m.tool_per_desktop}


def _costed_by(s: Settings) -> dict[str, pa.Table]:
    """The tables the margin figures read beside their parameters: the owner's rate per worker and the device
    counts (tables, not parameters: a list of 250 clients' counts bound as a parameter costs more than the query)."""
    return {"worker_rates": worker_rates(s), "client_devices": client_devices(s)}


PREPAYMENT_FIGURES = ("liability", "refund_if_cancelled", "prepaid_service", "unapplied_payments", "credits",
                      "deposit_accounts")
MARGIN_FIGURES = ("revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin", "agreement_revenue",
                  "agreement_cost", "agreement_margin")
POLICY_FIGURES = tuple(POLICY_LABELS)
# The [policies] switch that turns each rule's columns on (the finance charges due and invoiced are one rule)
POLICY_SWITCHES = {"hardware_unpaid_at_invoice": "hardware_paid_by_invoice",
                   "agreement_paid_late": "agreement_paid_by_first", "hourly_terms_not_net20": "hourly_terms",
                   "hourly_paid_late": "hourly_paid_by_due", "finance_charges_due": "finance_charges",
                   "finance_charges_invoiced": "finance_charges"}
ROLL_FORWARD_FIGURES = ("opening", "received", "recognised", "refunded", "closing")
# the forecast's committed MRR and the sources it adds up (mrr_forecast_parts' `source`)
FORECAST_FIGURES = ("committed", *FORECAST_SOURCES)
# report forecast --cash's columns (cash_forecast_parts' `source`, and cash_in: all but becomes_revenue)
CASH_FIGURES = ("recurring_billing", "receivables", "hourly_run_rate", "cash_in", "becomes_revenue")
# report forecast --scenario's changes whose parts report lines lists (scenario_parts' figures; cash: all of them)
SCENARIO_FIGURES = ("mrr", "hourly", "cash")
# report devices' columns whose devices and invoice lines report lines lists
DEVICE_FIGURES = ("servers_deployed", "desktops_deployed", "servers_billed", "desktops_billed", "monthly_difference")
# report price-sheet's columns whose agreement lines and device counts report lines lists
PRICE_SHEET_FIGURES = ("actual_monthly", "list_monthly", "difference")
# report payment-behaviour's figures whose lines report lines lists (payments:COLUMN; docs/METRICS.md): per
# client, of the 12 full months and of the 12 before them (previous_), what is overdue now, and the summary's
PAYMENT_CLIENT_FIGURES = ("invoices", "paid", "paid_by_due", "late", "autopay")
PAYMENT_FIGURES = (*PAYMENT_CLIENT_FIGURES, *(f"previous_{f}" for f in PAYMENT_CLIENT_FIGURES), "overdue")
PAYMENT_SUMMARY_FIGURES = ("sales", "receivables", "agreement_money", "agreement_by_3rd")
# What report lines lists, by figure: its query and the options besides as_of, realm and kind it reads
LINE_KINDS = {
    "revenue": ("lines_revenue", ("month", "period", "against", "categories", "client", "rollup", "basis")),
    "mrr": ("lines_mrr", ("month", "client")),
    **{f"mrr:{m}": ("lines_mrr_movement", ("month", "client")) for m in MRR_MOVEMENTS},
    **{f"ar-aging:{c}": ("lines_aging", ("client",)) for c in AGING_FIGURES},
    **{f"prepayments:{c}": ("lines_prepayments", ("month", "client")) for c in PREPAYMENT_FIGURES},
    **{f"roll-forward:{c}": ("lines_roll_forward", ("month", "client")) for c in ROLL_FORWARD_FIGURES},
    "tie-out:difference": ("lines_tie_out", ("month", "account", "basis")),
    **{f"margin:{c}": ("lines_margin", ("month", "client")) for c in MARGIN_FIGURES},
    "margin:overhead": ("lines_overhead", ("month",)),
    **{f"policies:{c}": ("lines_policies", ("client",)) for c in POLICY_FIGURES},
    **{f"payments:{c}": ("lines_payments", ("client",)) for c in PAYMENT_FIGURES},
    **{f"payments:{c}": ("lines_payments", ("month", "client")) for c in PAYMENT_SUMMARY_FIGURES},
    **{f"forecast:{c}": ("lines_forecast", ("month", "client")) for c in FORECAST_FIGURES},
    **{f"cash:{c}": ("lines_cash_forecast", ("period", "client")) for c in CASH_FIGURES},
    **{f"devices:{c}": ("lines_devices", ("client",)) for c in DEVICE_FIGURES},
    **{f"price-sheet:{c}": ("lines_price_sheet", ("client",)) for c in PRICE_SHEET_FIGURES},
    **{f"scenario:{c}": ("lines_scenario", ("month", "client", "scenario")) for c in SCENARIO_FIGURES},
    **{f"at-risk:{r}": ("lines_at_risk", ("client",)) for r in AT_RISK_REASONS},
}


def _lines(o: Options, s: Settings) -> Plan:
    query = LINE_KINDS[o.kind][0]
    figure = o.kind.partition(":")[2]
    month = (o.month or o.as_of).replace(day=1)
    if query == "lines_revenue":
        first_day, last_day = _revenue_days(o)
        against_first, against_last = o.against or (None, None)
        return Plan(query, {"first_day": first_day, "last_day": last_day, "realm": o.realm, "client": o.client,
                            "rollup": o.rollup, "categories": list(o.categories) if o.categories else None,
                            "against_first": against_first, "against_last": against_last, "basis": o.basis})
    if query == "lines_mrr":
        return Plan(query, {"as_of": o.as_of, "month": month, "client": o.client, "realm": o.realm})
    if query == "lines_mrr_movement":
        return Plan(query, {"as_of": o.as_of, "month": month, "movement": figure, "client": o.client,
                            "realm": o.realm})
    if query == "lines_roll_forward":
        first_day, last_day = month_bounds(month)
        return Plan(query, {"month_start": first_day, "month_end": last_day, "column": figure, "client": o.client,
                            "realm": o.realm})
    if query == "lines_tie_out":
        return Plan(query, {"month": month, "account": o.account, "realm": o.realm, "basis": o.basis})
    if query == "lines_margin":  # --month: that month's; else the 12 full months'
        return Plan(query, {"as_of": o.as_of, "column": figure, "month": o.month and o.month.replace(day=1),
                            "client": o.client, "realm": o.realm, **_costing(s)}, _costed_by(s))
    if query == "lines_policies":
        return Plan(query, {"as_of": o.as_of, "column": figure, "client": o.client, "realm": o.realm,
                            **_policy_rules(s)})
    if query == "lines_devices":
        return Plan(query, {"as_of": o.as_of, "column": figure, "client": o.client, "realm": o.realm})
    if query == "lines_price_sheet":
        return Plan(query, {"as_of": o.as_of, "column": figure, "client": o.client, "realm": o.realm}, _priced_by(s))
    if query == "lines_payments":  # the summary's: --month, a full month (default: the last before the as-of month)
        part = figure.removeprefix("previous_")
        return Plan(query, {"as_of": o.as_of, "part": part, "period": "previous" if part != figure else "latest",
                            "month": (o.month or add_months(o.as_of.replace(day=1), -1)).replace(day=1),
                            "client": o.client, "realm": o.realm, "card_methods": _card_methods(s)})
    if query == "lines_overhead":
        return Plan(query, {"as_of": o.as_of, "month": o.month and o.month.replace(day=1), "realm": o.realm})
    if query == "lines_forecast":  # --month: a month after the as-of month (default: the next)
        as_of_month = o.as_of.replace(day=1)
        forecast_month = o.month.replace(day=1) if o.month else add_months(as_of_month, 1)
        return Plan(query, {"as_of": o.as_of, "month": forecast_month, "source": figure, "client": o.client,
                            "realm": o.realm, "months": max(months_between(as_of_month, forecast_month), 0)})
    if query == "lines_scenario":  # --month: a month after the as-of month (default: the next)
        from models.figures.scenario_changes import ScenarioChanges  # what-ifs' alone (DECISIONS.md, "Starting light")

        # no scenario changes nothing, so it lists nothing (the command line asks for one first)
        scenario = o.scenario or ScenarioChanges.unchanged(o.as_of)
        as_of_month = o.as_of.replace(day=1)
        forecast_month = o.month.replace(day=1) if o.month else add_months(as_of_month, 1)
        return Plan(query, {"as_of": o.as_of, "month": forecast_month, "column": figure, "client": o.client,
                            "realm": o.realm, "months": max(months_between(as_of_month, forecast_month), 0),
                            **scenario.params()}, scenario.relations())
    if query == "lines_cash_forecast":  # --from/--to: days after the as-of date (default: the first week)
        first_day, last_day = o.period or (o.as_of + timedelta(days=1), o.as_of + timedelta(days=7))
        return Plan(query, {"as_of": o.as_of, "first_day": first_day, "last_day": last_day, "column": figure,
                            "client": o.client, "realm": o.realm, "net_days": s.policies.hourly_net_days})
    if query == "lines_at_risk":  # the forecast's months: report at-risk's default, 12
        return Plan(query, {"as_of": o.as_of, "months": o.months, "reason": figure, "client": o.client,
                            "realm": o.realm, "slower_days": s.payments.slower_days})
    if query == "lines_prepayments":  # --month: what becomes revenue that month
        return Plan(query, {"as_of": o.as_of, "column": figure, "month": o.month and o.month.replace(day=1),
                            "client": o.client, "realm": o.realm})
    return Plan(query, {"as_of": o.as_of, "column": figure, "client": o.client, "realm": o.realm})


def _tie_out(o: Options, s: Settings) -> Plan:
    if o.costs and o.basis != "accrual":  # costs are fetched on an accrual basis only (a bill counts when paid)
        raise OptionClash("tie-out --costs is on an accrual basis only: QuickBooks books a bill on a cash basis "
                          "when it is paid (BillPayment), which is not synced; leave out --basis")
    if o.costs:
        return Plan("tie_out_costs", {"realm": o.realm})
    return Plan("tie_out", {"realm": o.realm, "basis": o.basis})


def _revenue_days(o: Options) -> tuple[date | None, date]:
    """The days whose revenue lines are listed: the period as revenue-by-category --from/--to sums it,
    a month dated by the as-of date as revenue-by-category's month rows, else all by the as-of date."""
    if o.period:
        return o.period
    if o.month:
        first, last = month_bounds(o.month)
        return first, min(last, o.as_of)
    return None, o.as_of


AS_OF = Option("as_of", "the date the report is as of, today or earlier (default: today)", "past_day")
BASIS = Option("basis", "accrual (the default: revenue on the documents' dates) or cash (an invoice's lines when "
               "and as far as they are paid, spread over its lines; receipts and credit memos on their dates)", "basis")
REALM = Option("realm", "only this QuickBooks company (default: all)", "text", "ID")
CLIENT = Option("client", "only this client, by QuickBooks customer Id or by the start of its name (any case) "
                "when only one client's name starts so", "text", "ID|NAME")
SCENARIO = Option("scenario", "a what-if scenario saved by `whatif save` (its name): the forecast against it", "text",
                  "NAME")
NO_ROLLUP = Option("rollup", "jobs and sub-customers on their own rows, not under their client", "negated")

REPORTS = {
    r.name: r
    for r in (
        Report("revenue-lines", "every revenue line with its customer, item, category and the rule that decided it",
               _basic("revenue_lines"), (REALM,)),
        Report("revenue-by-category", "revenue per month (first day of the month) and category, or per category "
               "over a period", _revenue_by_category,
               (AS_OF, REALM, Option("period", "per category over these days, first and last included", "period"),
                BASIS)),
        Report("recurring-share", "agreement vs hourly labor per month, the recurring share, 12-month and day-1 shares",
               _recurring_share, (AS_OF, REALM, BASIS)),
        Report("mrr", "MRR per client and month with its movement, or per month", _mrr,
               (AS_OF, REALM, Option("summary", "per month: the movements that add up to the change in MRR"))),
        Report("client-labor", "each client's labor and other revenue over the 12 full months before the as-of month",
               _client_labor, (AS_OF, REALM, Option("by_month", "a row per client and month"), NO_ROLLUP, CLIENT,
                               BASIS)),
        Report("garden", "clients ranked by 12-month labor against the lines, or per line", _garden,
               (AS_OF, REALM, Option("summary", "per line: the clients and money above and below it"),
                Option("lines", "each line's yearly labor (default: the settings', 500,1000)", "amounts"))),
        Report("tiers", "each client's cost on each service tier next to its 12-month labor", _tiers,
               (AS_OF, REALM, CLIENT)),
        Report("prepayments", "prepayment liability and refund exposure per client, by coming month, or rolled "
               "forward over a month", _prepayments,
               (AS_OF, REALM, Option("schedule", "what becomes revenue in each coming month"),
                Option("roll_forward", "opening, received, recognised, refunded, closing for the month", "month"))),
        Report("ar-aging", "receivables aging per client as of a date, or the finance charges", _ar_aging,
               (AS_OF, REALM, Option("finance_charges", "the past-due list with the charge to assess on the next 1st"))),
        Report("categories", "every item and income account in use with its category, rule and money "
               "(unmapped first)", _as_of("category_map"), (AS_OF, REALM)),
        Report("labor-scopes", "every hourly labor item and class in use with the scopes the labor-scope rules "
               "gave it (where, what, when; empty: unknown) and its money", _basic("labor_scopes"), (REALM,)),
        Report("load-history", "what the loads and syncs stored, per QuickBooks company and entity",
               lambda o, s: Plan("load_history", {})),
        Report("tie-out", "our income per account and month against QuickBooks' ProfitAndLoss (after a sync), on "
               "an accrual or a cash basis, or our costs", _tie_out,
               (REALM, Option("costs", "the cost lines against its Cost of Goods Sold, Expenses and Other Expenses"),
                Option("basis", "accrual (the default) or cash: against QuickBooks' cash-basis ProfitAndLoss, which a "
                       "sync fetches when [reports] basis is \"cash\" or with sync --cash-tie-out", "basis"))),
        Report("held-records", "records a sync held back because the models cannot read them, and the field why",
               _basic("held_records"), (REALM,)),
        Report("agreement-rate", "effective hourly rate of each agreement over the 12 full months before the as-of "
               "month", _agreement_rate, (AS_OF, REALM)),
        Report("margin", "each client's revenue, labor, tool and direct cost and gross margin over the 12 full "
               "months before the as-of month, or per month", _margin,
               (AS_OF, REALM, Option("by_month", "a row per client and month"), CLIENT,
                Option("overhead", "per month: the costs that name no customer, in no client's margin"))),
        Report("policies", "per client, the playbook's payment rules broken over the 12 full months before the "
               "as-of month: breaches and money at stake", _policies, (AS_OF, REALM, CLIENT)),
        Report("payment-behaviour", "per client, how it paid the invoices of the 12 full months before the as-of "
               "month: days to pay, share paid by the due date, the 12 months before, methods, autopay, templates, "
               "what is overdue; or the company's days sales outstanding and agreement money in by the 3rd",
               _payment_behaviour,
               (AS_OF, REALM, CLIENT, Option("summary", "per month: days sales outstanding and the share of the "
                                             "month's agreement money received by its 3rd"))),
        Report("forecast", "MRR of each coming month: committed (recurring templates, agreements billed ahead or "
               "by hand) and expected (less the trailing churn and contraction, plus expansion)", _forecast,
               (AS_OF, REALM, Option("months", f"how many months after the as-of month, 1 to {MOST_FORECAST_MONTHS} "
                                     "(default: 12)", "months"),
                Option("cash", "what comes in instead, per week: recurring_billing (the templates on their dates), "
                       "receivables (by the day each client pays), hourly_run_rate (hourly work still to be "
                       "invoiced, at each client's rate of the 3 full months), cash_in (the three), and "
                       "becomes_revenue (prepaid money that becomes revenue)"),
                Option("weeks", f"with cash: how many weeks of seven days from the day after the as-of date, 1 to "
                       f"{MOST_FORECAST_WEEKS} (default: 13)", "weeks"),
                Option("by_month", "with cash: per month (the rest of the as-of month, then the months) instead "
                       "of per week"), SCENARIO)),
        Report("at-risk", "clients whose agreement revenue is at risk: a paused agreement template, one ending within "
               "the forecast, MRR cut in the 3 full months and still below; and any client paying later and later, "
               "past its due dates", _at_risk,
               (AS_OF, REALM, Option("months", "templates ending within this many months after the as-of month, 1 to "
                                     f"{MOST_FORECAST_MONTHS} (default: 12, as the forecast)", "months"))),
        Report("forecast-accuracy", "per month over, the MRR forecast kept for it (the last made before it began) "
               "against the MRR that came", _as_of("forecast_accuracy"), (AS_OF, REALM)),
        Report("devices", "per client, servers and desktops deployed (the latest device export) against billed "
               "(the device lines of the as-of month) and the monthly difference at the client's own rate",
               _devices, (AS_OF, REALM, CLIENT)),
        Report("price-sheet", "per agreement client, its monthly fee (the agreement lines of the as-of month) "
               "against the price sheet: its current tier's list prices for its device counts, and the difference",
               _price_sheet, (AS_OF, REALM, CLIENT)),
        Report("device-organisations", "each organisation of the latest device export with the client it matched "
               "(by the settings' mapping or by name) or why none, and its devices; unmatched first",
               _as_of("device_organisations"), (AS_OF, REALM)),
        Report("retention", "per month of the 12 full months: gross and net retention of agreement revenue, client "
               "churn by count, month and trailing 12, and the top five clients' share of revenue",
               _as_of("retention"), (AS_OF, REALM)),
        Report("lines", "the documents and lines behind a figure, adding up to it", _lines, (
            AS_OF, REALM,
            Option("kind", "the figure whose lines are listed: revenue (the default), mrr, mrr:MOVEMENT, "
                   "ar-aging:COLUMN, prepayments:COLUMN, roll-forward:COLUMN, tie-out:difference, "
                   "margin:COLUMN, policies:COLUMN, payments:COLUMN, forecast:SOURCE, cash:COLUMN, devices:COLUMN, "
                   "price-sheet:COLUMN, scenario:COLUMN or at-risk:REASON, as README.md names them", "figure"),
            Option("month", "the month of the figure (revenue: dated in it by the as-of date; default: the as-of "
                   "month; forecast and scenario: a month after it, default the next; payments' summary: default the last full month)",
                   "month"),
            Option("period", "revenue: the lines of these days, first and last included, instead of a month; "
                   "cash: the days after the as-of date whose money is listed (default: the first week)", "period"),
            Option("against", "revenue: less the lines of these days (first,last), so the rows add up to the "
                   "change from them, e.g. this week against the same days last week", "days"),
            Option("categories", "revenue: only these, e.g. labor_hourly,labor_msa", "categories"),
            CLIENT, NO_ROLLUP, BASIS, SCENARIO,
            Option("account", "the difference from QuickBooks: one income account, by Id or full name", "text",
                   "ID|NAME"))),
    )
}


# Each report says in one sentence why it has no rows (models/figures/no_rows.py): a report without one is an error
if set(NO_ROWS) != set(REPORTS):
    raise RuntimeError(f"models/figures/no_rows.py's NO_ROWS and the reports differ: "
                       f"{sorted(set(NO_ROWS) ^ set(REPORTS))}; give each report one sentence")


def no_rows(name: str, options: Options, settings: Settings) -> str:
    """Why report `name` has no rows with these options, in one sentence (what a table of headers alone would hide):
    a policies report with every rule switched off checked nothing, which is not "nothing broken"."""
    if name == "policies" and not policies_switched_on(settings):
        return no_rows_texts.NO_POLICY_CHECKED
    return NO_ROWS[name](options)


def run(con: duckdb.DuckDBPyConnection, name: str, options: Options, settings: Settings) -> Result:
    """Run a report on a snapshot connection (in the app, a cursor of the thread's own)."""
    plan = REPORTS[name].plan(options, settings)
    return run_query(con, plan.query, plan.params, plan.relations)


def find_client(con: duckdb.DuckDBPyConnection, text: str, realm: str | None = None, rollup: bool = True) -> str:
    """The QuickBooks customer Id of the one client `text` names: its Id, its name, or the start of its
    name (any case). Clients are the tops of the ParentRef chains; with rollup off, any customer."""
    matches = run_query(con, "client_lookup", {"client": text, "realm": realm, "rollup": rollup}).records()
    exact = [r for r in matches if r["by_id"]] or [r for r in matches if r["by_name"]]
    chosen = {(r["realm_id"], r["customer_id"]): r["customer"] for r in exact or matches}
    if len(chosen) == 1:
        return next(iter(chosen))[1]
    where = f" in QuickBooks company {realm}" if realm else ""
    if not chosen:
        raise UnknownClient(f"no client {text!r}{where}{_did_you_mean(con, text, realm, rollup)}: give its QuickBooks "
                            "customer Id or the start of its name (report client-labor lists them)")
    several_realms = len({realm_id for realm_id, _ in chosen}) > 1
    listed = ", ".join(f"{name} (Id {customer_id}{f', company {realm_id}' if several_realms else ''})"
                       for (realm_id, customer_id), name in sorted(chosen.items(), key=lambda c: (c[1], c[0])))
    hint = "give more of the name, or the Id" + (", with --realm" if several_realms else "")
    raise UnknownClient(f"{text!r} matches {len(chosen)} clients: {listed}; {hint}")


def clients(con: duckdb.DuckDBPyConnection, realm: str | None = None, rollup: bool = True) -> Result:
    """Every client (the tops of the ParentRef chains; with rollup off, any customer) with its QuickBooks customer
    Id, by name: what a pick list of clients offers, and the names a misspelt one is compared with."""
    return run_query(con, "client_lookup", {"client": "", "realm": realm, "rollup": rollup})


def _did_you_mean(con: duckdb.DuckDBPyConnection, text: str, realm: str | None, rollup: bool) -> str:
    """The client names closest to a misspelt one, as " (did you mean 'A' or 'B'?)", or nothing."""
    import difflib  # a misspelling's alone (DECISIONS.md, "Starting light")

    everyone = clients(con, realm, rollup).records()
    names = {r["customer"].lower(): r["customer"] for r in everyone if r["customer"]}
    closest = difflib.get_close_matches(text.lower(), names, n=3, cutoff=0.6)
    if not closest:
        return ""
    spelled = [repr(names[name]) for name in closest]
    return f" (did you mean {' or '.join(filter(None, [', '.join(spelled[:-1]), spelled[-1]]))}?)"


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None,
              relations: dict[str, pa.Table] | None = None) -> Result:
    """Run the query file called `name` in QUERIES, with `relations` registered while it runs."""
    with _running(con, name, params, relations) as columns:
        return Result(columns, con.fetchall())


@dataclass(frozen=True)
class Stream:
    """A query's rows as they come, a batch at a time (each a list of tuples, the values Result holds)."""
    columns: list[str]
    batches: Iterator[list[tuple]]


STREAM_BATCH = 10_000  # rows a stream holds at once


@contextmanager
def stream(con: duckdb.DuckDBPyConnection, name: str, options: Options, settings: Settings) -> Iterator[Stream]:
    """A report's rows a batch at a time (run's, in its order): an export writes them as they come instead
    of holding them all."""
    plan = REPORTS[name].plan(options, settings)
    with _running(con, plan.query, plan.params, plan.relations) as columns:
        yield Stream(columns, iter(lambda: con.fetchmany(STREAM_BATCH), []))


@contextmanager
def _running(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None,
             relations: dict[str, pa.Table] | None) -> Iterator[list[str]]:
    """The query file run on `con`, its rows still to be fetched; yields its column names."""
    if name not in QUERIES:
        raise KeyError(f"no query file called {name!r} in sql/{' or sql/'.join(QUERY_FOLDERS)}")
    for relation, table in (relations or {}).items():
        con.register(relation, table)
    try:
        con.execute(sqlfiles.read(QUERIES[name]), params or {})
        yield [d[0] for d in con.description]
    finally:
        for relation in relations or {}:
            con.unregister(relation)


def billing_issues(con: duckdb.DuckDBPyConnection, o: Options, settings: Settings) -> Result:
    """One client's (o.client) outstanding billing issues as of o.as_of: a row per document still open that is past
    due or owes what the payment rules asked for already, and the finance charges due but not invoiced
    (sql/reports/billing_issues.sql; the sit-down owner's copy's box)."""
    return run_query(con, "billing_issues",
                     {"as_of": o.as_of, "realm": o.realm, "client": o.client, **_policy_rules(settings)})


def quote_tiers(con: duckdb.DuckDBPyConnection, servers: int, desktops: int, settings: Settings) -> Result:
    """Each tier's monthly, yearly and setup cost for an ad-hoc device count."""
    return run_query(con, "tier_quote",
                     {"servers": servers, "desktops": desktops, "setup_percent": settings.setup_fee_percent},
                     {"tier_prices": tier_prices(settings)})


def tier_prices(settings: Settings) -> pa.Table:
    import pyarrow as pa

    money = pa.decimal128(18, 2)
    return pa.table({
        "tier": pa.array([t.name for t in settings.tiers], pa.string()),
        "tier_key": pa.array([name_key(t.name) for t in settings.tiers], pa.string()),
        "position": pa.array(range(len(settings.tiers)), pa.int32()),
        "server_price": pa.array([t.server for t in settings.tiers], money),
        "desktop_price": pa.array([t.desktop for t in settings.tiers], money),
        "servers_only": pa.array([t.servers_only for t in settings.tiers], pa.bool_()),
        "covers": pa.array([list(t.covers) for t in settings.tiers], pa.list_(pa.string())),
        "included_hours": pa.array([t.included_hours for t in settings.tiers], pa.decimal128(9, 2)),
    })


def worker_rates(settings: Settings) -> pa.Table:
    """The owner's loaded cost per hour by worker ([margin.workers]), keyed as fct_time_worked's worker_key."""
    import pyarrow as pa

    workers = settings.margin.workers
    return pa.table({"worker_key": pa.array([name_key(name) for name in workers], pa.string()),
                     "rate": pa.array(list(workers.values()), pa.decimal128(18, 2))})


def client_devices(settings: Settings) -> pa.Table:
    import pyarrow as pa

    rows = [(realm, cid, d.servers, d.desktops, d.override)
            for realm, clients in settings.devices.items() for cid, d in clients.items()]
    return pa.table({
        "realm_id": pa.array([r[0] for r in rows], pa.string()),
        "customer_id": pa.array([r[1] for r in rows], pa.string()),
        "servers": pa.array([r[2] for r in rows], pa.int32()),
        "desktops": pa.array([r[3] for r in rows], pa.int32()),
        "override": pa.array([r[4] for r in rows], pa.bool_()),
    })


def write_csv(out: TextIO, columns: list[str], batches: Iterable[list[tuple]]) -> None:
    """A report as CSV, written a batch of rows at a time: dates ISO, money its exact decimal text, a text
    from QuickBooks that would start a formula neutralised (csv_cell)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for batch in batches:
        write_csv_rows(writer, batch)


def render(result: Result, fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        write_csv(out, result.columns, [result.rows])
        return out.getvalue()
    if fmt == "json":
        records = [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        texts = [column_text(values) for values in zip(*result.rows)] or [[] for _ in result.columns]
        widths = [max(len(column), max(map(len, values), default=0)) for column, values in zip(result.columns, texts)]
        # one format a line rather than a ljust a cell: the same spaces, a tenth of the calls
        line = "  ".join(f"{{:<{w}}}" if w else "{}" for w in widths)
        lines = [line.format(*result.columns).rstrip(), "  ".join("-" * w for w in widths)]
        lines += [line.format(*row).rstrip() for row in zip(*texts)]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _json_value(value: Any) -> Any:
    # Money as exact decimal strings: a JSON number would be read back as a float by most tools.
    if isinstance(value, (Decimal, date, datetime)):
        return plain_text(value)
    return value
