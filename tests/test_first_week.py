"""Issue #10, "a real owner's first week": the pages say what they mean on the demo company."""
from __future__ import annotations

import io
import json
import tomllib
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import services
from models.documents import weekly
from models.figures import garden
from models.settings import categories
from models.figures.formatting import money_text
from tests.helpers import AS_OF, app_on, query, snapshot, texts
from tests.metrics import report

# AS_OF is 2026-11-22: November is month to date, October the last full month
CATEGORY_NAMES = {"MSA labor", "Hourly labor", "Hardware", "Software", "Other", "Setup fee", "Unmapped"}


# -- item 12: the recurring share leads with the last full month -------------------------------------------

def share_rows(db) -> tuple[dict, dict]:
    rows = {r["month"]: r for r in report(db, "recurring-share", AS_OF)}
    return rows[date(2026, 10, 1)], rows[date(2026, 11, 1)]


def test_this_week_leads_with_the_last_full_months_recurring_share(monkeypatch, demo_db):
    october, november = share_rows(demo_db)
    assert october["recurring_share"] != november["recurring_share"]
    app = app_on(monkeypatch, demo_db, "dashboards/this_week.py")
    shares = [(m.label, m.value) for m in app.metric if "recurring share" in m.label.lower()]
    assert shares == [
        ("Recurring share, Oct 2026", weekly.share_text(october["recurring_share"])),
        ("Recurring share, 12 months to Oct 2026", weekly.share_text(october["recurring_share_12m"])),
        ("Recurring share, month to date", weekly.share_text(november["recurring_share"])),
    ]


def test_weekly_pdf_leads_with_the_last_full_months_recurring_share(demo_db):
    from models.settings import settings

    october, november = share_rows(demo_db)
    owner = settings.load(settings.settings_path(demo_db))
    week = weekly.load(snapshot(demo_db), owner, AS_OF)
    text = " ".join(PdfReader(io.BytesIO(weekly.summary_pdf(week, "Northwind"))).pages[0].extract_text().split())
    assert (f"recurring share {weekly.share_text(october['recurring_share'])} in October 2026, "
            f"{weekly.share_text(october['recurring_share_12m'])} over the 12 months to October 2026 "
            f"(target {owner.recurring_target_percent}%); {weekly.share_text(november['recurring_share'])} "
            "month to date") in text


# -- item 13: mapping on the Categories page -----------------------------------------------------------------

def test_categories_page_uses_plain_names_and_requires_a_choice(monkeypatch, demo_db):
    app = app_on(monkeypatch, demo_db, "dashboards/categories.py")
    shown = set(app.dataframe[0].value["category"])
    assert shown <= CATEGORY_NAMES and "Setup fee" in shown and "Unmapped" in shown
    target = app.selectbox[1]
    assert target.value is None
    assert target.options == ["MSA labor", "Hourly labor", "Hardware", "Software", "Other", "Setup fee", "Finance charge",
                              "Back to unmapped (take its rule away)"]
    assert not [b for b in app.button if b.label.startswith("Move")]  # nothing to confirm before a choice


def test_mapping_shows_what_moves_keeps_the_message_and_undoes(monkeypatch, demo_copy):
    db = demo_copy(clients=8, years=1)
    rules = db.with_name("categories.toml")
    rules_before = rules.read_text()
    travel = [r for r in report(db, "categories", AS_OF) if r["item"] == "Travel"]
    lines, amount = sum(r["lines"] for r in travel), sum(r["amount"] for r in travel)
    app = app_on(monkeypatch, db, "dashboards/categories.py")
    app.selectbox[0].select("Travel")
    app.selectbox[1].select("hardware")
    app.run()
    # before anything is saved: what moves, from which category to which
    preview = " ".join(texts(app))
    assert f"{lines} lines" in preview and money_text(amount) in preview and "Unmapped" in preview
    assert rules.read_text() == rules_before
    (move,) = [b for b in app.button if b.label.startswith("Move")]
    assert move.label == f"Move {lines} lines ({money_text(amount)}) to Hardware"
    move.click()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert [r["category"] for r in report(db, "categories", AS_OF) if r["item"] == "Travel"] == ["hardware"]
    assert app.selectbox[1].value is None  # the next name shown starts without a category
    app.run()  # any later run of the page still says what was done
    assert any("Travel" in s.value and "Hardware" in s.value for s in app.success)
    (undo,) = [b for b in app.button if b.label.startswith("Undo")]
    undo.click()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert rules.read_text() == rules_before
    assert {r["category"] for r in report(db, "categories", AS_OF) if r["item"] == "Travel"} == {"unmapped"}
    assert any("Travel" in s.value for s in app.success)


