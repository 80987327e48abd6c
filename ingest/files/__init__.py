"""File connector: QuickBooks API JSON and JSON Lines files, as they come off the wire.

A file is read a record at a time (ingest/files/stream.py), never whole: memory stays flat whatever its size.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from itertools import chain
from typing import Iterable, Iterator, TextIO

from ingest.files.stream import JsonStream, Unreadable, items, members
from ingest.records import ENVELOPE_KEYS, Located, RecordError, fault_text, kind_of, locate, parse_json

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
LONGEST_LINE = 1 << 20  # a first line longer than this is not taken for one record of a JSON Lines file


def read_file(path: Path) -> Iterator[Located | RecordError]:
    """Every entity of one file, one at a time; problems come as errors naming file and line or record."""
    try:
        with path.open(encoding="utf-8-sig") as handle:
            if path.suffix.lower() in JSON_LINES_SUFFIXES:
                yield from _json_lines(path, handle)
                return
            head, json_lines = _head(handle)
            if json_lines:
                yield from _json_lines(path, chain(head, handle))
            else:
                yield from _document(path, JsonStream(handle, "".join(head)))
    except (OSError, UnicodeDecodeError) as err:
        yield RecordError(f"{path}: cannot read the file ({err}); check the path and that it is UTF-8 JSON")


def _head(handle: TextIO) -> tuple[list[str], bool]:
    """The lines read to tell whether a file not named .jsonl holds JSON Lines (its first line a whole JSON
    value, and more after it), and whether it does. Read, not sought back: the file may be a pipe."""
    head = [handle.readline(LONGEST_LINE)]
    if not head[0].endswith("\n") or not _whole_value(head[0]):
        return head, False
    while (line := handle.readline(LONGEST_LINE)) and not line.strip():
        head.append(line)
    head.append(line)
    return head, bool(line)


def _whole_value(line: str) -> bool:
    try:
        json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def _document(path: Path, stream: JsonStream) -> Iterator[Located | RecordError]:
    where = str(path)
    try:
        if stream.peek() != "{":  # not an object: decoded whole, as locate says what it is
            yield from locate(stream.value(), where)
            return
        time, rest, stubs = None, {}, []
        for key in members(stream):
            if key in ("Fault", "fault"):
                raise RecordError(f"{where}: this is a QuickBooks error response, not data: {fault_text(stream.value())}")
            if key in ("QueryResponse", "CDCResponse") or key not in {*ENVELOPE_KEYS, "stream", "entity", "data"}:
                found = _cdc(stream, where) if key == "CDCResponse" else _entity_map(stream, where) \
                    if key == "QueryResponse" else _entity_array(stream, key, where)
                for located in found:
                    if time is None and _deleted(located.record):
                        stubs.append(located)  # a deleted stub without a stamp takes the response's time, not read yet
                    else:
                        yield dataclasses.replace(located, response_time=time)
                continue
            rest[key] = stream.value()
            if key == "time":
                time = rest[key] if isinstance(rest[key], str) else None
        if stream.peek():
            raise stream.error("Extra data")
        if "stream" in rest or "entity" in rest:  # one JSON Lines record as a whole file
            yield from locate(rest, where)
        yield from (dataclasses.replace(stub, response_time=time) for stub in stubs)
    except Unreadable as err:
        yield RecordError(f"{where}: {err}")
    except RecordError as err:
        yield err


def _deleted(record) -> bool:
    return isinstance(record, dict) and record.get("status") == "Deleted"


def _entity_map(stream: JsonStream, where: str) -> Iterator[Located]:
    if stream.peek() != "{":
        raise RecordError(f"{where}: expected an object of entity arrays, found {kind_of(stream.value())}")
    for name in members(stream):
        if name in ENVELOPE_KEYS:
            stream.value()
        else:
            yield from _entity_array(stream, name, where)


def _entity_array(stream: JsonStream, name: str, where: str) -> Iterator[Located]:
    """The records of one entity: an array of them, or one alone."""
    if stream.peek() != "[":
        yield Located(name, stream.value(), f"{where}: {name} record 1")
        return
    for index, _ in enumerate(items(stream), start=1):
        yield Located(name, stream.value(), f"{where}: {name} record {index}")


def _cdc(stream: JsonStream, where: str) -> Iterator[Located]:
    """A change-data-capture response: blocks, each of query responses, each an entity map."""
    for _ in _one_or_many(stream):
        if stream.peek() != "{":
            stream.value()
            continue
        for key in members(stream):
            if key != "QueryResponse":
                stream.value()
                continue
            for _ in _one_or_many(stream):
                yield from _entity_map(stream, where)


def _one_or_many(stream: JsonStream) -> Iterator[None]:
    """The places of an array, or the one value that stands where an array may be."""
    if stream.peek() == "[":
        yield from items(stream)
    else:
        yield


def _json_lines(path: Path, lines: Iterable[str]) -> Iterator[Located | RecordError]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield from locate(parse_json(line), f"{path}: line {number}")
        except json.JSONDecodeError as err:
            yield RecordError(
                f"{path}: line {number} column {err.colno}: unreadable JSON ({err.msg}); "
                "each line of a JSON Lines file must be one complete JSON object"
            )
        except RecordError as err:
            yield err
