"""DuckDB's cached blocks given back between a build's phases (issue 25: the everyday sync's peak memory): what the
sync, the parse and staging read is not kept beside what the snapshot's models read, and the limit is left as it was."""
from __future__ import annotations

import duckdb

from models.warehouse import buffers
from models.warehouse.build import build
from models.warehouse.work_db import open_work_db


def _read_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Every raw table read whole, as a sync's connection holds what it stored."""
    for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall():
        con.execute(f"select * from raw.{table}").fetchall()


def _cached_mb(con: duckdb.DuckDBPyConnection) -> float:
    """DuckDB's blocks of tables held in memory, in MB."""
    return con.execute("select sum(memory_usage_bytes) / 1e6 from duckdb_memory() "
                       "where tag in ('BASE_TABLE', 'IN_MEMORY_TABLE')").fetchone()[0]


def test_release_gives_back_the_blocks_read(demo_copy):
    con = open_work_db(demo_copy())
    try:
        _read_raw(con)
        read = _cached_mb(con)
        assert read > 1
        buffers.release(con)
        assert _cached_mb(con) < read / 4
    finally:
        con.close()


def test_release_leaves_the_limit_as_it_was():
    """The default exactly, time after time (DuckDB shows it rounded down), and a limit set by hand (to the precision
    DuckDB shows it with: the only one it tells)."""
    con = duckdb.connect()
    try:
        default = con.execute("select current_setting('memory_limit')").fetchone()[0]
        for _ in range(3):
            buffers.release(con)
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == default
        con.execute("set memory_limit = '2GiB'")
        shown = con.execute("select current_setting('memory_limit')").fetchone()[0]
        buffers.release(con)
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == shown
    finally:
        con.close()


def test_a_build_on_a_sync_s_connection_makes_the_snapshot_without_the_blocks_read_before(demo_copy):
    """What the sync stored and read, and the parse and staging, is given back before the snapshot's models run: the
    blocks held when the first of them starts are fewer than those held as the build set out to publish."""
    db = demo_copy()
    con = open_work_db(db)
    held: dict[str, float] = {}

    def progress(line: str) -> None:
        if line == "publishing snapshot" or line.startswith(("building intermediate.", "keeping intermediate.")):
            held.setdefault("publishing" if line == "publishing snapshot" else "first model", _cached_mb(con))

    try:
        _read_raw(con)
        assert build(db, progress, con=con).carried_over
        assert held["first model"] < held["publishing"] - 0.5, held
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == duckdb.connect().execute(
            "select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()


def test_the_tie_out_s_models_and_the_checks_start_without_the_blocks_of_the_models_before(demo_copy):
    """Once the models that do not read QuickBooks' ProfitAndLoss are committed, what they read and made is given back
    before the sync stores the ProfitAndLoss and the tie-out's models and the checks run: fewer blocks are held then
    than while the last of them was made."""
    db = demo_copy()
    held: dict[str, float] = {}
    con = open_work_db(db)

    def progress(line: str) -> None:
        if line.startswith(("building marts.", "keeping marts.")) and "tie-out" not in held:
            held["last model"] = _cached_mb(con)  # the last of the snapshot's models before the tie-out

    def tie_out(con: duckdb.DuckDBPyConnection) -> None:
        held["tie-out"] = _cached_mb(con)

    try:
        assert build(db, progress, con=con, tie_out=tie_out).carried_over
        assert held["tie-out"] < held["last model"] - 0.5, held
    finally:
        con.close()