@pytest.fixture
def small_demo(demo_copy):
    """A demo company whose unmapped items are Spam Filter Seats and Travel."""
    return demo_copy(clients=8, years=1)


def map_on_page(app: AppTest, name: str, choice: str) -> None:
    app.selectbox[0].select(name)
    app.selectbox[1].select(choice)
    app.run()
    (button,) = [b for b in app.button if b.label.startswith(("Move", "Put"))]
    button.click()
    app.run()
    assert not app.exception, [e.message for e in app.exception]


def item_categories(db, item: str) -> set[str]:
    return {r["category"] for r in report(db, "categories", AS_OF) if r["item"] == item}


def test_after_mapping_the_form_offers_the_next_unmapped_name(monkeypatch, small_demo):
    app = app_on(monkeypatch, small_demo, "dashboards/categories.py")
    assert app.selectbox[0].value == "Spam Filter Seats"  # the first unmapped item
    map_on_page(app, "Travel", "other")  # the owner picks another one first
    assert item_categories(small_demo, "Travel") == {"other"}
    assert app.selectbox[0].value == "Spam Filter Seats" and app.selectbox[1].value is None
    map_on_page(app, "Spam Filter Seats", "other")
    assert app.selectbox[0].value == app.selectbox[0].options[0]  # nothing unmapped: the first name again


def test_the_last_change_can_be_undone_after_a_refresh(monkeypatch, small_demo):
    rules = small_demo.with_name("categories.toml")
    before = rules.read_text()
    map_on_page(app_on(monkeypatch, small_demo, "dashboards/categories.py"), "Travel", "hardware")
    refreshed = app_on(monkeypatch, small_demo, "dashboards/categories.py")  # a new session: the page reloaded
    assert any("Travel" in s.value and "Hardware" in s.value for s in refreshed.success)
    (undo,) = [b for b in refreshed.button if b.label.startswith("Undo")]
    undo.click()
    refreshed.run()
    assert not refreshed.exception, [e.message for e in refreshed.exception]
    assert rules.read_text() == before and item_categories(small_demo, "Travel") == {"unmapped"}
    assert not [b for b in app_on(monkeypatch, small_demo, "dashboards/categories.py").button
                if b.label.startswith("Undo")]  # undone is done: nothing left to undo after another refresh


def test_an_item_can_be_put_back_to_unmapped(monkeypatch, small_demo):
    rules = small_demo.with_name("categories.toml")
    before = rules.read_text()
    app = app_on(monkeypatch, small_demo, "dashboards/categories.py")
    map_on_page(app, "Travel", "hardware")
    travel = [r for r in report(small_demo, "categories", AS_OF) if r["item"] == "Travel"]
    lines, amount = sum(r["lines"] for r in travel), sum(r["amount"] for r in travel)
    app.selectbox[0].select("Travel")
    app.selectbox[1].select("unmapped")
    app.run()
    preview = " ".join(texts(app))
    assert f'"Travel": {lines} lines, {money_text(amount)}, now Hardware, would lose their rule and be unmapped' in preview
    (put_back,) = [b for b in app.button if b.label.startswith("Put")]
    assert put_back.label == f"Put {lines} lines ({money_text(amount)}) back to unmapped"
    put_back.click()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert item_categories(small_demo, "Travel") == {"unmapped"}
    assert "Travel" not in tomllib.loads(rules.read_text()).get("items", {}) and rules.read_text() == before
    assert any(r'\"Travel\" has no rule now' in s.value for s in app.success)  # shown as markdown, marks escaped


