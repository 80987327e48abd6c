"""Incremental build: after a sync, the heaviest models are made again only for the documents it touched.

A build whose staging parsed only what changed starts the new snapshot as a copy of the one the last build
published, when that one was built by the same definition (the SQL, the category rules, DuckDB's version) from
the records staging held then. Each model of sql/incremental/incremental.toml keeps its rows of untouched
documents: the rows of the documents the changes reached are deleted and made again by the model's own SQL, run
over views (catalog `affected`) that hold only those documents' rows of what it reads. Every other model is made
whole, as before; so is everything, from an empty file, by `build --full`, by a build that parsed everything, and
whenever the published snapshot is not the last one built here or was built by another definition.
"""
from __future__ import annotations

import hashlib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from models.warehouse import catalogs, name_keys, sqlfiles, unchanged
from models.warehouse.work_db import transaction

if TYPE_CHECKING:
    import duckdb

    from models.settings.categories import RuleSet
    from models.warehouse.parsed import KeptModel

SPEC = "incremental/incremental.toml"
HIERARCHY = "intermediate.int_customers__hierarchy"  # whose changes reach every document of a customer's tree
_SCHEMAS = ("staging", "intermediate", "marts")
# Folders of sql/ that no model is made by: what readers run on the snapshot, and the build's checks.
_READERS_ONLY = ("reports", "month_end", "table_macros", "tests")


@dataclass(frozen=True)
class IncrementalModel:
    documents: str                  # the set of documents it is made again for (a query of sql/incremental)
    reads: tuple[str, ...]          # what it reads only those documents' rows of ("schema.name")
    document_type: str | None = None  # the one type of document its rows are of, when it has no such column


# The grain check of a model made again for the documents changed, on those documents' rows (Spec.grain_of_documents)
GRAIN_OF_DOCUMENTS = "tests/generic/one_row_per_key_of_documents.sql"
# A set's rows are documents unless incremental.toml gives it another key (its columns and their types)
DOCUMENT_KEY = (("realm_id", "varchar"), ("document_type", "varchar"), ("document_id", "varchar"))


@dataclass(frozen=True)
class Spec:
    document_sets: tuple[str, ...]  # in the order they are found: each may read those before it
    models: dict[str, IncrementalModel]  # by qualified name
    checks: dict[str, str] = field(default_factory=dict)  # the checks of sql/tests run on a set's documents, by name
    keys: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # a set's key, when not a document's
    taken: dict[str, str] = field(default_factory=dict)  # what is taken from the copy once a set is found, and which
    # a relation whose rows name their document by other columns (a payment's application: the document it pays), or
    # whose rows are all of one type (`one_type`: a time activity's), by name
    document_columns: dict[str, dict[str, str]] = field(default_factory=dict)
    # the models before which DuckDB's cached blocks are given back (buffers.release_beside): the peak's memory
    release_before: frozenset[str] = frozenset()

    def key(self, documents: str) -> tuple[tuple[str, str], ...]:
        return self.keys.get(documents, DOCUMENT_KEY)

    def matching(self, documents: str, row: str, relation: str) -> str:
        """The condition a row (`row`, of the model or what it reads named `relation`) of the set's `touched` rows
        meets. Another key than the document's is compared null for null (a line's client may be unknown, and its
        rows are made too)."""
        if documents not in self.keys:
            named = self.document_columns.get(relation, {})
            declared = self.models[relation].document_type if relation in self.models else named.get("one_type")
            document_id = named.get("document_id", "document_id")
            return (f"{row}.realm_id = touched.realm_id and {_type_of(row, declared, named.get('document_type'))} = "
                    f"touched.document_type and {row}.{document_id} = touched.document_id")
        return " and ".join(f"{row}.{column} is not distinct from touched.{column}" for column, _ in self.keys[documents])

    def restricted(self, documents: str) -> set[str]:
        """What the models made again for the set `documents` read only those documents' rows of. A relation
        one of them reads whole and another only in part would give the first too few rows: refused."""
        models = {name: m for name, m in self.models.items() if m.documents == documents}
        restricted = {relation for m in models.values() for relation in m.reads}
        for name, m in models.items():
            whole = sqlfiles.reads(_sql(name)) & (restricted - set(m.reads))
            if whole:
                raise RuntimeError(f"sql/{SPEC}: {name} reads {sorted(whole)[0]} whole, which another model of the "
                                   f"set {documents} reads only in part: name it in {name}'s reads")
        return restricted


    def grain_of_documents(self, model: str, key: tuple[str, ...]) -> str | None:
        """The grain check of an incremental model on the rows of the documents it was made again for, when its key
        holds the document (realm, type or the one type it declares, id): two rows that share such a key are of one
        document, so a duplicate is among those documents' rows. None when its key does not hold the document."""
        declared = self.models[model].document_type
        if self.models[model].documents in self.keys:
            return None  # its rows are not made again by document
        if not {"realm_id", "document_id"} <= set(key) or not (declared or "document_type" in key):
            return None
        return sqlfiles.read(GRAIN_OF_DOCUMENTS).format(
            model=model, key=", ".join(f"checked.{column}" for column in key), documents=self.models[model].documents,
            document_type=_type_of("checked", declared))

    def checked(self, documents: str) -> set[str]:
        """What the checks run on the set `documents` read (each a model made again for it, or for the first set)."""
        return {relation for name, of in self.checks.items() if of == documents for relation in check_reads(name)}

    def check_path(self, check: str, work: str) -> list[tuple[str, str]] | None:
        """Where a check run on its set's documents reads from (the search path of its views); None for the others."""
        if check not in self.checks:
            return None
        return [(work, "main"), *((checked_catalog(self.checks[check]), schema) for schema in _SCHEMAS)]


