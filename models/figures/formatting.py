"""How money and months read on screen and on paper."""
from __future__ import annotations

import math
import numbers
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Sequence

from models.figures.vocabulary import AGING_LABELS, AGING_TOTALS, POLICY_LABELS
from models.settings.categories import CATEGORY_LABELS

# What report columns are called on screen, on paper and in the workbook.
COLUMN_LABELS = {
    **CATEGORY_LABELS, **AGING_LABELS, **{code: name for code, (_, name) in AGING_TOTALS.items()},
    "customer": "Client", "client": "Client", "labor_total": "Labor total", "labor_12m": "Labor, 12 months",
    "share_of_labor": "Share of labor", "yearly_vs_labor": "Per year vs labor paid", "setup_fee": "Setup fee",
    "refund_if_cancelled": "Refund if cancelled", "prepaid_service": "Prepaid service",
    "unapplied_payments": "Unapplied payments", "oldest_days_past_due": "Oldest, days past due",
    "rule_pattern": "Rule matched", "item_category_path": "Item category",
    "deposit_accounts": "Held in deposit accounts",
    "txn_date": "Date", "document_type": "Type", "doc_number": "Number", "link": "QuickBooks",
    "customer_or_job": "Customer or job", "realm_id": "QuickBooks company",
    "gross_margin_pct": "Gross margin %", "effective_rate": "Effective rate, net of tools", "markup_pct": "Markup %",
    "problem_months": "Months under the line", "overhead": "Overhead", "margin_problem": "Under the margin line",
    **POLICY_LABELS,
    **{f"{rule}_amount": f"{words}, $" for rule, words in POLICY_LABELS.items()},
    "committed_mrr": "Committed MRR", "from_templates": "From templates", "billed_ahead": "Billed ahead",
    "base_mrr": "Base MRR", "scenario_mrr": "What-if MRR", "mrr_change": "MRR change",
    "base_expected_mrr": "Base expected MRR", "scenario_expected_mrr": "What-if expected MRR",
    "base_hourly": "Base hourly", "scenario_hourly": "What-if hourly", "base_recurring_share": "Base recurring share",
    "scenario_recurring_share": "What-if recurring share", "base_cash_in": "Base cash in",
    "scenario_cash_in": "What-if cash in",
    "carried": "Carried forward", "expected_mrr": "Expected MRR", "churn_percent": "Churn a month %",
    "contraction_percent": "Contraction a month %", "expansion_percent": "Expansion a month %",
    "starting_mrr": "Starting MRR", "grr_percent": "Gross retention %", "nrr_percent": "Net retention %",
    "client_churn_percent": "Clients lost %", "year_ago_mrr": "MRR a year before",
    "grr_12m_percent": "Gross retention, 12 months %", "nrr_12m_percent": "Net retention, 12 months %",
    "client_churn_12m_percent": "Clients lost, 12 months %", "top5_revenue_12m": "Top five, 12 months",
    "revenue_12m": "Revenue, 12 months", "top5_share_12m_percent": "Top five's share %",
    "recurring_billing": "Recurring billing", "receivables": "Receivables", "cash_in": "Cash in",
    "hourly_run_rate": "Hourly run-rate",
    "becomes_revenue": "Prepaid, becomes revenue", "period_start": "From", "period_end": "To",
    "at_risk": "At risk", "why": "Why", "mrr": "MRR", "ends_on": "Ends", "days_to_pay": "Days to pay",
    "previous_days_to_pay": "Days to pay, 12 months before",
    "made_on": "Forecast on", "months_ahead": "Months ahead", "actual_mrr": "MRR that came",
    "committed_difference": "Came less committed", "expected_difference": "Came less expected",
    "expected_error_percent": "Came less expected %",
}


# Columns holding a share (0.1234 is 12.34%): a file keeps the exact number, a screen shows it in points
SHARE_COLUMNS = ("share_of_labor", "recurring_share", "recurring_share_12m", "day1_share", "paid_by_due_share",
                 "previous_paid_by_due_share", "agreement_by_3rd_share", "base_recurring_share",
                 "scenario_recurring_share")
