"""Fetch QuickBooks' ProfitAndLoss (monthly columns, accrual; and cash when the owner reports on a cash basis)
for the months a sync touched and keep its income and its costs per account (ingest/qbo/profit_and_loss.py reads
the report), for the build to tie our income out against (marts.mart_tie_out) and our cost lines
(marts.mart_cost_tie_out, accrual only)."""
from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from datetime import date, datetime, timezone
from typing import Iterable, TYPE_CHECKING

from models.warehouse.work_db import transaction
from models.warehouse.paths import COMMAND
from ingest.qbo.errors import ConnectorError
from ingest.qbo.client import Connection, QboError
from ingest.qbo.profit_and_loss import Income, ReportError, income_by_account, request_windows
from models.warehouse import sqlfiles

if TYPE_CHECKING:
    import duckdb


# Where each basis's ProfitAndLoss is kept: its income, the months fetched, and (accrual only) its costs; the cost
# tie-out is on an accrual basis, as the cost lines are (a bill counts when paid on a cash basis: BillPayment,
# which is not synced)
STORED = {"accrual": ("qbo_profit_and_loss", "qbo_profit_and_loss_months", "qbo_profit_and_loss_costs"),
          "cash": ("qbo_cash_profit_and_loss", "qbo_cash_profit_and_loss_months")}
METHOD = {"accrual": "Accrual", "cash": "Cash"}  # QuickBooks' accounting_method for each basis


def months_touched(con: duckdb.DuckDBPyConnection, realm: str, since: datetime, basis: str = "accrual",
                   unchanged: Iterable[tuple[str, str]] = ()) -> list[date]:
    """The months whose income on `basis` (and, accrual, whose costs) the records stored or changed since `since`
    may have changed, but for the records `unchanged` ((entity, Id): stored again with the same posting,
    SyncResult.postings_unchanged): on a cash basis the months of the payments too, and those of the invoices a
    payment pays and of the payments of an invoice (an edited invoice's lines change every payment's spread). The
    months the versions they replaced were in are the sync's to note before it stores them
    (SyncResult.replaced_months): raw keeps one version."""
    params = {"realm": realm, "since": since,
              "unchanged": [{"entity": entity, "id": record_id} for entity, record_id in sorted(unchanged)]}
    queries = ("raw/months_touched.sql", "raw/cost_months_touched.sql" if basis == "accrual"
               else "raw/cash_months_touched.sql")
    return sorted({row[0] for query in queries for row in con.execute(sqlfiles.read(query), params).fetchall()})


def owe(con: duckdb.DuckDBPyConnection, realm: str, basis: str, months: Iterable[date]) -> None:
    """Note that the tie-out is owed `basis`'s ProfitAndLoss for `months` (raw.income_due), until it is stored."""
    con.execute(sqlfiles.read("raw/owe_income.sql"), {"realm": realm, "basis": basis, "months": sorted(set(months))})


def owed(con: duckdb.DuckDBPyConnection, realm: str, basis: str) -> list[date]:
    """The months whose ProfitAndLoss on `basis` is owed: this sync's, and any a sync before it did not store."""
    return [month for (month,) in con.execute(sqlfiles.read("raw/owed_income.sql"),
                                              {"realm": realm, "basis": basis}).fetchall()]


def fetch_income(con: duckdb.DuckDBPyConnection, connection: Connection, months: list[date],
                 basis: str = "accrual") -> int:
    """Store QuickBooks' income per account and month on `basis` for `months` (asked for in as few windows of
    at most six months as cover them, Intuit's advice, all at once within the Connection's limits); returns
    the rows stored. Nothing is stored unless every window was answered and read."""
    with IncomeRequests(connection, {basis: months}) as asked:
        return asked.store(con)[basis]


