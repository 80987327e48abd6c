"""Issue #22 item 4: a warehouse with nothing loaded shows what to do first, never a dashboard of $0.00
that "ties out"."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from models.figures.freshness import first_steps
from tests.helpers import PROJECT, cli, run_cli_process

PAGES = ["dashboards/this_week.py", "dashboards/sitdown.py", "dashboards/garden.py", "dashboards/prepayments.py",
         "dashboards/receivables.py", "dashboards/revenue.py", "dashboards/categories.py"]


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("empty") / "w.duckdb"
    assert cli("build", "--db", db) == 0
    return db


def opened(monkeypatch, db, page: str) -> AppTest:
    monkeypatch.setenv("MSP_REVENUE_DB", str(db))
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
    app.run()
    app.switch_page(page)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def words(app: AppTest) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "info", "success", "warning") for e in getattr(app, kind))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_what_to_do_first(monkeypatch, empty_db, page):
    app = opened(monkeypatch, empty_db, page)
    shown = words(app)
    assert "Nothing is loaded yet" in shown
    for step in ("msp-revenue demo", "msp-revenue connect", "msp-revenue load"):
        assert step in shown.replace("\\", ""), step
    assert not app.metric, [m.label for m in app.metric]
    assert "ties out" not in shown and "every revenue line has a category" not in shown.lower()


def test_the_data_page_keeps_its_quickbooks_section_and_says_nothing_ties_out(monkeypatch, empty_db):
    app = opened(monkeypatch, empty_db, "dashboards/data.py")
    assert "Nothing is loaded yet" in words(app)
    assert {m.label: m.value for m in app.metric}["Tie-out"] == "nothing loaded"
    assert any(s.value == "QuickBooks" for s in app.subheader)


def test_a_build_with_nothing_loaded_and_an_app_with_no_warehouse_say_what_to_do(tmp_path):
    built = run_cli_process("build", "--db", tmp_path / "a" / "w.duckdb")
    assert built.returncode == 0 and "Nothing is loaded yet" in built.stderr
    assert f"msp-revenue demo --db {tmp_path / 'a' / 'w.duckdb'}" in built.stderr
    app = run_cli_process("app", "--db", tmp_path / "b" / "w.duckdb")
    assert app.returncode == 1 and "msp-revenue connect" in app.stderr


def test_the_first_steps_say_where_each_is_done(tmp_path):
    steps = first_steps(tmp_path / "w.duckdb").splitlines()
    # the terminal is named by the steps that need one, never above a step done on the Data page
    assert "terminal" not in steps[0]
    connect = next(step for step in steps if "Connect QuickBooks" in step)
    assert connect.index("on the Data page") < connect.index("in a terminal")
    assert all("in a terminal" in step for step in steps if "demo" in step or "load FILE" in step)


def test_the_demo_sends_the_owner_to_the_categories_page_to_map_items(tmp_path):
    made = run_cli_process("demo", "--db", tmp_path / "w.duckdb", "--clients", "5", "--years", "1")
    assert made.returncode == 0
    (note,) = [line for line in made.stderr.splitlines() if "unmapped" in line]
    assert note.index("Categories page") < note.index("categories.toml"), note
