"""Models left as they are (issue 25): a build from a copy of the last snapshot makes a model whole again, and the
kept forecast, only when something it reads changed, and publishes what `build --full` publishes, table for table."""
from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from duckdb.sqltypes import BOOLEAN, VARCHAR

from models.warehouse import build as build_module
from models.warehouse import incremental, kept_forecasts, parsed, paths, sqlfiles, stored_macros, unchanged
from models.warehouse.build import BuildResult, build
from models.warehouse.snapshot import open_snapshot
from models.warehouse.work_db import open_work_db
from tests.raw_changes import CHANGES, Stored, copied, live, new_version, store, stored
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


def _no_room(*_):
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


def test_a_build_on_a_connection_its_caller_closes_leaves_it_on_one_thread(demo_copy):
    """The sync closes its connection once the build is over: its threads are not started again only to stop."""
    db = demo_copy(3, 1)
    con = open_work_db(db)
    try:
        con.execute("set threads = 2")
        assert build(db, con=con, closing=True).carried_over
        assert con.execute("select current_setting('threads')").fetchone() == (1,)
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


def _build_noting_checks(db: Path, ran: list[str], full: bool = False) -> BuildResult:
    """A build whose checks call check_ran(name), which notes that they ran and returns false."""
    con = open_work_db(db)
    try:
        con.create_function("check_ran", lambda name: ran.append(name) is not None, [VARCHAR], BOOLEAN,
                            side_effects=True)
        return build(db, con=con, full=full)
    finally:
        con.close()


def test_a_build_from_the_copy_runs_only_the_checks_that_may_find_other_rows(demo_copy, monkeypatch):
    """A check that reads only models unchanged since the copy was built finds what it found then, so it is not run
    again, unless it found rows then (the build records how many); one reading a model made again runs, and
    `build --full` runs every check."""
    db = demo_copy(3, 1)
    monkeypatch.setattr(build_module, "checks", lambda: {
        "items_checked": build_module.Check("select * from marts.dim_items where check_ran('items_checked')", "test"),
        "companies_listed": build_module.Check(  # every row is wrong: it fails every build
            "select * from marts.dim_companies where not check_ran('companies_listed')", "test"),
        "payments_checked": build_module.Check(
            "select * from marts.fct_payments where check_ran('payments_checked')", "test"),
    })
    ran: list[str] = []
    assert _build_noting_checks(db, ran, full=True).failed_checks == {"companies_listed": 1}
    assert set(ran) == {"items_checked", "companies_listed", "payments_checked"}

    ran.clear()
    result = _build_noting_checks(db, ran)
    assert result.carried_over and result.failed_checks == {"companies_listed": 1}
    assert set(ran) == {"companies_listed"}

    payment = live(db, "payments", "demo")[0]
    store(db, "demo", [new_version(payment, CHANGES["repriced"](payment.payload, 100))])
    ran.clear()
    assert _build_noting_checks(db, ran).failed_checks == {"companies_listed": 1}
    assert set(ran) == {"companies_listed", "payments_checked"}


@pytest.mark.parametrize("before, now, differ", [
    ("(1, 'a'), (1, 'a'), (2, null)", "(2, null), (1, 'a'), (1, 'a')", False),  # the same rows in another order
    ("(1, 'a'), (1, 'a')", "(1, 'a')", True),  # a row twice, then once
    ("(1, 'a')", "(1, 'a'), (1, 'a')", True),
    ("(1, 'a'), (2, 'b')", "(1, 'a'), (2, 'c')", True),
    ("(1, null)", "(1, 'a')", True),
])
def test_a_staging_model_made_anew_is_remembered_when_its_rows_differ_as_a_multiset(before, now, differ):
    con = duckdb.connect()
    con.execute("create schema staging")
    con.execute("create schema parsed")
    con.execute(sqlfiles.read("parsed/pending_models.sql"))

    def model(rows: str) -> sqlfiles.Model:
        return sqlfiles.Model("staging", "stg_rows", f"select * from (values {rows}) as t(n, name)")

    unchanged.make_staging(con, model(before))
    con.execute("delete from parsed.pending_models")
    unchanged.make_staging(con, model(now))
    assert con.execute("select count(*) from parsed.pending_models").fetchone()[0] == differ
    assert sorted(con.execute("select * from staging.stg_rows").fetchall(), key=repr) == \
        sorted(con.execute(model(now).sql).fetchall(), key=repr)
    assert con.execute("select count(*) from duckdb_tables() where temporary").fetchone()[0] == 0


