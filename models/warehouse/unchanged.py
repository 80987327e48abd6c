"""Models left as they are: a build that starts from a copy of the last snapshot makes a model whole again only when
something it reads changed since that snapshot was built.

What changed: the kept staging models of the entities of the records parsed again (`parsed.pending`), the staging
models made anew whose rows differ from what they held before (`parsed.pending_models`; both kept until a snapshot
is published, so a build that fails leaves them to the next), the incremental models whose documents changed, and
every model made again by this build. A model is a function of the relations its SQL names (no model reads the day,
raw or settings, and the scalar macros it calls read no table but name_key's keys, a function of the name alone
while the code that makes them is the same; a new rule or SQL file builds everything), so one
whose inputs are the rows they were makes the rows the copy holds. So does a check (sql/tests): one that reads only
models unchanged finds the rows it found when the copy was built.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from models.warehouse import sqlfiles

if TYPE_CHECKING:
    import duckdb

    from models.warehouse.parsed import KeptModel

_NOT_MODELS = re.compile(r"\b(?:raw|settings)\.\w")  # what a check may read that is no model
_NOW = "staging_made_anew"  # a staging model's rows as its SQL makes them now, compared with what it holds
_DIFFERENCE = "rows_difference"  # a snapshot model's rows that its SQL and the copy do not share


def make_staging(con: duckdb.DuckDBPyConnection, *models: sqlfiles.Model,
                 progress: Callable[[str], None] = lambda _: None) -> None:
    """Staging models made anew in the work database, each remembered as changed when its rows are not what they were.
    Compared first, straight from the model's SQL: the work database is written only when they differ (seldom, after a
    day's sync), and nothing is made in memory to compare (a table made, compared and dropped per model, and a look at
    the catalog per model, were ~30 ms of a tiny company's build)."""
    existing = {name for (name,) in con.execute(sqlfiles.read("parsed/work_tables.sql")).fetchall()}
    made = []
    for model in models:
        progress(f"building {model.qualified}")
        if model.qualified in existing and not con.execute(f"with {_NOW} as (\n{model.sql}\n)\n" + sqlfiles.read(
                "incremental/rows_differ.sql").format(now=_NOW, before=model.qualified)).fetchone()[0]:
            continue
        con.execute(f"create or replace table {model.qualified} as\n{model.sql}")
        made.append(model.qualified)
    if made:
        con.execute(sqlfiles.read("parsed/remember_models.sql"), [made])


def write_difference(con: duckdb.DuckDBPyConnection, table: str, sql: str) -> bool:
    """A model made whole in a build from the copy of the last snapshot, written into the copy's `table` as its
    difference: the rows its `sql` makes and the table's compared as multisets; the rows that went deleted and those
    that came inserted. Returns whether any differed: when none did, the table is left as it is (and the model counts
    as unchanged for what reads it). Why: `create or replace` wrote every row again, ~200k after a day's edits at
    250 x 10, most of them the rows the copy held; the log of that took the first commit past DuckDB's checkpoint
    threshold. Row order is no contract (reports order their rows), so where the new rows land does not matter."""
    # `create table as` answers with how many rows it wrote: no query of its own to ask whether any differ (~0.5 ms
    # of DuckDB's fixed cost a statement, for each of the ~14 models made whole after a day's edits)
    differing = con.execute(sqlfiles.read("incremental/rows_difference.sql").format(
        now=sql, before=table, difference=_DIFFERENCE)).fetchone()[0]
    if not differing:
        con.execute(f"drop table temp.main.{_DIFFERENCE}")
        return False
    con.execute(sqlfiles.read("incremental/write_difference.sql").format(model=table, difference=_DIFFERENCE))
    return True


def since_snapshot(con: duckdb.DuckDBPyConnection, kept: list[KeptModel]) -> set[str]:
    """The staging models ("schema.name") whose rows changed since the published snapshot was built."""
    entities = {entity for (entity,) in con.execute("select distinct entity from parsed.pending").fetchall()}
    changed = {m.model.qualified for m in kept if entities & {e.name for e in m.entities}}
    return changed | {model for (model,) in con.execute("select model from parsed.pending_models").fetchall()}


def checks_to_run(checks: dict[str, str], changed: set[str], found_then: set[str]) -> set[str]:
    """Of the checks (their SQL by name), those a build from a copy of the last snapshot runs: each that reads a model
    changed since it was built, or anything but models (raw, settings, the build's own tables: nothing says whether
    they changed), and each that found rows then (the copy's marts.mart_build_info names them: the build records
    their counts: `found_then`, failed_then). As for a model, the scalar macros a check calls read no table (but
    name_key's keys, the name's alone)."""
    unchanged_models = {model.qualified for model in sqlfiles.models()} - changed
    return {name for name, sql in checks.items()
            if name in found_then or _NOT_MODELS.search(sql) or not sqlfiles.reads(sql)
            or not sqlfiles.reads(sql) <= unchanged_models}


def failed_then(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The checks that found rows when the copy of the last snapshot was built (its marts.mart_build_info)."""
    return {name for (name,) in con.execute("select unnest(failed_checks) from marts.mart_build_info").fetchall()}
