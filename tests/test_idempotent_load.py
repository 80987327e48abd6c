"""Loading the same data twice, in another order, or an older version after a newer one, changes nothing."""
from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from ingest import writer
from ingest.records import RawRecord, to_payload
from models.warehouse.work_db import open_work_db, transaction
from tests.builders import invoice, item_line
from tests.helpers import checksums, cli, query, write_json
from tests.recorded import SANDBOX_JSONL, cassette_bodies

pytestmark = pytest.mark.long


def revenue_lines(db) -> list[tuple]:
    return query(db, "select * exclude (description) from marts.fct_revenue_lines order by all")


def load_one_by_one(paths, db, build_each: bool = False) -> None:
    """One file per load, so every later file meets what is already stored; built after the last load only (what
    is asserted), or after each as an owner loading files one at a time does (every build in between parses
    again what that load changed)."""
    for n, path in enumerate(paths, start=1):
        last = n == len(paths)
        assert cli("load", path, "--db", db, *([] if build_each or last else ["--no-build"])) == 0


def fixture_files(tmp_path):
    void_before, void_after = cassette_bodies("void/invoice.yml")
    delete_before, deleted = cassette_bodies("delete/invoice.yml")
    return [
        SANDBOX_JSONL,
        write_json(tmp_path / "void_before.json", void_before),
        write_json(tmp_path / "void_after.json", void_after),
        write_json(tmp_path / "delete_before.json", delete_before),
        write_json(tmp_path / "deleted.json", deleted),
    ]


def test_any_order_and_repeats_give_an_identical_warehouse(tmp_path):
    files = fixture_files(tmp_path)
    reference_db = tmp_path / "ref" / "w.duckdb"
    assert cli("load", *files, "--db", reference_db) == 0
    reference = checksums(reference_db)
    reference_lines = revenue_lines(reference_db)
    assert len(reference_lines) == 22  # the sandbox lines; the voided and the deleted invoice add none

    orders = [(list(reversed(files)), False), (files + files, False),
              ([files[2], files[0], files[4], files[1], files[3], files[2]], True)]
    for n, (order, build_each) in enumerate(orders):
        other = tmp_path / f"o{n}" / "w.duckdb"
        load_one_by_one(order, other, build_each)
        assert checksums(other) == reference
        assert revenue_lines(other) == reference_lines


def test_an_older_version_never_overwrites_a_newer_one(tmp_path, db):
    old = invoice("7", [item_line("100.00")], updated="2026-03-05T10:00:00-08:00", sync="0")
    new = invoice("7", [item_line("250.00")], updated="2026-03-06T10:00:00-08:00", sync="1")
    old_file = write_json(tmp_path / "old.json", {"Invoice": [old]})
    new_file = write_json(tmp_path / "new.json", {"Invoice": [new]})
    both = write_json(tmp_path / "both.json", {"Invoice": [new, old]})  # duplicates in one batch
    for sequence in ([new_file, old_file], [old_file, new_file], [both], [old_file, both, old_file]):
        target = tmp_path / str(hash(tuple(sequence))) / "w.duckdb"
        load_one_by_one(sequence, target)
        assert query(target, "select sum(amount) from marts.fct_revenue_lines") == [(new["TotalAmt"],)]


def test_equal_timestamps_resolve_the_same_way_in_any_order(tmp_path):
    a = invoice("9", [item_line("10.00")], sync="3")
    b = invoice("9", [item_line("20.00")], sync="4")  # same LastUpdatedTime, higher SyncToken wins
    results = set()
    for n, pair in enumerate(itertools.permutations([a, b])):
        target = tmp_path / f"p{n}" / "w.duckdb"
        load_one_by_one([write_json(tmp_path / f"p{n}-{m}.json", {"Invoice": [record]}) for m, record in enumerate(pair)],
                        target)
        results.add(query(target, "select sum(amount) from marts.fct_revenue_lines")[0][0])
    assert results == {b["TotalAmt"]}


def test_a_load_counts_what_it_added_replaced_and_left_as_stored(tmp_path):
    """raw.load_log's counts (each load's line on the Data page and the command's summary): a key new to the realm is
    inserted (also where another realm holds the same Id), a newer version updated, an older or the same one left."""
    def version(realm_id: str, record_id: str, day: int, token: int, amount: str) -> tuple[str, RawRecord]:
        payload = invoice(record_id, [item_line(amount)], updated=f"2026-03-{day:02d}T10:00:00-08:00", sync=str(token))
        return realm_id, RawRecord("Invoice", record_id, datetime(2026, 3, day, 18), token, False, to_payload(payload))

    def write(*versions: tuple[str, RawRecord]) -> list[writer.WriteCounts]:
        with transaction(con):
            return [writer.write(con, realm_id, [record], "test")["Invoice"] for realm_id, record in versions]

    con = open_work_db(tmp_path / "w.duckdb")
    try:
        assert write(version("a", "1", 5, 0, "10.00"), version("a", "2", 5, 0, "20.00")) == [
            writer.WriteCounts(1, 1, 0)] * 2
        assert write(version("a", "1", 6, 1, "11.00"),  # newer
                     version("a", "2", 4, 0, "19.00"),  # older
                     version("a", "2", 5, 0, "20.00"),  # the same
                     version("b", "1", 5, 0, "10.00")) == [  # another realm's record of the same Id
            writer.WriteCounts(1, 0, 1), writer.WriteCounts(1, 0, 0), writer.WriteCounts(1, 0, 0),
            writer.WriteCounts(1, 1, 0)]
    finally:
        con.close()


def test_a_newer_version_replaces_the_record_of_its_own_realm_only(tmp_path):
    """The writer deletes the stored version a newer one replaces and inserts the new one: only the version of the
    same realm and Id goes (another realm holding the same Id keeps its record), and only the records stored are
    noted for the next build to parse (not an older version in the same batch)."""
    def version(record_id: str, day: int, token: int) -> RawRecord:
        payload = invoice(record_id, [item_line("10.00")], updated=f"2026-03-{day:02d}T10:00:00-08:00",
                          sync=str(token))
        return RawRecord("Invoice", record_id, datetime(2026, 3, day, 18), token, False, to_payload(payload))

    con = open_work_db(tmp_path / "w.duckdb")
    try:
        with transaction(con):
            writer.write(con, "a", [version("1", 5, 0), version("2", 5, 0)], "test")
            writer.write(con, "b", [version("1", 5, 0)], "test")
        con.execute("delete from raw.unparsed")
        with transaction(con):
            assert writer.write(con, "b", [version("1", 6, 1)], "test")["Invoice"] == writer.WriteCounts(1, 0, 1)
            assert writer.write(con, "a", [version("1", 4, 1), version("2", 6, 1)], "test")["Invoice"] == (
                writer.WriteCounts(2, 0, 1))
        assert con.execute("select realm_id, id, sync_token from raw.invoices order by all").fetchall() == [
            ("a", "1", 0), ("a", "2", 1), ("b", "1", 1)]
        assert con.execute("select * from raw.unparsed order by all").fetchall() == [
            ("Invoice", "a", "2"), ("Invoice", "b", "1")]
    finally:
        con.close()
