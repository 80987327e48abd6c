"""Changes to a warehouse's raw records as a load or a sync stores them: a new version of a record, a deleted
stub, a new record. For the tests of the build after a change and its benchmark (bench/bench_rebuild.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest import writer
from ingest.records import RawRecord
from models.warehouse.entities import BY_NAME, BY_TABLE, wrapped
from models.warehouse.work_db import open_work_db, transaction


@dataclass(frozen=True)
class Stored:
    """A record as the raw store holds it (numbers in its payload are JSON strings)."""
    table: str
    id: str
    last_updated: datetime
    sync_token: int
    deleted: bool
    payload: dict


def stored(con: duckdb.DuckDBPyConnection, table: str, realm: str) -> list[Stored]:
    rows = con.execute(f"select id, last_updated, sync_token, deleted, payload from raw.{table} "
                       "where realm_id = ? order by id", [realm]).fetchall()
    return [Stored(table, i, updated, token, deleted, json.loads(payload)) for i, updated, token, deleted, payload in rows]


def live(db: Path, table: str, realm: str) -> list[Stored]:
    """The records of raw.{table} a warehouse holds for the realm, but the deleted ones."""
    con = open_work_db(db)
    try:
        return [record for record in stored(con, table, realm) if not record.deleted]
    finally:
        con.close()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S-00:00")


def inside(payload: dict, change) -> dict:
    """`change` made to the record, or to the transaction a recurring template wraps (the wrapper kept)."""
    kind, body = wrapped(BY_NAME["RecurringTransaction"], payload)
    return {**payload, kind: change(body)} if kind else change(payload)


def new_version(record: Stored, payload: dict) -> RawRecord:
    """`payload` as the record's next version: a second newer, its SyncToken one higher."""
    updated = record.last_updated + timedelta(seconds=1)
    token = max(record.sync_token, 0) + 1
    body = inside(payload, lambda body: {**body, "Id": record.id, "SyncToken": str(token),
                                         "MetaData": {**body.get("MetaData", {}), "LastUpdatedTime": _stamp(updated)}})
    return RawRecord(BY_TABLE[record.table].name, record.id, updated, token, False, json.dumps(body))


def deleted(record: Stored) -> RawRecord:
    """The deleted stub change data capture gives for the record."""
    updated = record.last_updated + timedelta(seconds=1)
    stub = {"Id": record.id, "status": "Deleted", "MetaData": {"LastUpdatedTime": _stamp(updated)}}
    return RawRecord(BY_TABLE[record.table].name, record.id, updated, -1, True, json.dumps(stub))


def copied(record: Stored, new_id: str, payload: dict | None = None) -> RawRecord:
    """A new record: the stored one's payload (or `payload`) under another Id, first version."""
    body = inside(payload or record.payload, lambda body: {**body, "Id": new_id, "SyncToken": "0"})
    body.pop("status", None)
    return RawRecord(BY_TABLE[record.table].name, new_id, record.last_updated, 0, False, json.dumps(body))


def store(db: Path, realm: str, records: list[RawRecord]) -> None:
    """Store the records as one load does (the newest version of each wins)."""
    con = open_work_db(db)
    try:
        with transaction(con):
            writer.write(con, realm, records, "test changes")
    finally:
        con.close()


# What a change does to a record's payload, where the record has the field (raw payloads hold numbers as strings)

def repriced(payload: dict, cents: int) -> dict:
    """Its first line with an amount (and its total) changed by `cents`."""
    changed = json.loads(json.dumps(payload))
    for line in changed.get("Line", []):
        if "Amount" in line:
            delta = Decimal(cents) / 100
            line["Amount"] = str(Decimal(line["Amount"]) + delta)
            if "TotalAmt" in changed:
                changed["TotalAmt"] = str(Decimal(changed["TotalAmt"]) + delta)
            break
    return changed


def moved(payload: dict, days: int) -> dict:
    """Dated `days` later (earlier when negative)."""
    changed = dict(payload)
    if "TxnDate" in changed:
        changed["TxnDate"] = (date.fromisoformat(changed["TxnDate"]) + timedelta(days=days)).isoformat()
    return changed


def renamed(payload: dict, text: str) -> dict:
    """Its name, or its description and note, changed to `text`."""
    changed = json.loads(json.dumps(payload))
    for field in ("DisplayName", "Name", "FullyQualifiedName", "Description", "PrivateNote"):
        if field in changed:
            changed[field] = text
    for line in changed.get("Line", [])[:1]:
        line["Description"] = text
    return changed


def reassigned(payload: dict, customer: str) -> dict:
    """Billed, paid or worked for customer Id `customer` instead."""
    changed = json.loads(json.dumps(payload))
    if "CustomerRef" in changed:
        changed["CustomerRef"] = {"value": customer}
    return changed


def reparented(payload: dict, parent: str) -> dict:
    """A customer made a job of customer Id `parent` (its whole tree moves with it), or a client of its own when
    `parent` is itself."""
    changed = json.loads(json.dumps(payload))
    if "DisplayName" in changed and "Job" in changed:
        changed.pop("ParentRef", None)
        changed["Job"] = changed.get("Id") != parent
        if changed["Job"]:
            changed["ParentRef"] = {"value": parent}
    return changed


CHANGES = {"repriced": lambda p, n: inside(p, lambda b: repriced(b, n)),
           "moved": lambda p, n: inside(p, lambda b: moved(b, n % 90 - 45)),
           "renamed": lambda p, n: inside(p, lambda b: renamed(b, f"Changed {n}")),
           "reassigned": lambda p, n: inside(p, lambda b: reassigned(b, str(n))),
           # the demo's customers are Ids 5000 and on
           "rebilled": lambda p, n: inside(p, lambda b: reassigned(b, str(5000 + n))),
           "reparented": lambda p, n: inside(p, lambda b: reparented(b, str(5000 + n)))}
