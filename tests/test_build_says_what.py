"""A build says in one line whether it made again only the documents changed or everything, and why; a snapshot
copied from the last one is written compact once dead space passes its share (issue 25)."""
from __future__ import annotations

import duckdb

from models.warehouse import paths, snapshot
from models.warehouse.work_db import open_work_db
from tests.helpers import cli, query
from tests.raw_changes import CHANGES, new_version, store, stored


def one_changed(db) -> None:
    """A new version of one live invoice, stored as a sync stores it."""
    con = open_work_db(db)
    try:
        record = [r for r in stored(con, "invoices", "demo") if not r.deleted][2]
    finally:
        con.close()
    store(db, "demo", [new_version(record, CHANGES["repriced"](record.payload, 4_321))])


def said(capsys, *args) -> str:
    capsys.readouterr()
    assert cli(*args) == 0
    return capsys.readouterr().err


def test_a_build_says_whether_it_rebuilt_the_documents_changed_or_everything_and_why(demo_copy, capsys):
    db = demo_copy(3, 1)
    one_changed(db)
    assert "  rebuilt only the documents changed (1 record(s) parsed again)\n" in said(capsys, "build", "--db", db)
    assert "  rebuilt everything: --full asked for it\n" in said(capsys, "build", "--db", db, "--full")
    rules = db.with_name("categories.toml")
    rules.write_text(rules.read_text().replace("[items]\n", '[items]\n"Travel" = "other"\n'))
    assert ("  rebuilt everything: the category rules, agreement months or models changed since the last build\n"
            in said(capsys, "build", "--db", db))
    paths.snapshot(db).unlink()
    assert "  rebuilt everything: the snapshot is missing\n" in said(capsys, "build", "--db", db)
    con = open_work_db(db)
    try:
        con.execute("drop schema parsed cascade")
    finally:
        con.close()
    assert "  rebuilt everything: nothing was parsed here before" in said(capsys, "build", "--db", db)


def free_blocks(db) -> int:
    con = duckdb.connect()
    try:
        con.execute(f"attach '{paths.snapshot(db)}' as published (read_only)")
        return con.execute("select free_blocks from pragma_database_size() where database_name = 'published'"
                           ).fetchone()[0]
    finally:
        con.close()


def test_a_copied_snapshot_past_its_share_of_dead_space_is_published_compact(demo_copy, monkeypatch):
    """The same change built twice from the same files: left as copied (no share is too much), the published file
    keeps the freed blocks; with any dead space too much, it is written again without them, and reads the same."""
    db = demo_copy(3, 1)
    one_changed(db)
    before = db.parent.with_name("before")
    before.mkdir()
    for path in db.parent.iterdir():
        (before / path.name).write_bytes(path.read_bytes())
    lines = "select document_id, line_index, amount, category from marts.fct_revenue_lines order by all"
    monkeypatch.setattr(snapshot, "DEAD_SHARE", 1.0)
    assert cli("build", "--db", db) == 0
    assert free_blocks(db) > 0
    kept = query(db, lines)
    for path in before.iterdir():  # the same warehouse again, the change stored and not built yet
        (db.parent / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(snapshot, "DEAD_SHARE", 0.0)
    assert cli("build", "--db", db) == 0
    assert free_blocks(db) == 0
    assert query(db, lines) == kept
