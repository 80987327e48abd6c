"""Every page of the Streamlit app on the demo company: no exception, figures equal the reports'."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from models.settings.access import decide
from models.figures.formatting import money_text
from tests.helpers import AS_OF, PAGES, PROJECT, app_on, cli
from tests.metrics import report


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


@pytest.fixture(scope="module")
def demo_page(demo_db):
    """demo_page(page): the page drawn on the shared demo once for the module (each draw is a second or two); the
    tests that only read what a page shows share it."""
    drawn: dict[str, AppTest] = {}

    def draw(page: str) -> AppTest:
        if page not in drawn:
            with pytest.MonkeyPatch.context() as patch:  # the warehouse's variable, for the run only
                drawn[page] = app_on(patch, demo_db, page)
        return drawn[page]

    return draw


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(demo_page, page):
    app = demo_page(page)
    # the router draws the freshness badge once, in the sidebar, for every page
    assert app.title and "ties out" in app.sidebar.caption[0].value


def test_this_week_figures_equal_the_reports(demo_page, demo_db):
    app = demo_page("dashboards/this_week.py")
    week = report(demo_db, "revenue-by-category", AS_OF, period=(date(2026, 11, 16), AS_OF))
    assert metric(app, "Invoiced this week") == money_text(sum((r["amount"] for r in week), Decimal(0)))
    mrr = [r for r in report(demo_db, "mrr", AS_OF, summary=True) if r["month"] == date(2026, 11, 1)][0]
    assert metric(app, "MRR this month") == money_text(mrr["mrr"])
    aging = report(demo_db, "ar-aging", AS_OF)
    assert metric(app, "Receivables") == money_text(sum((r["total"] for r in aging), Decimal(0)))
    held = report(demo_db, "prepayments", AS_OF)
    assert metric(app, "Held as prepayment") == money_text(sum((r["liability"] for r in held), Decimal(0)))


def test_sitdown_figures_equal_client_labor(demo_page, demo_db):
    app = demo_page("dashboards/sitdown.py")
    realm, client_id = app.selectbox[0].value
    (row,) = report(demo_db, "client-labor", AS_OF, client=client_id)
    assert metric(app, "Labor paid") == money_text(row["labor_total"])
    assert metric(app, "Hourly labor") == money_text(row["labor_hourly"])
    assert app.download_button  # the printout


def test_garden_and_receivables_equal_the_reports(demo_page, demo_db):
    garden = demo_page("dashboards/garden.py")
    summary = {r["line"]: r for r in report(demo_db, "garden", AS_OF, summary=True)}
    assert metric(garden, "At or above $500") == f"{summary[Decimal('500')]['clients_at_or_above']} clients"
    receivables = demo_page("dashboards/receivables.py")
    aging = report(demo_db, "ar-aging", AS_OF)
    assert metric(receivables, "Total") == money_text(sum((r["total"] for r in aging), Decimal(0)))


def test_device_counts_saved_on_the_sitdown_page(monkeypatch, demo_copy):
    demo_db = demo_copy()  # the counts are saved beside the warehouse
    app = app_on(monkeypatch, demo_db, "dashboards/sitdown.py")
    realm, client_id = app.selectbox[0].value
    servers, desktops = app.number_input[0], app.number_input[1]
    servers.set_value(3)
    desktops.set_value(17)
    next(c for c in app.checkbox if c.label == "Use these counts over the device export").check()
    next(b for b in app.button if b.label == "Save device counts").click()
    app.run()
    from models.settings import settings
    saved = settings.load(settings.settings_path(demo_db)).devices[realm][client_id]
    assert (saved.servers, saved.desktops, saved.override) == (3, 17, True)
    # the demo's export lists every client: the typed counts now stand over it, and the page says so
    assert any("3 servers, 17 desktops (typed counts, over the device export)" in c.value for c in app.caption)


def test_empty_warehouse_pages_explain(monkeypatch, tmp_path):
    db = tmp_path / "w.duckdb"
    assert cli("build", "--db", db) == 0  # a warehouse with no data yet
    for page in PAGES:
        app_on(monkeypatch, db, page)  # no exception on any page


def test_missing_warehouse_page_says_what_to_run(monkeypatch, tmp_path):
    monkeypatch.setenv("MSP_REVENUE_DB", str(tmp_path / "none.duckdb"))
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
    app.run()
    steps = app.info[0].value.replace("\\", "")  # shown as typed: every mark escaped
    assert "msp-revenue demo" in steps and "msp-revenue connect" in steps and "msp-revenue load" in steps


def test_exposed_without_login_shows_nothing(monkeypatch, demo_db):
    from streamlit import config

    monkeypatch.setenv("MSP_REVENUE_DB", str(demo_db))
    original = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
        app.run()
    finally:
        config.set_option("server.address", original)
    assert "Refusing to serve on 0.0.0.0" in app.error[0].value
    assert not app.metric and not app.dataframe


@pytest.mark.parametrize("address, auth, emails, refused, exposed", [
    ("127.0.0.1", None, [], False, False),
    ("localhost", None, [], False, False),
    ("::1", None, [], False, False),
    ("0.0.0.0", None, [], True, True),
    ("", None, [], True, True),
    ("192.168.1.5", {"client_id": "x"}, [], True, True),       # login without an allow-list
    ("192.168.1.5", None, ["owner@example.com"], True, True),  # allow-list without a login
    ("0.0.0.0", {"client_id": "x"}, ["Owner@Example.com"], False, True),
])
def test_access_decision(address, auth, emails, refused, exposed):
    access = decide(address, auth, emails)
    assert (access.refuse, access.exposed) == (refused, exposed)
    if not refused and exposed:
        assert access.allows("owner@example.com") and not access.allows("other@example.com")


def test_mapping_an_item_on_the_categories_page_recategorises_history(monkeypatch, demo_copy):
    db = demo_copy(clients=8, years=1)
    travel_before = [r for r in report(db, "categories", AS_OF) if r["item"] == "Travel"]
    assert travel_before and all(r["category"] == "unmapped" for r in travel_before)
    app = app_on(monkeypatch, db, "dashboards/categories.py")
    app.selectbox[0].select("Travel")
    app.selectbox[1].select("other")
    app.run()  # the choice shows what will move; the button under it confirms
    app.button[0].click()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert '"Travel" = "other"' in db.with_name("categories.toml").read_text()
    travel_after = [r for r in report(db, "categories", AS_OF) if r["item"] == "Travel"]
    assert [r["category"] for r in travel_after] == ["other"] and travel_after[0]["rule"] == "item"
    assert sum(r["amount"] for r in travel_after) == sum(r["amount"] for r in travel_before)


def test_categories_page_shows_the_scope_of_each_hourly_item(demo_page, demo_db):
    """The demo's default rules: class Remote -> remote, "After-Hours Support" -> after hours, the "Labor -
    Hourly" category -> business hours; no rule says servers or desktops: unknown, in words."""
    app = demo_page("dashboards/categories.py")
    scopes = next(d.value for d in app.dataframe if "Where" in d.value.columns)
    rows = {(r["item"], r["class"]): (r["Where"], r["On"], r["When"]) for r in scopes.to_dict("records")}
    assert rows[("After-Hours Support", "Remote")] == ("Remote", "unknown", "After hours")
    assert rows[("Onsite Support", "Onsite")] == ("Onsite", "unknown", "Business hours")
    assert sum(scopes["lines"]) == len([r for r in report(demo_db, "revenue-lines") if r["category"] == "labor_hourly"])


def test_every_page_runs_on_a_one_client_company_with_empty_months(monkeypatch, db):
    from tests.companies import Company

    company = Company()
    company.customer("1", "Only Client")
    company.invoice("1", "2026-03-05", ("hourly", "300.00"))   # then nothing for months
    company.invoice("1", "2026-09-01", ("msa", "950.00", "2026-09-01"))
    company.load(db)
    for page in PAGES:
        app = app_on(monkeypatch, db, page)
        assert app.title
