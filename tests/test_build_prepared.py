"""A build started while the sync waits on QuickBooks' first answers (models/warehouse/build.py, prepare_build): the
copy of the last snapshot, and the sets and views a build from it reads, are made then, on the sync's connection, and
the build publishes from them; a sync that fails, or ends without a build, after preparing leaves no file behind and
the published snapshot as it was."""
from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from ingest.qbo.run import run_sync
from models.warehouse import build as build_module, incremental, paths, snapshot
from models.warehouse.build import build, prepare_build
from tests.helpers import cli, query
from tests.qbo_helpers import FAST, REALM, unpaced_command_line
from tests.snapshot_contents import contents

INVOICE_SUMS = ("select document_id, sum(amount) from marts.fct_revenue_lines where document_type = 'Invoice' "
                "group by 1")


def _edit_an_invoice(qbo) -> str:
    company = qbo.company(REALM)
    invoice = list(company.records["Invoice"].values())[10]
    changed = dict(invoice, TotalAmt=invoice["TotalAmt"] + Decimal("100.00"))
    changed["Line"] = [dict(invoice["Line"][0], Amount=invoice["Line"][0]["Amount"] + Decimal("100.00"))] \
        + invoice["Line"][1:]
    company.upsert("Invoice", changed)
    return invoice["Id"]


def _noting(monkeypatch, phase: list[str]) -> list[tuple[str, str]]:
    """The copies of the last snapshot and the sets made ahead, each with the phase it was made in."""
    made = []
    copy, sets = snapshot.files.copy_owner_only, incremental.prepare_sets
    monkeypatch.setattr(snapshot.files, "copy_owner_only", lambda *a: (made.append(("copy", phase[0])), copy(*a))[1])
    monkeypatch.setattr(incremental, "prepare_sets", lambda *a: (made.append(("sets", phase[0])), sets(*a))[1])
    return made


def test_the_build_starts_from_the_copy_and_sets_made_while_the_sync_waited(synced_small_company,
                                                                            connected_small_qbo, monkeypatch):
    db = synced_small_company
    edited = _edit_an_invoice(connected_small_qbo)
    before = dict(query(db, INVOICE_SUMS))
    phase = ["syncing"]
    made = _noting(monkeypatch, phase)
    prepared, results = [], []

    def meanwhile(con, held):
        phase[0] = "waiting"
        prepared.append(held.enter_context(prepare_build(con, db)))
        phase[0] = "syncing"

    def then(con, result, tie_out):
        phase[0] = "building"
        results.append(build(db, con=con, tie_out=tie_out, prepared=prepared[0]))

    assert not run_sync(db, None, full=False, policy=FAST, then=then, meanwhile=meanwhile).failed
    assert made == [("copy", "waiting"), ("sets", "waiting")]  # made once, ahead, and not again by the build
    assert results[0].carried_over and results[0].parsed_records
    assert dict(query(db, INVOICE_SUMS))[edited] == before[edited] + Decimal("100.00")
    published = contents(db)
    assert cli("build", "--full", "--db", db) == 0
    assert contents(db) == published  # what a build from nothing publishes, table for table


def test_the_command_line_sync_prepares_its_build_while_it_waits(synced_small_company, connected_small_qbo,
                                                                  monkeypatch):
    """`msp-revenue sync` makes the copy before it parses a record (the parse is the build's first step after the sync
    has stored them); `--full` prepares nothing: its build starts empty."""
    db = synced_small_company
    _edit_an_invoice(connected_small_qbo)
    unpaced_command_line(monkeypatch)
    phase = ["before the build"]
    made = _noting(monkeypatch, phase)
    refresh = build_module.parsed.refresh
    monkeypatch.setattr(build_module.parsed, "refresh",
                        lambda *a: (phase.__setitem__(0, "building"), refresh(*a))[1])
    assert cli("sync", "--db", db) == 0
    assert made == [("copy", "before the build"), ("sets", "before the build")]
    made.clear()
    phase[0] = "before the build"
    assert cli("sync", "--full", "--db", db) == 0
    assert ("copy", "before the build") not in made and ("sets", "before the build") not in made


def test_a_build_that_turns_out_whole_starts_the_file_prepared_again_empty(synced_small_company,
                                                                          connected_small_qbo):
    """The copy made in the wait is dropped when the build rebuilds everything (here `full`; a parse of every record
    does the same): what it publishes is a whole build's, and no file is left behind."""
    db = synced_small_company
    _edit_an_invoice(connected_small_qbo)
    snapshot_file = duckdb.connect(str(paths.snapshot(db)))
    try:  # a table no build makes, in the file the copy is made of: a build that is whole must not carry it
        snapshot_file.execute("create table marts.left_behind as select 1 as one")
    finally:
        snapshot_file.close()
    names = sorted(p.name for p in db.parent.iterdir())
    prepared, results = [], []

    def meanwhile(con, held):
        prepared.append(held.enter_context(prepare_build(con, db)))

    def then(con, result, tie_out):
        assert prepared[0].sets_made  # the copy was usable: the build drops it
        results.append(build(db, con=con, tie_out=tie_out, full=True, prepared=prepared[0]))

    assert not run_sync(db, None, full=False, policy=FAST, then=then, meanwhile=meanwhile).failed
    assert not results[0].carried_over and results[0].why_whole
    assert sorted(p.name for p in db.parent.iterdir()) == names
    assert not query(db, "select * from duckdb_tables() where table_name = 'left_behind'")
    published = contents(db)
    assert cli("build", "--full", "--db", db) == 0
    assert contents(db) == published


def _failed_tie_out(con) -> None:
    raise RuntimeError("QuickBooks' ProfitAndLoss could not be stored")


@pytest.mark.parametrize("how", ["the sync fails", "the build fails", "no build"])
def test_a_sync_that_prepared_leaves_no_file_and_the_snapshot_as_it_was_unless_it_built(synced_small_company,
                                                                                       connected_small_qbo, how):
    """The sync fails before its build takes the copy, the build fails after it took it, or the sync ends without a
    build (nothing took the copy: it is removed, not renamed into place)."""
    db = synced_small_company
    _edit_an_invoice(connected_small_qbo)
    published = paths.snapshot(db)
    kept = (published.stat().st_ino, published.stat().st_mtime_ns, published.read_bytes())
    names = sorted(p.name for p in db.parent.iterdir())
    started = []

    def meanwhile(con, held):
        prepared = held.enter_context(prepare_build(con, db))
        started.extend(p.name for p in db.parent.iterdir() if p.name not in names)  # the copy, there
        if how == "the build fails":
            meanwhile.prepared = prepared

    def then(con, result, tie_out):
        if how == "the build fails":
            build(db, con=con, tie_out=_failed_tie_out, prepared=meanwhile.prepared)
        raise RuntimeError("the sync failed after preparing")

    if how == "no build":
        assert not run_sync(db, None, full=False, policy=FAST, meanwhile=meanwhile).failed
    else:
        with pytest.raises(RuntimeError):
            run_sync(db, None, full=False, policy=FAST, then=then, meanwhile=meanwhile)
    assert started
    assert sorted(p.name for p in db.parent.iterdir()) == names  # no temporary file, nor its log
    assert (published.stat().st_ino, published.stat().st_mtime_ns, published.read_bytes()) == kept
