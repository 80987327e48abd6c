"""The one writer every connector uses: upserts raw records into the raw store."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, TYPE_CHECKING

from models.warehouse import entities
from ingest.records import Held, RawRecord
from models.warehouse import sqlfiles

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class WriteCounts:
    received: int
    inserted: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.received - self.inserted - self.updated


def write(
    con: duckdb.DuckDBPyConnection, realm_id: str, records: Iterable[RawRecord], source: str
) -> dict[str, WriteCounts]:
    """Upsert records (any mix of entities) for one realm, noting those stored for the next build to parse (raw.unparsed);
    call inside `transaction`."""
    return write_batches(con, realm_id, [records], source)


def write_batches(
    con: duckdb.DuckDBPyConnection, realm_id: str, batches: Iterable[Iterable[RawRecord]], source: str
) -> dict[str, WriteCounts]:
    """Upsert one source's records a batch at a time (call inside `transaction`), logging one load per entity.
    Each batch meets the earlier ones as stored records, so the newest version wins as in one batch; a record
    stored by one batch and replaced by a later one counts as inserted and as updated."""
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    totals: dict[str, WriteCounts] = {}
    for records in batches:
        for name, counts in _upsert(con, realm_id, records, loaded_at).items():
            before = totals.get(name, WriteCounts(0, 0, 0))
            totals[name] = WriteCounts(before.received + counts.received, before.inserted + counts.inserted,
                                       before.updated + counts.updated)
    for name, counts in sorted(totals.items()):
        con.execute(
            "insert into raw.load_log values (?, ?, ?, ?, ?, ?, ?, ?)",
            [loaded_at, source, realm_id, name, counts.received, counts.inserted, counts.updated, counts.unchanged],
        )
    return dict(sorted(totals.items()))


def _upsert(con: duckdb.DuckDBPyConnection, realm_id: str, records: Iterable[RawRecord],
            loaded_at: datetime) -> dict[str, WriteCounts]:
    by_entity: dict[str, list[RawRecord]] = defaultdict(list)
    for record in records:
        by_entity[record.entity].append(record)
    counts = {}
    for name in sorted(by_entity):
        batch = by_entity[name]
        table = entities.BY_NAME[name].table
        repeated = len({r.id for r in batch}) < len(batch)  # one realm: a key twice in the batch
        con.execute(sqlfiles.read("raw/batch.sql"), _batch_values(realm_id, batch, loaded_at))
        try:
            con.execute(sqlfiles.read("raw/batch_newest.sql" if repeated else "raw/batch_distinct.sql"))
            # the keys stored, found once: they give the counts, what is deleted and inserted, and the notes
            con.execute(sqlfiles.read("raw/batch_store.sql").format(table=table))
            inserted, updated = con.execute(sqlfiles.read("raw/batch_store_counts.sql")).fetchone()
            if updated:
                con.execute(sqlfiles.read("raw/forget_replaced.sql").format(table=table))
            if inserted or updated:
                con.execute(sqlfiles.read("raw/store_batch.sql").format(table=table))
                con.execute(sqlfiles.read("raw/unparsed_stored.sql").format(table=table, entity=name))
            con.execute(sqlfiles.read("raw/release_held.sql"), {"entity": name})
        finally:
            con.execute("drop table if exists batch")
        counts[name] = WriteCounts(len(batch), inserted, updated)
    return counts


def hold(con: duckdb.DuckDBPyConnection, realm_id: str, held: Iterable[Held]) -> int:
    """Keep records the models cannot read in raw.quarantine, the newest version of each (call inside
    `transaction`); returns how many."""
    rows = [(realm_id, h.entity, h.id, h.last_updated, h.reason, h.payload, datetime.now(timezone.utc).replace(tzinfo=None))
            for h in held]
    if rows:
        con.executemany("insert or replace into raw.quarantine values (?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def forget_realm(con: duckdb.DuckDBPyConnection, realm_id: str) -> None:
    """Delete a realm's raw records, cursors, device exports and kept forecasts; call inside `transaction`."""
    for entity in entities.WAREHOUSE_ENTITIES:
        con.execute(sqlfiles.read("raw/unparsed_forgotten.sql").format(table=entity.table, entity=entity.name),
                    {"realm": realm_id})
        con.execute(sqlfiles.read("raw/forget_realm.sql").format(table=entity.table), {"realm": realm_id})
    for table in ("sync_state", "income_due", "quarantine", "device_exports", "kept_forecasts"):
        con.execute(sqlfiles.read("raw/forget_realm.sql").format(table=table), {"realm": realm_id})


def _batch_values(realm_id: str, batch: list[RawRecord], loaded_at: datetime) -> dict:
    """raw/batch.sql's parameters for these records."""
    return {"realm": realm_id, "ids": [r.id for r in batch], "last_updated": [r.last_updated for r in batch],
            "sync_tokens": [r.sync_token for r in batch], "deleted": [r.deleted for r in batch],
            "payloads": [r.payload for r in batch], "loaded_at": loaded_at}
