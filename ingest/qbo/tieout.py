"""Fetch QuickBooks' ProfitAndLoss (monthly columns, accrual) for the months a sync touched and keep
its income per account (ingest/qbo/profit_and_loss.py reads the report), for the build to tie our
income out against (marts.mart_tie_out)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import duckdb

from ingest import writer
from ingest.qbo.errors import ConnectorError
from ingest.qbo.client import Connection
from ingest.qbo.profit_and_loss import ReportError, income_by_account, request_windows
from models.warehouse import sqlfiles


def months_touched(con: duckdb.DuckDBPyConnection, realm: str, since: datetime) -> list[date]:
    rows = con.execute(sqlfiles.read("raw/months_touched.sql"), {"realm": realm, "since": since}).fetchall()
    return [row[0] for row in rows]


def fetch_income(con: duckdb.DuckDBPyConnection, connection: Connection, months: list[date]) -> int:
    """Store QuickBooks' income per account and month for `months` (asked for in windows of at most
    six months, Intuit's advice); returns the rows stored."""
    realm = connection.authorizer.realm_id
    wanted = set(months)
    fetched = datetime.now(timezone.utc).replace(tzinfo=None)
    reports = []
    for first, last in request_windows(months):
        report = connection.report("ProfitAndLoss", {"start_date": first.isoformat(), "end_date": last.isoformat(),
                                                     "summarize_column_by": "Month", "accounting_method": "Accrual"})
        try:
            reports.append((first, last, income_by_account(report)))
        except ReportError as err:
            raise ConnectorError(f"{err}; the synced records are stored, but the tie-out to QuickBooks could not "
                                 "be made for these months") from None
    stored = 0
    with writer.transaction(con):
        for first, last, income in reports:
            for table in ("qbo_profit_and_loss", "qbo_profit_and_loss_months"):
                con.execute(f"delete from raw.{table} where realm_id = ? and month between ? and ?", [realm, first, last])
            con.executemany("insert into raw.qbo_profit_and_loss_months values (?, ?, ?)",
                            [(realm, month, fetched) for month in sorted(wanted) if first <= month <= last])
            rows = [(realm, i.month, i.account_id, i.account, i.amount, fetched) for i in income if i.month in wanted]
            if rows:
                con.executemany("insert into raw.qbo_profit_and_loss values (?, ?, ?, ?, ?, ?)", rows)
            stored += len(rows)
    return stored
