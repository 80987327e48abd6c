"""DuckDB's cached blocks given back between a build's phases (issue 25: the everyday sync's peak memory)."""
from __future__ import annotations

from contextlib import suppress

import duckdb

# A limit no database can meet: DuckDB evicts every block it can to reach it, then refuses the setting
_UNREACHABLE = "1MB"


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Give back the blocks DuckDB keeps of what the statements so far read and wrote, once committed: outside a
    transaction, which the refused setting would end.

    DuckDB drops a cached block only to make room under its memory limit (by default 80% of the machine), so a
    sync's process keeps every block its sync, its parse and its staging read, beside what the snapshot's models
    read next: the everyday sync's peak. Lowering the limit out of reach evicts all that is not in use (a committed
    table's blocks are read again from the file, through the page cache, when a statement needs them) and fails
    without changing the limit; the limit is then set back. No statement runs under the low limit, so no
    build can fail for it, however large the company (a fixed limit would: docs/DECISIONS.md)."""
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
