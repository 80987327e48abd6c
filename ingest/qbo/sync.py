"""Full and incremental syncs of one QuickBooks company into the raw store.

Full: every warehouse entity, pages of 1,000 (Policy.page_size) in Id order, as many requests in flight as QuickBooks
allows; each page is stored as it arrives (memory stays flat). Each entity's first page is asked for first: one
shorter than a page is the whole entity, read in one request; a fuller one's entity is counted and read in a pass
from its first page again. A delete during a pass shifts the offset
pages after it, so the record that slides into the gap is never read: a pass that read fewer records than
QuickBooks counted at its start (plus those created since) is read again, at most MAX_REPASSES times, and
an entity still changing after that is reported and read whole by the next sync. Stored records the pass
did not see are asked for again by Id (a shift may have hidden them too), and only those QuickBooks no
longer has are marked deleted. Incremental: change data
capture since the cursor (split per entity when a response is full; an entity still full gets a full
pass); TimeActivity, which change data capture does not cover, by LastUpdatedTime, and its stored
count compared with QuickBooks' on every sync: when they differ, a full pass of TimeActivity finds the
deleted ones. An entity QuickBooks refuses (a 400) is reported and keeps its own cursor; the others go
on. Every write and the cursor it moves commit together, so a run killed at any moment and started
again ends with the warehouse an uninterrupted run would have produced.

The cursor is QuickBooks' own time, never this machine's (which may be hours or days apart): the earliest
"time" QuickBooks answered the sync with, so edits that land while a sync runs are read by the next one.
QuickBooks' clock also judges the cursor: one its clock has not reached yet, or one more than 30 days
behind it, means a full sync.
"""
from __future__ import annotations

import logging
import sys
import time
from collections import deque
from contextlib import ExitStack
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, TYPE_CHECKING

from models.warehouse import entities as catalog
from ingest import writer
from models.warehouse.work_db import transaction
from ingest.qbo.ahead import First
from ingest.qbo.errors import ConnectorError
from ingest.qbo.client import Connection, QueryRefused, answered_at
from ingest.records import Located, extract, locate
from models.warehouse import sqlfiles

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("msp_revenue.qbo")
CDC_LIMIT = 1000
CDC_LOOKBACK = timedelta(days=30)
CURSOR = "_cdc"  # sync_state entity key of the change-data-capture cursor
ENTITIES = [e.name for e in catalog.WAREHOUSE_ENTITIES]
LIST_ENTITIES = {"Customer", "Item", "Account", "Class", "Employee", "Vendor"}
# A full pass's pages are committed this many at a time: each commit writes and syncs the log (~5 ms of CPU and more
# of the disk's time at 250 x 10's 107 pages), and committing less often loses nothing a page a commit kept, as a
# full sync that stops starts again from its first page (its cursor is written last)
PAGES_A_COMMIT = 8
# Change data capture does not cover TimeActivity (Intuit's CDC page); CompanyInfo is no transaction
# or list entity CDC is documented for, so only full syncs (at least every 30 days) read it.
# RecurringTransaction is read by change data capture like the transactions: Intuit's CDC page and its
# ChangeDataCapture reference exclude only JournalCode, TaxAgency, TimeActivity, TaxCode and TaxRate. Neither
# shows its deleted stub; its delete operation answers {"status": "Deleted", "Invoice": {"Id": ...}}, and a
# bare stub as other entities' is read too (models.warehouse.entities.wrapped). Should QuickBooks refuse it
# there, _changes finds it alone refused, the others go on, and it is read whole by the next sync.
NOT_IN_CDC = {"TimeActivity", "CompanyInfo"}
ID_QUERY_CHARS = 3000  # Intuit documents no query length limit: Id lists are kept well inside any plausible one
# A pass QuickBooks changed under (a delete shifts the offset pages) is read again at most this often; an
# entity that keeps changing is then left, reported, for the next sync to read whole.
MAX_REPASSES = 2


