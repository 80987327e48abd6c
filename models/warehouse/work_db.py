"""The work database: one read-write owner (load, sync, build), never opened by the app."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from models.files import OWNER_ONLY, make_folder
from models.warehouse.entities import WAREHOUSE_ENTITIES
from models.warehouse import sqlfiles


class WarehouseBusy(RuntimeError):
    """Another process holds the work database."""


def open_work_db(db: Path) -> duckdb.DuckDBPyConnection:
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
    os.chmod(db, OWNER_ONLY)  # DuckDB makes the file with the umask's mode; it holds the company's books
    ensure_raw_schema(con)
    return con


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    for entity in WAREHOUSE_ENTITIES:
        con.execute(sqlfiles.read("raw/raw_table.sql").format(table=entity.table))
    for table in ("sync_state", "load_log", "sync_seen", "qbo_profit_and_loss", "qbo_profit_and_loss_months",
                  "quarantine"):
        con.execute(sqlfiles.read(f"raw/{table}.sql"))


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