@pytest.mark.parametrize("before, now", [
    ("(1, 'a'), (1, 'a'), (2, null)", "(2, null), (1, 'a'), (1, 'a')"),  # the same rows in another order
    ("(1, 'a'), (1, 'a'), (1, 'a'), (2, 'b')", "(1, 'a'), (2, 'b')"),  # a row three times, then once
    ("(1, 'a'), (2, 'b')", "(1, 'a'), (1, 'a'), (2, 'b'), (2, 'b'), (2, 'b')"),
    ("(1, 'a'), (2, 'b'), (3, null)", "(1, 'a'), (2, 'c'), (3, 'c')"),
    ("(1, 'a'), (2, 'b')", "(2, 'b')"),
])
def test_a_model_made_whole_from_the_copy_writes_only_the_rows_that_differ_as_a_multiset(before, now):
    """A model made whole in a build from the copy leaves the rows the copy holds as they are (their rowids stay),
    deletes as many copies of a row as it holds too many and inserts as many as it lacks; it says whether any
    differed."""
    con = duckdb.connect()
    con.execute(f"create table kept as select * from (values {before}) as t(n, name)")
    sql = f"select * from (values {now}) as t(n, name)"
    held = Counter(con.execute("select * from kept").fetchall())
    made = Counter(con.execute(sql).fetchall())
    rowids = {rowid for (rowid,) in con.execute("select rowid from kept").fetchall()}
    assert unchanged.write_difference(con, "kept", sql) == (held != made)
    assert Counter(con.execute("select * from kept").fetchall()) == made
    left = con.execute("select count(*) from kept where rowid in (select unnest(?))", [sorted(rowids)]).fetchone()[0]
    assert left == (held & made).total(), "a row both hold was written again"
    assert con.execute("select count(*) from duckdb_tables() where temporary").fetchone()[0] == 0


def test_a_model_made_whole_whose_rows_are_the_copy_s_keeps_what_reads_it(demo_copy):
    """A customer stored again as it was (a new SyncToken, no field a model reads moved) is parsed again, so the
    customers' hierarchy is made whole; its rows are the copy's, so it counts as unchanged and what reads only it and
    unchanged models (dim_customers, the devices) is left as it is."""
    db = demo_copy(3, 1)
    customer = live(db, "customers", "demo")[0]
    store(db, "demo", [new_version(customer, customer.payload)])
    said, after, after_full = built_as_full(db)
    assert "building intermediate.int_customers__hierarchy" in said
    assert "keeping marts.dim_customers: nothing it reads changed" in said
    assert after == after_full


def test_a_day_of_invoices_and_payments_keeps_the_margin_s_time_and_cost_lines(demo_copy):
    """A new invoice and a new payment reach the margin's sales lines of their documents only: its time and cost
    lines (keyed by time activity and cost document) read nothing that changed and are left as they are."""
    db = demo_copy(3, 1)
    invoice, payment = _an_invoice_and_a_payment(db)
    store(db, "demo", [copied(invoice, "900001"), copied(payment, "900002")])
    said, after, after_full = built_as_full(db)
    assert "building marts.fct_margin_sales_lines for the documents changed" in said
    assert "keeping marts.fct_margin_time_and_cost_lines: nothing it reads changed" in said
    assert any("'900001'" in row for row in after["marts.fct_margin_sales_lines"])
    assert after == after_full