@dataclass
class SyncResult:
    realm_id: str
    mode: str
    records: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    seconds: float = 0.0
    # per basis, months of the stored versions this sync's records replaced with another posting (a document or
    # payment moved to another month, re-applied, edited or deleted): they tie out again as well as the new ones'
    replaced_months: dict[str, set] = field(default_factory=lambda: {"accrual": set(), "cash": set()})
    # (entity, Id) of the records stored whose posting (raw/posting_changes.sql) was found other than the stored
    # version's, and of those found the same: a record stored twice in one sync that changed once has changed
    postings_changed: set = field(default_factory=set)
    postings_same: set = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)  # entity -> why QuickBooks refused it (kept its cursor)
    held: int = 0  # records received that the models cannot read, held back in raw.quarantine

    @property
    def postings_unchanged(self) -> set:
        """(entity, Id) of the records this sync stored whose posting is the stored version's: no month of
        QuickBooks' ProfitAndLoss moves for them."""
        return self.postings_same - self.postings_changed

    def refused(self, entity: str, err: QueryRefused | str) -> None:
        if entity not in self.failed:
            log.warning("%s not synced: %s; the other entities go on", entity, err)
            self.failed[entity] = str(err)


@dataclass
class _Pass:
    """One reading of an entity's offset pages, and what tells whether a delete shifted a record out of them.

    Records created during the pass are new Ids; a delete is the only change that moves a record QuickBooks
    counted at the start to a position a page already read, so the pass read everything that was there iff
    it read `count` records plus the ones created since `started` (their MetaData.CreateTime). Counts alone
    cannot tell: one delete and one skipped record leave the count and the records read equal."""
    number: int                     # 1 for the first pass, 2 for the first re-pass, ...
    count: int                      # QuickBooks' COUNT(*) at the start
    started: datetime | None        # QuickBooks' time on that count (None: an old answer's shape)
    ids: set[str] = field(default_factory=set)
    created: int = 0                # records read that were created after `started`

    def read(self, records: list[dict]) -> None:
        for record in records:
            record_id = str(record.get("Id"))
            if record_id in self.ids:
                continue  # a record read twice (pages overlapped): count it once
            self.ids.add(record_id)
            self.created += self._new(record)

    def _new(self, record: dict) -> bool:
        stamp = (record.get("MetaData") or {}).get("CreateTime")
        if self.started is None or not isinstance(stamp, str):
            return False  # unknown: counted as old, so a create can only cause a re-pass, never hide a skip
        try:
            return datetime.fromisoformat(stamp) >= self.started
        except (ValueError, TypeError):  # not a date-time, or one without an offset: unknown, as above
            return False

    def same_as(self, other: _Pass | None) -> bool:
        """Whether this pass and the one before read the same Ids under the same count, nothing created: a
        delete between them would have lowered the count or taken a record the first read from the second."""
        return other is not None and (self.count, self.ids, self.created) == (other.count, other.ids, 0)

    def missed(self) -> int:
        """How many records that were there at the start the pass did not read (0: it read them all);
        negative when it read more old records than counted (a count taken mid-change): also read again."""
        return self.count + self.created - len(self.ids)


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


class OutOfReach(Exception):
    """The shared cursor is one change data capture cannot be trusted from, by QuickBooks' clock."""


def _nothing() -> None:
    """Nothing to do while the first answers are awaited (a caller with no work, or one whose work already ran)."""


def sync(con: duckdb.DuckDBPyConnection, connection: Connection, full: bool = False,
         progress: Progress | None = None,
         settled: Callable[[duckdb.DuckDBPyConnection, SyncResult], None] = lambda *_: None,
         waiting: Callable[[], None] = _nothing, early: Sent | None = None) -> SyncResult:
    """`settled(con, result)` runs in the transaction that moves the cursor, once every record is stored: what it
    writes lands with the cursor or not at all (the months the sync owes the tie-out, ingest/qbo/run.py).
    `waiting()` runs once, on this thread, while the sync's first requests are in flight (an incremental sync's
    changes, a full sync's counts), once they are written: work of the caller's that needs no answer (the build's
    imports), done while the answers are awaited. `early`: an incremental sync's first requests, sent before the
    work database was open (ingest/qbo/ahead.py); their answers are read only if they are the requests the cursors
    ask for, else they are asked for again."""
    progress = progress or Progress(enabled=False)
    realm = connection.authorizer.realm_id
    started = time.monotonic()
    cursor, cursors = _read_cursors(con, realm)
    result = None
    if not full and cursor is not None:
        try:
            result = _incremental(con, connection, realm, cursor, cursors, progress, settled, waiting, early)
        except OutOfReach as why:
            log.info("%s: full sync", why)
        waiting = _nothing  # it ran while the incremental sync's first requests were in flight
    if result is None:
        result = _full(con, connection, realm, cursors, progress, settled, waiting)
    result.seconds = time.monotonic() - started
    return result


