"""Fetch QuickBooks' ProfitAndLoss (monthly columns, accrual) for the months a sync touched and keep
its income and its costs per account (ingest/qbo/profit_and_loss.py reads the report), for the build to tie
our income out against (marts.mart_tie_out) and our cost lines (marts.mart_cost_tie_out)."""
from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from datetime import date, datetime, timezone

import duckdb

from models.warehouse.work_db import transaction
from models.warehouse.paths import COMMAND
from ingest.qbo.errors import ConnectorError
from ingest.qbo.client import Connection, QboError
from ingest.qbo.profit_and_loss import Income, ReportError, income_by_account, request_windows
from models.warehouse import sqlfiles


def months_touched(con: duckdb.DuckDBPyConnection, realm: str, since: datetime) -> list[date]:
    rows = con.execute(sqlfiles.read("raw/months_touched.sql"), {"realm": realm, "since": since}).fetchall()
    return [row[0] for row in rows]


def fetch_income(con: duckdb.DuckDBPyConnection, connection: Connection, months: list[date]) -> int:
    """Store QuickBooks' income per account and month for `months` (asked for in as few windows of at most
    six months as cover them, Intuit's advice, all at once within the Connection's limits); returns the
    rows stored. Nothing is stored unless every window was answered and read."""
    with IncomeRequests(connection, months) as asked:
        return asked.store(con)


class IncomeRequests:
    """QuickBooks' ProfitAndLoss for `months`, asked for as soon as this is made, in the background, so that what
    does not need it (the build's models but the tie-out's) runs meanwhile; `store` waits for the answers.
    Leaving the block cancels the windows not sent yet (the build failed first) and waits for those in flight."""

    def __init__(self, connection: Connection, months: list[date]):
        self.realm, self.months = connection.authorizer.realm_id, sorted(set(months))
        self.fetched = datetime.now(timezone.utc).replace(tzinfo=None)
        windows = request_windows(self.months) if self.months else []
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(len(windows), connection.policy.concurrent)))
        # a window may span months between the touched ones: those are asked for, not stored
        self._asked = [self._pool.submit(_window_income, connection, first, last) for first, last in windows]

    def __enter__(self) -> IncomeRequests:
        return self

    def __exit__(self, *_) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def store(self, con: duckdb.DuckDBPyConnection) -> int:
        """Wait for every window, then store the income and costs of the months asked for; returns the income rows
        stored. The first window that fails stops the rest (what was not sent yet is not sent) and raises."""
        if not self.months:
            return 0
        windows = _answers(self._asked)
        wanted = set(self.months)
        income = [i for window, _ in windows for i in window if i.month in wanted]
        costs = [(section, c) for _, window in windows for section, c in window if c.month in wanted]
        stored = {"realm": self.realm, "months": self.months, "fetched": self.fetched}
        with transaction(con):
            for table in ("qbo_profit_and_loss", "qbo_profit_and_loss_months", "qbo_profit_and_loss_costs"):
                con.execute(sqlfiles.read("raw/forget_income_months.sql").format(table=table),
                            {"realm": self.realm, "months": self.months})
            con.execute(sqlfiles.read("raw/store_income_months.sql"), stored)
            if income:
                con.execute(sqlfiles.read("raw/store_income.sql"),
                            {**stored, "months": [i.month for i in income],
                             "account_ids": [i.account_id for i in income], "accounts": [i.account for i in income],
                             "amounts": [str(i.amount) for i in income]})
            if costs:
                con.execute(sqlfiles.read("raw/store_costs.sql"),
                            {**stored, "months": [c.month for _, c in costs],
                             "account_ids": [c.account_id for _, c in costs],
                             "accounts": [c.account for _, c in costs], "sections": [s for s, _ in costs],
                             "amounts": [str(c.amount) for _, c in costs]})
        return len(income)


# QuickBooks' ProfitAndLoss sections of cost, by their group: what the cost lines tie out against
COST_SECTIONS = ("COGS", "Expenses", "OtherExpenses")
Window = tuple[list[Income], list[tuple[str, Income]]]  # a window's income, and its cost per (section, account)


def _answers(asked: list[Future]) -> list[Window]:
    """Each window's income and costs, in the windows' order; the requests went out together and the Connection
    keeps them within QuickBooks' limits (10 in flight, 10 a second, 500 a minute)."""
    done, _ = wait(asked, return_when=FIRST_EXCEPTION)
    failed = [future for future in asked if future in done and future.exception() is not None]
    if failed:
        for future in asked:
            future.cancel()
        failed[0].result()
    return [future.result() for future in asked]


def _window_income(connection: Connection, first: date, last: date) -> Window:
    window = f"{first:%b %Y}" + ("" if (first.year, first.month) == (last.year, last.month) else f"–{last:%b %Y}")
    undone = (f"; the synced records are stored and the tie-out to QuickBooks was left as it was (no month of it "
              f"changed): run {COMMAND} sync --full to compare every month again")
    try:
        report = connection.report("ProfitAndLoss", {"start_date": first.isoformat(), "end_date": last.isoformat(),
                                                     "summarize_column_by": "Month", "accounting_method": "Accrual"})
        return income_by_account(report), [(section, cost) for section in COST_SECTIONS
                                            for cost in income_by_account(report, section)]
    except ReportError as err:
        raise ConnectorError(f"QuickBooks' ProfitAndLoss for {window}: {err}{undone}") from None
    except QboError as err:
        raise ConnectorError(f"QuickBooks' ProfitAndLoss for {window} could not be fetched: {err}{undone}") from err
