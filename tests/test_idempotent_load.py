"""Loading the same data twice, in another order, or an older version after a newer one, changes nothing."""
from __future__ import annotations

import itertools

import pytest

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
