"""DuckDB's cached blocks given back between a build's phases (issue 25: the everyday sync's peak memory)."""
from __future__ import annotations

import logging
from contextlib import suppress

import duckdb

from models.warehouse.work_db import LIMIT_LOWERED

log = logging.getLogger(__name__)

# A limit no database can meet: DuckDB evicts every block it can to reach it, then refuses the setting
_UNREACHABLE = "1MB"


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Give back the blocks DuckDB keeps of what the statements so far read and wrote, once committed: outside a
    transaction, which the refused setting would end.

    DuckDB drops a cached block only to make room under its memory limit (by default 80% of the machine), so a
    sync's process keeps every block its sync, its parse and its staging read, beside what the snapshot's models
    read next: the everyday sync's peak. Lowering the limit out of reach evicts all that is not in use (a committed
    table's blocks are read again from the file, through the page cache, when a statement needs them) and is
    refused; the limit is then set back. While DuckDB evicts, the lowered limit holds for the whole instance: no
    statement of `con`'s runs then, and this process's other one, a checkpoint beside the build, waits for it or is
    waited for (LIMIT_LOWERED). So no build fails for the limit, however large the company (a fixed limit would:
    docs/DECISIONS.md)."""
    with LIMIT_LOWERED:  # nothing of this process's allocates beside the lowered limit (a checkpoint would fail)
        _release(con)


def _release(con: duckdb.DuckDBPyConnection) -> None:
    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    try:
        # refused, as expected: the blocks in use stay, the others are gone
        with suppress(duckdb.OutOfMemoryException):
            con.execute(f"set memory_limit = '{_UNREACHABLE}'")
    finally:
        # DuckDB shows a limit rounded down ("18.8 GiB"): set back as shown, it would shrink a little each time.
        # Its default (the limit of every connection this product opens) is set back exactly; another one as shown,
        # the only precision DuckDB tells.
        con.execute("reset memory_limit")
        if con.execute("select current_setting('memory_limit')").fetchone()[0] != limit:
            con.execute(f"set memory_limit = '{limit}'")


def release_beside(con: duckdb.DuckDBPyConnection) -> bool:
    """`release`, inside a transaction of `con` that goes on: on a cursor of its own, whose refused statement ends
    only the cursor's transaction. The limit is the database instance's, so the blocks given back are every
    connection's but those in use. What `con`'s transaction wrote and has not committed, and the temporary tables, are
    not lost: DuckDB writes those it evicts to its temporary file beside the database and reads them back when a
    statement needs them (~0.3 MB after a day's 10 records, more after a larger day). Skipped, returning False, while
    the checkpoint beside the build holds the lock: the release only saves memory, and waiting would put the
    checkpoint back on the critical path it was moved off (docs/DECISIONS.md, "The snapshot's cached blocks given back
    between its models")."""
    if not LIMIT_LOWERED.acquire(blocking=False):
        # the build's peak may be higher for it: a checkpoint beside the build that ran longer than it was placed for
        log.debug("the cached blocks were not given back: the checkpoint beside the build holds the memory limit")
        return False
    try:
        cursor = con.cursor()
        try:
            _release(cursor)
        finally:
            cursor.close()
    finally:
        LIMIT_LOWERED.release()
    return True
