"""Full and incremental syncs of one QuickBooks company into the raw store.

Full: every warehouse entity, pages of 1,000 (Policy.page_size) in Id order, as many requests in flight as QuickBooks
allows; each page is stored as it arrives (memory stays flat), and stored records the pass did not see
are marked deleted. Incremental: change data capture since the cursor (split per entity when a
response is full; an entity still full gets a full pass), TimeActivity by LastUpdatedTime. Every
write and the cursor it moves commit together, so a run killed at any moment and started again ends
with the warehouse an uninterrupted run would have produced.
"""
from __future__ import annotations

import logging
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable

import duckdb
import pyarrow as pa

from models import entities as catalog
from ingest import writer
from ingest.qbo import ConnectorError
from ingest.qbo.client import Connection
from ingest.records import Located, extract, locate
from models import sqlfiles

log = logging.getLogger("msp_revenue.qbo")
CDC_LIMIT = 1000
CDC_LOOKBACK = timedelta(days=30)
CURSOR = "_cdc"  # sync_state entity key of the change-data-capture cursor
ENTITIES = [e.name for e in catalog.WAREHOUSE_ENTITIES]
LIST_ENTITIES = {"Customer", "Item", "Account", "Class"}
NOT_IN_CDC = {"TimeActivity"}


@dataclass
class SyncResult:
    realm_id: str
    mode: str
    records: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0
    deleted_months: set = field(default_factory=set)  # months of sales documents deleted in QuickBooks


class Progress:
    """One line per entity: records, pages, rate; redrawn in place on a terminal."""

    def __init__(self, stream=sys.stderr, enabled: bool = True):
        self.stream, self.enabled = stream, enabled
        self.tty = enabled and hasattr(stream, "isatty") and stream.isatty()

    def update(self, entity: str, pages: int, total_pages: int, records: int, started: float, done: bool = False) -> None:
        if not self.enabled or (not self.tty and not done):
            return
        rate = records / max(time.monotonic() - started, 1e-6)
        bar = "#" * int(20 * pages / max(total_pages, 1))
        line = f"  {entity:14s} [{bar:20s}] {pages}/{total_pages} pages  {records:,} records  {rate:,.0f}/s"
        self.stream.write(("\r" if self.tty else "") + line + ("\n" if done or not self.tty else ""))
        self.stream.flush()


