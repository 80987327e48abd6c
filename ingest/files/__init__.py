"""File connector: QuickBooks API JSON and JSON Lines files, as they come off the wire."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ingest.records import Extracted, Located, RecordError, extract, locate, parse_json

JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}


def read_file(path: Path) -> Extracted:
    """Every record of one file, validated; problems come back as errors naming file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        return Extracted(errors=[f"{path}: cannot read the file ({err}); check the path and that it is UTF-8 JSON"])
    return extract(_located(path, text))


def _located(path: Path, text: str) -> Iterator[Located | RecordError]:
    if path.suffix.lower() not in JSON_LINES_SUFFIXES:
        try:
            document = parse_json(text)
        except json.JSONDecodeError as err:
            if err.msg != "Extra data":  # more than one document: read it as JSON Lines
                yield RecordError(f"{path}: line {err.lineno} column {err.colno}: unreadable JSON ({err.msg})")
                return
        else:
            try:
                yield from locate(document, str(path))
            except RecordError as err:
                yield err
            return
    yield from _json_lines(path, text)


def _json_lines(path: Path, text: str) -> Iterator[Located | RecordError]:
    for number, line in enumerate(text.splitlines(), start=1):
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
