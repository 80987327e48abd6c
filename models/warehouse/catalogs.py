"""Several databases on one connection: which database a name like `staging.stg_qbo__payments` means.

The SQL files name relations by schema only (`raw.invoices`, `intermediate.int_sales_documents`), so the same
file runs against whichever database holds that schema. DuckDB looks a schema up in the search path's entries
(`catalog.schema`) first, then in the search path's first catalog, whatever database is attached.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import duckdb


def quoted(name: str) -> str:
    """A catalog's or schema's name as SQL writes it (the work database's is its file's name, which may hold
    anything)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string (a file's path) as SQL writes it."""
    return "'" + text.replace("'", "''") + "'"


def current(con: duckdb.DuckDBPyConnection) -> str:
    """The connection's own database (the work database, for the build's connection)."""
    return con.execute("select current_database()").fetchone()[0]


@contextmanager
def searching(con: duckdb.DuckDBPyConnection, entries: list[tuple[str, str]]) -> Iterator[None]:
    """While the block runs, a schema named in `entries` ((catalog, schema), first match wins) means that
    catalog's; any other schema means the first entry's catalog's. Afterwards the search path is the one before
    (a block may run inside another's)."""
    with _searching(con, ",".join(f"{quoted(catalog)}.{quoted(schema)}" for catalog, schema in entries)):
        yield


@contextmanager
def also_searching(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> Iterator[None]:
    """Inside a `searching` block: while this block runs, `catalog.schema` is searched too, after the entries."""
    with _searching(con, f"{_SET[id(con)]},{quoted(catalog)}.{quoted(schema)}"):
        yield


@contextmanager
def _searching(con: duckdb.DuckDBPyConnection, path: str) -> Iterator[None]:
    before = _SET.get(id(con))
    _set(con, path)
    try:
        yield
    finally:
        if before is None:
            _SET.pop(id(con), None)
            con.execute("reset search_path")
        else:
            _set(con, before)


# The search path each connection's innermost `searching` block set, as written (DuckDB reports it unquoted, which
# a catalog named with a dot or a quote would not survive).
_SET: dict[int, str] = {}


def _set(con: duckdb.DuckDBPyConnection, path: str) -> None:
    con.execute("set search_path = " + literal(path))
    _SET[id(con)] = path
