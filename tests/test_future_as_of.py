"""Issue #22 item 5: an as-of date after today is refused by the reports and clamped to today, with a note,
by the app; figures of a day still to come are never shown as history."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import PROJECT, UNTIL, run_cli_process


@pytest.fixture(scope="module")
def demo_db(demo_copies):
    return demo_copies("future", 3, 1)


@pytest.mark.parametrize("args", [("report", "ar-aging"), ("report", "mrr"), ("report", "lines", "--kind", "mrr")])
def test_a_report_refuses_an_as_of_after_today(demo_db, args):
    result = run_cli_process(*args, "--as-of", "2030-01-01", "--db", demo_db)
    assert result.returncode != 0 and not result.stdout
    assert "argument --as-of: 2030-01-01 is after today" in result.stderr
    assert f"({date.today().isoformat()})" in result.stderr and "give today or an earlier date" in result.stderr


def test_the_weekly_pdf_refuses_a_week_not_begun_and_takes_this_one(demo_db, tmp_path):
    later = date.today() + timedelta(days=8)
    refused = run_cli_process("weekly", "--week", later.isoformat(), "--out", tmp_path / "w.pdf", "--db", demo_db)
    assert refused.returncode != 0 and "argument --week" in refused.stderr and "has not begun" in refused.stderr
    assert f"({date.today().isoformat()})" in refused.stderr and not (tmp_path / "w.pdf").exists()
    assert run_cli_process("weekly", "--week", date.today().isoformat(), "--out", tmp_path / "w.pdf",
                           "--db", demo_db).returncode == 0


def test_a_report_takes_today(demo_db):
    assert run_cli_process("report", "ar-aging", "--as-of", date.today().isoformat(), "--db", demo_db).returncode == 0


def app_with_address(monkeypatch, db, as_of: str) -> AppTest:
    monkeypatch.setenv("MSP_REVENUE_DB", str(db))
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=120)
    app.query_params["as_of"] = as_of
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_the_app_shows_an_address_after_today_as_of_today_and_says_why(monkeypatch, demo_db):
    later = (date.today() + timedelta(days=71)).isoformat()
    app = app_with_address(monkeypatch, demo_db, later)
    assert app.sidebar.date_input[0].value == date.today()
    (note,) = [w.value for w in app.sidebar.warning if "after today" in w.value]
    assert later in note and "shown as of today" in note
    assert app.query_params["as_of"] in (date.today().isoformat(), [date.today().isoformat()])
    assert app.caption and f"as of {date.today().isoformat()}" in app.caption[0].value  # This week's figures


def test_the_app_takes_a_date_in_the_past(monkeypatch, demo_db):
    app = app_with_address(monkeypatch, demo_db, UNTIL)
    assert app.sidebar.date_input[0].value == date.fromisoformat(UNTIL)
    assert not [w for w in app.sidebar.warning if "after today" in w.value]
