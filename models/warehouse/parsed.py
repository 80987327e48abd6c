"""Staging kept in the work database: every raw record is parsed once, and again only when it changes.

The staging models that parse QuickBooks records (sql/staging/parsed.toml) are tables of the work database
beside raw. The writer notes every record it stores, replaces or removes (`raw.unparsed`, in the transaction that
writes it); a build deletes the rows of those records and parses them again, with the same SQL files, run over a
catalog of changes (`changed_records`) in which `raw.invoices` holds only the changed invoices, and empties
`raw.unparsed` in the same transaction. Raw stays as the loaders wrote it, the one source of truth: what is kept here
is made again from it by `build --full`, and whenever the SQL that parses it (or DuckDB) is not the one that made it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from models.warehouse import catalogs, sqlfiles
from models.warehouse.entities import BY_NAME, BY_TABLE, Entity
from models.warehouse.work_db import transaction

if TYPE_CHECKING:
    import duckdb

SPEC = "staging/parsed.toml"
CHANGES = "changed_records"  # the in-memory catalog of what changed, as the SQL files of sql/parsed name it
_READS = re.compile(r"\b(raw|settings|staging|intermediate|marts)\.(\w+)")
_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True)
class KeptModel:
    model: sqlfiles.Model
    id_column: str                  # the Id of the record a row came from
    entity_column: str | None       # the column naming the record's entity, when the model reads several
    entities: tuple[Entity, ...]    # the records it parses, read from raw or through another kept model

    def same_record(self, row: str, change: str) -> str:
        """SQL: row `row` of this model came from the record `change` (a row of changed_records.main.records)."""
        entity = f"{row}.{self.entity_column}" if self.entity_column else f"'{self.entities[0].name}'"
        return (f"{change}.realm_id = {row}.realm_id and {change}.id = {row}.{self.id_column} "
                f"and {change}.entity = {entity}")


def kept_models() -> list[KeptModel]:
    """The kept staging models in build order, each after the kept models it reads. A declared model that
    reads anything but raw entity records and other kept models cannot be parsed a record at a time, nor can
    one reading several entities without a column naming them: both stop the build, naming the file."""
    declared = sqlfiles.toml(SPEC)
    kept: dict[str, KeptModel] = {}
    for model in sqlfiles.models():
        if model.schema != "staging" or model.name not in declared:
            continue
        where = f"sql/staging/{model.name}.sql"
        entities: list[Entity] = []
        for schema, name in sorted(set(_READS.findall(_COMMENT.sub("", model.sql)))):
            if schema == "raw" and name in BY_TABLE:
                entities.append(BY_TABLE[name])
            elif schema == "staging" and name in kept:
                entities.extend(kept[name].entities)
            else:
                raise RuntimeError(f"{where} reads {schema}.{name}, so it cannot be kept parsed a record at a "
                                   f"time: take it out of sql/{SPEC}")
        key = declared[model.name]
        unique = tuple(dict.fromkeys(entities))
        if len(unique) != 1 and "entity" not in key:
            raise RuntimeError(f"{where} reads {len(unique)} entities: sql/{SPEC} must name its `entity` column")
        kept[model.name] = KeptModel(model, key["id"], key.get("entity"), unique)
    unknown = sorted(set(declared) - set(kept))
    if unknown:
        raise RuntimeError(f"sql/{SPEC} names {unknown[0]}, which no file of sql/staging defines")
    return list(kept.values())


def tracked_entities(models: list[KeptModel]) -> list[Entity]:
    """The entities whose records the kept models parse, in the warehouse's order."""
    read = {e.name for m in models for e in m.entities}
    return [BY_NAME[name] for name in BY_NAME if name in read]


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """What parsed the kept models: the staging SQL and the macros it calls, the raw tables' definition and the
    writer's notes of what it stored, the SQL of this module and DuckDB's version (worked out once a process: ~10 ms
    of every build)."""
    sql = sqlfiles.SQL_DIR
    files = [*(sql / "staging").iterdir(), *(sql / "macros").iterdir(), *(sql / "parsed").iterdir(),
             *(sql / "raw").glob("unparsed*.sql"), sql / "raw" / "raw_table.sql"]
    return sqlfiles.digest(f for f in files if f.is_file()).hexdigest()


@dataclass(frozen=True)
class Parsed:
    records: int | None             # records parsed again; None: every record (a full parse)
    why_all: str | None = None      # why every record was parsed, in a few words


def refresh(con: duckdb.DuckDBPyConnection, full: bool = False,
            progress: Callable[[str], None] = lambda _: None) -> Parsed:
    """Bring the kept staging models up to date with raw: a full parse when asked, or when they were made by
    another definition or are missing (a warehouse from before they were kept), else only what changed."""
    models = kept_models()
    why = "--full asked for it" if full else _out_of_date(con, models)
    if why:
        _parse_all(con, models, progress)
        return Parsed(None, why)
    return Parsed(_parse_changed(con, models, progress))


