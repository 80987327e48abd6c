"""Parse once (issue 25): a build parses again only the raw records stored, replaced or removed since the last
one, and publishes what `build --full` publishes, report for report."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings, strategies as st

from models.figures.reports import LINE_KINDS, REPORTS, Options, render, run
from models.settings.settings import read as read_settings, settings_path
from models.warehouse import incremental, parsed, paths, sqlfiles
from models.warehouse import build as build_module
from models.warehouse.build import BuildResult, build
from models.warehouse.snapshot import open_snapshot
from models.warehouse.work_db import open_work_db
from tests.builders import invoice, item_line
from tests.helpers import UNTIL, cli, write_json
from tests.raw_changes import CHANGES, Stored, copied, deleted, live, new_version, store, stored
from tests.snapshot_contents import contents

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


def incremental_then_full(db: Path) -> tuple[BuildResult, dict[str, list[str]], dict[str, list[str]]]:
    """(the build after the changes, the snapshot after it, the snapshot after `build --full`). The snapshots are
    compared whole, table for table and row for row: every report is a function of them (and of the settings, the
    same), and prints its rows in an order of its own whatever order a build wrote them in
    (test_every_report_prints_the_same_whatever_order_the_snapshot_holds_its_rows_in), so equal snapshots print
    equal reports; comparing the tables is as strict, catches what no report prints, and costs a fifth as much."""
    incremental = build(db)
    after_incremental = contents(db)
    assert build(db, full=True).parsed_records is None
    return incremental, after_incremental, contents(db)


AGREEMENT_ITEM = "MSA - Gold"


def agreement_bills(db: Path) -> list[Stored]:
    """The live invoices of the agreement item of the first client billed it, by date."""
    con = open_work_db(db)
    try:
        bills = [r for r in stored(con, "invoices", "demo") if not r.deleted and any(
            line.get("SalesItemLineDetail", {}).get("ItemRef", {}).get("name") == AGREEMENT_ITEM
            for line in r.payload["Line"])]
    finally:
        con.close()
    client = min(bills, key=lambda r: r.id).payload["CustomerRef"]["value"]
    return sorted((r for r in bills if r.payload["CustomerRef"]["value"] == client), key=lambda r: r.payload["TxnDate"])


@pytest.fixture(scope="module")
def agreements_demo(demo_builds, tmp_path_factory):
    """The 20-client demo (credit memos, a refund receipt, a job) with MSA - Gold billed for 3 months a line, and a
    credit memo of the client's third bill of it, which takes that client's last months of it back; built."""
    original = demo_builds(20, 2)
    db = Path(shutil.copytree(original.parent, tmp_path_factory.mktemp("agreements") / "wh")) / original.name
    rules = db.with_name("categories.toml")
    rules.write_text(rules.read_text().replace("[agreement_months]\n", f'[agreement_months]\n"{AGREEMENT_ITEM}" = 3\n'))
    store(db, "demo", [copied(replace(agreement_bills(db)[2], table="credit_memos"), "800000")])
    assert not build(db).carried_over  # other rules: made whole
    return db


def test_every_report_prints_the_same_whatever_order_the_snapshot_holds_its_rows_in(agreements_demo, tmp_path):
    """A build from the copy of the last snapshot leaves the rows it carried over in another order than a whole build
    writes them (docs/DECISIONS.md, "Report order"): every report (each switch, a `lines` figure per query) prints
    the same from a snapshot whose every table holds its rows in reverse, so the builds are compared table for
    table (incremental_then_full)."""
    db = Path(shutil.copytree(agreements_demo.parent, tmp_path / "wh")) / agreements_demo.name
    before = outputs(db)
    con = duckdb.connect(str(paths.snapshot(db)))
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() where database_name = current_database() "
                             "and estimated_size > 1").fetchall()
        for schema, table in tables:
            con.execute(f"create or replace temp table reversed as select * from {schema}.{table} order by rowid desc")
            con.execute(f"delete from {schema}.{table}")
            con.execute(f"insert into {schema}.{table} select * from reversed")
    finally:
        con.close()
    assert len(tables) > 40
    assert outputs(db) == before


def test_a_bill_deleted_moves_what_a_credit_memo_of_the_item_takes_back(agreements_demo, tmp_path):
    """The credit memo takes back the client's last months of the item billed by its date: with an earlier bill
    deleted (the memo itself unchanged) it takes other months back, and the build makes its months again."""
    db = Path(shutil.copytree(agreements_demo.parent, tmp_path / "wh")) / agreements_demo.name

    def memo_months() -> list[tuple]:
        con = open_snapshot(paths.snapshot(db))
        try:
            return con.execute("select month, amount from marts.fct_service_months where document_id = '800000' "
                               "order by all").fetchall()
        finally:
            con.close()

    before = memo_months()
    store(db, "demo", [deleted(agreement_bills(db)[1])])
    result, after_incremental, after_full = incremental_then_full(db)
    assert result.carried_over
    assert memo_months() != before
    assert after_incremental == after_full


@pytest.mark.parametrize("how", ["deleted", "copied"])
def test_a_payment_changed_alone_makes_the_cash_lines_of_what_it_pays_again(agreements_demo, tmp_path, how):
    """fct_invoice_payment_shares and fct_cash_revenue_lines are made again for the documents a payment parsed again
    pays now (a new payment) or paid in the last snapshot (one deleted), though none of those documents changed."""
    db = Path(shutil.copytree(agreements_demo.parent, tmp_path / "wh")) / agreements_demo.name
    con = open_work_db(db)
    try:
        payment = next(r for r in stored(con, "payments", "demo") if not r.deleted and r.payload.get("Line"))
    finally:
        con.close()
    store(db, "demo", [deleted(payment) if how == "deleted" else copied(payment, "900000")])
    result, after_incremental, after_full = incremental_then_full(db)
    assert result.carried_over
    assert after_incremental == after_full


def test_a_worker_s_cost_rate_changed_alone_makes_their_time_activities_again(agreements_demo, tmp_path):
    """fct_time_worked takes the worker's cost rate when the time activity has none (the demo's never have one): a new
    rate of an employee alone, no time activity changed, makes every activity of theirs, its margin line and the
    sums of its months again."""
    db = Path(shutil.copytree(agreements_demo.parent, tmp_path / "wh")) / agreements_demo.name
    con = open_work_db(db)
    try:
        workers = {r.id: r for r in stored(con, "employees", "demo") if not r.deleted}
        activity = next(r for r in stored(con, "time_activities", "demo") if not r.deleted
                        and "CostRate" not in r.payload and r.payload.get("EmployeeRef", {}).get("value") in workers)
    finally:
        con.close()
    worker = workers[activity.payload["EmployeeRef"]["value"]]
    store(db, "demo", [new_version(worker, {**worker.payload, "CostRate": "123.45"})])
    result, after_incremental, after_full = incremental_then_full(db)
    assert result.carried_over
    assert after_incremental == after_full


# "credit": a copy of an invoice stored as a credit memo (of the agreement item too, when the invoice bills it)
change = st.tuples(st.sampled_from(["update", "delete", "insert", "credit"]), st.sampled_from(TABLES),
                   st.integers(0, 10_000), st.sampled_from(sorted(CHANGES)), st.integers(1, 19))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking a build-and-compare takes many minutes
@given(changes=st.lists(change, min_size=1, max_size=6), rules_changed=st.sampled_from([False, False, True]))
# what reaches documents that did not change, drawn too rarely to be left to chance: a client moved under another
# (its documents' client), a customer renamed, one deleted, a credit memo taking agreement months back, lookups renamed
@example(changes=[("update", "customers", 1, "reparented", 2)], rules_changed=False)
@example(changes=[("update", "customers", 4, "renamed", 1), ("delete", "customers", 2, "moved", 1)],
         rules_changed=False)
@example(changes=[("credit", "invoices", 7, "moved", 1), ("update", "invoices", 30, "repriced", 5)],
         rules_changed=False)
# an item and an account renamed (what the rules match them by) and a class: every line looking them up
@example(changes=[("update", "items", 9, "renamed", 1), ("update", "accounts", 3, "renamed", 2),
                  ("update", "classes", 0, "renamed", 3)], rules_changed=False)
# payments repriced, re-dated, new and deleted: every application to the documents they pay (a running total per
# document), and the payment's own row
@example(changes=[("update", "payments", 3, "repriced", 7), ("insert", "payments", 5, "moved", 40),
                  ("delete", "payments", 11, "moved", 1)], rules_changed=False)
# time activities and cost documents: one worked for another customer, another re-dated, a worker renamed, an expense
# new in another month, a bill deleted, an item renamed (a cost line's item) and an account (a cost line's)
@example(changes=[("update", "time_activities", 2, "reassigned", 3), ("update", "time_activities", 9, "moved", 40),
                  ("update", "employees", 0, "renamed", 1), ("insert", "purchases", 4, "moved", 35),
                  ("delete", "bills", 1, "moved", 1), ("update", "items", 2, "renamed", 4)], rules_changed=False)
@example(changes=[("update", "accounts", 5, "renamed", 1), ("update", "vendors", 1, "renamed", 2),
                  ("update", "purchases", 2, "reassigned", 7)], rules_changed=False)
def test_a_build_after_random_changes_publishes_what_a_full_build_does(agreements_demo, changes, rules_changed):
    """Records of any entity the models read, new, changed (amounts, dates, names, customers, parents) or deleted,
    and sometimes the rules: the build parses exactly those records again, makes the incremental models again
    only for the documents they reach (the whole build when the rules changed),
    and every report reads as after `build --full`."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(shutil.copytree(agreements_demo.parent, Path(folder) / "wh")) / agreements_demo.name
        touched = set()
        for number, (kind, table, pick, how, n) in enumerate(changes):
            table = "invoices" if kind == "credit" else table
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
            elif kind == "insert":
                written = copied(record, f"{900_000 + number}", CHANGES[how](record.payload, n))
            else:
                record = replace(record, table="credit_memos")
                written = copied(record, f"{900_000 + number}")
            store(db, "demo", [written])
            touched.add((record.table, written.id))
        if rules_changed:
            rules = db.with_name("categories.toml")
            rules.write_text(rules.read_text().replace("[items]\n", '[items]\n"Travel" = "other"\n'))
        result, after_incremental, after_full = incremental_then_full(db)
    assert result.parsed_records == len(touched)
    assert result.carried_over == (not rules_changed)
    assert after_incremental == after_full