def test_undo_restores_the_rule_as_it_was(tmp_path):
    rules = categories.ensure_rules_file(tmp_path / "categories.toml")
    assert categories.save_rule(rules, "items", "Travel", "other") is None
    before = rules.read_text()
    previous = categories.save_rule(rules, "items", "travel", "hardware")
    assert previous == ("Travel", "other")
    categories.restore_rule(rules, "items", "travel", previous)
    assert rules.read_text() == before
    categories.restore_rule(rules, "items", "Travel", None)
    assert "Travel" not in tomllib.loads(rules.read_text()).get("items", {})


# -- item 16: the client garden --------------------------------------------------------------------------------

def test_garden_bands_read_as_money():
    assert [garden.band_text(reached, (Decimal("500"), Decimal("1000"))) for reached in (2, 1, 0)] == \
        ["$1,000 and over", "$500 to $999.99", "under $500"]
    assert garden.band_text(1, (Decimal("250.50"), Decimal("1000"))) == "$250.50 to $999.99"


def test_garden_explains_itself_with_one_scale_and_no_arrows(monkeypatch, demo_db):
    app = app_on(monkeypatch, demo_db, "dashboards/garden.py")
    explanation = " ".join(texts(app))
    assert "12 full months" in explanation and "$500" in explanation and "$1,000" in explanation
    assert all(not m.delta for m in app.metric)
    table = app.dataframe[0]
    clients = table.value.iloc[:-1]  # the last row is the total
    assert table.value["customer"].iloc[-1] == "Total"
    assert set(clients["band"]) <= {"$1,000 and over", "$500 to $999.99", "under $500"}
    trend = json.loads(table.proto.columns)["trend"]["type_config"]
    months = [v for row in clients["trend"] for v in row]
    assert (trend["y_min"], trend["y_max"]) == (min(0, min(months)), max(months))


def test_garden_lines_are_kept_across_pages(monkeypatch, demo_db):
    app = app_on(monkeypatch, demo_db, "dashboards/garden.py")
    app.number_input[0].set_value(600)
    app.number_input[1].set_value(1200)
    app.run()
    app.switch_page("dashboards/receivables.py")
    app.run()
    app.switch_page("dashboards/garden.py")
    app.run()
    assert (app.number_input[0].value, app.number_input[1].value) == (600, 1200)
    assert [m.label for m in app.metric] == ["At or above $600", "At or above $1,200"]


# -- item 18: the Data page ------------------------------------------------------------------------------------

def test_data_page_names_the_company(monkeypatch, demo_db):
    ((name,),) = query(demo_db, "select company_name from marts.dim_companies")
    app = app_on(monkeypatch, demo_db, "dashboards/data.py")
    companies = next(d.value for d in app.dataframe if "Company" in d.value.columns)
    assert list(companies["Company"]) == [name]


CRASH = """building marts.fct_revenue_lines
Traceback (most recent call last):
  File "cli.py", line 12, in <module>
    main()
duckdb.duckdb.IOException: IO Error: Could not set lock on file "w.duckdb"
"""
DONE = """  publishing snapshot
built 945 revenue lines in 0.7s; snapshot: w.snapshot.duckdb
note: $9,636.00 on 124 line(s) in revenue is unmapped; add rules to categories.toml and run `msp-revenue build`"""


@pytest.mark.parametrize("outcome, shown", [
    (services.Outcome(True, DONE), ["publishing snapshot", "built 945 revenue lines in 0.7s; snapshot: w.snapshot.duckdb",
                                    "note: $9,636.00 on 124 line(s) in revenue is unmapped; add rules to "
                                    "categories.toml and run `msp-revenue build`"]),
    (services.Outcome(False, CRASH), ["building marts.fct_revenue_lines",
                                      'duckdb.duckdb.IOException: IO Error: Could not set lock on file "w.duckdb"']),
])
def test_rebuild_log_reads_line_by_line(monkeypatch, demo_db, outcome, shown):
    monkeypatch.setattr(services, "rebuild_in_child", lambda db: outcome)
    app = app_on(monkeypatch, demo_db, "dashboards/data.py")
    next(b for b in app.button if b.label == "Rebuild now").click()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert [t.value for t in app.text][-len(shown):] == shown
    assert not [t for t in texts(app) if "Traceback" in t or 'File "' in t]
