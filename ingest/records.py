"""Turn QuickBooks API JSON, as it comes off the wire, into raw records for the raw store.

Every connector (files, the demo company, the QuickBooks API) hands parsed JSON documents to `locate`
and what it finds to `extract`, so real and synthetic data take one path into the warehouse.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache
from itertools import islice
from typing import Any, Iterable, Iterator

from models.warehouse import entities

# Response keys that are paging or envelope metadata, never entities.
ENVELOPE_KEYS = {"startPosition", "maxResults", "totalCount", "time", "warnings", "intuitObject"}


class RecordError(ValueError):
    """A record that cannot be stored; the message names where it is and what to do."""


@dataclass(frozen=True)
class RawRecord:
    entity: str            # QuickBooks entity name
    id: str
    last_updated: datetime  # UTC, naive
    sync_token: int
    deleted: bool
    payload: str           # the whole entity as JSON, numbers kept exactly (see to_payload)


@dataclass(frozen=True)
class Located:
    """One entity found in a document, with where it was found."""
    name: str
    record: Any
    where: str
    response_time: str | None = None


@dataclass(frozen=True)
class Held:
    """A record with an entity and an Id that cannot be stored as it is; a sync holds it back."""
    entity: str
    id: str
    last_updated: datetime | None
    reason: str
    payload: str


@dataclass
class Extracted:
    records: list[RawRecord] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)   # QuickBooks entities we do not use
    errors: list[str] = field(default_factory=list)         # every problem, held records' included
    held: list[Held] = field(default_factory=list)


def parse_json(text: str) -> Any:
    """Parse JSON keeping every number as an exact Decimal (never binary floating point)."""
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except RecursionError:
        raise json.JSONDecodeError("nested more deeply than any QuickBooks response", text, 0) from None


def to_payload(record: dict) -> str:
    # DuckDB's JSON functions read numbers as doubles (1.10 comes back as 1.1, 17-digit amounts
    # lose cents), so numbers are stored as JSON strings: `->>` then yields the exact text and
    # staging casts it to DECIMAL without passing through float.
    return _PAYLOAD.encode(record)


def dumps_exact(value: Any, indent: str | None = "") -> str:
    """JSON text as QuickBooks sends it: Decimals written as JSON numbers with every digit kept.
    indent=None writes it compact, on one line.

    (The standard encoder can only write a Decimal as a string, or through float.)
    """
    if isinstance(value, (dict, list)):
        inner = None if indent is None else indent + " "
        before = "" if indent is None else "\n" + inner
        after = "" if indent is None else "\n" + indent
        if isinstance(value, dict):
            items = [f"{before}{json.dumps(str(k))}:{'' if indent is None else ' '}{dumps_exact(v, inner)}"
                     for k, v in value.items()]
            return "{" + ",".join(items) + (after + "}" if items else "}")
        items = [f"{before}{dumps_exact(v, inner)}" for v in value]
        return "[" + ",".join(items) + (after + "]" if items else "]")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} cannot be written as JSON")
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _exact_number(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store a {type(value).__name__} in a raw payload")


# json.dumps' encoder, made once (json.dumps makes one a call) and without its check for circular references, which
# parsed JSON cannot hold: a full sync writes 92k payloads at 250 x 10 (0.70 -> 0.54 s of CPU). The same bytes.
_PAYLOAD = json.JSONEncoder(default=_exact_number, separators=(",", ":"), ensure_ascii=False,
                            check_circular=False)


def locate(document: Any, where: str) -> Iterator[Located]:
    """Yield the entities of one QuickBooks API document (query, CDC, single-entity or entity map)."""
    if not isinstance(document, dict):
        raise RecordError(f"{where}: expected a JSON object from the QuickBooks API, found {kind_of(document)}")
    fault = document.get("Fault") or document.get("fault")
    if fault is not None:
        raise RecordError(f"{where}: this is a QuickBooks error response, not data: {fault_text(fault)}")
    time = document.get("time")
    time = time if isinstance(time, str) else None
    if "stream" in document or "entity" in document:
        name = document.get("stream", document.get("entity"))
        if "data" not in document:
            raise RecordError(f"{where}: a JSON Lines record needs a 'data' object holding the entity")
        yield Located(str(name), document["data"], where, time)
        return
    if "QueryResponse" in document:
        yield from _entity_map(document["QueryResponse"], where, time)
        return
    if "CDCResponse" in document:
        for block in _as_list(document["CDCResponse"]):
            for response in _as_list(block.get("QueryResponse", []) if isinstance(block, dict) else []):
                yield from _entity_map(response, where, time)
        return
    yield from _entity_map(document, where, time)


def _entity_map(mapping: Any, where: str, time: str | None) -> Iterator[Located]:
    if not isinstance(mapping, dict):
        raise RecordError(f"{where}: expected an object of entity arrays, found {kind_of(mapping)}")
    for name, value in mapping.items():
        if name in ENVELOPE_KEYS:
            continue
        for index, record in enumerate(_as_list(value), start=1):
            yield Located(name, record, f"{where}: {name} record {index}", time)


def extract(found: Iterable[Located | RecordError]) -> Extracted:
    """Validate located entities into raw records; bad ones (and readers' errors) become errors."""
    out = Extracted()
    for item in found:
        if isinstance(item, RecordError):
            out.errors.append(str(item))
            continue
        try:
            qbo_name, entity = entities.resolve(item.name)
        except KeyError:
            out.errors.append(
                f"{item.where}: '{item.name}' is not a QuickBooks entity name "
                "(expected e.g. Invoice or invoices); fix the name or remove the record"
            )
            continue
        if entity is None:
            out.skipped[qbo_name] = out.skipped.get(qbo_name, 0) + 1
            continue
        try:
            out.records.append(to_raw_record(entity, item.record, item.where, item.response_time))
        except RecordError as err:
            out.errors.append(str(err))
            body = entities.wrapped(entity, item.record)[1] if isinstance(item.record, dict) else None
            if isinstance(body, dict) and str(body.get("Id") or "").strip():
                out.held.append(Held(entity.name, str(body["Id"]), _stamp_or_none(body), str(err),
                                     json.dumps(item.record, default=str, ensure_ascii=False)))
    return out


def extract_batches(found: Iterable[Located | RecordError], size: int) -> Iterator[Extracted]:
    """`extract`, `size` located entities at a time: what a file holds is never all in memory at once."""
    found = iter(found)
    while batch := list(islice(found, size)):
        yield extract(batch)


def _stamp_or_none(record: dict) -> datetime | None:
    meta = record.get("MetaData")
    try:
        return _utc(meta.get("LastUpdatedTime"), "") if isinstance(meta, dict) else None
    except RecordError:
        return None


def to_raw_record(entity: entities.Entity, record: Any, where: str, response_time: str | None) -> RawRecord:
    if not isinstance(record, dict):
        raise RecordError(f"{where}: a {entity.name} must be a JSON object, found {kind_of(record)}")
    kind, body = entities.wrapped(entity, record)
    # a deleted stub says so on the wrapper (the delete operation's answer) or, bare, on itself
    deleted = record.get("status") == "Deleted" or body.get("status") == "Deleted"
    if entity.wraps and kind is None and not deleted:
        found = ", ".join(sorted(k for k in record if isinstance(record[k], dict))) or "none"
        raise RecordError(
            f"{where}: a {entity.name} wraps its template's transaction under the transaction's type "
            f"({', '.join(sorted(entity.wraps))}), exactly one; objects found: {found}. "
            "Load it as QuickBooks sends it, e.g. {\"Invoice\": {\"Id\": ..., \"RecurringInfo\": ...}}")
    raw_id = body.get("Id")
    if raw_id is None or str(raw_id).strip() == "":
        raise RecordError(f"{where}: {entity.name} has no Id; every QuickBooks record carries one")
    rid = str(raw_id)
    label = f"{where} ({entity.name} Id {rid})"
    meta = body.get("MetaData") if isinstance(body.get("MetaData"), dict) else {}
    stamp = meta.get("LastUpdatedTime") or (response_time if deleted else None)
    if not stamp:
        raise RecordError(f"{label}: MetaData.LastUpdatedTime is missing; it decides which version is newest")
    last_updated = _utc(stamp, label)
    if not deleted:
        _check_fields(entity, body, label)
    return RawRecord(
        entity=entity.name,
        id=rid,
        last_updated=last_updated,
        sync_token=_sync_token(body.get("SyncToken"), label),
        deleted=deleted,
        payload=to_payload(record),  # as QuickBooks sent it, a wrapper and all
    )


def _check_fields(entity: entities.Entity, record: dict, label: str) -> None:
    """Every field the models read has the type they cast it to, so one bad value is refused here,
    naming the record and field, instead of stopping every later build."""
    _refuse(record, _checks(entity.fields), label)
    line_checks = _checks(entity.line_fields)
    for n, line in enumerate(_as_list(record.get("Line", [])), start=1):
        if not isinstance(line, dict):
            raise RecordError(f"{label}: Line {n} is not an object")
        _refuse(line, line_checks, label, n)
        group = line.get("GroupLineDetail")
        if isinstance(group, dict):
            for m, child in enumerate(_as_list(group.get("Line", [])), start=1):
                if not isinstance(child, dict):
                    raise RecordError(f"{label}: Line {n} bundle line {m} is not an object")
                _refuse(child, line_checks, label, n, m)


# kind -> (limit on the size of a number, what it must be, in words)
_NUMBERS = {
    entities.MONEY: (Decimal(10) ** 16, "an amount (a number below 10,000,000,000,000,000)"),
    entities.QUANTITY: (Decimal(10) ** 13, "a number below 10,000,000,000,000"),
    entities.HOURS: (Decimal(10) ** 6, "a number of hours or minutes below 1,000,000"),
    entities.WHOLE: (Decimal(2) ** 31, "a whole number below 2,147,483,648"),
}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def _checks(fields: tuple[tuple[str, str], ...]) -> tuple[tuple[tuple[str, ...], str, str, Decimal | None], ...]:
    """An entity's (path, kind) as (keys, path, kind, limit of a number kind): a full sync checks ~13 fields of
    each of 90k records and their lines, so each path is split once, not at every check."""
    return tuple((tuple(path.split(".")), path, kind, _NUMBERS[kind][0] if kind in _NUMBERS else None)
                 for path, kind in fields)


def _refuse(obj: dict, checks: tuple, label: str, line: int = 0, child: int = 0) -> None:
    """Refuse the first field of `obj` (a record, its line `line` or that line's bundle line `child`) that the
    models could not read. The label is made only for a refusal (a full sync checks ~1.2M fields)."""
    for keys, path, kind, limit in checks:
        value: Any = obj
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        # the common cases accepted at once: what parse_json makes of a JSON number, and a valid day; anything
        # else goes through _wrong, which accepts or refuses exactly as before
        if limit is not None and type(value) is Decimal:
            if value.is_finite() and abs(value) < limit and (kind != entities.WHOLE or value == value.to_integral_value()):
                continue
        elif kind == entities.DATE and type(value) is str and _is_day(value):
            continue
        wrong = _wrong(value, kind)
        if wrong:
            where = label + (f" Line {line}" if line else "") + (f" bundle line {child}" if child else "")
            what, fix = wrong
            raise RecordError(
                f"{where}: {path} is {_shown(value)}, which is not {what} ({fix}); "
                "correct the value in the source and load it again"
            )


def _wrong(value: Any, kind: str) -> tuple[str, str] | None:
    """(what the field must be, how to fix it) when `value` is not of `kind`; None when it is."""
    if kind in _NUMBERS:
        limit, what = _NUMBERS[kind]
        ok = (not isinstance(value, bool) and isinstance(value, (Decimal, int))
              and Decimal(value).is_finite() and abs(Decimal(value)) < limit
              and (kind != entities.WHOLE or Decimal(value) == Decimal(value).to_integral_value()))
        fix = "QuickBooks sends amounts as JSON numbers"
    elif kind == entities.DATE:
        ok, what, fix = isinstance(value, str) and _is_day(value), "a date written YYYY-MM-DD", "as QuickBooks writes dates"
    elif kind == entities.TIMESTAMP:
        ok, what, fix = isinstance(value, str) and _is_moment(value), "an ISO 8601 date and time", \
            "as QuickBooks writes them (e.g. 2026-03-05T10:00:00-08:00)"
    else:
        ok, what, fix = isinstance(value, bool) or value in ("true", "false"), "true or false", "as QuickBooks writes them"
    return None if ok else (what, fix)


def _shown(value: Any) -> str:
    return (str(value) if isinstance(value, Decimal) else json.dumps(value, default=str))[:80]


def _is_day(text: str) -> bool:
    try:
        return bool(_DAY.fullmatch(text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def _is_moment(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _sync_token(value: Any, label: str) -> int:
    if value is None:
        return -1  # deleted stubs carry no SyncToken
    try:
        token = int(str(value))
    except ValueError:
        raise RecordError(f"{label}: SyncToken {value!r} is not a whole number") from None
    if not 0 <= token < 2 ** 31:  # the raw store keeps it as a 32-bit integer, as QuickBooks counts edits
        raise RecordError(f"{label}: SyncToken {value!r} is out of range (0 to 2,147,483,647)")
    return token


def _utc(stamp: Any, label: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(stamp))
    except ValueError:
        raise RecordError(f"{label}: LastUpdatedTime {stamp!r} is not an ISO-8601 timestamp") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def kind_of(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), type(value).__name__)


def fault_text(fault: Any) -> str:
    """What a QuickBooks fault object (`Fault` of a response body) says, for a person to read."""
    # Code and message only: a fault's Detail can quote part of an access token.
    errors = (fault.get("Error") or fault.get("error") or []) if isinstance(fault, dict) else []
    parts = []
    for err in _as_list(errors):
        if isinstance(err, dict):
            code = err.get("code", "")
            message = err.get("Message") or err.get("message") or ""
            parts.append(f"code {code}: {message}".strip())
    return "; ".join(parts) or "no detail given"