def test_an_item_s_purchase_cost_changed_makes_the_margin_lines_that_sell_it_again(demo_copy):
    """The margin's purchase-cost lines are a sales line's quantity at its item's purchase cost: a new cost of the
    item alone (no document changed) makes every line selling it again."""
    db = demo_copy(3, 1)
    con = open_snapshot(paths.snapshot(db))
    try:
        sold = con.execute("select min(item_id) from marts.fct_margin_lines where source = 'purchase_cost'").fetchone()[0]
    finally:
        con.close()
    before = contents(db)["marts.fct_margin_sales_lines"]
    con = open_work_db(db)
    try:
        item = next(r for r in stored(con, "items", "demo") if r.id == sold)
    finally:
        con.close()
    cost = str(Decimal(item.payload["PurchaseCost"]) + 7)
    store(db, "demo", [new_version(item, {**item.payload, "PurchaseCost": cost})])
    said, after, after_full = built_as_full(db)
    assert "building marts.fct_margin_sales_lines for the documents changed" in said
    assert after["marts.fct_margin_sales_lines"] != before
    assert after == after_full


INCREMENTAL_GRAINS = [f"{model.split('.')[1]}_one_row_per_key" for model in
                      ("marts.fct_revenue_lines", "marts.fct_sales_documents", "marts.fct_cash_revenue_lines",
                       "marts.fct_invoice_payment_shares", "marts.fct_margin_sales_lines")]


def _an_invoice_and_a_payment(db: Path) -> tuple[Stored, Stored]:
    """A stored invoice, and a stored payment applied to something."""
    con = open_work_db(db)
    try:
        return (next(r for r in stored(con, "invoices", "demo") if not r.deleted),
                next(r for r in stored(con, "payments", "demo") if not r.deleted and r.payload.get("Line")))
    finally:
        con.close()


def _a_day_s_invoice_and_payment(db: Path) -> None:
    invoice, payment = _an_invoice_and_a_payment(db)
    store(db, "demo", [new_version(invoice, CHANGES["repriced"](invoice.payload, 100)),
                       new_version(payment, CHANGES["repriced"](payment.payload, 100))])


@pytest.mark.parametrize("recorded", [True, False])
def test_the_grain_of_a_model_made_again_is_checked_on_the_documents_changed(demo_copy, recorded):
    """A model made again for the documents changed keeps the rest of its rows from the copy, whose build checked
    them: its grain check (a key holding the document) counts the documents changed only. A duplicate row the copy
    carries is counted when the copy's build recorded it (its check failed then, so it runs whole again); one planted
    past that record is of a document unchanged, which no build since could have made, and is not looked for."""
    db = demo_copy(3, 1)
    snapshot_file = paths.snapshot(db)
    con = duckdb.connect(str(snapshot_file))
    try:
        con.execute("insert into marts.fct_revenue_lines select * from marts.fct_revenue_lines "
                    "where document_id = (select max(document_id) from marts.fct_revenue_lines) limit 1")
        if recorded:
            con.execute("update marts.mart_build_info set failed_checks = ['fct_revenue_lines_one_row_per_key']")
    finally:
        con.close()
    _a_day_s_invoice_and_payment(db)
    said: list[str] = []
    result = build(db, said.append)
    assert result.carried_over
    assert "building marts.fct_revenue_lines for the documents changed" in said
    assert ("fct_revenue_lines_one_row_per_key" in result.failed_checks) == recorded


