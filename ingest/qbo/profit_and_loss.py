"""QuickBooks' ProfitAndLoss report (accrual or cash, a column per month), read the way QuickBooks lays it out.

The report nests accounts: a leaf account is a `Data` row; a parent account is a `Section` whose
`Header` carries the parent's own postings (with the account `id`), whose `Rows` hold its
sub-accounts, and whose `Summary` ("Total <name>") is own postings plus every sub-account. Only the
top-level sections carry a `group` (Income, COGS, Expenses, OtherIncome, ...). Empty cells are "".
Every section's summary is checked against what was read, so a layout we misread fails loudly
instead of losing money.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from models.months import add_months, month_bounds

# Intuit's advice: keep a report request's date range to six months at most.
MONTHS_PER_REQUEST = 6


class ReportError(ValueError):
    """The report is not laid out as QuickBooks lays out a ProfitAndLoss; the message says where."""


@dataclass(frozen=True)
class Income:
    month: date         # first day
    account_id: str
    account: str
    amount: Decimal


def request_windows(months: list[date]) -> list[tuple[date, date]]:
    """(first day, last day) ranges covering the months given (first days) in as few requests as Intuit's
    advice allows: each window starts at the earliest month not yet covered and ends with the last month
    given within MONTHS_PER_REQUEST months of it, so months apart share a window when they fit in one (the
    months between are asked for and not stored). Starting each window as late as it can be is what makes
    the count the least: any MONTHS_PER_REQUEST-month range holds at most one of the starts."""
    windows: list[tuple[date, date]] = []
    for month in sorted(set(months)):
        if windows and month < add_months(windows[-1][0], MONTHS_PER_REQUEST):
            windows[-1] = (windows[-1][0], month_bounds(month)[1])
        else:
            windows.append((month, month_bounds(month)[1]))
    return windows


def income_by_account(report: dict, section: str = "Income") -> list[Income]:
    """Every account's income per month in the top-level section `section` (QuickBooks' Income
    section holds the accounts of type Income; Other Income is a section of its own)."""
    months = _column_months(report)
    found: list[Income] = []
    for row in _rows(report.get("Rows"), "the report"):
        if row.get("group") == section:
            _read(row, months, found, where=section)
    return found


def _column_months(report: dict) -> list[date | None]:
    columns = (report.get("Columns") or {}).get("Column")
    if not isinstance(columns, list) or not columns:
        raise ReportError("the ProfitAndLoss report has no Columns.Column list")
    months: list[date | None] = []
    for column in columns:
        meta = {m.get("Name"): m.get("Value") for m in column.get("MetaData") or [] if isinstance(m, dict)}
        # the month columns carry StartDate; the account column and the total column do not
        months.append(date.fromisoformat(meta["StartDate"]).replace(day=1)
                      if column.get("ColType") == "Money" and meta.get("ColKey") != "total" and meta.get("StartDate")
                      else None)
    if not any(months):
        raise ReportError("the ProfitAndLoss report has no month columns (ask for summarize_column_by=Month)")
    return months


def _read(section: dict, months: list[date | None], found: list[Income], where: str) -> list[Decimal]:
    """Read a section into `found`; returns its totals per column, checked against its Summary."""
    totals = [Decimal(0)] * len(months)
    header = (section.get("Header") or {}).get("ColData") or []
    if header and header[0].get("id") is not None:  # a parent account: its own postings are on the header
        totals = _add(totals, _account(header, months, found, where))
    for row in _rows(section.get("Rows"), where):
        cells = row.get("ColData")
        if row.get("type") == "Section" or "Header" in row or "Summary" in row:
            name = ((row.get("Header") or {}).get("ColData") or [{}])[0].get("value", "a section")
            totals = _add(totals, _read(row, months, found, f"{where} > {name}"))
        elif isinstance(cells, list) and cells:
            totals = _add(totals, _account(cells, months, found, where))
    summary = (section.get("Summary") or {}).get("ColData")
    if summary:
        for index, month in enumerate(months):
            if month is not None and index < len(summary):
                stated = _amount(summary[index].get("value"), f"{where} summary, column {index}")
                if stated != totals[index]:
                    raise ReportError(
                        f"ProfitAndLoss {where}, {month:%b %Y}: the section's summary says {stated} but its "
                        f"accounts add up to {totals[index]}; the report is not laid out as expected")
    return totals


def _account(cells: list[dict], months: list[date | None], found: list[Income], where: str) -> list[Decimal]:
    name = str(cells[0].get("value", ""))
    account_id = str(cells[0].get("id") or name)
    amounts = [Decimal(0)] * len(months)
    for index, month in enumerate(months):
        if month is None or index >= len(cells):
            continue
        amount = _amount(cells[index].get("value"), f"{where} > {name}, {month:%b %Y}")
        amounts[index] = amount
        if amount:
            found.append(Income(month, account_id, name, amount))
    return amounts


def _amount(text: Any, where: str) -> Decimal:
    if text in (None, ""):
        return Decimal(0)
    try:
        return Decimal(str(text))
    except InvalidOperation:
        raise ReportError(f"ProfitAndLoss {where}: {text!r} is not an amount") from None


def _rows(rows: Any, where: str) -> list[dict]:
    if rows is None:
        return []
    found = rows.get("Row", []) if isinstance(rows, dict) else None
    if not isinstance(found, list):
        raise ReportError(f"ProfitAndLoss {where}: Rows.Row is not a list")
    return [row for row in found if isinstance(row, dict)]


def _add(left: list[Decimal], right: list[Decimal]) -> list[Decimal]:
    return [a + b for a, b in zip(left, right)]