def _type_of(row: str, declared: str | None, column: str | None = None) -> str:
    """A row's document type: the one its model declares (it has no such column), else its column (`column`, when
    its rows name their document by other columns)."""
    return catalogs.literal(declared) if declared else f"{row}.{column or 'document_type'}"


def check_reads(check: str) -> set[str]:
    return sqlfiles.reads(sqlfiles.read(f"tests/{check}.sql"))


def spec() -> Spec:
    declared = sqlfiles.toml(SPEC)
    models = {name: IncrementalModel(model["documents"], tuple(model["reads"]), model.get("document_type"))
              for name, model in declared["models"].items()}
    views = sorted(models.keys() & sqlfiles.views())
    if views:
        raise RuntimeError(f"sql/{SPEC}: {views[0]} is made as a view (sql/{sqlfiles.VIEWS}): a view has no rows of its "
                           "own to make again; name the tables it reads instead")
    sets = tuple(declared["document_sets"])
    checks = dict(declared.get("checks", {}))
    keys = {name: tuple(key.items()) for name, key in declared.get("keys", {}).items()}
    for check, documents in checks.items():
        if documents in keys:  # each row a check finds is of one document
            raise RuntimeError(f"sql/{SPEC}: the check {check} is declared of {documents}, whose rows are not documents")
        # a relation made whole, or for another set, may differ from the copy's in a document outside this set
        outside = sorted(relation for relation in check_reads(check)
                         if relation not in models or models[relation].documents not in (documents, sets[0]))
        if outside:
            raise RuntimeError(f"sql/{SPEC}: the check {check} reads {outside[0]}, which is not made again for the set "
                               f"{documents} (or {sets[0]}): it cannot be run on those documents alone")
    release_before = frozenset(declared.get("release_before", ()))
    unknown = sorted(release_before - {model.qualified for model in sqlfiles.models()})
    if unknown:
        raise RuntimeError(f"sql/{SPEC}: release_before names {unknown[0]}, which is no model of sql/")
    return Spec(sets, models, checks, keys, dict(declared.get("taken", {})), dict(declared.get("document_columns", {})),
                release_before)