def test_a_line_made_twice_for_a_document_changed_fails_the_grain_checks(demo_copy, monkeypatch):
    """The grain checks on the documents changed find a row of theirs made twice (their old rows left in place)."""
    db = demo_copy(3, 1)
    _a_day_s_invoice_and_payment(db)
    read = sqlfiles.read

    def old_rows_kept(relative: str) -> str:
        return "select 1 where false" if relative == "incremental/forget_rows.sql" else read(relative)

    monkeypatch.setattr(sqlfiles, "read", old_rows_kept)
    result = build(db)
    assert result.carried_over
    assert set(INCREMENTAL_GRAINS) <= set(result.failed_checks)
    # and the checks run on those documents' rows alone: the invoice's lines twice add up to twice its total, and
    # the payment's shares of what it pays to twice the sum paid
    assert {"revenue_lines_tie_out", "cash_spread_adds_up"} <= set(result.failed_checks)


@pytest.mark.parametrize("recorded", [True, False])
def test_a_check_of_the_documents_changed_reads_their_rows_alone(demo_copy, recorded):
    """A check declared of a set's documents (sql/incremental/incremental.toml) runs, in a build from the copy, on
    those documents' rows: a revenue line of a document unchanged, made wrong in the copy past its build's record, is
    not looked for (no build since could have made it); one the copy's build recorded (its check failed then) is, as
    the check runs whole again."""
    db = demo_copy(3, 1)
    con = duckdb.connect(str(paths.snapshot(db)))
    try:
        planted = con.execute("update marts.fct_revenue_lines set amount = amount + 1 where rowid = "
                              "(select max(rowid) from marts.fct_revenue_lines where document_type = 'Invoice') "
                              "returning document_id").fetchall()
        if recorded:
            con.execute("update marts.mart_build_info set failed_checks = ['revenue_lines_tie_out']")
    finally:
        con.close()
    invoice, _ = _an_invoice_and_a_payment(db)
    assert planted and planted[0][0] != invoice.id
    _a_day_s_invoice_and_payment(db)
    result = build(db)
    assert result.carried_over
    assert ("revenue_lines_tie_out" in result.failed_checks) == recorded


def test_a_snapshot_put_back_in_place_is_not_built_from(demo_copy, tmp_path):
    """A snapshot file that is not the one the last build here published (an older one put back) holds another build
    id: its copy is dropped and the build makes everything from an empty file, on the records stored since too."""
    db = demo_copy(3, 1)
    older = tmp_path / "older.duckdb"
    older.write_bytes(paths.snapshot(db).read_bytes())
    _a_day_s_invoice_and_payment(db)
    assert build(db).carried_over
    paths.snapshot(db).write_bytes(older.read_bytes())
    result = build(db)
    assert not result.carried_over
    assert result.what == "rebuilt everything: the snapshot is not the one the last build here published"
    after = contents(db)
    build(db, full=True)
    assert after == contents(db)


def test_a_build_read_ahead_reads_no_file_of_sql(demo_copy):
    """What a sync's build reads of sql/ is read while the sync waits on QuickBooks (`build.read_ahead`, called by
    cli._build_imports): the build after a day's change, from the copy, then reads no file (each read there was its
    start's CPU after the records came, ~15 ms)."""
    db = demo_copy(3, 1)
    invoice = live(db, "invoices", "demo")[0]
    store(db, "demo", [new_version(invoice, CHANGES["repriced"](invoice.payload, 100))])
    for cached in (sqlfiles.read, sqlfiles.models, sqlfiles.reads, incremental.files_digest, parsed.fingerprint,
                   stored_macros.fingerprint):
        cached.cache_clear()  # as a new process starts
    con = open_work_db(db)  # the sync's, open before it asks QuickBooks anything
    try:
        build_module.read_ahead()
        read_ahead = sqlfiles.read.cache_info().misses
        assert build(db, con=con).carried_over
        assert sqlfiles.read.cache_info().misses == read_ahead
    finally:
        con.close()


def test_the_sync_reads_ahead_for_its_build_while_it_waits(monkeypatch):
    """`msp-revenue sync` hands run_sync cli._build_imports as what to do while QuickBooks answers: it reads ahead."""
    import cli

    read = []
    monkeypatch.setattr(build_module, "read_ahead", lambda: read.append(True))
    cli._build_imports()
    assert read == [True]