def _out_of_reach(since: str, answered: str | None) -> str | None:
    """Why change data capture since `since` cannot be trusted, judged by QuickBooks' clock when it answered:
    a cursor that clock has not reached yet (taken from a clock that ran fast) would skip the edits stamped
    before it, and one more than 30 days behind it (less an hour of margin) is beyond what change data
    capture reaches back to. None when QuickBooks sent no time: there is nothing to judge by."""
    if answered is None:
        return None
    sent, at = datetime.fromisoformat(qbo_time(since)), datetime.fromisoformat(answered)
    if sent > at:
        return f"the cursor {qbo_time(since)} is ahead of QuickBooks' clock ({answered})"
    if sent < at - CDC_LOOKBACK + timedelta(hours=1):
        return "the last sync is older than change data capture reaches back (30 days, by QuickBooks' clock)"
    return None


def qbo_time(moment: str) -> str:
    """A cursor as QuickBooks' peers send it: whole seconds and a ±HH:MM offset (2026-11-22T10:15:30-08:00).
    Milliseconds are dropped, never rounded up: asking from a little earlier only reads a record again."""
    parsed = datetime.fromisoformat(moment)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).isoformat(timespec="seconds")


# -- full --------------------------------------------------------------------------------------------

def _full(con, connection: Connection, realm: str, cursors: dict[str, str], progress: Progress,
          settled: Callable, waiting: Callable[[], None]) -> SyncResult:
    """`cursors`: each entity's cursor before this sync; an entity QuickBooks refuses keeps it."""
    result = SyncResult(realm, "full")
    times: list[str | None] = []
    _full_passes(con, connection, realm, ENTITIES, result, progress, times, waiting)
    with transaction(con):
        _move_cursor(con, realm, times)
        _entity_cursors(con, realm, cursors, result)
        settled(con, result)
    return result


