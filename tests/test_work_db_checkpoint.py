"""The work database checkpointed on a thread while a build's first models run (models/warehouse/work_db.py,
checkpointing): its log is in its file once the block ends, so the close finds nothing to write; what a transaction
writes meanwhile is logged as ever, and nothing is lost."""
from __future__ import annotations

from pathlib import Path

from models.warehouse.work_db import checkpointing, open_work_db


def _log(db: Path) -> int:
    log = Path(f"{db}.wal")
    return log.stat().st_size if log.exists() else 0


def test_the_log_is_in_the_file_once_the_block_ends_and_the_block_reads_meanwhile(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    con = open_work_db(db)
    try:
        con.execute("create table kept as select range as i from range(100000)")
        con.execute("insert into kept select range from range(10)")
        assert _log(db) > 0
        with checkpointing(con):
            assert con.execute("select count(*) from kept").fetchone() == (100010,)
        assert _log(db) == 0
    finally:
        con.close()


def test_what_a_transaction_writes_meanwhile_is_logged_and_loses_nothing(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    con = open_work_db(db)
    writing = con.cursor()
    try:
        con.execute("create table kept as select range as i from range(1000)")
        writing.execute("begin transaction")
        writing.execute("insert into kept values (-1)")
        with checkpointing(con):
            writing.execute("insert into kept values (-2)")
        writing.execute("commit")
        assert _log(db) > 0  # committed after the checkpoint: in the log, for the close
    finally:
        writing.close()
        con.close()
    assert _log(db) == 0
    con = open_work_db(db)
    try:
        assert con.execute("select count(*), min(i) from kept").fetchone() == (1002, -2)
    finally:
        con.close()


def test_a_sync_s_build_checkpoints_the_work_database_beside_its_first_models(synced_small_company,
                                                                            connected_small_qbo, monkeypatch):
    """Once, while the snapshot's models that do not read QuickBooks' ProfitAndLoss run on the build's thread, and
    over before the tie-out's models: a checkpoint still running then made the release before mart_tie_out be skipped
    (the everyday sync's peak). A build on a connection that goes on after it (its caller's) leaves the checkpoint to
    whoever closes it."""
    from contextlib import contextmanager

    from models.warehouse import build as build_module
    from tests.helpers import cli
    from tests.qbo_helpers import unpaced_command_line

    unpaced_command_line(monkeypatch)
    events, checkpointed, made = [], build_module.checkpointing, build_module._make_snapshot

    @contextmanager
    def noted(con):
        events.append("checkpoint starts")
        with checkpointed(con):
            yield
        events.append("checkpoint ends")

    def making(con, out, models, remaking, progress):
        events.append("tie-out models" if "marts.mart_tie_out" in {m.qualified for m in models} else "other models")
        made(con, out, models, remaking, progress)

    monkeypatch.setattr(build_module, "checkpointing", noted)
    monkeypatch.setattr(build_module, "_make_snapshot", making)
    assert cli("sync", "--db", synced_small_company) == 0
    assert events == ["checkpoint starts", "other models", "checkpoint ends", "tie-out models"]
    con = open_work_db(synced_small_company)
    try:
        build_module.build(synced_small_company, con=con)
    finally:
        con.close()
    assert events.count("checkpoint starts") == 1
