"""What the app says about the data behind every page: when it was built, and whether it ties out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from models.warehouse import paths
from models.figures.no_rows import NOT_FETCHED
from models.figures.reports import Options, run, run_query
from models.settings.settings import Settings


@dataclass(frozen=True)
class Freshness:
    built_at: datetime  # UTC
    realms: list[str]
    revenue_lines: int
    failed_checks: list[str]
    held_records: int = 0  # records a sync held back: the models cannot read them

    def age_text(self, now: datetime | None = None) -> str:
        seconds = ((now or datetime.now(timezone.utc).replace(tzinfo=None)) - self.built_at).total_seconds()
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                n = int(seconds // size)
                return f"{n} {unit}{'s' if n != 1 else ''} ago"
        return "just now"

    @property
    def ties_out(self) -> bool:
        return not self.failed_checks

    @property
    def empty(self) -> bool:
        """Nothing loaded yet: a page of $0.00 would only mislead (no revenue line, so no realm either)."""
        return not self.revenue_lines


def freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    built_at, realms, lines, failed, held = run_query(con, "build_info").rows[0]
    return Freshness(built_at, list(realms), lines, list(failed), held)


def last_syncs(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """Realm -> when its last QuickBooks sync finished (UTC)."""
    return {realm: at for realm, at in run_query(con, "last_sync").rows if at is not None}


def first_steps(db: Path) -> str:
    """What to do first with a warehouse that holds nothing yet: the commands as typed (markdown-safe)."""
    where = "" if db == paths.DEFAULT_DB else f" --db {db}"
    # each step says where it is done: connecting needs no terminal (the Data page), the others do
    return ("Nothing is loaded yet. Start with one of these:\n"
            f"1. Try the demo company: in a terminal in the project folder, `{paths.COMMAND} demo{where}` builds a "
            "made-up MSP's books to explore.\n"
            "2. Connect QuickBooks Online: on the Data page (Connect to QuickBooks), then Sync now; or in a terminal, "
            f"`{paths.COMMAND} connect{where}`, then `{paths.COMMAND} sync{where}` (docs/CONNECT.md walks through it).\n"
            f"3. Load QuickBooks files: in a terminal, `{paths.COMMAND} load FILE...{where} --realm ID` "
            "(QuickBooks API JSON or JSON Lines).")


def tie_out_text(failed_checks: list[str], months_compared: int, connected: bool, held_records: int = 0) -> str:
    """What was checked, in words: revenue lines against their documents always; against QuickBooks'
    ProfitAndLoss only for the months a sync fetched. The app's badge and the month-end email both say it."""
    held = f" · {held_records} record(s) held back (see the Data page)" if held_records else ""
    if failed_checks:
        return "does not tie out: " + ", ".join(failed_checks) + held
    if months_compared:
        return (f"ties out: revenue lines to their documents, income to QuickBooks ({months_compared} "
                f"month{'s' if months_compared != 1 else ''} compared){held}")
    why = NOT_FETCHED if connected else "no company connected"
    return f"ties out: revenue lines to their documents; not compared with QuickBooks ({why}){held}"


def compared_bases(owner: Settings) -> tuple[str, ...]:
    """The bases whose income `status`, the tie-out alert and the app compare with QuickBooks' ProfitAndLoss:
    accrual, which every sync fetches, and cash too for an owner who reports on it ([reports] basis), whose
    syncs fetch the cash report. The build's quickbooks_tie_out check fails on a difference on either; these
    name it, so a cash owner is not left with a failed check and no account to look at."""
    return ("accrual", "cash") if owner.report_basis == "cash" else ("accrual",)


def compared_income(con: duckdb.DuckDBPyConnection, owner: Settings) -> list[dict]:
    """The rows of report tie-out on each of the owner's compared bases, each with its `basis`."""
    return [{**row, "basis": basis} for basis in compared_bases(owner)
            for row in run(con, "tie-out", Options(basis=basis), owner).records()]


def difference_lines(tie_out_rows: list[dict]) -> list[str]:
    """The months and accounts whose income differs from QuickBooks' ProfitAndLoss (rows of report tie-out, or of
    compared_income: a cash-basis row says so), one indented line each, as `status` and the tie-out alert list
    them."""
    return [f"  {r['month']:%Y-%m} {r['account']}{' (cash basis)' if r.get('basis') == 'cash' else ''}: "
            f"QuickBooks {r['quickbooks']}, ours {r['ours']}, difference {r['difference']}"
            for r in tie_out_rows if r["difference"] != 0]
