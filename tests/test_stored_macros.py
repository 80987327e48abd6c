"""The macros made once: stored in the published snapshot and the work database, stamped with the fingerprint of
the macro files, used only by code of the same fingerprint (models/warehouse/stored_macros.py)."""
from __future__ import annotations

import re
import shutil
from decimal import Decimal

import duckdb
import pytest

from models.figures.reports import REPORTS, Options, render, run
from models.settings.settings import read as read_settings, settings_path
from models.warehouse import paths, snapshot, sqlfiles, stored_macros
from models.warehouse.snapshot import SnapshotReader
from models.warehouse.work_db import open_work_db
from tests.builders import invoice, item_line
from tests.helpers import AS_OF, cli, write_json
from tests.raw_changes import live, new_version, store


def defined_macros(folders=stored_macros.FOLDERS) -> set[str]:
    """Every macro the SQL files of `folders` define, by name."""
    return {name for folder in folders for path in (sqlfiles.SQL_DIR / folder).glob("*.sql")
            for name in re.findall(r"\bmacro\s+(\w+)", path.read_text(encoding="utf-8"), re.IGNORECASE)}


def made_macros(con, database: str, schema: str) -> set[str]:
    return {name for (name,) in con.execute(
        "select function_name from duckdb_functions() where database_name = ? and schema_name = ? "
        "and function_type in ('macro', 'table_macro')", [database, schema]).fetchall()}


@pytest.fixture
def one_invoice(db, tmp_path):
    assert cli("load", write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]}), "--db", db) == 0
    return db


@pytest.fixture
def making_counted(monkeypatch):
    """The calls that make macros on a connection, counted (the stored ones are used as they are)."""
    made = []
    apply = sqlfiles.apply_macros
    monkeypatch.setattr(sqlfiles, "apply_macros", lambda con, *a, **k: made.append((a, k)) or apply(con, *a, **k))
    return made


@pytest.fixture
def other_macro_files(tmp_path, monkeypatch):
    """The project's SQL files as an upgraded copy of the code has them: the accrual branch of `revenue_lines` (which
    `client_revenue` calls) keeps only negative lines. Caches of the files read are emptied before and after."""
    folder = tmp_path / "sql"
    shutil.copytree(sqlfiles.SQL_DIR, folder)
    macro = folder / "table_macros" / "revenue_lines.sql"
    text = macro.read_text(encoding="utf-8")
    assert "where on_basis = 'accrual'" in text
    macro.write_text(text.replace("where on_basis = 'accrual'", "where on_basis = 'accrual' and amount < 0"),
                     encoding="utf-8")

    def forget() -> None:
        for cached in (sqlfiles.read, sqlfiles.models, sqlfiles._ordered, sqlfiles._macros_in_order,
                       stored_macros.fingerprint):
            cached.cache_clear()

    forget()
    monkeypatch.setattr(sqlfiles, "SQL_DIR", folder)
    yield folder
    monkeypatch.undo()
    forget()


def test_a_published_snapshot_holds_every_macro_and_its_reader_makes_none(one_invoice, making_counted):
    published = paths.snapshot(one_invoice)
    cursor = SnapshotReader(published).cursor()
    assert making_counted == []
    made = cursor.execute("select distinct database_name, schema_name from duckdb_functions() "
                          "where function_type in ('macro', 'table_macro') and not internal").fetchall()
    assert made == [("snapshot", stored_macros.schema())]  # none in memory, none temporary
    assert made_macros(cursor, "snapshot", stored_macros.schema()) == defined_macros()
    assert cursor.execute("select count(*) from document_refs()").fetchone()[0] == 1  # a table macro reads the marts
    assert cursor.execute("select sum(unmapped) from client_revenue("
                          "'2000-01-01', '2100-01-01', null, true, null, 'accrual')").fetchone()[0] == Decimal("10.00")


def test_the_work_database_keeps_the_scalar_macros_of_its_macro_files(one_invoice):
    con = open_work_db(one_invoice)
    try:
        assert con.execute("select fingerprint from main.stored_macros").fetchall() == [(stored_macros.fingerprint(),)]
        assert made_macros(con, paths.work_db(one_invoice).stem, "main") == defined_macros(("macros",))
        # a set of other macro files (an older version's): replaced by the next opener, the writer
        con.execute("create or replace macro main.floor_div(a, b) as 42")
        con.execute("create or replace table main.stored_macros as select 'older' as fingerprint")
    finally:
        con.close()
    con = open_work_db(one_invoice)
    try:
        assert con.execute("select floor_div(-7, 2)").fetchone()[0] == -4
        assert con.execute("select fingerprint from main.stored_macros").fetchall() == [(stored_macros.fingerprint(),)]
    finally:
        con.close()


