"""Build: derive every model from the raw store with the SQL layers, check it, publish a snapshot."""
from __future__ import annotations

import re
import time
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from models.settings import categories, settings
from models.warehouse import (buffers, catalogs, incremental, kept_forecasts, name_keys, parsed, paths, snapshot,
                              sqlfiles, unchanged)
from models.warehouse.work_db import checkpointing, insert_rows, open_work_db, transaction

# Where each layer lives: settings and staging in the work database (the kept staging models parsed once,
# models/warehouse/parsed.py), the layers above them built straight into each new snapshot, which is what readers read.
WORK_SCHEMAS = ("settings", "staging")
SNAPSHOT_SCHEMAS = ("intermediate", "marts")


@dataclass
class BuildResult:
    snapshot: Path
    seconds: float
    revenue_lines: int
    unmapped_lines: int
    unmapped_amount: Decimal | None
    failed_checks: dict[str, int] = field(default_factory=dict)  # check name -> rows that fail it
    parsed_records: int | None = None  # raw records parsed again by this build; None: every one (a full parse)
    carried_over: bool = False  # the incremental models were made again only for the documents changed
    why_whole: str | None = None  # why every model was made whole, in a few words (None when carried over)

    @property
    def what(self) -> str:
        """One line: whether the build made again the documents changed only or everything, and why."""
        if self.carried_over:
            return f"rebuilt only the documents changed ({self.parsed_records:,} record(s) parsed again)"
        return f"rebuilt everything: {self.why_whole}"


class Prepared:
    """What a build does before it reads a record: the owner's files ensured and the category rules read, what the
    models are made by, name_key registered; and, done ahead by a sync (`prepare_build`), the new snapshot's file
    started as a copy of the last one, with what a build from it reads that the sync's records do not change
    (incremental.prepare_sets). `held`: where that file is held until a build takes it (none: not started)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db: Path, held: ExitStack | None = None):
        self.rules_path = categories.ensure_rules_file(paths.category_rules(db))
        # The owner's files are made (and recorded, so one gone missing is noticed) by what writes the
        # warehouse; a read takes the defaults while they are not there, and writes nothing.
        settings.ensure_settings_file(settings.settings_path(db))
        self.rule_set = categories.load(self.rules_path)
        self.built_by = incremental.definition(self.rule_set)
        self._held, self._new, self.sets_made = held, None, False
        target = paths.snapshot(db)
        if held is not None and incremental.why_whole(con, target, self.built_by) is None:
            held.enter_context(incremental.affected(con))
            self._new = held.enter_context(snapshot.started(
                con, target, target, usable=lambda copy: incremental.published_here(con, copy)))
            if self._new.copied:
                incremental.prepare_sets(con, snapshot.WRITING)
                self.sets_made = True
        name_keys.register(con)  # a macro of this connection's; the others are stored (models/warehouse/stored_macros.py)

    def taken(self) -> AbstractContextManager[snapshot.Started] | None:
        """The new snapshot's file, if started, from then on the block's: renamed into place when it succeeds."""
        return None if self._new is None else self._taking()

    @contextmanager
    def _taking(self) -> Iterator[snapshot.Started]:
        with self._held.pop_all():
            yield self._new


class _NotTaken(Exception):
    """Thrown into a snapshot's file started ahead that no build took: it is removed, not renamed into place."""


@contextmanager
def prepare_build(con: duckdb.DuckDBPyConnection, db: Path) -> Iterator[Prepared]:
    """What `build(db, con=con)` does first, done now: a sync's, while it waits on QuickBooks' first answers (~40 ms of
    an everyday sync's build at 250 x 10: docs/BENCHMARKS.md). The block's end removes the new snapshot's file unless
    a build took it: a sync that fails, or ends without building, leaves none behind and the published one as it was."""
    with suppress(_NotTaken), ExitStack() as held:
        yield Prepared(con, db, held)
        raise _NotTaken  # nothing left to throw it into once a build took the file


