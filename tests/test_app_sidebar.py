"""The router's sidebar: the as-of date holds across pages and comes from the address; the company
picker when a warehouse holds several; the badge says what was checked."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import invoice, item_line
from tests.helpers import PROJECT, cli, write_json


@pytest.fixture(scope="module")
def demo_db(demo_copies):
    return demo_copies("sidebar", 3, 1)


def app(monkeypatch, db, **query) -> AppTest:
    monkeypatch.setenv("MSP_REVENUE_DB", str(db))
    test = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=90)
    test.query_params.update(query)
    test.run()
    assert not test.exception, [e.message for e in test.exception]
    return test


def switch(test: AppTest, page: str) -> AppTest:
    test.switch_page(page)
    test.run()
    assert not test.exception, [e.message for e in test.exception]
    return test


def test_the_date_in_the_address_is_the_as_of_date_and_holds_across_pages(monkeypatch, demo_db):
    test = app(monkeypatch, demo_db, as_of="2026-10-31")
    assert test.sidebar.date_input[0].value == date(2026, 10, 31)
    test.sidebar.date_input[0].set_value(date(2026, 9, 30)).run()
    for page in ("dashboards/receivables.py", "dashboards/revenue.py", "dashboards/this_week.py"):
        assert switch(test, page).sidebar.date_input[0].value == date(2026, 9, 30)
        assert test.query_params["as_of"] in ("2026-09-30", ["2026-09-30"])  # the address follows, to bookmark


def test_the_badge_says_nothing_was_compared_with_quickbooks(monkeypatch, demo_db):
    badge = app(monkeypatch, demo_db).sidebar.caption[0].value
    assert "revenue lines to their documents; not compared with QuickBooks (no company connected)" in badge


def test_a_warehouse_of_two_companies_has_a_picker_and_pages_show_one(monkeypatch, tmp_path):
    db = tmp_path / "two" / "w.duckdb"
    for realm, name, amount in (("9130000000000001", "Bayside Computer Care", "150.00"),
                                ("9130000000000002", "Harbor Tech", "975.00")):
        books = {"Invoice": [invoice("1", [item_line(amount)], DueDate="2026-03-25")],
                 "CompanyInfo": [{"Id": "1", "CompanyName": name, "MetaData": {"LastUpdatedTime": "2026-03-01T00:00:00Z"}}]}
        assert cli("load", write_json(tmp_path / f"{realm}.json", books), "--db", db, "--realm", realm) == 0
    test = switch(app(monkeypatch, db, as_of="2026-04-30"), "dashboards/receivables.py")
    picker = test.sidebar.selectbox[0]
    assert picker.label == "Company" and picker.options == ["Bayside Computer Care", "Harbor Tech"]
    assert next(m.value for m in test.metric if m.label == "Total") == "$150.00"
    picker.select("9130000000000002").run()
    assert next(m.value for m in test.metric if m.label == "Total") == "$975.00"


def test_the_printed_company_name_is_set_on_the_data_page(monkeypatch, demo_copy):
    from models.settings import settings

    db = demo_copy(3, 1)
    test = switch(app(monkeypatch, db), "dashboards/data.py")
    field = next(t for t in test.text_input if t.label == "Printed name")
    assert field.value == ""  # the company's own name in QuickBooks is printed
    field.set_value("Bayside IT")
    next(b for b in test.button if b.label == "Save name").click().run()
    assert settings.load(settings.settings_path(db)).company_name == "Bayside IT"
