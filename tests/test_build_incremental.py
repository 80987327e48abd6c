"""Parse once (issue 25): a build parses again only the raw records stored, replaced or removed since the last
one, and publishes what `build --full` publishes, report for report."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from models.figures.reports import LINE_KINDS, REPORTS, Options, render, run
from models.settings.settings import read as read_settings, settings_path
from models.warehouse import parsed, paths
from models.warehouse.build import build
from models.warehouse.snapshot import open_snapshot
from models.warehouse.work_db import open_work_db
from tests.builders import invoice, item_line
from tests.helpers import UNTIL, cli, write_json
from tests.raw_changes import CHANGES, copied, deleted, new_version, store, stored

pytestmark = pytest.mark.long  # a minute or more together: handed to a worker first

AS_OF = date.fromisoformat(UNTIL)
TABLES = [entity.table for entity in parsed.tracked_entities(parsed.kept_models())]


def report_options() -> list[tuple[str, Options]]:
    """Every report of the registry: as of the demo's last day, then with each of its switches turned; `lines`
    for one figure of each query it runs, in a month of the demo."""
    plain = Options(as_of=AS_OF)
    found = []
    for name, report in REPORTS.items():
        found.append((name, plain))
        for option in report.options:
            if option.value in ("switch", "negated"):
                found.append((name, replace(plain, **{option.name: not getattr(plain, option.name)})))
    one_per_query = {query: kind for kind, (query, _) in reversed(LINE_KINDS.items())}
    found += [("lines", replace(plain, kind=kind, month=date(2026, 10, 1))) for kind in one_per_query.values()]
    found.append(("prepayments", replace(plain, roll_forward=date(2026, 10, 1))))
    return found


def outputs(db: Path) -> dict[str, str]:
    """What every report prints (CSV) from the warehouse's snapshot."""
    owner = read_settings(settings_path(db))
    con = open_snapshot(paths.snapshot(db))
    try:
        return {f"{name} {options}": render(run(con, name, options, owner), "csv")
                for name, options in report_options()}
    finally:
        con.close()


def incremental_then_full(db: Path) -> tuple[int | None, dict[str, str], dict[str, str]]:
    """(the records the build parsed again, every report after it, every report after `build --full`)."""
    parsed_again = build(db).parsed_records
    after_incremental = outputs(db)
    assert build(db, full=True).parsed_records is None
    return parsed_again, after_incremental, outputs(db)


change = st.tuples(st.sampled_from(["update", "delete", "insert"]), st.sampled_from(TABLES),
                   st.integers(0, 10_000), st.sampled_from(sorted(CHANGES)), st.integers(1, 9))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.lists(change, min_size=1, max_size=6))
def test_a_build_after_random_changes_publishes_what_a_full_build_does(demo_builds, changes):
    """Records of any entity the models read, new, changed (amounts, dates, names, customers) or deleted: the
    build parses exactly those again, and every report reads as after `build --full`."""
    with tempfile.TemporaryDirectory() as folder:
        original = demo_builds(4, 1)
        db = Path(shutil.copytree(original.parent, Path(folder) / "wh")) / original.name
        touched = set()
        for number, (kind, table, pick, how, n) in enumerate(changes):
            con = open_work_db(db)
            try:
                live = [r for r in stored(con, table, "demo") if not r.deleted]
            finally:
                con.close()
            if not live:
                continue
            record = live[pick % len(live)]
            if kind == "update":
                written = new_version(record, CHANGES[how](record.payload, n))
            elif kind == "delete":
                written = deleted(record)
            else:
                written = copied(record, f"{900_000 + number}", CHANGES[how](record.payload, n))
            store(db, "demo", [written])
            touched.add((table, written.id))
        parsed_again, after_incremental, after_full = incremental_then_full(db)
    assert parsed_again == len(touched)
    assert after_incremental == after_full


def test_a_build_with_nothing_changed_parses_nothing(demo_copy):
    db = demo_copy(4, 1)
    before = outputs(db)
    assert build(db).parsed_records == 0
    assert outputs(db) == before


def test_a_realm_removed_from_raw_leaves_staging_with_it(demo_copy, tmp_path):
    """A real company's first load removes the demo realm's records from raw (no stub, no new version): its
    rows go from staging too."""
    db = demo_copy(4, 1)
    assert cli("load", write_json(tmp_path / "real.json", {"Invoice": [invoice("1", [item_line("100.00")])]}),
               "--db", db, "--no-build") == 0
    parsed_again, after_incremental, after_full = incremental_then_full(db)
    assert parsed_again > 1  # the demo's records and the new invoice
    assert after_incremental == after_full
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select distinct realm_id from staging.stg_qbo__sales_documents").fetchall() == [("local",)]
    finally:
        con.close()


def test_a_warehouse_from_before_is_parsed_whole_once(demo_copy):
    """A work database built before staging was kept (no record of what was parsed) builds as `build --full`
    does, and from then on parses only what changed."""
    db = demo_copy(4, 1)
    con = open_work_db(db)
    try:
        con.execute("drop schema parsed cascade")
    finally:
        con.close()
    assert build(db).parsed_records is None
    assert build(db).parsed_records == 0


def test_a_work_database_of_any_name_builds_again(tmp_path):
    """The work database is named in SQL by its file's name, whatever that holds."""
    db = tmp_path / 'the "main" books, 2026.duckdb'
    assert cli("load", write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]}),
               "--db", db) == 0
    assert cli("load", write_json(tmp_path / "b.json", {"Invoice": [invoice("2", [item_line("5.00")])]}),
               "--db", db) == 0
    con = open_snapshot(paths.snapshot(db))
    try:
        assert con.execute("select sum(amount) from marts.fct_revenue_lines").fetchone()[0] == 15
    finally:
        con.close()
