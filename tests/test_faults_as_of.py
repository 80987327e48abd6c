"""An address asking for an as-of date no report holds (the first or the last day of the calendar) is refused
by the sidebar with a note, as the command line refuses it, and every page still shows."""
from __future__ import annotations

import argparse
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

import cli
from tests.helpers import PROJECT

PAGES = ("dashboards/this_week.py", "dashboards/sitdown.py", "dashboards/garden.py", "dashboards/prepayments.py",
         "dashboards/receivables.py", "dashboards/revenue.py")


@pytest.fixture(scope="module")
def demo_db(demo_copies):
    return demo_copies("edges", 3, 1)


@pytest.mark.parametrize("asked", ["0001-01-01", "0001-02-28", "9999-12-31", "1899-12-31"])
def test_a_date_at_the_calendar_s_ends_is_refused_and_every_page_shows(monkeypatch, demo_db, asked):
    monkeypatch.setenv("MSP_REVENUE_DB", str(demo_db))
    test = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=120)
    test.query_params["as_of"] = asked
    test.run()
    assert not test.exception, [e.message for e in test.exception]
    notes = [warning.value for warning in test.sidebar.warning]
    assert any(asked in note and "shown as of today" in note for note in notes), notes
    for page in PAGES:
        test.switch_page(page)
        test.run()
        assert not test.exception, (page, [e.message for e in test.exception])
        assert test.sidebar.date_input[0].value == date.today()


@pytest.mark.parametrize("asked", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_the_command_line_refuses_the_same_dates(asked):
    with pytest.raises(argparse.ArgumentTypeError, match=asked):
        cli._as_of(asked)
