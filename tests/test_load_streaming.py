"""`load` reads a file a record at a time (issue 25): the first records are found before the file has been
read whole, so memory stays flat whatever the file's size; what is read is what json.loads would read."""
from __future__ import annotations

import os
import threading
from decimal import Decimal

import pytest

from ingest.files import read_file, stream
from ingest.records import dumps_exact, locate, parse_json
from tests.builders import invoice, item_line

WAIT = 60  # seconds the writer waits for the first record before writing the rest anyway (a failing test)


def query_response(count: int) -> str:
    invoices = [invoice(str(n), [item_line(f"{n}.10")]) for n in range(1, count + 1)]
    return dumps_exact({"QueryResponse": {"Invoice": invoices, "startPosition": 1}, "time": "2026-11-22T10:00:00Z"})


def test_records_come_before_the_file_is_read_whole(tmp_path):
    """The file is a pipe: its second half is written only once a record of the first half came out."""
    text = query_response(4_000)
    half = text.index('"Id": "2000"')
    path = tmp_path / "sync.json"
    os.mkfifo(path)
    first_record = threading.Event()
    seen_before_the_rest = []

    def write() -> None:
        with path.open("w", encoding="utf-8") as pipe:
            pipe.write(text[:half])
            pipe.flush()
            seen_before_the_rest.append(first_record.wait(WAIT))
            pipe.write(text[half:])

    writer = threading.Thread(target=write)
    writer.start()
    found = []
    for located in read_file(path):
        found.append(located)
        first_record.set()
    writer.join()
    assert seen_before_the_rest == [True]
    assert len(found) == 4_000 and found[-1].record["Line"][0]["Amount"] == Decimal("4000.10")


@pytest.mark.parametrize("chunk", [1, 7, 64, 4096])
def test_what_is_read_in_chunks_is_what_json_loads_reads(tmp_path, monkeypatch, chunk):
    """Values cut by the end of a chunk (numbers above all) are read whole, exact; the response's time reaches
    a deleted stub that comes before it."""
    monkeypatch.setattr(stream, "CHUNK", chunk)
    text = ('{"CDCResponse": [{"QueryResponse": [{"Invoice": [{"Id": "9", "status": "Deleted"}, '
            + dumps_exact(invoice("10", [item_line("12345.67")])) + '], "startPosition": 1}]}], '
            '"time": "2026-11-22T10:00:00-08:00"}')
    path = tmp_path / "cdc.json"
    path.write_text(text, encoding="utf-8")
    read = {found.record["Id"]: found for found in read_file(path)}
    expected = {found.record["Id"]: found for found in locate(parse_json(text), str(path))}
    assert {key: (f.name, f.record, f.where) for key, f in read.items()} \
        == {key: (f.name, f.record, f.where) for key, f in expected.items()}
    # only a deleted stub reads the response's time (its LastUpdatedTime), read after it here
    assert read["9"].response_time == "2026-11-22T10:00:00-08:00"


def test_an_error_names_the_line_and_column_of_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "CHUNK", 16)
    path = tmp_path / "broken.json"
    path.write_text('{"Invoice": [\n  {"Id": "1"},\n  {"Id": 2 3}\n]}\n', encoding="utf-8")
    errors = [str(found) for found in read_file(path) if not hasattr(found, "record")]
    assert errors == [f"{path}: line 3 column 12: unreadable JSON (Expecting ',' delimiter)"]
