"""Fetch QuickBooks' ProfitAndLoss (monthly columns, accrual) for the months a sync touched and keep
its income per account, for the build to tie our revenue lines out against (marts.mart_tie_out)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

import duckdb

from ingest import writer
from ingest.qbo.client import Connection
from models import sqlfiles
from models.months import month_bounds


def months_touched(con: duckdb.DuckDBPyConnection, realm: str, since: datetime) -> list[date]:
    rows = con.execute(sqlfiles.read("raw/months_touched.sql"), {"realm": realm, "since": since}).fetchall()
    return [row[0] for row in rows]


def fetch_income(con: duckdb.DuckDBPyConnection, connection: Connection, months: list[date]) -> int:
    """Store QuickBooks' income per account and month for `months`; returns the rows stored."""
    if not months:
        return 0
    first, last = min(months), max(months)
    end = month_bounds(last)[1]
    report = connection.report("ProfitAndLoss", {"start_date": first.isoformat(), "end_date": end.isoformat(),
                                                 "summarize_column_by": "Month", "accounting_method": "Accrual"})
    columns = report.get("Columns", {}).get("Column", [])
    column_months = [_column_month(c) for c in columns]
    rows = []
    for row in _income_rows(report.get("Rows", {}).get("Row", [])):
        cells = row.get("ColData", [])
        account_id, account = str(cells[0].get("id", cells[0].get("value", ""))), cells[0].get("value")
        for month, cell in zip(column_months, cells):
            if month is not None and month in months:
                rows.append((month, account_id, account, _money(cell.get("value"))))
    realm = connection.authorizer.realm_id
    fetched = datetime.now(timezone.utc).replace(tzinfo=None)
    with writer.transaction(con):
        con.execute("delete from raw.qbo_profit_and_loss where realm_id = ? and month between ? and ?",
                    [realm, first, last])
        if rows:
            con.executemany("insert into raw.qbo_profit_and_loss values (?, ?, ?, ?, ?, ?)",
                            [(realm, m, a_id, a, amount, fetched) for m, a_id, a, amount in rows])
    return len(rows)


def _income_rows(rows: list[dict]) -> list[dict]:
    """The data rows of the Income section (nested sections of sub-accounts included)."""
    found = []
    for row in rows:
        if row.get("type") == "Section" and row.get("group") not in (None, "Income"):
            continue
        if row.get("type") == "Data":
            found.append(row)
        found.extend(_income_rows(row.get("Rows", {}).get("Row", [])) if row.get("group") in (None, "Income") else [])
    return found


def _column_month(column: dict) -> date | None:
    for item in column.get("MetaData", []) or []:
        if item.get("Name") == "StartDate":
            return date.fromisoformat(item["Value"]).replace(day=1)
    return None


def _money(text) -> Decimal:
    try:
        return Decimal(str(text or "0")).quantize(Decimal("0.01"))
    except InvalidOperation:
        return Decimal("0.00")
