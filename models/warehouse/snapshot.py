"""The published snapshot: the built models that the app and reports read, in a file of their own, read only.

A build makes the models in a temporary file and renames it over the old one, so a reader sees
either the old snapshot or the new one, never half a build, and never blocks the writer.
"""
from __future__ import annotations

import threading
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from models.warehouse import catalogs, sqlfiles, stored_macros
from models import files
from models.files import replacing
from models.warehouse.paths import COMMAND
from models.warehouse.work_db import transaction


class SnapshotMissing(FileNotFoundError):
    pass


WRITING = "snapshot_out"  # the new snapshot's catalog on the build's connection


@dataclass(frozen=True)
class Writing:
    catalog: str                    # the new file's catalog on the build's connection
    copied: bool                    # whether it starts as a copy of a snapshot (else empty)


@dataclass
class Started:
    """The temporary file of a new snapshot, attached as WRITING on the build's connection."""
    con: duckdb.DuckDBPyConnection
    temporary: Path
    copied: bool                    # whether it starts as a copy of a snapshot (else empty)

    def empty(self) -> None:
        """The file started again empty: a copy the build may not start from is dropped."""
        if self.copied:
            self.con.execute(f"detach {WRITING}")
            self.temporary.unlink()
            self.con.execute(f"attach {catalogs.literal(str(self.temporary))} as {WRITING}")
            self.copied = False


@contextmanager
def started(con: duckdb.DuckDBPyConnection, target: Path, start_from: Path | None = None,
            usable: Callable[[str], bool] = lambda _: True) -> Iterator[Started]:
    """The temporary file of a new snapshot for `target`, attached as WRITING: a copy of `start_from` when
    `usable(catalog)` says the attached copy may be, else empty. Renamed over `target` when the block succeeds,
    removed when it fails (and detached either way). Apart from `writing` so that a sync can start it while it waits
    on QuickBooks (models/warehouse/build.py, prepare_build): nothing in it depends on the records a sync stores."""
    with replacing(target) as temporary, _removing(Path(f"{temporary}.wal")):
        if start_from is not None:
            files.copy_owner_only(start_from, temporary)
        con.execute(f"attach {catalogs.literal(str(temporary))} as {WRITING}")
        try:
            new = Started(con, temporary, start_from is not None)
            if new.copied and not usable(WRITING):
                new.empty()
            yield new
        finally:
            con.execute(f"detach database if exists {WRITING}")


@contextmanager
def writing(con: duckdb.DuckDBPyConnection, target: Path, schemas: tuple[str, ...], start_from: Path | None = None,
            usable: Callable[[str], bool] = lambda _: True,
            prepare: Callable[[str], None] = lambda _: None,
            begun: AbstractContextManager[Started] | None = None) -> Iterator[Writing]:
    """A new snapshot for `target`, made on the build's connection: yields the catalog of a temporary file,
    attached with `schemas` made in it, to create the models in (and whether it started as a copy). While the block runs, those schemas mean the new
    snapshot's (`marts.x` is the snapshot's `marts.x`) and any other schema the work database's (`staging.x`),
    so the models are built straight into the snapshot and nothing is copied. The file is renamed over the old
    snapshot when the block succeeds; a failure removes it and leaves the old one. The block makes its own
    transactions (one may write to one database: the file, or the work database); no reader sees the file before
    the rename, so several are as safe as one.
    `start_from`: a snapshot the temporary file starts as a copy of (its models' rows are carried over where they
    are not made again), when `usable(catalog)` says the attached copy may be; else the file starts empty.
    `begun`: the file already `started` (then `usable` is not asked again): started again empty unless `start_from`
    is given. `prepare(catalog)` runs once a copy is attached, before the block."""
    work = catalogs.current(con)
    with begun or started(con, target, start_from, usable) as new:
        if start_from is None:  # a copy started ahead, for a build that turned out whole
            new.empty()
        for schema in schemas:
            con.execute(f"create schema if not exists {WRITING}.{schema}")
        if new.copied:
            prepare(WRITING)
        with catalogs.searching(con, [(work, "main"), *((WRITING, schema) for schema in schemas)]):
            yield Writing(WRITING, new.copied)
            with transaction(con):  # the readers' macros, unless the block made them (a compaction copies them)
                stored_macros.store(con, WRITING)
        if new.copied:
            _compacted(con, new.temporary)