def _full_passes(con, connection: Connection, realm: str, entities: list[str], result: SyncResult,
                 progress: Progress, times: list[str | None], waiting: Callable[[], None] = _nothing) -> None:
    """Read every page of these entities, all through one pool of requests (so a company of many small
    entities does not wait a round trip per entity), storing pages on this thread as they arrive. Each entity's
    first page is asked for first, not its count: one shorter than a page is the entity whole as of that answer
    (one answer cannot shift under a delete), read in one request. An entity whose first page is full is
    counted and read in a pass from its first page again (see _Pass; the early page is not stored, as it came
    before the count the pass is checked against). A pass a delete shifted is read again. QuickBooks' time on
    the answer that starts each pass (the whole first page, or the count) goes to `times`; `waiting()` runs
    while the first pages are in flight."""
    size = connection.policy.page_size

    def select(entity: str) -> str:
        return f"SELECT * FROM {entity} WHERE Active IN (true,false)" if entity in LIST_ENTITIES else \
            f"SELECT * FROM {entity}"

    def count_of(entity: str) -> dict:
        return connection.query(select(entity).replace("SELECT *", "SELECT COUNT(*)", 1))

    def fetch(entity: str, page: int) -> dict:
        return connection.query(f"{select(entity)} ORDERBY Id STARTPOSITION {page * size + 1} MAXRESULTS {size}")

    with ThreadPoolExecutor(max_workers=connection.policy.concurrent) as pool:
        before = connection.limiter.settled
        # what each answer is: an entity's first page ("first"), its count ("count"), a page of its pass ("page")
        pending: dict[Future, tuple[str, str]] = {pool.submit(fetch, e, 0): (e, "first") for e in entities}
        _while_answered(connection, list(pending), before, waiting)
        with transaction(con):  # what a killed sync left; an entity refused below reads it anew next time
            for entity in entities:
                con.execute("delete from raw.sync_seen where realm_id = ? and entity = ?", [realm, entity])
        passes: dict[str, _Pass] = {}
        began: dict[str, str | None] = {}  # entity -> QuickBooks' time at the start of its first pass
        pages: dict[str, int] = {}
        remaining: dict[str, int] = {}
        written = dict.fromkeys(entities, 0)
        tasks: deque[tuple[str, int]] = deque()
        started = time.monotonic()

        def fill() -> None:
            while tasks and len(pending) < 2 * connection.policy.concurrent:  # at most this many pages held
                entity, page = tasks.popleft()
                if entity not in result.failed:
                    pending[pool.submit(fetch, entity, page)] = (entity, "page")

        def first_page(entity: str, page: dict) -> bool:
            """Whether the entity's first page is the entity whole (then its pass is that page); else it is
            counted, and its pass queued once the count is in."""
            records = page.get("QueryResponse", {}).get(entity, [])
            if len(records) >= size:
                pending[pool.submit(count_of, entity)] = (entity, "count")
                return False
            began[entity] = answered_at(page)
            times.append(began[entity])
            # nothing can be skipped within one answer: the pass is whole whatever its records' CreateTime
            passes[entity] = _Pass(1, len({str(catalog.wrapped(catalog.BY_NAME[entity], r)[1].get("Id"))
                                           for r in records}), None)
            pages[entity] = remaining[entity] = 1
            return True

        def counted(entity: str, answer: dict) -> None:
            began[entity] = answered_at(answer)
            times.append(began[entity])
            passes[entity] = _new_pass(1, answer)
            pages[entity] = remaining[entity] = _pages(passes[entity].count, size)
            tasks.extend((entity, page) for page in range(pages[entity]))

        previous: dict[str, _Pass] = {}  # entity -> its previous pass

        def again(entity: str, missed: int) -> None:
            """Count the entity anew and queue its pages for another pass."""
            previous[entity] = passes[entity]
            number = passes[entity].number + 1
            log.info("%s: the pass missed %d record(s) a delete in QuickBooks shifted out of its pages; "
                     "reading %s again (pass %d)", entity, missed, entity, number)
            counted = count_of(entity)
            times.append(answered_at(counted))
            passes[entity] = _new_pass(number, counted)
            pages[entity] = remaining[entity] = _pages(passes[entity].count, size)
            tasks.extend((entity, page) for page in range(pages[entity]))

        def finished_pass(entity: str) -> None:
            missed = passes[entity].missed()
            if missed and passes[entity].same_as(previous.get(entity)):
                # nothing was deleted or created between two passes that read the same records: it is
                # QuickBooks' count that differs from its pages, not a skip
                log.info("%s: QuickBooks counts %d, two passes read the same %d records: read whole", entity,
                         passes[entity].count, len(passes[entity].ids))
                missed = 0
            if missed and passes[entity].number > MAX_REPASSES:
                result.refused(entity, _still_changing(entity, passes[entity].number))
            elif missed:
                again(entity, missed)
            else:
                _confirm_unseen(con, connection, realm, entity, select(entity), began[entity], result)

        with _Commits(con, PAGES_A_COMMIT) as commits:
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    entity, kind = pending.pop(future)
                    try:
                        page = future.result()
                    except QueryRefused as err:
                        result.refused(entity, err)
                    if entity in result.failed:  # what it stored stays; nothing is marked deleted
                        continue
                    if kind == "count":
                        counted(entity, page)
                        continue
                    if kind == "first" and not first_page(entity, page):
                        continue
                    commits.open()
                    written[entity] += _store(con, realm, locate(page, f"QuickBooks {entity} page"), result,
                                              seen_entity=entity, in_transaction=True)
                    commits.stored()
                    passes[entity].read([catalog.wrapped(catalog.BY_NAME[entity], record)[1]
                                         for record in page.get("QueryResponse", {}).get(entity, [])])
                    result.pages += 1
                    remaining[entity] -= 1
                    progress.update(entity, pages[entity] - remaining[entity], pages[entity], written[entity],
                                    started, done=remaining[entity] == 0)
                    if remaining[entity] == 0:
                        commits.close()  # the pass's pages stored before it is checked and its unseen records asked for
                        try:
                            finished_pass(entity)
                        except QueryRefused as err:
                            result.refused(entity, err)
                fill()


class _Commits:
    """One transaction for several pages: `open()` before storing a page (begins one if none is open), `stored()`
    after (commits every `every` pages), `close()` commits the open one; leaving the `with` commits it, or rolls it
    back on an error."""

    def __init__(self, con, every: int) -> None:
        self._con, self._every, self._pages, self._open = con, every, 0, ExitStack()

    def __enter__(self) -> _Commits:
        return self

    def __exit__(self, *error) -> bool:
        return self._open.__exit__(*error)

    def open(self) -> None:
        if not self._pages:
            self._open.enter_context(transaction(self._con))

    def stored(self) -> None:
        self._pages += 1
        if self._pages >= self._every:
            self.close()

    def close(self) -> None:
        self._open.close()
        self._pages = 0


def _new_pass(number: int, counted: dict) -> _Pass:
    answered = answered_at(counted)
    return _Pass(number, int(counted["QueryResponse"].get("totalCount", 0)),
                 datetime.fromisoformat(answered) if answered else None)