def disabled_optimizers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The optimizer passes a build from the copy plans its statements without (incremental.toml). One DuckDB does not
    have (another version's list) stops the build, naming the file."""
    named = list(sqlfiles.toml(SPEC).get("disabled_optimizers", []))
    known = {name for (name,) in con.execute("select name from duckdb_optimizers()").fetchall()}
    unknown = [name for name in named if name not in known]
    if unknown:
        raise RuntimeError(f"sql/{SPEC}: disabled_optimizers names {unknown[0]}, which this DuckDB has no optimizer "
                           "pass of (its duckdb_optimizers() lists them)")
    return named


def _sql(qualified: str) -> str:
    schema, name = qualified.split(".")
    return sqlfiles.read(f"{schema}/{name}.sql")


def catalog(documents: str) -> str:
    """The catalog of the views the models made again for the set `documents` read."""
    return f"affected_{documents}"


def checked_catalog(documents: str) -> str:
    """The catalog of the views the checks run on the set `documents` read."""
    return f"checked_{documents}"


def definition(rule_set: RuleSet) -> str:
    """What the models are made by: the SQL files (but those only readers run), name_key, the category rules (and
    agreement months) and DuckDB's version. Rows built by another definition are never carried over."""
    digest = files_digest().copy()
    digest.update(repr((rule_set.rules, rule_set.scope_rules, sorted(rule_set.agreement_months.items()))).encode())
    # name_key, the one function of the models' SQL written in Python (Unicode's tables are Python's)
    digest.update(name_keys.fingerprint().encode())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def files_digest() -> hashlib._Hash:
    """DuckDB's version and the SQL files the models are made by, hashed once a process (~10 ms of every build: a
    walk of sql/ and ~180 files)."""
    sql = sqlfiles.SQL_DIR
    return sqlfiles.digest(p for p in sql.rglob("*") if p.is_file() and p.relative_to(sql).parts[0] not in _READERS_ONLY)


NOT_PUBLISHED_HERE = "the snapshot is not the one the last build here published"


def why_whole(con: duckdb.DuckDBPyConnection, target: Path, built_by: str) -> str | None:
    """Why this build may not start from the published snapshot `target`, in a few words; None when it may, if it is
    the last one built here (published_here, asked of its copy): the work database recorded a snapshot published by
    `built_by`, and the file is there."""
    recorded = con.execute("select build_id, definition from parsed.published").fetchall()
    if len(recorded) != 1:
        return "no snapshot was published by a build here yet"
    if recorded[0][1] != built_by:
        return "the category rules, agreement months or models changed since the last build"
    if not target.exists():
        return "the snapshot is missing"
    return None


def published_here(con: duckdb.DuckDBPyConnection, copy: str) -> bool:
    """Whether the snapshot attached as `copy` holds the build id the work database recorded as published: the last
    one built here, and no other file put in its place."""
    tables = con.execute("select 1 from duckdb_tables() where database_name = ? and schema_name = 'intermediate' "
                         "and table_name = 'snapshot_build'", [copy]).fetchall()
    if not tables:
        return False
    published = con.execute(f"select build_id from {catalogs.quoted(copy)}.intermediate.snapshot_build").fetchall()
    return published == con.execute("select build_id from parsed.published").fetchall()


def prepare(con: duckdb.DuckDBPyConnection, out: str, changed: set[str], sets_made: bool = False) -> None:
    """Before the snapshot's transaction (which may write to the snapshot alone), in the copy attached as `out`:
    what `prepare_sets` makes (unless `sets_made`: made ahead), the customers as staging has them now, and what the
    payments parsed again were applied to in the copy (int_payment_applications is made again into the copy before
    the cash lines read it). `changed`: the staging models changed since the copy was built
    (unchanged.since_snapshot)."""
    if not sets_made:
        prepare_sets(con, out)
    work = catalogs.quoted(catalogs.current(con))
    if sqlfiles.reads(_sql(HIERARCHY)) & changed:
        con.execute(f"create temp table customers_now as\n{_sql(HIERARCHY)}")
    else:  # nothing it reads changed since the copy was built (no customer parsed again): the copy's rows (~7 ms less)
        con.execute("create temp table customers_now as select * from temp.main.customers_before")
    con.execute(sqlfiles.read("incremental/applications_before.sql").format(out=out, work=work))


def prepare_sets(con: duckdb.DuckDBPyConnection, out: str) -> None:
    """What a build from the copy attached as `out` reads that nothing a sync stores changes, so a sync can make it
    while it waits on QuickBooks (build.prepare_build): the customers as the copy has them, the empty sets of affected
    documents, and for each set the views its models read."""
    work = catalogs.quoted(catalogs.current(con))
    declared = spec()
    con.execute(f"create temp table customers_before as select * from {out}.{HIERARCHY}")
    for documents in declared.document_sets:
        columns = ", ".join(f"{column} {kind}" for column, kind in declared.key(documents))
        con.execute(f"create temp table {documents} ({columns})")
        views = catalog(documents)
        con.execute(f"attach ':memory:' as {views}")
        for schema in _SCHEMAS:
            con.execute(f"create schema {views}.{schema}")
        restricted = declared.restricted(documents)
        read = {relation for name, m in declared.models.items() if m.documents == documents
                for relation in sqlfiles.reads(_sql(name))}
        for relation in sorted(read):
            source = work if relation.startswith("staging.") else out
            view = "documents_only" if relation in restricted else "whole"
            con.execute(sqlfiles.read(f"incremental/{view}.sql").format(
                views=views, relation=relation, catalog=source, documents=documents,
                matching=declared.matching(documents, "kept", relation)))
        checked = declared.checked(documents)
        if checked:  # the views read the new snapshot's rows when a check runs, after every model is made
            views = checked_catalog(documents)
            con.execute(f"attach ':memory:' as {views}")
            for schema in _SCHEMAS:
                con.execute(f"create schema {views}.{schema}")
            for relation in sorted(checked):
                con.execute(sqlfiles.read("incremental/documents_only.sql").format(
                    views=views, relation=relation, catalog=out, documents=documents,
                    matching=declared.matching(documents, "kept", relation)))


@contextmanager
def affected(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Removes what `prepare` and `prepare_sets` made once the block is over."""
    try:
        yield
    finally:
        declared = spec()
        for documents in declared.document_sets:
            con.execute(f"detach database if exists {catalog(documents)}")
            con.execute(f"detach database if exists {checked_catalog(documents)}")
        for table in ("customers_before", "customers_now", "applications_before", *declared.taken,
                      *declared.document_sets):
            con.execute(f"drop table if exists temp.main.{table}")


class Remaking:
    """The models of one build in the snapshot's copy: the incremental ones made again model by model, the others
    made whole, or left as they are when nothing they read changed (models/warehouse/unchanged.py)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, out: str, kept: list[KeptModel], changed: set[str]):
        """`changed`: the staging models changed since the copy was built (unchanged.since_snapshot)."""
        self.con, self.out, self.kept = con, out, kept
        self.spec = spec()
        self.work = catalogs.current(con)
        self.found: list[str] = []
        self.empty: dict[str, bool] = {}  # whether each set found holds no document
        self.changed = set(changed)  # the models whose rows changed since the last snapshot was built

    def __contains__(self, qualified: str) -> bool:
        """Whether the model is made again for its set: an incremental one that reads something changed. One that
        reads nothing changed is left as the copy holds it, as a model made whole is (a day of invoices leaves the
        time activities' models as they are, and their sets are not even found)."""
        return qualified in self.spec.models and bool(sqlfiles.reads(_sql(qualified)) & self.changed)

    def staging_made(self) -> None:
        """Once staging is made (the tie-out's models after the others): what of it changed."""
        self.changed |= unchanged.since_snapshot(self.con, self.kept)

    def unchanged(self, model: sqlfiles.Model) -> bool:
        """Whether a model made whole would make the rows the copy holds: nothing it reads changed."""
        return not sqlfiles.reads(model.sql) & self.changed

    def made(self, qualified: str) -> None:
        self.changed.add(qualified)

    def find(self, documents: str) -> None:
        """A set is found when its first model is about to be made, from what the models before it made, after the
        sets before it that it reads; then what is taken from the copy once it is found (before any model of it is
        made again: the rows a later set needs as they were)."""
        if documents in self.found:
            return
        sql = sqlfiles.read(f"incremental/{documents}.sql")
        for earlier in self.spec.document_sets[:self.spec.document_sets.index(documents)]:
            if f"temp.main.{earlier}" in sql:
                self.find(earlier)
        self.con.execute(sql.format(work=catalogs.quoted(self.work)))
        self.found.append(documents)
        for taken, after in self.spec.taken.items():
            if after == documents:
                self.con.execute(sqlfiles.read(f"incremental/{taken}.sql").format(out=self.out))

    def remake(self, model: sqlfiles.Model) -> None:
        """Delete the model's rows of the affected documents and make them again from what it reads of them."""
        documents = self.spec.models[model.qualified].documents
        self.find(documents)
        if documents not in self.empty:  # a set found is not changed after: asked once, not once per model
            self.empty[documents] = not self.con.execute(
                f"select exists (select 1 from temp.main.{documents})").fetchone()[0]
        if self.empty[documents]:
            return  # no row of it to delete or make again
        self.changed.add(model.qualified)
        self.con.execute(sqlfiles.read("incremental/forget_rows.sql").format(
            model=f"{self.out}.{model.qualified}", documents=documents,
            matching=self.spec.matching(documents, "kept", model.qualified)))
        views = catalog(documents)
        with catalogs.searching(self.con, [(self.work, "main"), *((views, s) for s in _SCHEMAS)]):
            self.con.execute(f"insert into {self.out}.{model.qualified}\nselect * from (\n{model.sql}\n)")


def stamp(con: duckdb.DuckDBPyConnection) -> str:
    """Write a new build id into the snapshot being built; returns it."""
    build_id = str(uuid.uuid4())
    con.execute(sqlfiles.read("build/snapshot_build.sql"))
    con.execute("insert into intermediate.snapshot_build values (?)", [build_id])
    return build_id


def published(con: duckdb.DuckDBPyConnection, build_id: str, built_by: str) -> None:
    """Once the snapshot is renamed into place: the work database records it, and forgets the records parsed
    since the one before (they are in it). A build killed before this starts the next one from an empty file."""
    with transaction(con):
        con.execute("delete from parsed.published")
        con.execute("insert into parsed.published values (?, ?)", [build_id, built_by])
        con.execute("delete from parsed.pending")
        con.execute("delete from parsed.pending_models")
