"""name_key in the build's SQL: the key Python makes (models/names.py), kept in the work database for every name the
models compare, and looked up by a SQL macro.

DuckDB's Python module imports numpy for any Python function a connection registers (`create_function`, whatever
its kind): ~11 MB of the everyday sync's peak memory and 50-90 ms of CPU, for a function that is asked the keys of
the few names a day's records bring (issue 25). So the keys are made in Python before the models, for the names
sql/build/names_to_key.sql finds without one, and `name_key(name)` in SQL reads them: the same function, so SQL and
Python compare names alike. A name the models ask for that has no key stops the build with the name, never a null
key that would match nothing.
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from models import names
from models.warehouse import sqlfiles

if TYPE_CHECKING:
    import duckdb

# The keys stay valid while name_key does: its module's text and Python's Unicode tables
_TABLES = """
create table if not exists main.name_keys (name varchar primary key, name_key varchar not null);
create table if not exists main.name_keys_made_by (fingerprint varchar not null);
"""


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """What a key depends on besides the name: models/names.py and the Unicode version of Python's tables (read once a
    process: a build asks for it three times)."""
    return hashlib.sha256(Path(names.__file__).read_bytes() + unicodedata.unidata_version.encode()).hexdigest()


def register(con: duckdb.DuckDBPyConnection) -> None:
    """`name_key(name)` on the build's connection: null for null, else the key `make` stored for the name. Made before
    the keys are (a macro is bound where it is called); the work database is named, as the build's search paths
    start elsewhere. DuckDB runs a CASE's and a coalesce's later branches only for the rows that reach them, so the
    error is raised for a name without a key alone."""
    work = con.execute("select current_database()").fetchone()[0].replace('"', '""')
    con.execute(f"""
        create or replace temp macro name_key(of_name) as
        case when of_name is null then null else coalesce(
            (select keys.name_key from "{work}".main.name_keys as keys where keys.name = of_name::varchar),
            error('no name key was made for the name ' || to_json(of_name)
                  || ': its column is missing from sql/build/names_to_key.sql'))
        end""")


def make(con: duckdb.DuckDBPyConnection, anew: bool = False) -> int:
    """The keys of the names that have none yet (all of them when `anew`, or when name_key changed since they were
    made), in the work database, in the caller's transaction: after the owner's settings are stored and the records
    parsed, before any model asks for a key. Returns how many were made."""
    con.execute(_TABLES)
    made_by = con.execute("select fingerprint from main.name_keys_made_by").fetchall()
    if anew or made_by != [(fingerprint(),)]:
        con.execute("delete from main.name_keys")
        con.execute("delete from main.name_keys_made_by")
        con.execute("insert into main.name_keys_made_by values (?)", [fingerprint()])
    new = [name for (name,) in con.execute(sqlfiles.read("build/names_to_key.sql")).fetchall()]
    if new:
        con.execute("insert into main.name_keys select unnest($names), unnest($keys)",
                    {"names": new, "keys": [names.name_key(name) for name in new]})
    return len(new)