def test_a_reader_of_other_macro_files_makes_its_own_and_never_uses_the_stored_ones(one_invoice, other_macro_files,
                                                                                    making_counted):
    """A snapshot published by the code before an upgrade holds macros of other files: the upgraded reader's own
    definition answers (no line is negative), through `client_revenue` too, which calls it."""
    cursor = SnapshotReader(paths.snapshot(one_invoice)).cursor()
    assert cursor.execute("select count(*) from revenue_lines('accrual')").fetchone()[0] == 0
    assert cursor.execute("select count(*) from client_revenue("
                          "'2000-01-01', '2100-01-01', null, true, null, 'accrual')").fetchone()[0] == 0
    assert len(making_counted) == 1
    (stale,), = cursor.execute(sqlfiles.read("stored_macros/schemas.sql"), ["snapshot"]).fetchall()
    assert stale != stored_macros.schema()
    assert cursor.execute(f"select count(*) from snapshot.{stale}.revenue_lines('accrual')").fetchone()[0] == 1


def test_a_snapshot_of_an_earlier_version_without_stored_macros_is_read_with_macros_made_once(one_invoice,
                                                                                              making_counted):
    """Made once per connection, in the in-memory database's schema, which every cursor of it sees (a temporary
    macro is seen by the cursor that made it only)."""
    published = paths.snapshot(one_invoice)
    con = duckdb.connect(str(published))
    con.execute(f"drop schema {stored_macros.schema()} cascade")
    con.close()
    reader = SnapshotReader(published)
    for cursor in (reader.cursor(), reader.cursor()):
        assert made_macros(cursor, "memory", "main") == defined_macros()
        assert cursor.execute("select count(*) from revenue_lines('accrual')").fetchone()[0] == 1
    assert len(making_counted) == 1


def test_a_new_snapshot_keeps_only_its_own_macros_copied_or_compacted(demo_copy, monkeypatch):
    """A build that starts from a copy of the last snapshot replaces the copy's macros of other files; written
    again compact (COPY FROM DATABASE), the file still holds them, and its reader makes none."""
    db = demo_copy(3, 1)
    for dead_share in (1.0, 0.0):  # kept as copied, then written again compact
        con = duckdb.connect(str(paths.snapshot(db)))
        con.execute("create schema macros_0123456789abcdef")
        con.execute("create macro macros_0123456789abcdef.floor_div(a, b) as 42")
        con.close()
        monkeypatch.setattr(snapshot, "DEAD_SHARE", dead_share)
        record = live(db, "invoices", "demo")[0]  # a new version of one invoice, so the build starts from a copy
        store(db, "demo", [new_version(record, record.payload)])
        assert cli("build", "--db", db) == 0
        reader = SnapshotReader(paths.snapshot(db))
        cursor = reader.cursor()
        schemas = cursor.execute(sqlfiles.read("stored_macros/schemas.sql"), [snapshot.CATALOG]).fetchall()
        assert schemas == [(stored_macros.schema(),)]
        free_blocks = cursor.execute("select free_blocks from pragma_database_size() where database_name = ?",
                                     [snapshot.CATALOG]).fetchone()[0]
        assert (free_blocks > 0) == (dead_share == 1.0)  # written again compact in the second round only
        assert made_macros(cursor, "snapshot", stored_macros.schema()) == defined_macros()
        assert made_macros(cursor, "memory", "main") == set()
        assert cursor.execute("select floor_div(-7, 2)").fetchone()[0] == -4
        assert cursor.execute("select count(*) from revenue_lines('accrual')").fetchone() == \
            cursor.execute("select count(*) from marts.fct_revenue_lines").fetchone()  # on the tables made anew
        reader.close()  # the next round writes to the file


def test_every_report_reads_the_same_through_stored_and_made_macros(demo_db, monkeypatch):
    owner = read_settings(settings_path(demo_db))
    published = paths.snapshot(demo_db)

    def every_report() -> dict[str, str]:
        cursor = SnapshotReader(published).cursor()
        return {name: render(run(cursor, name, Options(as_of=AS_OF), owner), "csv") for name in REPORTS}

    stored = every_report()
    monkeypatch.setattr(stored_macros, "schema", lambda: "macros_of_other_files")
    made = every_report()
    assert made == stored
    assert len(stored) == len(REPORTS) and all(stored.values())