def test_a_build_with_nothing_changed_parses_nothing(demo_copy):
    db = demo_copy(3, 1)
    before = contents(db)
    assert build(db).parsed_records == 0
    assert contents(db) == before


def test_a_realm_removed_from_raw_leaves_staging_with_it(demo_copy, tmp_path):
    """A real company's first load removes the demo realm's records from raw (no stub, no new version): its
    rows go from staging too."""
    db = demo_copy(3, 1)
    assert cli("load", write_json(tmp_path / "real.json", {"Invoice": [invoice("1", [item_line("100.00")])]}),
               "--db", db, "--no-build") == 0
    result, after_incremental, after_full = incremental_then_full(db)
    assert result.parsed_records > 1  # the demo's records and the new invoice
    assert after_incremental == after_full
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select distinct realm_id from staging.stg_qbo__sales_documents").fetchall() == [("local",)]
    finally:
        con.close()


def unparsed(db: Path) -> list[tuple[str, str, str]]:
    """The records the writer noted for the next build to parse (each once)."""
    con = open_work_db(db)
    try:
        return con.execute("select distinct entity, realm_id, id from raw.unparsed order by all").fetchall()
    finally:
        con.close()


def test_a_load_notes_exactly_the_records_it_stores_for_the_next_build(demo_copy):
    """The build finds what changed in the writer's notes, not by comparing raw with what it parsed: a new version
    and a new record are noted (once, though stored twice), a version older than the stored one is not; the build
    parses those and no other, and empties the notes."""
    db = demo_copy(3, 1)
    first, second = live(db, "invoices", "demo")[:2]
    assert unparsed(db) == []
    edited = new_version(first, CHANGES["repriced"](first.payload, 7))
    older = replace(new_version(second, second.payload), last_updated=second.last_updated - timedelta(days=1))
    store(db, "demo", [edited, copied(second, "900001")])
    store(db, "demo", [edited, older])
    assert unparsed(db) == sorted([("Invoice", "demo", first.id), ("Invoice", "demo", "900001")])
    result = build(db)
    assert (result.parsed_records, result.carried_over, unparsed(db)) == (2, True, [])


