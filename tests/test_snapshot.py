"""Publishing: a build replaces the snapshot atomically; readers see old or new, never half."""
from __future__ import annotations

from decimal import Decimal

import duckdb

from models.warehouse import paths
from models.warehouse.snapshot import SnapshotReader, open_snapshot
from tests.builders import invoice, item_line
from tests.helpers import cli, run_cli_process, write_json


def revenue(con) -> Decimal:
    return con.execute("select coalesce(sum(amount), 0) from marts.fct_revenue_lines").fetchone()[0]


def test_a_reader_keeps_its_snapshot_while_a_build_publishes_a_new_one(db, tmp_path):
    first = write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("100.00")])]})
    second = write_json(tmp_path / "b.json", {"Invoice": [invoice("2", [item_line("50.00")])]})
    assert cli("load", first, "--db", db) == 0
    open_reader = open_snapshot(paths.snapshot(db))
    assert revenue(open_reader) == Decimal("100.00")
    assert cli("load", second, "--db", db) == 0  # the open reader does not block the build
    assert revenue(open_reader) == Decimal("100.00")  # it still sees the snapshot it opened
    open_reader.close()
    fresh = open_snapshot(paths.snapshot(db))
    assert revenue(fresh) == Decimal("150.00")
    fresh.close()
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_snapshot_reader_reopens_when_a_new_snapshot_is_published(db, tmp_path):
    assert cli("load", write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]}), "--db", db) == 0
    reader = SnapshotReader(paths.snapshot(db))
    identity = reader.identity()
    assert revenue(reader.cursor()) == Decimal("10.00")
    assert cli("load", write_json(tmp_path / "b.json", {"Invoice": [invoice("2", [item_line("5.00")])]}), "--db", db) == 0
    assert reader.identity() != identity
    assert revenue(reader.cursor()) == Decimal("15.00")


def test_the_snapshot_holds_what_readers_read_and_no_raw_payloads(db, tmp_path):
    """The models above staging are built in the snapshot; raw, settings and the parsed staging stay in the work
    database (nothing is copied from it)."""
    assert cli("load", write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]}), "--db", db) == 0
    schemas = {}
    for path in (paths.snapshot(db), db):
        con = duckdb.connect(str(path), read_only=True)
        schemas[path] = {s for (s,) in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        con.close()
    assert schemas[paths.snapshot(db)] == {"intermediate", "marts"}
    assert schemas[db] == {"raw", "settings", "staging", "parsed", "main"}  # main: the stored macros' stamp


def test_the_work_database_has_one_writer_and_says_so(db, tmp_path, capsys):
    from models.warehouse.work_db import open_work_db

    holder = open_work_db(db)
    try:
        path = write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]})
        # a second process cannot open the file while this one holds it
        result = run_cli_process("load", path, "--db", db)
    finally:
        holder.close()
    assert result.returncode == 1
    assert "in use by another msp-revenue load, sync or build" in result.stderr


def test_the_work_database_draws_no_progress_bar(tmp_path):
    """DuckDB's progress bar, on by default, would print over a slow build's own lines on a loaded machine."""
    from models.warehouse.work_db import open_work_db

    con = open_work_db(tmp_path / "warehouse.duckdb")
    try:
        assert con.execute("select current_setting('enable_progress_bar')").fetchone() == (False,)
    finally:
        con.close()