def build(db: Path, progress: Callable[[str], None] = lambda _: None, full: bool = False,
          con: duckdb.DuckDBPyConnection | None = None,
          tie_out: Callable[[duckdb.DuckDBPyConnection], None] = lambda _: None,
          closing: bool = False, prepared: Prepared | None = None) -> BuildResult:
    """Bring staging up to date with raw (only the records that changed, unless `full`), build every model above
    it into a new snapshot and publish it; the old snapshot stays until then. `con`: the work database, already
    open (a sync's), else opened and closed here. `tie_out(con)` stores QuickBooks' ProfitAndLoss in the work
    database (a sync asks for it while this builds): called once every model that does not read it is made.
    `closing`: the caller closes `con` once this returns (the sync's), so its threads are left as the build set them.
    `prepared`: `prepare_build(con, db)`'s, on `con`: what it did is not done again."""
    started = time.perf_counter()
    forecast_day = kept_forecasts.made_on()
    opened = con is None
    con = open_work_db(db) if opened else con
    try:
        prepared = prepared or Prepared(con, db)
        rules_path, rule_set = prepared.rules_path, prepared.rule_set
        parsed_now = parsed.refresh(con, full, progress)
        kept_models = parsed.kept_models()
        kept = {m.model.qualified for m in kept_models}
        models = list(sqlfiles.models())
        tied = tie_out_models(models)
        with transaction(con):
            for schema in SNAPSHOT_SCHEMAS:
                # what a build made in the work database before these layers were built into the snapshot
                con.execute(f"drop schema if exists {schema} cascade")
            # anew each time: a rule that was removed must not linger
            con.execute("drop schema if exists settings cascade")
            con.execute("create schema settings")
            _store_rules(con, rule_set)
            _store_device_organisations(con, settings.read(settings.settings_path(db)))
            name_keys.make(con, anew=full)
            _make_staging(con, models, kept | tied, progress)
        target = paths.snapshot(db)
        built_by = prepared.built_by
        why_whole = parsed_now.why_all or incremental.why_whole(con, target, built_by)
        progress("publishing snapshot")
        # A build from the copy: what the sync, the parse and staging read is not kept beside what the snapshot's models
        # read, the everyday sync's peak (docs/BENCHMARKS.md, "The everyday sync's peak memory"); a whole build's
        # models read much of staging again, and are left as they were (not measured)
        if why_whole is None:
            buffers.release(con)
        # The copy is the one the last build here published when it holds that build's id: read in the copy, which is
        # attached anyway (attaching the snapshot only to read it cost ~15 ms of CPU); one that is not is dropped and
        # the file started empty (on one thread: a snapshot put in place by something else, seldom).
        threads = 1 if why_whole is None else None
        # the staging models changed since the copy was built: what the customers' hierarchy and the remakes read
        changed = unchanged.since_snapshot(con, kept_models) if why_whole is None else set()
        with _statements(con, threads, restore=not (opened or closing)), incremental.affected(con), snapshot.writing(
                con, target, SNAPSHOT_SCHEMAS, start_from=target if why_whole is None else None,
                usable=lambda copy: incremental.published_here(con, copy),
                prepare=lambda out: incremental.prepare(con, out, changed, prepared.sets_made), begun=prepared.taken()) as new:
            out = new.catalog
            if why_whole is None and not new.copied:
                why_whole = incremental.NOT_PUBLISHED_HERE
                con.execute("reset disabled_optimizers")  # a whole build after all: every pass (threads stay one)
            carried = why_whole is None
            remaking = incremental.Remaking(con, out, kept_models, changed) if carried else None
            # Two transactions of the new file, which no reader sees before it is renamed into place: the models that
            # do not read QuickBooks' ProfitAndLoss, made while its requests are under way, then the tie-out's.
            # Beside the first, on the idle core, the work database is checkpointed when it is closed after (DuckDB's
            # close would do it on the critical path): what the sync and staging wrote. What is written after (the
            # ProfitAndLoss the tie-out stores, the tie-out's staging) is left to the close: 3-4 ms of it. Not beside
            # the tie-out's models: there the checkpoint, often still running, had the release before mart_tie_out
            # skipped, and the sync's peak was then that tail's (docs/DECISIONS.md, "The work database is checkpointed
            # beside the build's first models").
            with checkpointing(con) if opened or closing else nullcontext(), transaction(con):
                _make_snapshot(con, out, [m for m in models if m.qualified not in tied], remaking, progress)
            if remaking is not None:  # and what those models read and made, before the tie-out's models and the checks
                buffers.release(con)
            tie_out(con)
            with transaction(con):
                _make_staging(con, [m for m in models if m.qualified in tied], kept, progress)
            if remaking is not None:
                remaking.staging_made()
            with transaction(con):
                _make_snapshot(con, out, [m for m in models if m.qualified in tied], remaking, progress)
                # None: the forecasts the copy carried over are this day's, and nothing they read changed
                forecasts = None if remaking is not None and kept_forecasts.carried(
                    con, forecast_day, remaking.changed) else kept_forecasts.make(con, forecast_day)
                failed = run_checks(con, remaking)
                lines, unmapped_lines, unmapped_amount = con.execute(
                    "select count(*), count(*) filter (where category = 'unmapped'), "
                    "sum(amount) filter (where category = 'unmapped') from marts.fct_revenue_lines").fetchone()
                _store_build_info(con, rules_path, lines, failed)
                build_id = incremental.stamp(con)
        incremental.published(con, build_id, built_by)
        if forecasts is not None:
            kept_forecasts.keep(con, forecast_day, forecasts)
    finally:
        if opened:
            con.close()
    return BuildResult(target, time.perf_counter() - started, lines, unmapped_lines, unmapped_amount, failed,
                       parsed_now.records, carried, why_whole)