# A copy of the last snapshot keeps the space of the rows a build deleted and of the tables it made anew, and DuckDB
# reuses it only for what later builds write: after a 1% change a file of 24 MB live holds 43-47 MB. Past this
# share of dead space the new file is written again compact (DuckDB's way: COPY FROM DATABASE into a fresh file).
DEAD_SHARE = 0.5
_COMPACT = "snapshot_compact"


def dead_share(con: duckdb.DuckDBPyConnection, catalog: str) -> float:
    """The share of an attached database's file that holds nothing (free blocks, once checkpointed)."""
    con.execute(f"checkpoint {catalogs.quoted(catalog)}")
    free, total = con.execute("select free_blocks, total_blocks from pragma_database_size() where database_name = ?",
                              [catalog]).fetchone()
    return free / total if total else 0.0


def _compacted(con: duckdb.DuckDBPyConnection, temporary: Path) -> None:
    """The new file, attached as WRITING, written again compact in its place when dead space passes DEAD_SHARE."""
    if dead_share(con, WRITING) <= DEAD_SHARE:
        return
    with replacing(temporary) as compact, _removing(Path(f"{compact}.wal")):
        con.execute(f"attach {catalogs.literal(str(compact))} as {_COMPACT}")
        try:
            con.execute(f"copy from database {WRITING} to {_COMPACT}")
        finally:
            con.execute(f"detach {_COMPACT}")
        con.execute(f"detach {WRITING}")


@contextmanager
def _removing(log: Path) -> Iterator[None]:
    """DuckDB's log beside a copy that failed (a full disk): removed with the copy, not left for the next build."""
    try:
        yield
    except BaseException:
        log.unlink(missing_ok=True)
        raise


CATALOG = "snapshot"
# A snapshot of an earlier version, or of other macro files, has none of this code's stored macros: its reader makes
# them in the in-memory database's schema, once per connection: its cursors see them there (a temporary macro is
# seen by the connection that made it only), and each cursor sets only the search path.
MACROS = "memory.main"


def open_snapshot(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot as it is now."""
    return _opened(path)[0]


def _opened(path: Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A read-only connection to the snapshot, and the search path each of its cursors sets: the snapshot, then
    the macros (the snapshot's own when they are of this code's macro files, else made here)."""
    if not path.exists():
        raise SnapshotMissing(
            f"no warehouse snapshot at {path}: run `{COMMAND} demo` for the demo company, "
            f"or `{COMMAND} load FILE...` then `{COMMAND} build`"
        )
    # Attached to a private in-memory database rather than opened with duckdb.connect(path):
    # DuckDB reuses an open database for the same path within a process, so a reopened
    # connection would keep showing the snapshot that was renamed away.
    con = duckdb.connect(":memory:")
    con.execute(f"attach {catalogs.literal(str(path))} as {CATALOG} (read_only)")
    macros = stored_macros.found(con, CATALOG)
    search_path = f"set search_path = '{CATALOG}.main,{macros or MACROS}'"
    con.execute(search_path)
    if macros is None:
        sqlfiles.apply_macros(con, schema=MACROS)
    return con, search_path


class SnapshotReader:
    """One read-only connection per process, reopened when a build publishes a new snapshot."""

    def __init__(self, path: Path):
        self.path = path
        self._con: duckdb.DuckDBPyConnection | None = None
        self._search_path = ""
        self._identity: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest snapshot; take one per query (cursors are not shared by threads)."""
        with self._lock:
            identity = self.identity()
            if self._con is None or identity != self._identity:
                # The previous connection is not closed here: another thread may still be reading
                # through a cursor of it. It is released when the last cursor goes.
                self._con, self._search_path = _opened(self.path)
                self._identity = identity
            cursor, search_path = self._con.cursor(), self._search_path
        # a cursor is a connection of its own: the search path is not inherited, the macros' schema is shared
        cursor.execute(search_path)
        return cursor

    def close(self) -> None:
        """Let the snapshot go (its cursors with it), e.g. before the file is opened for writing in this process."""
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con, self._identity = None, None

    def identity(self) -> tuple[int, int] | None:
        """Changes whenever a new snapshot is renamed into place."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns
