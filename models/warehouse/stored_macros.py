"""The macros of sql/macros and sql/table_macros, made once and stored in a database rather than made again by each
connection (~130 ms of CPU an open of the snapshot, most of a report from the command line).

Each stored set is stamped with the fingerprint of the macro files it was made from (and DuckDB's version, which
parses them), and a connection uses it only when its own files give the same fingerprint:
- in the published snapshot they live in a schema named after that fingerprint (`macros_<fingerprint>`), made by
  the build before the file is renamed into place. A reader names that schema in its search path when it is
  there; otherwise (a snapshot of an earlier version, or one built by other macro files) it makes its own in its
  in-memory database as before, and the snapshot's stale schema, outside its search path, is never resolved
  (DuckDB looks an unqualified function up in the search path's schemas only; tests/test_stored_macros.py).
- in the work database the scalar macros (the only ones models call) live in its main schema, which every search
  path of the build names, with the fingerprint in `main.stored_macros`. Its opener is its only writer, so a stale
  set is replaced there and then, never worked around.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING

from models.warehouse import catalogs, sqlfiles

if TYPE_CHECKING:
    import duckdb

FOLDERS = ("macros", "table_macros")


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """What the macros a connection would make depend on: every macro file's name and text, and DuckDB's version."""
    import duckdb

    digest = hashlib.sha256(duckdb.__version__.encode())
    for folder in FOLDERS:
        for path in sorted((sqlfiles.SQL_DIR / folder).glob("*.sql")):
            digest.update(f"\0{folder}/{path.name}\0".encode() + sqlfiles.read(f"{folder}/{path.name}").encode())
    return digest.hexdigest()[:16]


def schema() -> str:
    """The schema a snapshot keeps the macros of this code's fingerprint in."""
    return f"macros_{fingerprint()}"


def found(con: duckdb.DuckDBPyConnection, catalog: str) -> str | None:
    """The attached database's stored macros of this code's fingerprint ("catalog.schema"), or None."""
    return f"{catalog}.{schema()}" if schema() in _held(con, catalog) else None


def store(con: duckdb.DuckDBPyConnection, catalog: str) -> None:
    """Every macro into the database attached as `catalog` (a new snapshot, its models made), in place of any set of
    other macro files a copied snapshot held (a set of the same files is kept as it is: its texts are these, and a
    macro's body is looked up again by each query that calls it); in the caller's transaction, inside the
    `catalogs.searching` block the models were made in: a table macro's body is bound when it is made, so the marts
    and the macros it calls must be found by then."""
    held = _held(con, catalog)
    for old in sorted(held - {schema()}):
        con.execute(f"drop schema {catalogs.quoted(catalog)}.{catalogs.quoted(old)} cascade")
    if schema() in held:
        return
    con.execute(f"create schema {catalogs.quoted(catalog)}.{schema()}")
    with catalogs.also_searching(con, catalog, schema()):
        sqlfiles.apply_macros(con, schema=f"{catalogs.quoted(catalog)}.{schema()}")


def _held(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    """The schemas of stored macros the attached database holds, of any fingerprint."""
    return {name for (name,) in con.execute(sqlfiles.read("stored_macros/schemas.sql"), [catalog]).fetchall()}


def current_in_work_db(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the work database just opened (`con`) stores the scalar macros of this code's macro files."""
    con.execute(sqlfiles.read("stored_macros/work_db_stamp_table.sql"))
    return con.execute(sqlfiles.read("stored_macros/work_db_fingerprint.sql")).fetchall() == [(fingerprint(),)]


def store_in_work_db(con: duckdb.DuckDBPyConnection) -> None:
    """The scalar macros into the work database (its writer's connection), in place of every macro it stored before
    (of other macro files, or ones since removed), stamped; in the caller's transaction."""
    for name, kind in con.execute(sqlfiles.read("stored_macros/work_db_macros.sql")).fetchall():
        con.execute(f"drop {'macro table' if kind == 'table_macro' else 'macro'} main.{catalogs.quoted(name)}")
    sqlfiles.apply_macros(con, table_macros=False, schema="main")
    con.execute(sqlfiles.read("stored_macros/work_db_stamp.sql"), [fingerprint()])
