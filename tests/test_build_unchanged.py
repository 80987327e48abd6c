"""Models left as they are (issue 25): a build from a copy of the last snapshot makes a model whole again, and the
kept forecast, only when something it reads changed, and publishes what `build --full` publishes, table for table."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.warehouse import build as build_module
from models.warehouse import kept_forecasts, paths, stored_macros
from models.warehouse.build import build
from models.warehouse.snapshot import open_snapshot
from models.warehouse.work_db import open_work_db
from tests.snapshot_contents import contents


def built_as_full(db: Path) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """(what a build said it made, the snapshot after it, the snapshot after `build --full`)."""
    said: list[str] = []
    assert build(db, said.append).carried_over
    after = contents(db)
    build(db, full=True)
    return said, after, contents(db)


def test_a_build_with_nothing_changed_makes_no_model_and_no_forecast_again(demo_copy, monkeypatch):
    db = demo_copy(3, 1)
    build(db)  # the demo's forecast is of its own day; this one of the test's

    def made_again(con, day):
        raise AssertionError("the kept forecast was made again with nothing it reads changed")

    said: list[str] = []
    with monkeypatch.context() as patched:
        patched.setattr(kept_forecasts, "make", made_again)
        assert build(db, said.append).carried_over
    after = contents(db)
    build(db, full=True)
    assert [line for line in said if line.startswith("building ") and "staging." not in line
            and not line.endswith("for the documents changed")] == []
    assert any(line.startswith("keeping marts.") for line in said)
    assert after == contents(db)


def test_a_build_on_another_day_makes_the_kept_forecast_again(demo_copy, monkeypatch):
    db = demo_copy(3, 1)
    monkeypatch.setattr(kept_forecasts, "made_on", lambda: date(2026, 11, 22))
    build(db)
    monkeypatch.setattr(kept_forecasts, "made_on", lambda: date(2026, 11, 23))
    said, after, after_full = built_as_full(db)
    assert date(2026, 11, 23) in {row[1] for row in _kept_forecasts(db)}
    assert after == after_full


def test_a_snapshot_of_other_macros_makes_the_kept_forecast_again(demo_copy, monkeypatch):
    """The forecast is a table macro, outside what decides a whole build: a snapshot whose macros are another
    code's (an upgrade) carries its forecasts over only to be made again by this code's."""
    db = demo_copy(3, 1)
    build(db)
    made: list[date] = []
    make = kept_forecasts.make

    def counted(con, day):
        made.append(day)
        return make(con, day)

    monkeypatch.setattr(kept_forecasts, "make", counted)
    monkeypatch.setattr(stored_macros, "schema", lambda: "macros_of_another_version")
    said, after, after_full = built_as_full(db)
    assert len(made) == 2, "the carried forecast was kept though the snapshot's macros were another code's"
    assert after == after_full


def _kept_forecasts(db: Path) -> list[tuple]:
    con = open_snapshot(paths.snapshot(db))
    try:
        return con.execute("select * from marts.mart_kept_forecasts").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("failed_build_between", [False, True])
def test_a_staging_model_made_anew_that_changed_makes_what_reads_it_again(demo_copy, monkeypatch,
                                                                          failed_build_between):
    """A load recorded in raw.load_log (read by a staging model each build makes anew, not parsed record by
    record) reaches mart_load_history, also when a build failed after making staging: the next build's staging
    is then what it was, and only the change remembered until a snapshot is published says it changed."""
    db = demo_copy(3, 1)
    con = open_work_db(db)
    try:
        con.execute("insert into raw.load_log values ('2030-01-02 08:00', 'a file', 'demo', 'Invoice', 1, 1, 0, 0)")
    finally:
        con.close()
    if failed_build_between:
        with monkeypatch.context() as patched:
            patched.setattr(build_module, "run_checks", _no_room)
            with pytest.raises(OSError):
                build(db)
    said, after, after_full = built_as_full(db)
    assert "building marts.mart_load_history" in said
    assert any("'a file'" in row for row in after["marts.mart_load_history"])  # the newest load's source
    assert after == after_full


def _no_room(con):
    raise OSError("no space left on device")


def test_a_build_on_a_sync_s_connection_leaves_its_threads_as_they_were(demo_copy):
    """A build from the copy runs on one thread; the sync whose connection it ran on goes on with its own."""
    db = demo_copy(3, 1)
    con = open_work_db(db)
    try:
        con.execute("set threads = 2")
        assert build(db, con=con).carried_over
        assert con.execute("select current_setting('threads')").fetchone() == (2,)
    finally:
        con.close()


def test_the_profit_and_loss_a_sync_stores_during_the_build_makes_the_tie_out_again(demo_copy):
    """The tie-out's staging is made after the sync stores QuickBooks' ProfitAndLoss, once the other models are
    made: what changed there is found then, not when the build started."""
    db = demo_copy(3, 1)

    def stored(con):
        con.execute("insert into raw.qbo_profit_and_loss values ('demo', date '2026-03-01', '1', 'Sales', 12.34, "
                    "timestamp '2026-11-23 08:00')")
        con.execute("insert into raw.qbo_profit_and_loss_months values ('demo', date '2026-03-01', "
                    "timestamp '2026-11-23 08:00')")

    said: list[str] = []
    assert build(db, said.append, tie_out=stored).carried_over
    after = contents(db)
    build(db, full=True)
    assert "building marts.mart_tie_out" in said
    assert after == contents(db)