def _pages(count: int, size: int) -> int:
    return max(1, -(-count // size))


def _still_changing(entity: str, passes: int) -> str:
    return (f"{entity} changed in QuickBooks while it was read, {passes} passes in a row (a record deleted during "
            "a pass shifts the pages after it, so another may have been skipped); what was read is stored and "
            f"nothing is marked deleted. Run the sync again when fewer changes are being made: it reads {entity} "
            "whole again")


def _confirm_unseen(con, connection: Connection, realm: str, entity: str, select: str, pass_time: str | None,
                    result: SyncResult) -> None:
    """Ask QuickBooks again for the stored records the pass did not see: those it still has are stored
    (a delete elsewhere shifted them between pages), only the rest are marked deleted, dated with
    QuickBooks' time at the start of the pass — without one (an old answer's shape) a delete cannot be
    ordered against the versions stored, so none is marked: a later full sync finds them."""
    table = catalog.BY_NAME[entity].table
    unseen = [row[0] for row in con.execute(sqlfiles.read("raw/unseen_ids.sql").format(table=table),
                                            {"realm": realm, "entity": entity}).fetchall()]
    found = [located for page in _by_ids(connection, select, unseen)
             for located in locate(page, f"QuickBooks {entity} by Id")]
    still_there = {str(catalog.wrapped(catalog.BY_NAME[entity], located.record)[1].get("Id")) for located in found}
    gone = [record_id for record_id in unseen if record_id not in still_there]
    with transaction(con):
        _store(con, realm, found, result, in_transaction=True)
        if gone and pass_time:
            stubs = ({"domain": "QBO", "status": "Deleted", "Id": record_id} for record_id in gone)
            extracted = extract(Located(entity, stub, f"full sync of {entity}", pass_time) for stub in stubs)
            _note_posting_changes(con, realm, extracted.records, result, compare=False)
            writer.write(con, realm, extracted.records, f"sync {realm}")
            result.deleted[entity] = result.deleted.get(entity, 0) + len(gone)
        con.execute("delete from raw.sync_seen where realm_id = ? and entity = ?", [realm, entity])


def _by_ids(connection: Connection, select: str, ids: list[str]) -> list[dict]:
    """The records of these Ids QuickBooks has, asked for in lists short enough for one query each."""
    pages, chunk = [], []
    for record_id in ids:
        chunk.append("'" + record_id.replace("'", "") + "'")
        if len(chunk) == 1000 or sum(len(c) + 1 for c in chunk) > ID_QUERY_CHARS:
            pages.append(_ids_query(connection, select, chunk))
            chunk = []
    if chunk:
        pages.append(_ids_query(connection, select, chunk))
    return pages


def _ids_query(connection: Connection, select: str, quoted: list[str]) -> dict:
    joiner = " AND " if " WHERE " in select else " WHERE "
    return connection.query(f"{select}{joiner}Id IN ({','.join(quoted)}) MAXRESULTS 1000")


# -- incremental -------------------------------------------------------------------------------------

def _incremental(con, connection: Connection, realm: str, shared: str, cursors: dict[str, str],
                 progress: Progress, settled: Callable, waiting: Callable[[], None],
                 early: Sent | None = None) -> SyncResult:
    """`shared`: the shared cursor; `cursors`: each entity's (its own after QuickBooks refused it, "" when
    no sync has read it whole yet). Raises OutOfReach, before writing anything, when QuickBooks' clock shows
    the shared cursor cannot be trusted. `early`: first requests already sent, taken when they are these."""
    result = SyncResult(realm, "incremental")
    started = time.monotonic()
    behind, groups = _groups(cursors)
    first = _first(realm, shared, cursors)
    times: list[str | None] = []
    responses = []
    changed_time_activities: list[dict] = []
    # TimeActivity's first page of changes and its count depend on nothing change data capture answers: asked for
    # beside it, and only read once the shared cursor is known to be trusted (nothing is written before; a cursor
    # out of reach wastes these two requests, no more)
    if early is not None and early.first != first:
        log.info("the first requests sent early are not those of the cursors stored (they moved since the file was "
                 "written): asked for again")
    sent = early if early is not None and early.first == first else send_first(connection, first)
    _while_answered(connection, sent.asked, sent.settled, waiting)
    for since in sorted(groups, key=lambda since: since != shared):  # the shared cursor's answer first
        responses += _changes(con, connection, realm, groups[since], since, since == shared, result, progress,
                              times, sent.changes if since == shared else None)
    if behind:
        log.info("not read whole since QuickBooks refused them: full pass of %s", ", ".join(behind))
        _full_passes(con, connection, realm, behind, result, progress, times)
    if sent.time_activities is not None:
        try:
            changed_time_activities = _time_activities_since(connection, cursors["TimeActivity"],
                                                             sent.time_activities.result())
        except QueryRefused as err:
            result.refused("TimeActivity", err)
    times += [answered_at(page) for page in changed_time_activities[:1]]
    with transaction(con):
        found = [located for r in responses for located in locate(r, "QuickBooks change data capture")]
        found += [located for page in changed_time_activities for located in locate(page, "QuickBooks TimeActivity")]
        written = _store(con, realm, found, result, in_transaction=True, compare_postings=True)
        _move_cursor(con, realm, times)
        _entity_cursors(con, realm, cursors, result)
        settled(con, result)
    progress.update("changes", 1, 1, written, started, done=True)
    if sent.counted is not None and "TimeActivity" not in result.failed:
        _reconcile_time_activities(con, connection, realm, sent.counted, result, progress)
    return result


@dataclass
class Sent:
    """An incremental sync's first requests (`first`), in flight; `settled`: the requests the limiter had settled
    before they were let go (see _while_answered)."""
    first: First
    settled: int
    time_activities: Future | None  # TimeActivity's first page of changes
    counted: Future | None          # TimeActivity's count
    changes: Future | None          # change data capture since the shared cursor

    @property
    def asked(self) -> list[Future]:
        return [f for f in (self.time_activities, self.counted, self.changes) if f is not None]


def send_first(connection: Connection, first: First) -> Sent:
    """`first`'s requests let go, each on a thread of its own that ends with it, in the order an incremental sync
    has always sent them (TimeActivity's page and count, then change data capture)."""
    pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="first")
    before, page, counted, changes = connection.limiter.settled, None, None, None
    if first.time_activity is not None:
        page = pool.submit(_time_activity_page, connection, first.time_activity, 1)
        counted = pool.submit(_time_activity_count, connection)
    if first.entities:
        changes = pool.submit(connection.cdc, list(first.entities), first.since)
    pool.shutdown(wait=False)
    return Sent(first, before, page, counted, changes)


def next_requests(con, realm: str) -> First | None:
    """The first requests the next incremental sync of `realm` will make, from the cursors stored (None: the next
    sync is a full one)."""
    cursor, cursors = _read_cursors(con, realm)
    return None if cursor is None else _first(realm, cursor, cursors)


def _first(realm: str, shared: str, cursors: dict[str, str]) -> First:
    behind, groups = _groups(cursors)
    return First(realm, None if "TimeActivity" in behind else cursors["TimeActivity"],
                 tuple(groups.get(shared, ())), qbo_time(shared) if shared in groups else None)


def _groups(cursors: dict[str, str]) -> tuple[list[str], dict[str, list[str]]]:
    """The entities no sync has read whole yet, and the others change data capture covers, by cursor."""
    behind = [e for e in ENTITIES if not cursors[e]]
    groups: dict[str, list[str]] = {}
    for entity in ENTITIES:
        if entity not in behind and entity not in NOT_IN_CDC:
            groups.setdefault(cursors[entity], []).append(entity)
    return behind, groups


def _while_answered(connection: Connection, asked: list[Future], before: int, waiting: Callable[[], None]) -> None:
    """`waiting()` on this thread once the requests `asked` are written (the limiter had settled `before` requests
    until then), or one of them is over: this thread's work would otherwise hold up the threads writing them."""
    written(connection, asked, before)
    waiting()


def written(connection: Connection, asked: list[Future], before: int) -> None:
    """Until the requests `asked` are written whole or ended unwritten (the limiter had settled `before` requests
    until they were let go), or one of them is over."""
    for future in asked:
        future.add_done_callback(lambda _: connection.limiter.nudge())
    connection.limiter.wait_settled(before + len(asked), unless=lambda: any(future.done() for future in asked))


def _changes(con, connection: Connection, realm: str, entities: list[str], since: str, shared: bool,
             result: SyncResult, progress: Progress, times: list[str | None],
             asked: Future | None = None) -> list[dict]:
    """Change data capture of these entities since `since`, entity by entity when the answer is full (it
    may have left changes out) or refused (to find the entity QuickBooks refuses); an entity still full
    gets a full pass. QuickBooks' time on each answer, refusals too, goes to `times`. A `since` that time
    shows cannot be trusted raises OutOfReach when it is the `shared` cursor, else gets a full pass. `asked`: the
    first request, already sent."""
    try:
        response, refusal = (asked.result() if asked else connection.cdc(entities, qbo_time(since))), None
    except QueryRefused as err:
        response, refusal = None, err
    answered = refusal.time if refusal is not None else answered_at(response)
    times.append(answered)
    why = _out_of_reach(since, answered)
    if why and shared:
        raise OutOfReach(why)
    full = response is not None and _objects(response) >= CDC_LIMIT
    if why or (full and len(entities) == 1):
        log.info("%s: full pass of %s", why or f"more than {CDC_LIMIT} changes since the last sync", ", ".join(entities))
        _full_passes(con, connection, realm, entities, result, progress, times)
        return []
    if refusal is not None and len(entities) == 1:
        result.refused(entities[0], refusal)
        return []
    if response is not None and not full:
        return [response]
    return [r for e in entities for r in _changes(con, connection, realm, [e], since, shared, result, progress, times)]


def _time_activity_page(connection: Connection, cursor: str, start: int) -> dict:
    return connection.query(f"SELECT * FROM TimeActivity WHERE MetaData.LastUpdatedTime >= '{qbo_time(cursor)}' "
                            f"ORDERBY Id STARTPOSITION {start} MAXRESULTS {connection.policy.page_size}")


def _time_activities_since(connection: Connection, cursor: str, first: dict) -> list[dict]:
    """Every page of the time activities changed since `cursor`, `first` (the first page) included."""
    pages, size = [first], connection.policy.page_size
    while len(pages[-1]["QueryResponse"].get("TimeActivity", [])) >= size:
        pages.append(_time_activity_page(connection, cursor, len(pages) * size + 1))
    return pages


def _time_activity_count(connection: Connection) -> int:
    return int(connection.query("SELECT COUNT(*) FROM TimeActivity")["QueryResponse"].get("totalCount", 0))


def _reconcile_time_activities(con, connection: Connection, realm: str, count: Future, result: SyncResult,
                               progress: Progress) -> None:
    """Change data capture never reports a deleted TimeActivity: when QuickBooks counts (`count`, asked for
    beside the changes) other than what is stored, read TimeActivity whole (unseen ones are confirmed by Id
    before they are marked deleted). The count comes from beside the changes, not after they are stored: a
    time activity created or deleted between the two answers is found by this sync or the next, as before."""
    try:
        counted = count.result()
        stored = con.execute("select count(*) from raw.time_activities where realm_id = ? and not deleted",
                             [realm]).fetchone()[0]
        if counted != stored:
            log.info("QuickBooks has %d time activities, %d are stored: full pass of TimeActivity", counted, stored)
            # the cursor is committed already, from earlier answers: this pass's times would only be later
            _full_passes(con, connection, realm, ["TimeActivity"], result, progress, [])
    except QueryRefused as err:
        result.refused("TimeActivity", err)


def _objects(response: dict) -> int:
    return sum(len(v) for block in response.get("CDCResponse", []) for r in block.get("QueryResponse", [])
               for v in r.values() if isinstance(v, list))


# -- storing -----------------------------------------------------------------------------------------

def _store(con, realm: str, found: Iterable[Located], result: SyncResult, seen_entity: str | None = None,
           in_transaction: bool = False, compare_postings: bool = False) -> int:
    """Store what QuickBooks sent (held back what the models cannot read); `compare_postings`: note which records'
    postings are unchanged (change data capture's records; a full pass's are every month's, asked for anyway)."""
    extracted = extract(found)
    held = {h.reason for h in extracted.held}
    unheld = [error for error in extracted.errors if error not in held]
    if unheld:
        # something with no entity or Id to hold it by: stop before writing, say what and where
        raise ConnectorError("QuickBooks sent records that cannot be stored (nothing of this batch was "
                             "written):\n  " + "\n  ".join(unheld[:10]))

    def write() -> None:
        _note_posting_changes(con, realm, extracted.records, result, compare_postings)
        writer.write(con, realm, extracted.records, f"sync {realm}")
        # held back, not gone: a full sync must not take a held record for a deleted one
        result.held += writer.hold(con, realm, extracted.held)
        seen_ids = [r.id for r in extracted.records] + [h.id for h in extracted.held]
        if seen_entity and seen_ids:
            con.execute(sqlfiles.read("raw/store_seen.sql"), {"realm": realm, "entity": seen_entity, "ids": seen_ids})

    if in_transaction:
        write()
    else:
        with transaction(con):
            write()
    for record in extracted.records:
        counts = result.deleted if record.deleted else result.records
        counts[record.entity] = counts.get(record.entity, 0) + 1
    return len(extracted.records)


# The entities whose postings QuickBooks' ProfitAndLoss reads, and the bases of it tied out against them: income on
# both (raw/months_touched.sql), payments on a cash basis (raw/cash_months_touched.sql), costs on the accrual one
# (raw/cost_months_touched.sql; the cost tie-out is accrual only)
_TIED_OUT = {**dict.fromkeys(("Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt", "JournalEntry", "Deposit"),
                             ("accrual", "cash")),
             "Payment": ("cash",), **dict.fromkeys(("Bill", "Purchase", "VendorCredit"), ("accrual",))}


def _note_posting_changes(con, realm: str, records, result: SyncResult, compare: bool) -> None:
    """Before the records land, compare each one's posting with the stored version's (raw/posting_changes.sql;
    `compare` false: every record has changed):
    one whose posting changed leaves the month its stored version was in to tie out again (a date moved, a
    deletion) — and, a payment, the months of the invoices it was applied to (cash basis); one whose posting is
    the same is noted, so the months touched leave it out. The new version's month is months_touched's."""
    by_entity: dict[str, list] = {}
    for record in records:
        if record.entity in _TIED_OUT:
            by_entity.setdefault(record.entity, []).append(record)
    for entity, batch in by_entity.items():
        query = sqlfiles.read("raw/posting_changes.sql").format(table=catalog.BY_NAME[entity].table)
        # a full pass compares nothing: its payloads, ~1 MB a page, are not handed over to be left unread
        payloads = [r.payload for r in batch] if compare else [None] * len(batch)
        rows = con.execute(query, {"realm": realm, "ids": [r.id for r in batch], "payloads": payloads,
                                   "deleted": [r.deleted for r in batch], "compare": compare}).fetchall()
        changed = {record_id for record_id, moved, _, _ in rows if moved}
        result.postings_changed.update((entity, record_id) for record_id in changed)
        result.postings_same.update((entity, record_id) for record_id, moved, _, _ in rows if not moved)
        replaced = {month for _, moved, month, _ in rows if moved and month is not None}
        for basis in _TIED_OUT[entity]:
            result.replaced_months[basis].update(replaced)
        # only a live stored version was applied to anything: a day's new payments replace none, and the invoices'
        # scan (~8 ms at 250 x 10, whatever it finds) is not made for them
        applied_before = sorted(record_id for record_id, moved, _, live in rows if moved and live)
        if entity == "Payment" and applied_before:
            result.replaced_months["cash"].update(row[0] for row in con.execute(
                sqlfiles.read("raw/replaced_applied_months.sql"), {"realm": realm, "ids": applied_before}).fetchall())


def _read_cursors(con, realm: str) -> tuple[str | None, dict[str, str]]:
    """The shared cursor (None: no sync has read the company whole yet) and each entity's cursor."""
    cursors = _cursors(con, realm)
    cursor = cursors.pop(CURSOR, None)
    return cursor, {e: cursors.get(e, cursor or "") for e in ENTITIES}


def _cursors(con, realm: str) -> dict[str, str]:
    """The shared cursor (CURSOR) and the own cursors of entities QuickBooks refused ("" = never read whole)."""
    return dict(con.execute("select entity, cursor from raw.sync_state where realm_id = ?", [realm]).fetchall())


def _entity_cursors(con, realm: str, cursors: dict[str, str], result: SyncResult) -> None:
    """A refused entity keeps the cursor it had; the others follow the shared one again."""
    following = [entity for entity in ENTITIES if entity not in result.failed]
    # one statement for them all (a delete per entity was ~4 ms of every sync)
    con.execute("delete from raw.sync_state where realm_id = ? and list_contains(?, entity)", [realm, following])
    for entity in ENTITIES:
        if entity in result.failed:
            _set_cursor(con, realm, entity, cursors.get(entity, ""))


def _move_cursor(con, realm: str, times: list[str | None]) -> None:
    """The shared cursor moves to the earliest time QuickBooks answered this sync with, never a later one:
    an edit that lands while the sync runs is stamped after it, so the next sync reads it. It stays where
    it was when QuickBooks refused every entity (no times), or when an answer came without its time (some
    old recorded shapes): reading the same changes again is safe, skipping some is not."""
    if times and None not in times:
        _set_cursor(con, realm, CURSOR, min(times, key=datetime.fromisoformat))


def _set_cursor(con, realm: str, key: str, value: str) -> None:
    # updated_at: when the sync finished by this machine's clock, shown to the owner; never a cursor
    con.execute("insert or replace into raw.sync_state values (?, ?, ?, ?)",
                [realm, key, value, datetime.now(timezone.utc).replace(tzinfo=None)])