def _out_of_date(con: duckdb.DuckDBPyConnection, models: list[KeptModel]) -> str | None:
    """Why the kept models cannot be brought up to date record by record; None when they can."""
    tables = {(schema, name) for schema, name in con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = current_database()").fetchall()}
    if ("parsed", "definition") not in tables or any(("staging", m.model.name) not in tables for m in models):
        return "nothing was parsed here before (a new warehouse, or one of an earlier version)"
    if con.execute("select fingerprint from parsed.definition").fetchall() != [(fingerprint(),)]:
        return "how records are parsed changed (an upgrade of msp-revenue or DuckDB)"
    return None


def _parse_all(con: duckdb.DuckDBPyConnection, models: list[KeptModel], progress: Callable[[str], None]) -> None:
    with transaction(con):
        for schema in ("staging", "parsed"):
            # anew: a staging model renamed or removed must not linger, nor versions parsed by another definition
            con.execute(f"drop schema if exists {schema} cascade")
            con.execute(f"create schema {schema}")
        for table in ("definition", "pending", "pending_models", "published"):
            con.execute(sqlfiles.read(f"parsed/{table}.sql"))
        for kept in models:
            progress(f"building {kept.model.qualified}")
            con.execute(f"create table {kept.model.qualified} as\n{kept.model.sql}")
        con.execute("delete from raw.unparsed")  # every record is parsed
        con.execute("insert into parsed.definition values (?)", [fingerprint()])


def _parse_changed(con: duckdb.DuckDBPyConnection, models: list[KeptModel], progress: Callable[[str], None]) -> int:
    """Parse again the records the writer noted since the last parse; returns how many."""
    work = catalogs.current(con)
    entities = tracked_entities(models)
    con.execute(f"attach ':memory:' as {CHANGES}")
    try:
        # The catalog of changes is written before the work database's transaction: one transaction writes to
        # one database. The work database is this connection's alone, so raw cannot change in between.
        con.execute(f"create table {CHANGES}.main.records (entity varchar, realm_id varchar, id varchar)")
        con.execute(sqlfiles.read("parsed/changed.sql").format(
            entities=", ".join(catalogs.literal(entity.name) for entity in entities)))
        counts = dict(con.execute(f"select entity, count(*) from {CHANGES}.main.records group by entity").fetchall())
        changed = sum(counts.values())
        if not changed:
            con.execute("delete from raw.unparsed")  # records of entities no kept model parses, if any
            return 0
        progress(f"parsing {changed} changed record(s) again")
        # A kept model makes each row from its own record: one that parses none of the entities changed has no row
        # to forget or make (a day's sync touches invoices and payments; the time activities' rows are left alone).
        parsing = [kept for kept in models if set(counts) & {entity.name for entity in kept.entities}]
        # and the views are made only of what those models read (~0.35 ms of CPU each: a day's invoices and payments
        # read 5 of the 20 raw tables and 2 of the 15 kept models)
        read_entities = {entity for kept in parsing for entity in kept.entities}
        read_models = frozenset().union(*(sqlfiles.reads(kept.model.sql) for kept in parsing))
        for schema in ("raw", "staging"):
            con.execute(f"create schema {CHANGES}.{schema}")
        for entity in entities:
            if entity not in read_entities:
                continue
            # a model parsing invoices reads sales receipts too: with none changed, theirs is a view of no row
            view = "parsed/changed_raw.sql" if entity.name in counts else "parsed/unchanged_raw.sql"
            con.execute(sqlfiles.read(view).format(work=catalogs.quoted(work), table=entity.table, entity=entity.name))
        for kept in models:
            if kept.model.qualified not in read_models:
                continue
            con.execute(sqlfiles.read("parsed/changed_rows.sql").format(
                work=catalogs.quoted(work), model=kept.model.name, id=kept.id_column,
                same_record=kept.same_record("kept", "changed")))
        with transaction(con):
            for kept in parsing:
                con.execute(sqlfiles.read("parsed/forget_rows.sql").format(
                    model=kept.model.name, same_record=kept.same_record("kept", "changed")))
            con.execute("delete from raw.unparsed")  # parsed here, with the records of entities no kept model parses
            con.execute(sqlfiles.read("parsed/remember_pending.sql"))
            # `raw` and `staging` now mean the changed records (and the rows parsed from them), so each model's
            # own SQL parses only those; what it writes is named in the work database.
            with catalogs.searching(con, [(work, "main"), (CHANGES, "raw"), (CHANGES, "staging")]):
                for kept in parsing:
                    con.execute(f"insert into {catalogs.quoted(work)}.{kept.model.qualified}\n"
                                f"select * from (\n{kept.model.sql}\n)")
        return changed
    finally:
        con.execute(f"detach {CHANGES}")