def test_a_build_that_fails_while_parsing_keeps_the_notes(demo_copy, monkeypatch):
    """The notes are emptied in the transaction that parses them: a build that fails there leaves them, and the next
    parses the record and publishes what `build --full` does."""
    db = demo_copy(3, 1)
    record = live(db, "invoices", "demo")[5]
    store(db, "demo", [new_version(record, CHANGES["repriced"](record.payload, 4_321))])

    def no_room(*args, **kwargs):
        raise OSError("no space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(parsed.catalogs, "searching", no_room)
        with pytest.raises(OSError):
            build(db)
    assert unparsed(db) == [("Invoice", "demo", record.id)]
    result, after_incremental, after_full = incremental_then_full(db)
    assert result.parsed_records == 1
    assert after_incremental == after_full


def test_a_warehouse_from_before_is_parsed_whole_once(demo_copy):
    """A work database built before staging was kept (no record of what was parsed) builds as `build --full`
    does, and from then on parses only what changed."""
    db = demo_copy(3, 1)
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


def test_a_build_that_fails_after_parsing_leaves_its_changes_to_the_next(demo_copy, monkeypatch):
    """The records a failed build parsed are parsed: the next build does not parse them again, but still makes
    their documents again before it publishes."""
    db = demo_copy(3, 1)
    con = open_work_db(db)
    try:
        invoice_record = [r for r in stored(con, "invoices", "demo") if not r.deleted][3]
    finally:
        con.close()
    store(db, "demo", [new_version(invoice_record, CHANGES["repriced"](invoice_record.payload, 12_345))])

    def no_room(*_):
        raise OSError("no space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "run_checks", no_room)
        with pytest.raises(OSError):
            build(db)
    result, after_incremental, after_full = incremental_then_full(db)
    assert (result.parsed_records, result.carried_over) == (0, True)
    assert after_incremental == after_full


def test_a_relation_read_whole_by_one_model_and_in_part_by_another_of_its_set_is_refused():
    """The models of one set of documents read a relation through one view: one that needs all of its rows while
    another takes only the affected documents' would make rows from too few."""
    declared = incremental.spec()
    assert "intermediate.int_sales_documents" in declared.restricted("documents")
    posted = "intermediate.int_sales_lines__posted"
    reads_documents_whole = replace(declared.models[posted], reads=("intermediate.int_sales_lines__categorised",))
    models = {**declared.models, posted: reads_documents_whole}
    with pytest.raises(RuntimeError, match="int_sales_lines__posted reads intermediate.int_sales_documents whole"):
        replace(declared, models=models).restricted("documents")


def test_a_model_made_as_a_view_declared_incremental_is_refused(monkeypatch):
    """A view has no rows of its own to delete and make again for the documents changed."""
    monkeypatch.setattr(sqlfiles, "views", lambda: frozenset({"marts.fct_revenue_lines"}))
    with pytest.raises(RuntimeError, match="marts.fct_revenue_lines is made as a view"):
        incremental.spec()


def test_a_check_of_a_set_s_documents_reading_a_model_made_whole_is_refused(monkeypatch):
    """A check run on a set's documents alone may read only models made again for that set (or `documents`): a model
    made whole may differ from the copy's in a document outside the set, where the check would not look."""
    read = sqlfiles.read
    monkeypatch.setattr(sqlfiles, "read", lambda relative: read(relative).replace(
        "marts.fct_other_sales_lines", "marts.fct_payments") if relative == "tests/revenue_lines_tie_out.sql"
        else read(relative))
    with pytest.raises(RuntimeError, match="the check revenue_lines_tie_out reads marts.fct_payments"):
        incremental.spec()


def test_a_check_declared_of_a_set_whose_rows_are_not_documents_is_refused(monkeypatch):
    """A check's rows are each of one document: a set of clients' months cannot say which of them to check."""
    read = sqlfiles.read
    monkeypatch.setattr(sqlfiles, "read", lambda relative: read(relative).replace(
        'revenue_lines_tie_out = "documents"', 'revenue_lines_tie_out = "client_months"')
        if relative == incremental.SPEC else read(relative))
    with pytest.raises(RuntimeError, match="revenue_lines_tie_out is declared of client_months"):
        incremental.spec()


def test_a_release_before_a_model_that_is_not_one_is_refused(monkeypatch):
    read = sqlfiles.read
    monkeypatch.setattr(sqlfiles, "read", lambda relative: read(relative).replace(
        '"marts.fct_refunded_months"', '"marts.fct_no_such_model"') if relative == incremental.SPEC else read(relative))
    with pytest.raises(RuntimeError, match="release_before names marts.fct_no_such_model, which is no model"):
        incremental.spec()


def test_a_build_from_the_copy_plans_without_the_passes_named_and_gives_them_back(demo_copy):
    """incremental.toml's disabled_optimizers hold while the snapshot's models are made from the copy, on one thread;
    a connection that goes on after the build has DuckDB's every pass and thread again."""
    db = demo_copy(3, 1)
    with duckdb.connect() as memory:
        named = incremental.disabled_optimizers(memory)
    assert named
    con = open_work_db(db)
    during: list[tuple[str, int]] = []

    def progress(line: str) -> None:
        if line.startswith(("building marts.", "keeping marts.")) and not during:
            during.append(con.execute("select current_setting('disabled_optimizers'), current_setting('threads')")
                          .fetchone())

    try:
        before = con.execute("select current_setting('disabled_optimizers'), current_setting('threads')").fetchone()
        assert build(db, progress, con=con).carried_over
        assert during and set(during[0][0].split(",")) == set(named) and during[0][1] == 1
        assert con.execute("select current_setting('disabled_optimizers'), current_setting('threads')").fetchone() \
            == before
    finally:
        con.close()


def test_an_optimizer_pass_duckdb_does_not_have_is_refused(monkeypatch):
    read = sqlfiles.read
    monkeypatch.setattr(sqlfiles, "read", lambda relative: read(relative).replace(
        '"top_n",', '"top_n", "no_such_pass",') if relative == incremental.SPEC else read(relative))
    with duckdb.connect() as memory, pytest.raises(RuntimeError, match="disabled_optimizers names no_such_pass"):
        incremental.disabled_optimizers(memory)