class IncomeRequests:
    """QuickBooks' ProfitAndLoss on each basis for its months (`wanted`: basis -> months), asked for as soon as
    this is made, in the background and all together, so that what does not need it (the build's models but the
    tie-out's) runs meanwhile; `store` waits for the answers. Leaving the block cancels the windows not sent yet
    (the build failed first) and waits for those in flight."""

    def __init__(self, connection: Connection, wanted: dict[str, list[date]]):
        self.realm = connection.authorizer.realm_id
        self.months = {basis: sorted(set(months)) for basis, months in wanted.items()}
        self.fetched = datetime.now(timezone.utc).replace(tzinfo=None)
        windows = {basis: request_windows(months) if months else [] for basis, months in self.months.items()}
        count = sum(len(each) for each in windows.values())
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(count, connection.policy.concurrent)))
        # a window may span months between the touched ones: those are asked for, not stored
        self._asked = {basis: [self._pool.submit(_window_income, connection, first, last, basis)
                               for first, last in each] for basis, each in windows.items()}

    def __enter__(self) -> IncomeRequests:
        return self

    def __exit__(self, *_) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def store(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """Wait for every window of every basis, then store the income (and, accrual, the costs) of the months
        asked for, all bases in one transaction; returns the income rows stored per basis. The first window that
        fails stops the rest (what was not sent yet is not sent) and raises: nothing is stored."""
        answers = _answers([future for asked in self._asked.values() for future in asked])
        stored: dict[str, int] = {}
        with transaction(con):
            for basis, months in self.months.items():
                windows = [answers[future] for future in self._asked[basis]]
                stored[basis] = _store(con, basis, windows, {"realm": self.realm, "months": months,
                                                             "fetched": self.fetched}) if months else 0
        return stored


def _store(con: duckdb.DuckDBPyConnection, basis: str, windows: list[Window], stored: dict) -> int:
    """Replace the months `stored["months"]` of `basis`'s tables with the windows' income (and costs, accrual
    only); returns the income rows stored."""
    wanted = set(stored["months"])
    income = [i for window, _ in windows for i in window if i.month in wanted]
    costs = [(section, c) for _, window in windows for section, c in window if c.month in wanted]
    tables = STORED[basis]
    for table in tables:
        con.execute(sqlfiles.read("raw/forget_income_months.sql").format(table=table),
                    {"realm": stored["realm"], "months": stored["months"]})
    con.execute(sqlfiles.read("raw/store_income_months.sql").format(table=tables[1]), stored)
    con.execute(sqlfiles.read("raw/forget_owed_income.sql"),
                {"realm": stored["realm"], "basis": basis, "months": stored["months"]})
    if income:
        con.execute(sqlfiles.read("raw/store_income.sql").format(table=tables[0]),
                    {**stored, "months": [i.month for i in income], "account_ids": [i.account_id for i in income],
                     "accounts": [i.account for i in income], "amounts": [str(i.amount) for i in income]})
    if costs and basis == "accrual":
        con.execute(sqlfiles.read("raw/store_costs.sql"),
                    {**stored, "months": [c.month for _, c in costs], "account_ids": [c.account_id for _, c in costs],
                     "accounts": [c.account for _, c in costs], "sections": [s for s, _ in costs],
                     "amounts": [str(c.amount) for _, c in costs]})
    return len(income)


# QuickBooks' ProfitAndLoss sections of cost, by their group: what the cost lines tie out against
COST_SECTIONS = ("COGS", "Expenses", "OtherExpenses")
Window = tuple[list[Income], list[tuple[str, Income]]]  # a window's income, and its cost per (section, account)


def _answers(asked: list[Future]) -> dict[Future, Window]:
    """Each window's income and costs; the requests went out together and the Connection keeps them within
    QuickBooks' limits (10 in flight, 10 a second, 500 a minute)."""
    done, _ = wait(asked, return_when=FIRST_EXCEPTION)
    failed = [future for future in asked if future in done and future.exception() is not None]
    if failed:
        for future in asked:
            future.cancel()
        failed[0].result()
    return {future: future.result() for future in asked}


def _window_income(connection: Connection, first: date, last: date, basis: str) -> Window:
    window = ("" if basis == "accrual" else "cash-basis ") + f"{first:%b %Y}" + ("" if (first.year, first.month) == (last.year, last.month) else f"–{last:%b %Y}")
    undone = (f"; the synced records are stored and the tie-out to QuickBooks was left as it was (no month of it "
              f"changed): run {COMMAND} sync --full to compare every month again")
    try:
        report = connection.report("ProfitAndLoss", {"start_date": first.isoformat(), "end_date": last.isoformat(),
                                                     "summarize_column_by": "Month", "accounting_method": METHOD[basis]})
        answered = (report.get("Header") or {}).get("ReportBasis")
        if answered != METHOD[basis]:  # stored under the basis asked for, so a report on another would mislead
            raise ReportError(f"asked for the {METHOD[basis]} basis, answered on {answered!r}")
        return income_by_account(report), [(section, cost) for section in COST_SECTIONS
                                            for cost in income_by_account(report, section)]
    except ReportError as err:
        raise ConnectorError(f"QuickBooks' ProfitAndLoss for {window}: {err}{undone}") from None
    except QboError as err:
        raise ConnectorError(f"QuickBooks' ProfitAndLoss for {window} could not be fetched: {err}{undone}") from err
