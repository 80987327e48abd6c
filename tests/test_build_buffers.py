"""DuckDB's cached blocks given back between a build's phases (issue 25: the everyday sync's peak memory): what the
sync, the parse and staging read is not kept beside what the snapshot's models read, and the limit is left as it was."""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import duckdb

from models.warehouse import buffers, incremental
from models.warehouse.build import build
from models.warehouse.work_db import LIMIT_LOWERED, checkpointing, open_work_db
from tests.raw_changes import CHANGES, new_version, store, stored


def _read_raw(con: duckdb.DuckDBPyConnection) -> None:
    """Every raw table read whole, as a sync's connection holds what it stored."""
    for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall():
        con.execute(f"select * from raw.{table}").fetchall()


def _edited(db: Path) -> Path:
    """A day's edits stored: three invoices repriced, so the models from the copy read and make blocks again."""
    con = open_work_db(db)
    try:
        invoices = [record for record in stored(con, "invoices", "demo") if not record.deleted][:3]
    finally:
        con.close()
    store(db, "demo", [new_version(record, CHANGES["repriced"](record.payload, 4_321)) for record in invoices])
    return db


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
    than while the last of them was made (after a day's edits, which they read)."""
    db = _edited(demo_copy())
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


def test_release_beside_a_transaction_gives_back_the_blocks_and_the_transaction_goes_on(demo_copy):
    """Inside a transaction: the blocks read are given back, what the transaction wrote stays, and it commits."""
    db = demo_copy()
    con = open_work_db(db)
    try:
        con.execute("begin transaction")
        con.execute("create table main.written_in_the_transaction as select 1 as one")
        _read_raw(con)
        read = _cached_mb(con)
        buffers.release_beside(con)
        assert _cached_mb(con) < read / 4
        assert con.execute("select one from main.written_in_the_transaction").fetchall() == [(1,)]
        con.execute("commit")
        assert con.execute("select count(*) from main.written_in_the_transaction").fetchone() == (1,)
        assert con.execute("select current_setting('memory_limit')").fetchone()[0] == duckdb.connect().execute(
            "select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()


def test_a_build_from_the_copy_gives_back_the_blocks_before_the_models_named(demo_copy):
    """incremental.toml's release_before: the blocks cached while the snapshot's models are made are given back before
    each model it names, inside the transaction (the everyday sync's peak), and the build publishes. Within a
    transaction the blocks held only grow from one model to the next, but where they are given back."""
    db = _edited(demo_copy())
    con = open_work_db(db)
    named = incremental.spec().release_before
    assert named  # the build's everyday peak depends on them
    seen: list[tuple[str, float]] = []

    def progress(line: str) -> None:
        if line.startswith(("building intermediate.", "building marts.", "keeping intermediate.", "keeping marts.")):
            seen.append((line.split()[1].rstrip(":"), _cached_mb(con)))

    try:
        assert build(db, progress, con=con).carried_over
    finally:
        con.close()
    released = {model: (before, after) for (_, before), (model, after) in zip(seen, seen[1:]) if model in named}
    assert released.keys() == named
    for model, (before, after) in released.items():
        assert after < before - 0.5, (model, before, after)


def test_a_release_and_a_checkpoint_beside_the_build_never_overlap(demo_copy, caplog):
    """The limit a release lowers is the whole instance's: a checkpoint that allocated under it would fail and
    invalidate the database (work_db.LIMIT_LOWERED). A release between transactions waits for a checkpoint; one inside
    the build's transaction is skipped while a checkpoint runs (it only saves memory, and says so in the debug log); a
    checkpoint waits for a release."""
    db = demo_copy()
    con = open_work_db(db)
    try:
        _read_raw(con)
        read = _cached_mb(con)
        caplog.set_level(logging.DEBUG, logger=buffers.__name__)
        with LIMIT_LOWERED:  # as a checkpoint beside the build holds it
            skipped: list[bool] = []
            beside = threading.Thread(target=lambda: skipped.append(buffers.release_beside(con.cursor())))
            beside.start()
            beside.join(10)
            assert not beside.is_alive() and skipped == [False]  # not waited for
            assert [r.getMessage() for r in caplog.records if r.name == buffers.__name__] == [
                "the cached blocks were not given back: the checkpoint beside the build holds the memory limit"]
            assert _cached_mb(con) >= read  # nothing given back meanwhile
            releasing = threading.Thread(target=buffers.release, args=(con.cursor(),))
            releasing.start()
            releasing.join(0.3)
            assert releasing.is_alive()
        releasing.join(30)
        assert not releasing.is_alive() and _cached_mb(con) < read / 4

        con.execute("create table main.logged as select range as n from range(1000)")
        log = Path(f"{db}.wal")
        assert log.exists() and log.stat().st_size > 0
        held = LIMIT_LOWERED.acquire()  # as a release holds it
        try:
            with checkpointing(con):
                try:
                    time.sleep(0.3)
                    assert log.exists() and log.stat().st_size > 0  # the checkpoint waits
                finally:
                    LIMIT_LOWERED.release()  # else the block's end would wait for the checkpoint, and it for this
                    held = False
        finally:
            if held:  # the block could not start
                LIMIT_LOWERED.release()
        assert not log.exists() or log.stat().st_size == 0  # then runs
    finally:
        con.close()