def sync(con: duckdb.DuckDBPyConnection, connection: Connection, full: bool = False,
         progress: Progress | None = None, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> SyncResult:
    progress = progress or Progress(enabled=False)
    realm = connection.authorizer.realm_id
    started = time.monotonic()
    cursor = _cursor(con, realm)
    stale = cursor is not None and datetime.fromisoformat(cursor) < now() - CDC_LOOKBACK + timedelta(hours=1)
    if full or cursor is None or stale:
        if stale:
            log.info("the last sync is older than change data capture reaches back (30 days): full sync")
        result = _full(con, connection, realm, progress)
    else:
        result = _incremental(con, connection, realm, cursor, progress)
    result.seconds = time.monotonic() - started
    return result


# -- full --------------------------------------------------------------------------------------------

def _full(con, connection: Connection, realm: str, progress: Progress) -> SyncResult:
    result = SyncResult(realm, "full")
    server_time = _full_passes(con, connection, realm, ENTITIES, result, progress)
    with writer.transaction(con):
        _set_cursor(con, realm, CURSOR, server_time)
    return result


def _full_passes(con, connection: Connection, realm: str, entities: list[str], result: SyncResult,
                 progress: Progress) -> str:
    """Read every page of these entities, all through one pool of requests (so a company of many small
    entities does not wait a round trip per entity), storing pages on this thread as they arrive.
    Returns QuickBooks' time at the start of the earliest pass."""
    size = connection.policy.page_size

    def select(entity: str) -> str:
        return f"SELECT * FROM {entity} WHERE Active IN (true,false)" if entity in LIST_ENTITIES else \
            f"SELECT * FROM {entity}"

    def fetch(entity: str, page: int) -> dict:
        return connection.query(f"{select(entity)} ORDERBY Id STARTPOSITION {page * size + 1} MAXRESULTS {size}")

    with ThreadPoolExecutor(max_workers=connection.policy.concurrent) as pool:
        counts = {entity: pool.submit(connection.query, select(entity).replace("SELECT *", "SELECT COUNT(*)", 1))
                  for entity in entities}
        counts = {entity: future.result() for entity, future in counts.items()}
        pages = {e: max(1, -(-int(c["QueryResponse"].get("totalCount", 0)) // size)) for e, c in counts.items()}
        with writer.transaction(con):
            for entity in entities:
                con.execute("delete from raw.sync_seen where realm_id = ? and entity = ?", [realm, entity])
        tasks = iter([(entity, page) for entity in entities for page in range(pages[entity])])
        remaining, written = dict(pages), dict.fromkeys(entities, 0)
        started = time.monotonic()
        pending: dict[Future, str] = {}

        def submit_next() -> None:
            task = next(tasks, None)
            if task is not None:
                pending[pool.submit(fetch, *task)] = task[0]

        for _ in range(2 * connection.policy.concurrent):  # at most this many pages held: memory stays flat
            submit_next()
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                entity = pending.pop(future)
                written[entity] += _store(con, realm, locate(future.result(), f"QuickBooks {entity} page"), result,
                                          seen_entity=entity)
                result.pages += 1
                remaining[entity] -= 1
                progress.update(entity, pages[entity] - remaining[entity], pages[entity], written[entity], started,
                                done=remaining[entity] == 0)
                if remaining[entity] == 0:
                    _mark_unseen_deleted(con, realm, entity, counts[entity]["time"], result)
                submit_next()
    return min((c["time"] for c in counts.values()), key=datetime.fromisoformat)


def _mark_unseen_deleted(con, realm: str, entity: str, pass_time: str, result: SyncResult) -> None:
    table = catalog.BY_NAME[entity].table
    with writer.transaction(con):
        unseen = [row[0] for row in con.execute(sqlfiles.read("raw/unseen_ids.sql").format(table=table),
                                                {"realm": realm, "entity": entity}).fetchall()]
        if unseen:
            stubs = ({"domain": "QBO", "status": "Deleted", "Id": record_id} for record_id in unseen)
            extracted = extract(Located(entity, stub, f"full sync of {entity}", pass_time) for stub in stubs)
            _note_deleted_months(con, realm, extracted.records, result)
            writer.write(con, realm, extracted.records, f"sync {realm}")
            result.deleted[entity] = result.deleted.get(entity, 0) + len(unseen)
        con.execute("delete from raw.sync_seen where realm_id = ? and entity = ?", [realm, entity])


# -- incremental -------------------------------------------------------------------------------------

def _incremental(con, connection: Connection, realm: str, cursor: str, progress: Progress) -> SyncResult:
    result = SyncResult(realm, "incremental")
    tracked = [e for e in ENTITIES if e not in NOT_IN_CDC]
    started = time.monotonic()
    response = connection.cdc(tracked, cursor)
    responses = [response]
    if _objects(response) >= CDC_LIMIT:
        # a full answer may have left changes out: ask entity by entity
        responses = []
        for entity in tracked:
            single = connection.cdc([entity], cursor)
            if _objects(single) >= CDC_LIMIT:
                log.info("more than %d %s changes since the last sync: full pass of %s", CDC_LIMIT, entity, entity)
                _full_passes(con, connection, realm, [entity], result, progress)
            else:
                responses.append(single)
    changed_time_activities = _time_activities_since(connection, cursor)
    new_cursor = min((r["time"] for r in responses), key=datetime.fromisoformat) if responses else response["time"]
    with writer.transaction(con):
        found = [located for r in responses for located in locate(r, "QuickBooks change data capture")]
        found += [located for page in changed_time_activities for located in locate(page, "QuickBooks TimeActivity")]
        written = _store(con, realm, found, result, in_transaction=True)
        _set_cursor(con, realm, CURSOR, new_cursor)
    progress.update("changes", 1, 1, written, started, done=True)
    return result


def _time_activities_since(connection: Connection, cursor: str) -> list[dict]:
    pages, start, size = [], 1, connection.policy.page_size
    while True:
        page = connection.query(f"SELECT * FROM TimeActivity WHERE MetaData.LastUpdatedTime >= '{cursor}' "
                                f"ORDERBY Id STARTPOSITION {start} MAXRESULTS {size}")
        pages.append(page)
        if len(page["QueryResponse"].get("TimeActivity", [])) < size:
            return pages
        start += size


def _objects(response: dict) -> int:
    return sum(len(v) for block in response.get("CDCResponse", []) for r in block.get("QueryResponse", [])
               for v in r.values() if isinstance(v, list))


# -- storing -----------------------------------------------------------------------------------------

def _store(con, realm: str, found: Iterable[Located], result: SyncResult, seen_entity: str | None = None,
           in_transaction: bool = False) -> int:
    extracted = extract(found)
    if extracted.errors:
        # QuickBooks sent something we cannot store: stop before writing it, say what and where
        raise ConnectorError("QuickBooks sent records that cannot be stored (nothing of this batch was "
                             "written):\n  " + "\n  ".join(extracted.errors[:10]))

    def write() -> None:
        _note_deleted_months(con, realm, extracted.records, result)
        writer.write(con, realm, extracted.records, f"sync {realm}")
        if seen_entity and extracted.records:
            seen = pa.table({"id": pa.array([r.id for r in extracted.records], pa.string())})
            con.register("seen_page", seen)
            try:
                con.execute("insert into raw.sync_seen select ?, ?, id from seen_page", [realm, seen_entity])
            finally:
                con.unregister("seen_page")

    if in_transaction:
        write()
    else:
        with writer.transaction(con):
            write()
    for record in extracted.records:
        counts = result.deleted if record.deleted else result.records
        counts[record.entity] = counts.get(record.entity, 0) + 1
    return len(extracted.records)


def _note_deleted_months(con, realm: str, records, result: SyncResult) -> None:
    """A deleted document leaves its month to tie out again: remember the month before the stub lands."""
    by_entity: dict[str, list[str]] = {}
    for record in records:
        if record.deleted and record.entity in ("Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt"):
            by_entity.setdefault(record.entity, []).append(record.id)
    for entity, ids in by_entity.items():
        query = sqlfiles.read("raw/deleted_months.sql").format(table=catalog.BY_NAME[entity].table)
        result.deleted_months.update(row[0] for row in con.execute(query, {"realm": realm, "ids": ids}).fetchall())


def _cursor(con, realm: str) -> str | None:
    row = con.execute("select cursor from raw.sync_state where realm_id = ? and entity = ?", [realm, CURSOR]).fetchone()
    return row[0] if row else None


def _set_cursor(con, realm: str, key: str, value: str) -> None:
    con.execute("insert or replace into raw.sync_state values (?, ?, ?, ?)",
                [realm, key, value, datetime.now(timezone.utc).replace(tzinfo=None)])