def read_ahead() -> None:
    """What a build works out from sql/ once a process, worked out ahead: the digests of the parse and of the
    definition (every file the models are made by, read into sqlfiles.read's cache), the models and what each reads,
    the checks. 10-15 ms that a sync's build no longer starts with: the sync calls this while it waits on QuickBooks'
    answers (cli._build_imports)."""
    parsed.fingerprint()
    incremental.files_digest()
    for model in sqlfiles.models():
        sqlfiles.reads(model.sql)
    for check in checks().values():
        sqlfiles.reads(check.sql)
    sqlfiles.read(incremental.GRAIN_OF_DOCUMENTS)


@contextmanager
def _statements(con: duckdb.DuckDBPyConnection, threads: int | None, restore: bool = True) -> Iterator[None]:
    """How DuckDB runs the block's statements: on `threads` threads, and without the optimizer passes
    incremental.toml's `disabled_optimizers` names (None: as they are, every pass). A build from a copy of the last
    snapshot makes small tables on one thread: at 250 x 10 after a 1% change, 14% less CPU and 35 MB less at its peak
    than on two, and no slower on the loaded 2-core machine (docs/BENCHMARKS.md); and its statements, each over a day's
    few documents, spent more time planned than run: the passes left out made nothing of them faster. A whole build
    keeps every core and every pass. `restore`: set them back after (a connection that goes on after the build); a
    connection the build or its caller closes is left as it is, as starting DuckDB's threads again only to stop them
    costs 15-45 ms of a loaded machine's wall time."""
    if threads is None:
        yield
        return
    disabled = ",".join(incremental.disabled_optimizers(con))  # first: a list DuckDB refuses changes nothing
    con.execute(f"set threads = {threads:d}")
    con.execute("set disabled_optimizers = ?", [disabled])
    try:
        yield
    finally:
        if restore:
            con.execute("reset threads")
            con.execute("reset disabled_optimizers")


# The raw tables of QuickBooks' ProfitAndLoss on each basis, which a sync stores while the build runs
_TIE_OUT_RAW = re.compile(r"\braw\.qbo_(?:cash_)?profit_and_loss\w*")


def tie_out_models(models: list[sqlfiles.Model]) -> set[str]:
    """The models ("schema.name") that read QuickBooks' ProfitAndLoss, directly or through another model."""
    tied: set[str] = set()
    for model in models:  # each after the models it reads
        if _TIE_OUT_RAW.search(model.sql) or sqlfiles.reads(model.sql) & tied:
            tied.add(model.qualified)
    return tied


def _make_staging(con: duckdb.DuckDBPyConnection, models: list[sqlfiles.Model], leaving: set[str],
                  progress: Callable[[str], None]) -> None:
    """The staging models made anew by each build, in the work database, but those in `leaving`."""
    unchanged.make_staging(con, *(m for m in models if m.schema == "staging" and m.qualified not in leaving),
                           progress=progress)


def _make_snapshot(con: duckdb.DuckDBPyConnection, out: str, models: list[sqlfiles.Model],
                   remaking: incremental.Remaking | None, progress: Callable[[str], None]) -> None:
    """The models of `models` that live in the snapshot, made into the new file `out`."""
    made_since_release = True  # what the block's caller made before it
    for model in models:
        if model.schema not in SNAPSHOT_SCHEMAS:
            continue
        if remaking is not None and model.qualified in remaking.spec.release_before and made_since_release:
            buffers.release_beside(con)  # the blocks the models made since read (incremental.toml)
            made_since_release = False
        if remaking is not None and model.qualified in remaking:
            progress(f"building {model.qualified} for the documents changed")
            remaking.remake(model)
            made_since_release = True
        elif remaking is not None and remaking.unchanged(model):
            progress(f"keeping {model.qualified}: nothing it reads changed")
        else:
            made_since_release = True
            progress(f"building {model.qualified}")
            if remaking is not None and model.kind == "table":
                # written as its difference from the copy's rows; none: left as it is, unchanged for what reads it
                if not unchanged.write_difference(con, f"{out}.{model.qualified}", model.sql):
                    continue
            else:  # a view stores no rows: made again, as cheap as it is; a build not from the copy writes every row
                con.execute(f"create or replace {model.kind} {out}.{model.qualified} as\n{model.sql}")
            if remaking is not None:
                remaking.made(model.qualified)


@dataclass(frozen=True)
class Check:
    sql: str                        # returns the rows that are wrong
    source: str                     # where it is written, under sql/
    model: str | None = None        # a grain check's model ("schema.name")
    key: tuple[str, ...] = ()       # and the columns of its key
    reading: tuple[tuple[str, str], ...] = ()  # the search path it runs with (none: the build's)


