"""Running the command line and reading warehouses, for tests."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import OrderedDict
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import duckdb
import pytest

from cli import main as cli_main
from ingest.records import dumps_exact
from models.warehouse import paths
from models.warehouse.snapshot import SnapshotReader, open_snapshot
from models.warehouse.work_db import open_work_db, raw_checksums

PROJECT = Path(__file__).resolve().parent.parent
UNTIL = "2026-11-22"  # the demo company's last day in tests, so figures do not move with the calendar
AS_OF = date.fromisoformat(UNTIL)
PAGES = ["dashboards/this_week.py", "dashboards/sitdown.py", "dashboards/garden.py", "dashboards/margin.py",
         "dashboards/policies.py", "dashboards/forecast.py", "dashboards/prepayments.py", "dashboards/receivables.py",
         "dashboards/revenue.py", "dashboards/categories.py",
         "dashboards/data.py"]
MSP_REVENUE = str(Path(sys.executable).with_name("msp-revenue"))  # the installed console command


def cli(*args: str | Path) -> int:
    return cli_main([str(a) for a in args])


def snapshot(db: Path) -> duckdb.DuckDBPyConnection:
    return open_snapshot(paths.snapshot(db))


def snapshot_cursor(db: Path) -> duckdb.DuckDBPyConnection:
    """A cursor on the warehouse's snapshot as it is now, as the app reads it: one connection per snapshot,
    opened again when a build publishes a new one (SnapshotReader). Opening one costs ~25 ms of CPU (the macros are
    stored in the snapshot; ~0.15 s where they must be made), which a few hundred reports and queries in the tests
    would otherwise pay each."""
    path = paths.snapshot(db)
    reader = _READERS.pop(path, None) or SnapshotReader(path)
    _READERS[path] = reader
    while len(_READERS) > _READERS_KEPT:
        _READERS.popitem(last=False)
    return reader.cursor()


def let_go(db: Path) -> None:
    """Close the kept reader of the warehouse's snapshot, so this process can open the file for writing."""
    if reader := _READERS.pop(paths.snapshot(db), None):
        reader.close()


_READERS: OrderedDict[Path, SnapshotReader] = OrderedDict()
_READERS_KEPT = 8  # the warehouses a worker's recent tests read: the others' connections are let go


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = snapshot_cursor(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def work_query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """A query on the work database, read only: raw, and the staging models kept parsed there (the snapshot holds
    the layers above them)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def store_agreeing_profit_and_loss(db: Path, month: str) -> None:
    """QuickBooks' ProfitAndLoss for `month` (YYYY-MM-DD, its first day) agreeing with our income and our cost
    lines of the last build, stored as a sync stores it (the next build compares them)."""
    agreeing = query(db, "select realm_id, month, account_id, null, sum(amount), now()::timestamp "
                         "from intermediate.int_income_by_account_month where month = ? group by all",
                     [date.fromisoformat(month)])
    costs = query(db, "select realm_id, month, account_id, null, 'Expenses', sum(amount), now()::timestamp "
                      "from marts.fct_cost_lines where month = ? and account_id is not null group by all",
                  [date.fromisoformat(month)])
    con = open_work_db(db)
    try:
        con.executemany("insert into raw.qbo_profit_and_loss values (?, ?, ?, ?, ?, ?)", agreeing)
        if costs:
            con.executemany("insert into raw.qbo_profit_and_loss_costs values (?, ?, ?, ?, ?, ?, ?)", costs)
    finally:
        con.close()


def checksums(db: Path) -> dict[str, str]:
    """The raw tables' checksums (equal checksums: the same stored records)."""
    con = open_work_db(db)
    try:
        return raw_checksums(con)
    finally:
        con.close()


def copied_warehouse(db: Path, folder: Path) -> Path:
    """The warehouse `db` with everything beside it (snapshot, settings, rules) copied into `folder`, a new one: a
    warehouse loaded and built once, for each test that changes it to have its own."""
    shutil.copytree(db.parent, folder)
    return folder / db.name


def write_json(path: Path, document) -> Path:
    """Write a QuickBooks-style document, Decimals as exact JSON numbers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_exact(document), encoding="utf-8")
    return path


def run_cli_here(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The command line in this process (no start-up of a new one), with `env` added to the environment for
    the call: its exit code, standard output and standard error as run_cli_process gives them."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        code = cli(*args)
    return subprocess.CompletedProcess([MSP_REVENUE, *map(str, args)], code, out.getvalue(), err.getvalue())


def run_cli_process(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed console command in its own process, as a user runs it."""
    return subprocess.run([MSP_REVENUE, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def app_page(monkeypatch: pytest.MonkeyPatch, db: Path, page: str | None, as_of=None, timeout: float = 180):
    """The app on warehouse `db`, run by Streamlit's AppTest and switched to `page` (e.g.
    "dashboards/data.py"; None: the first page), as of `as_of` when given; a page that raised fails the
    test here."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv(paths.ENV_VAR, str(db))
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=timeout)
    if as_of is not None:
        app.session_state["as_of"] = as_of
    if page is not None:
        # before the first run, AppTest names the page by its file, as st.Page does without a url_path: the
        # page opens directly, as a link to it does, without drawing the default page first
        app.switch_page(page)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    if page is not None:  # a name the router does not know would draw the default page instead, silently
        ran = app._registered_pages[app._finished_page_script_hash]["script_path"]
        assert Path(ran).resolve() == (PROJECT / page).resolve(), f"asked for {page}, the app drew {ran}"
    return app


def app_on(monkeypatch: pytest.MonkeyPatch, db: Path, page: str | None = None):
    """The app as of the test demo's last day (AS_OF), on `page` when given."""
    return app_page(monkeypatch, db, page, AS_OF)


def rerun(app):
    """Run the app again after a click or a choice; a page that raised fails the test here."""
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def texts(app) -> list[str]:
    """Every text a person reads on the page: markdown, captions, texts and messages."""
    return [e.value for kind in ("markdown", "caption", "text", "success", "error", "info", "warning")
            for e in getattr(app, kind)]


# A header that is a column's name rather than words: snake_case, or all lower case
RAW_HEADER = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+|[a-z][a-z ]*")


def grid_headers(frame) -> list[str]:
    """An AppTest dataframe's headers as the grid shows them: each column's label, else its name."""
    config = json.loads(frame.proto.columns or "{}")
    order = list(frame.proto.column_order) or [str(c) for c in frame.value.columns]
    return [config.get(c, {}).get("label") or c for c in order if not config.get(c, {}).get("hidden")]


def pdftotext(document: bytes | Path, layout: bool = False) -> str:
    """A PDF's text as poppler's pdftotext reads it: in reading order, a section beside another read whole (what a
    reader copies from the page), or with `layout` as the page lays it out, a table's row on one line."""
    data = document.read_bytes() if isinstance(document, Path) else document
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode()
