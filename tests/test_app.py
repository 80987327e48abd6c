"""The Streamlit app on a real warehouse: page figures equal the report command's."""
from __future__ import annotations

from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT, UNTIL, cli, query


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("app") / "w.duckdb"
    assert cli("demo", "--db", db, "--until", UNTIL, "--clients", "20", "--years", "2") == 0
    return db


def run_app(monkeypatch, db) -> AppTest:
    monkeypatch.setenv("MSP_REVENUE_DB", str(db))
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_revenue_page_shows_the_report_figures(monkeypatch, demo_db):
    app = run_app(monkeypatch, demo_db)
    assert app.title[0].value == "Revenue by month and category"
    table = app.dataframe[0].value
    expected = dict(query(demo_db, "select month, sum(amount) from marts.mart_revenue_by_category group by 1"))
    shown = {row["Month"]: row["Total"] for _, row in table.iterrows()}
    assert {m: Decimal(str(v)) for m, v in shown.items()} == expected
    assert "ties out" in app.caption[0].value


def test_empty_warehouse_page_explains(monkeypatch, tmp_path):
    db = tmp_path / "w.duckdb"
    assert cli("build", "--db", db) == 0  # a warehouse with no data yet
    app = run_app(monkeypatch, db)
    assert "No sales documents yet" in app.info[0].value


def test_missing_warehouse_page_says_what_to_run(monkeypatch, tmp_path):
    app = run_app(monkeypatch, tmp_path / "none.duckdb")
    assert "msp-revenue demo" in app.error[0].value