GRAINS = "tests/grains.toml"


def checks() -> dict[str, Check]:
    """The build's checks by name: each file of sql/tests, and one per key sql/tests/grains.toml declares."""
    found = {path.stem: Check(sqlfiles.read(f"tests/{path.name}"), f"tests/{path.name}")
             for path in sorted((sqlfiles.SQL_DIR / "tests").glob("*.sql"))}
    one_row_per_key = sqlfiles.read("tests/generic/one_row_per_key.sql")
    for schema, models in sqlfiles.toml(GRAINS).items():
        for model, key in models.items():
            if key:
                found[f"{model}_one_row_per_key"] = Check(
                    one_row_per_key.format(model=f"{schema}.{model}", key=", ".join(key)), GRAINS,
                    f"{schema}.{model}", tuple(key))
    return found


def run_checks(con: duckdb.DuckDBPyConnection, remaking: incremental.Remaking | None = None) -> dict[str, int]:
    """Run the checks: each returns the rows that are wrong. Returns the checks that found some. `remaking`: a build
    from a copy of the last snapshot; then only the checks that may find other rows than they found then run
    (unchanged.checks_to_run), and the grain of a model made again for the documents changed is checked on those
    documents' rows (incremental.grain_of_documents)."""
    found = checks()
    if remaking is not None:
        failed_then = unchanged.failed_then(con)
        running = unchanged.checks_to_run({name: check.sql for name, check in found.items()}, remaking.changed,
                                          failed_then)
        found = {name: _of_documents(name, check, remaking) if name not in failed_then else check
                 for name, check in found.items() if name in running}
    # One query per check, not their union (one row per check's name): the union cost a 20-client build ~10 ms less
    # CPU, but DuckDB keeps every check's grouping alive until the union is read, +50 MB at 250 x 10 (docs/DECISIONS.md)
    failed = {}
    for name, check in found.items():
        with catalogs.searching(con, list(check.reading)) if check.reading else nullcontext():
            rows = con.execute(f"select count(*) from (\n{check.sql}\n)").fetchone()[0]
        if rows:
            failed[name] = rows
    return failed


def _of_documents(name: str, check: Check, remaking: incremental.Remaking) -> Check:
    """A grain check of a model made again for the documents changed, on those documents' rows when its key holds the
    document (the copy's check found the rest unique: it found no rows, or it would run whole); a check declared of a
    set's documents (sql/incremental/incremental.toml), over views of those documents' rows; else the check."""
    reading = remaking.spec.check_path(name, remaking.work)
    if reading is not None:
        return Check(check.sql, check.source, reading=tuple(reading))
    if check.model is None or check.model not in remaking:
        return check
    sql = remaking.spec.grain_of_documents(check.model, check.key)
    return check if sql is None else Check(sql, check.source, check.model, check.key)


def _store_rules(con: duckdb.DuckDBPyConnection, rule_set: categories.RuleSet) -> None:
    con.execute(sqlfiles.read("settings/category_rules.sql"))
    insert_rows(con, "insert into settings.category_rules values (?, ?, ?, ?)",
                [(r.kind, r.pattern, r.category, r.subcategory) for r in rule_set.rules])
    con.execute(sqlfiles.read("settings/labor_scope_rules.sql"))
    insert_rows(con, "insert into settings.labor_scope_rules values (?, ?, ?, ?)",
                [(r.kind, r.pattern, r.aspect, r.scope) for r in rule_set.scope_rules])
    con.execute(sqlfiles.read("settings/device_kind_rules.sql"))
    insert_rows(con, "insert into settings.device_kind_rules values (?, ?, ?)",
                [(r.kind, r.pattern, r.device_kind) for r in rule_set.device_kind_rules])
    con.execute(sqlfiles.read("settings/agreement_months.sql"))
    insert_rows(con, "insert into settings.agreement_months values (?, ?)", list(rule_set.agreement_months.items()))


def _store_device_organisations(con: duckdb.DuckDBPyConnection, owner: settings.Settings) -> None:
    con.execute(sqlfiles.read("settings/device_organisations.sql"))
    insert_rows(con, "insert into settings.device_organisations values (?, ?)", list(owner.device_organisations.items()))


def _store_build_info(con: duckdb.DuckDBPyConnection, rules_path: Path, lines: int, failed: dict[str, int]) -> None:
    con.execute(sqlfiles.read("build/mart_build_info.sql"))
    realms = [r for (r,) in con.execute("select distinct realm_id from marts.fct_revenue_lines order by 1").fetchall()]
    held = con.execute("select count(*) from marts.mart_held_records").fetchone()[0]
    con.execute(
        "insert into marts.mart_build_info values (?, ?, ?, ?, ?, ?)",
        [datetime.now(timezone.utc).replace(tzinfo=None), rules_path.name, realms, lines, sorted(failed), held],
    )
