"""The raw tables made when the work database is opened: by one query of their stamp when they are current, made
again (each `if not exists`) when the stamp is missing or of other definitions (models/warehouse/work_db.py)."""
from __future__ import annotations

from models.warehouse.entities import WAREHOUSE_ENTITIES
from models.warehouse.work_db import open_work_db


def raw_tables(con) -> set[str]:
    return {name for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = 'raw'"
    ).fetchall()}


def test_a_new_warehouse_has_every_raw_table_and_its_stamp(tmp_path):
    con = open_work_db(tmp_path / "warehouse.duckdb")
    try:
        assert {e.table for e in WAREHOUSE_ENTITIES} | {"unparsed", "sync_state", "quarantine"} <= raw_tables(con)
        assert len(con.execute("select fingerprint from main.raw_schema").fetchall()) == 1
    finally:
        con.close()


def test_a_warehouse_of_an_earlier_version_gets_the_tables_it_lacks(tmp_path):
    """No stamp (made before it), or the stamp of other definitions (a table added since): every table is made."""
    db = tmp_path / "warehouse.duckdb"
    open_work_db(db).close()
    for earlier in ("drop table main.raw_schema", "update main.raw_schema set fingerprint = 'earlier'"):
        con = open_work_db(db)
        con.execute("drop table raw.quarantine")
        con.execute(earlier)
        con.close()
        con = open_work_db(db)
        try:
            assert "quarantine" in raw_tables(con), earlier
        finally:
            con.close()


def test_current_raw_tables_are_not_made_again(tmp_path):
    """The stamp is the check: with it current, the opener runs no statement of the raw tables (a table removed by
    hand behind the stamp's back stays removed, which is how this test sees that nothing ran)."""
    db = tmp_path / "warehouse.duckdb"
    con = open_work_db(db)
    con.execute("drop table raw.quarantine")
    con.close()
    con = open_work_db(db)
    try:
        assert "quarantine" not in raw_tables(con)
    finally:
        con.close()