# Columns holding percentage points already (57.90 is 57.9%): the margin report's, as its columns are named
POINTS_COLUMNS = ("gross_margin_pct", "markup_pct", "markup_target_pct", "churn_percent", "contraction_percent",
                  "expansion_percent", "grr_percent", "nrr_percent", "client_churn_percent", "grr_12m_percent",
                  "nrr_12m_percent", "client_churn_12m_percent", "top5_share_12m_percent", "expected_error_percent")


def grid_values(frame):
    """A table as a grid shows it: shares in percentage points (exact; the grid writes them to one decimal,
    as percent_text does), and a column of whole numbers with a gap as text, where the grid would write
    3.0. A missing value reads blank by the grid's own placeholder."""
    shown = frame.copy()
    for column in shown.columns:
        values = list(shown[column])
        present = [v for v in values if not _missing(v)]
        if column in SHARE_COLUMNS:
            shown[column] = [None if _missing(v) else Decimal(str(v)) * 100 for v in values]
        elif len(present) < len(values) and all(
                isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in present):
            shown[column] = ["" if _missing(v) else str(v) for v in values]
    return shown


def _missing(value: Any) -> bool:
    """No value: None, NaN, or pandas' NA and NaT (known by their types, so that the reports' text formats,
    which import this module, need not import pandas: DECISIONS.md, "Starting light")."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        type(value).__name__ in ("NAType", "NaTType")


def money_text(value: Decimal | None) -> str:
    """$1,234.56 and -$1,234.56; an empty cell for no value."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def percent_text(points: Decimal | None) -> str:
    """12.3% (one decimal, on every screen); "–" for no value."""
    return "–" if _missing(points) else f"{points:.1f}%"


def share_text(share: Decimal | None) -> str:
    """A share (0.1234) as percent_text says it: 12.3%."""
    return percent_text(None if _missing(share) else Decimal(str(share)) * 100)


def month_text(month: date, part: bool = False) -> str:
    """"Nov 2026"; a month not over yet as "Nov 2026 (part)"."""
    return month.strftime("%b %Y") + (" (part)" if part else "")


def column_label(column: str) -> str:
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def plain_text(value: Any) -> str:
    """A value as text: dates ISO, lists joined with ';', nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(plain_text(v) for v in value)
    return str(value)


# The types plain_text writes as str() does: a column of these alone is written at once (C's speed, not a call per
# value: a table of 10,000 rows has some 70,000 values, most of `report mrr`'s printing from the command line)
_AS_STR = frozenset({str, int, float, bool, Decimal})


def column_text(values: Sequence[Any]) -> list[str]:
    """plain_text of each value of a column."""
    types = set(map(type, values))
    if types <= _AS_STR:
        return list(map(str, values))
    if types <= _AS_STR | {type(None)}:
        return ["" if v is None else str(v) for v in values]
    if len(types) == 1 and issubclass(next(iter(types)), date):
        return list(map(next(iter(types)).isoformat, values))
    return list(map(plain_text, values))


# A text cell starting with one of these runs as a formula in spreadsheet programs (OWASP's CSV
# injection guidance): names from QuickBooks are data, so such a cell gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    text = plain_text(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def write_csv_rows(writer, rows: Iterable[Sequence[Any]]) -> None:
    """Rows into a csv writer, each value as csv_cell writes it (every CSV the project writes, so each is
    as formula-safe as the others)."""
    writer.writerows([csv_cell(v) for v in row] for row in rows)


def months_text(months: str) -> str:
    """Months as the margin report lists them ("2026-08, 2026-09") as every screen and printout says a month:
    "Aug 2026, Sep 2026"; nothing for none."""
    return ", ".join(month_text(date.fromisoformat(f"{month}-01")) for month in months.split(", ")) if months else ""
