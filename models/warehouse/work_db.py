"""The work database: one read-write owner (load, sync, build), never opened by the app."""
from __future__ import annotations

import hashlib
import logging
import os
import threading
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from models.files import OWNER_ONLY, make_folder
from models.warehouse.entities import WAREHOUSE_ENTITIES
from models.warehouse import catalogs, sqlfiles, stored_macros

# DuckDB (~40-60 ms of CPU) is imported when a database is first opened, not with this module: the everyday sync
# sends its first requests to QuickBooks before it opens the work database (ingest/qbo/ahead.py)
if TYPE_CHECKING:
    import duckdb


log = logging.getLogger(__name__)


class WarehouseBusy(RuntimeError):
    """Another process holds the work database."""


def open_work_db(db: Path) -> duckdb.DuckDBPyConnection:
    import duckdb

    make_folder(db.parent)
    try:
        con = duckdb.connect(str(db))
    except duckdb.IOException as err:
        if "lock" in str(err).lower():
            raise WarehouseBusy(
                f"{db} is in use by another msp-revenue load, sync or build; "
                "wait for it to finish and run the command again"
            ) from None
        raise
    # DuckDB makes the file with the umask's mode; it holds the company's books. A file of another owner (a shared
    # volume) is not ours to change, and opens as before.
    with suppress(PermissionError):
        os.chmod(db, OWNER_ONLY)
    # DuckDB draws a progress bar on the terminal for a statement past two seconds: a loaded machine's build would
    # scribble it between the command's own lines (a setting of this connection, not of the database)
    con.execute("set enable_progress_bar = false")
    ensure_raw_schema(con)
    if not stored_macros.current_in_work_db(con):  # a warehouse of an earlier version, or other macro files
        with transaction(con):
            stored_macros.store_in_work_db(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: what is already stored survives any failure inside. A write DuckDB could not make (a
    full disk) ends the transaction there and then: the rollback has nothing left to undo, and the error to
    tell is the first one, not the rollback's "no transaction is active"."""
    import duckdb  # loaded already: `con` is DuckDB's

    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        with suppress(duckdb.TransactionException):
            con.execute("rollback")
        raise
    con.execute("commit")


def insert_rows(con: duckdb.DuckDBPyConnection, statement: str, rows: list[tuple]) -> None:
    """`statement` (`insert into T values (?, ...)`) for each of `rows`, as one statement of every row's values:
    executemany runs it once a row (~0.25 ms each: a build's 18 category rules cost 5 ms of CPU, one statement 0.9)."""
    if not rows:
        return
    head, _, one = statement.strip().rstrip(";").rpartition(" values ")
    con.execute(f"{head} values {', '.join([one] * len(rows))}", [value for row in rows for value in row])


PROFIT_AND_LOSS_TABLES = {"qbo_profit_and_loss": ("qbo_profit_and_loss", "qbo_cash_profit_and_loss"),
                          "qbo_profit_and_loss_months": ("qbo_profit_and_loss_months", "qbo_cash_profit_and_loss_months")}


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The raw tables, made when the work database's stamp (`main.raw_schema`) is not of these definitions: a new
    warehouse, one of an earlier version (no stamp, or another), or one a table was added for. One query when they
    are current, instead of ~30 `create ... if not exists` (~8 ms of CPU each time a sync or build opens it)."""
    import duckdb  # loaded already: `con` is DuckDB's

    statements = _raw_schema()
    stamp = hashlib.sha256("\0".join(statements).encode()).hexdigest()
    with suppress(duckdb.CatalogException):  # no stamp yet
        if con.execute(sqlfiles.read("raw/schema_fingerprint.sql")).fetchall() == [(stamp,)]:
            return
    for statement in statements:
        con.execute(statement)
    con.execute(sqlfiles.read("raw/schema_stamp.sql"), [stamp])


def _raw_schema() -> list[str]:
    """The statements that make the raw tables, each `if not exists`."""
    statements = ["create schema if not exists raw"]
    statements += [sqlfiles.read("raw/raw_table.sql").format(table=entity.table) for entity in WAREHOUSE_ENTITIES]
    statements += [sqlfiles.read(f"raw/{table}.sql") for table in (
        "unparsed", "sync_state", "load_log", "sync_seen", "qbo_profit_and_loss_costs", "income_due", "quarantine",
        "device_exports", "kept_forecasts")]
    # QuickBooks' ProfitAndLoss income and the months fetched: a table of each per basis, of one layout
    statements += [sqlfiles.read(f"raw/{layout}.sql").format(table=table)
                   for layout, tables in PROFIT_AND_LOSS_TABLES.items() for table in tables]
    return statements


def stored_realms(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The QuickBooks companies the raw store holds records of."""
    return {realm for entity in WAREHOUSE_ENTITIES
            for (realm,) in con.execute(sqlfiles.read("raw/realms.sql").format(table=entity.table)).fetchall()}


def raw_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """A checksum per raw table: equal checksums mean the same stored records."""
    return {
        entity.table: con.execute(sqlfiles.read("raw/checksum.sql").format(table=entity.table)).fetchone()[0]
        for entity in WAREHOUSE_ENTITIES
    }


# Held while DuckDB's memory limit is lowered to give its cached blocks back (models/warehouse/buffers.py) and while a
# checkpoint runs beside a build (`checkpointing`): the limit is the database instance's, and a checkpoint that
# allocates under the lowered one fails fatally, invalidating the database until it is opened again.
LIMIT_LOWERED = threading.Lock()


@contextmanager
def checkpointing(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The work database checkpointed (its log written into its file) on a cursor of its own, on another thread, while
    the block runs on `con` (what a transaction writes meanwhile is logged as ever, for the next checkpoint). For a
    connection closed soon after: its close checkpoints whatever the log holds, and then finds little.
    Why: a day's sync and build leave ~130 KB of log, which DuckDB's checkpoint writes as ~8 MB (the raw tables'
    primary keys and the row groups rows went into: 1.3-1.8 MB for five rows of raw.invoices); the close did that in
    20-35 ms of the everyday sync's wall, while the snapshot's models, on one thread, leave the second core idle
    (docs/BENCHMARKS.md). A checkpoint that fails is left to the close."""
    import duckdb

    work = catalogs.quoted(catalogs.current(con))  # asked here: `con` is the block's while the thread runs
    cursor = con.cursor()
    failed: list[duckdb.Error] = []

    def checkpoint() -> None:
        try:
            with LIMIT_LOWERED:
                cursor.execute(f"checkpoint {work}")
        except duckdb.Error as err:
            failed.append(err)

    thread = threading.Thread(target=checkpoint, name="checkpoint")
    thread.start()
    try:
        yield
    finally:
        interrupted = None
        while thread.is_alive():  # the cursor closed, and `con` after it, only once its checkpoint is over
            try:
                thread.join()
            except BaseException as err:  # Ctrl-C cut the wait short, not the checkpoint: raised once it is over
                interrupted = err
        cursor.close()
        if failed:
            log.debug("the work database's checkpoint is left to its close: %s", failed[0])
        if interrupted is not None:
            raise interrupted
