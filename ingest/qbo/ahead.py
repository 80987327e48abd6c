"""The first requests the next incremental sync will make, kept beside the work database, so that sync can send them
before it imports DuckDB and opens the database (issue 25: ~0.1 s of the everyday sync's start went before a
request whose answer takes a round trip was even written).

The cursors in the work database stay the truth: the file is written after the transaction that moves them
commits, and a sync takes the answers to the requests it sent early only when they are exactly those the cursors
it then reads ask for; otherwise it asks again. So a stale, missing or broken file costs a round trip, never a wrong
answer. It holds the company's realm and QuickBooks' times and entity names, never a token (those stay in
qbo-tokens.json)."""
from __future__ import annotations

import json
import logging
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from models.files import write_atomically

log = logging.getLogger("msp_revenue.qbo")


@dataclass(frozen=True)
class First:
    """An incremental sync's first requests: TimeActivity's first page of changes since `time_activity` and its
    count (none when None: it is read whole), and change data capture of `entities` since `since` (none when
    `entities` is empty: every entity has a cursor of its own)."""
    realm: str
    time_activity: str | None
    entities: tuple[str, ...]
    since: str | None


def path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.next-sync.json")


def read(db: Path, realm: str) -> First | None:
    """The first requests the last sync left for `realm`'s next one; None when there are none for it, or the file
    cannot be read as this module writes it."""
    try:
        kept = json.loads(path(db).read_text(encoding="utf-8"))
        first = First(kept["realm"], kept["time_activity"], tuple(kept["entities"]), kept["since"])
    except (OSError, ValueError, TypeError, KeyError) as err:  # missing, unreadable, not JSON, not its shape
        log.debug("no first requests to send early (%s)", type(err).__name__)
        return None
    if not all(isinstance(value, str | None) for value in (first.realm, first.time_activity, first.since)) \
            or not all(isinstance(entity, str) for entity in first.entities):
        return None
    return first if first.realm == realm else None


def write(db: Path, first: First | None) -> None:
    """Keep `first` for the next sync (None: the next one is a full sync, which sends nothing early). Called once
    the cursors `first` was worked out from are committed, while the work database is still open: no other sync
    writes the file meanwhile. A file that cannot be written leaves the old one, and costs the next sync a round
    trip at most."""
    try:
        if first is None:
            with suppress(FileNotFoundError):
                path(db).unlink()
            return
        # renamed over the old file, not flushed to the disk: a flush here took 2-70 ms on a loaded machine (on a
        # thread during the build, it slowed the build's own writes), and a file a crash leaves empty is read as none
        write_atomically(path(db), json.dumps({"realm": first.realm, "time_activity": first.time_activity,
                                               "entities": list(first.entities), "since": first.since}),
                         durable=False)
    except OSError as err:
        log.warning("the next sync's first requests could not be kept beside the warehouse (%s); it asks for "
                    "them once its work database is open", err)


def forget(db: Path, realm: str) -> None:
    """Remove the first requests kept for `realm`, whose company was disconnected: the file names it and its times,
    and no sync of it will read them. A file kept for another company is left as it is."""
    if read(db, realm) is not None:
        with suppress(FileNotFoundError):
            path(db).unlink()
