"""`msp-revenue sync`: one connected company, synced, with QuickBooks' income fetched for tie-out."""
from __future__ import annotations

import logging
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Authorizer, TokenStore
from ingest.qbo.client import Connection, Policy
from ingest.qbo import ahead
from ingest.qbo.sync import Progress, Sent, SyncResult, next_requests, send_first, sync, written
from ingest.qbo.tieout import IncomeRequests, months_touched, owe, owed
from models.settings import settings
from models.warehouse.work_db import open_work_db

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("msp_revenue.qbo")


# What runs once the records are stored, on the sync's open work database, while QuickBooks' ProfitAndLoss is
# asked for: given the sync's result and `tie_out`, which stores that ProfitAndLoss (waiting for it) when called.
Then = Callable[["duckdb.DuckDBPyConnection", SyncResult, Callable[["duckdb.DuckDBPyConnection"], None]], None]
# What runs while the sync waits on QuickBooks' first answers, on its work database: what it starts that must be
# undone if the sync fails (a temporary file) it enters into the ExitStack, left before the work database closes.
Meanwhile = Callable[["duckdb.DuckDBPyConnection", ExitStack], None]


def run_sync(db: Path, realm: str | None, full: bool, policy: Policy | None = None,
             progress: Progress | None = None, then: Then | None = None, cash_tie_out: bool = False,
             meanwhile: Meanwhile | None = None) -> SyncResult:
    """Sync the company, then store QuickBooks' ProfitAndLoss for the months the sync touched: on an accrual basis
    always, and on a cash basis too when the owner reports on one (`[reports] basis = "cash"`) or `cash_tie_out`
    asks for it. With `then` (the build), both are asked for while `then` runs and stored when it calls for them,
    so the requests' round trips overlap with the work that does not read them. `meanwhile(con, held)` (what `then`
    can do before any record is stored: its imports, its start) runs while the sync waits on QuickBooks' first
    answers, on this thread and the sync's work database (a thread of its own would hold up this one's statements and
    the requests' writing: each takes the interpreter back from it), and is over before `then` starts; what it
    enters into `held` is left before the work database closes, whether the sync succeeds or fails."""
    config = qbo_config.load(db)
    authorizer = Authorizer(config, TokenStore(qbo_config.tokens_path(db)), realm)
    connection = Connection(authorizer, config.api_url, policy)
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    # the first requests the last sync left beside the work database go out before DuckDB is imported and the
    # database opened (ingest/qbo/ahead.py): the sync reads their answers only if the cursors stored ask for them.
    # Not with a token to refresh (it comes first), nor for a full sync (it asks for none of them).
    early = None if full or authorizer.expiring() else _send_early(connection, ahead.read(db, authorizer.realm_id))
    # an expired access token (a nightly sync's always is: it lasts an hour) is refreshed while the settings are read
    # and the work database opens, instead of after QuickBooks has answered the first requests 401
    refreshed = _on_a_thread(authorizer.refresh_if_expiring, "refresh")
    # read before syncing: a settings file the sync cannot use stops it before anything is stored
    cash = cash_tie_out or settings.read(settings.settings_path(db)).report_basis == "cash"
    bases = ("accrual", "cash") if cash else ("accrual",)
    con = open_work_db(db)  # the one writer: a second sync waits for nothing, it stops with a clear message
    try:
        with ExitStack() as held:
            refreshed.result()  # a refresh Intuit refuses stops the sync here, before any request, as a 401's would
            # its CPU spent while the sync waits on its first answers (`ready()` before `then` finds it done)
            ready = _once(meanwhile, con, held)

            def owed_by(work: duckdb.DuckDBPyConnection, synced: SyncResult) -> None:
                # a full sync compares every month; an incremental one the months whose postings its changes changed (a
                # memo edited asks for none), and those the versions they replaced were in (a document moved, or
                # deleted). Noted with the cursor, so a sync killed or refused its ProfitAndLoss after it leaves them owed.
                full_sync = synced.mode == "full"
                since = datetime(1970, 1, 1) if full_sync else started
                unchanged = () if full_sync else synced.postings_unchanged
                for basis in bases:
                    owe(work, authorizer.realm_id, basis, set(months_touched(work, authorizer.realm_id, since, basis,
                                                                              unchanged)) | synced.replaced_months[basis])

            result = sync(con, connection, full=full, progress=progress or Progress(sys.stderr), settled=owed_by,
                          waiting=ready, early=early)
            # the cursors are committed: their first requests are kept for the next sync, before the work database
            # (the one writer's lock) is let go, so no other sync's can be overwritten by these
            ahead.write(db, next_requests(con, authorizer.realm_id))
            wanted = {basis: owed(con, authorizer.realm_id, basis) for basis in bases}
            with IncomeRequests(connection, wanted) as asked:
                stored: list[dict[str, int]] = []

                def tie_out(work: duckdb.DuckDBPyConnection) -> None:
                    stored.append(asked.store(work))
                    for basis, months in wanted.items():
                        log.info("fetched QuickBooks' income (%s) for %d month(s): %d account rows", basis, len(months),
                                 stored[0][basis])

                ready()
                if then is not None:
                    then(con, result, tie_out)
                if not stored:  # stored whatever `then` did: the next build ties out against it
                    tie_out(con)
    finally:
        con.close()
    if result.failed:
        log.error("sync incomplete: QuickBooks refused %s (see above); the other entities are synced, and the "
                  "next sync reads the refused ones from where they stopped", ", ".join(result.failed))
    return result


def _send_early(connection: Connection, first: ahead.First | None) -> Sent | None:
    """`first`'s requests let go, and their bytes written (or one of them over) before this returns: what comes
    next (importing DuckDB, opening the work database) would hold up the threads writing them."""
    if first is None:
        return None
    sent = send_first(connection, first)
    written(connection, sent.asked, sent.settled)
    return sent


def _on_a_thread(work: Callable[[], None], name: str) -> Future:
    """`work` started on a thread of its own, which ends with it."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    done = pool.submit(work)
    pool.shutdown(wait=False)
    return done


def _once(work: Meanwhile | None, con: duckdb.DuckDBPyConnection, held: ExitStack) -> Callable[[], None]:
    """`work(con, held)` run by the first call only. Its failure is logged and left: what it prepares (imports, the
    build's start) is done again, and fails where it is needed, by whoever needs it."""
    pending = [work] if work is not None else []

    def run() -> None:
        while pending:
            try:
                pending.pop()(con, held)
            except Exception as err:
                log.debug("preparing during the sync failed: %r", err)

    return run
