"""Issue #22 item 2: a part month is never judged against the recurring-share target, and charts mark it
(agreements are invoiced on the 1st and hourly work through the month, so a month to date reads high)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from models.documents import charts, weekly
from models.figures import periods
from models.settings import settings
from models.figures.formatting import month_text
from tests.helpers import UNTIL, app_page, cli, pdftotext, snapshot
from tests.drawn_charts import drawn, x_labels

AS_OF = date.fromisoformat(UNTIL)  # 2026-11-22: November is a part month


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("part-month") / "w.duckdb"
    assert cli("demo", "--db", db, "--until", UNTIL, "--clients", "12", "--years", "2") == 0
    return db


def page(monkeypatch, db, path: str, as_of: date = AS_OF) -> AppTest:
    return app_page(monkeypatch, db, path, as_of)


def share_metrics(app: AppTest) -> dict[str, str | None]:
    return {m.label: m.proto.delta or None for m in app.metric if "recurring share" in m.label.lower()}


def test_against_target_only_for_periods_of_whole_months():
    assert periods.against_target(Decimal("1"), Decimal(60), date(2026, 11, 22)) is None
    assert periods.against_target(Decimal("1"), Decimal(60), date(2026, 11, 30)) == "+40.0 pts against the 60% target"
    assert periods.part_month_note(date(2026, 11, 30), Decimal(60)) is None
    assert "November is not over" in periods.part_month_note(date(2026, 11, 22), Decimal(60))


def test_this_week_judges_whole_months_only(monkeypatch, demo_db):
    app = page(monkeypatch, demo_db, "dashboards/this_week.py")
    shares = share_metrics(app)
    assert shares["Recurring share, month to date"] is None
    assert "against the 60" in shares["Recurring share, Oct 2026"]
    assert "against the 60" in shares["Recurring share, 12 months to Oct 2026"]
    assert any("November is not over" in c.value for c in app.caption)


def test_this_week_on_a_months_last_day_judges_the_month(monkeypatch, demo_db):
    app = page(monkeypatch, demo_db, "dashboards/this_week.py", date(2026, 10, 31))
    assert "against the 60" in share_metrics(app)["Recurring share, month to date"]


@pytest.mark.parametrize("preset, judged", [("This month", False), ("This quarter", False), ("Year to date", False),
                                            ("Last month", True), ("Last 12 months", True)])
def test_revenue_page_judges_whole_months_only(monkeypatch, demo_db, preset, judged):
    app = page(monkeypatch, demo_db, "dashboards/revenue.py")
    app.session_state["period_preset"] = preset
    app.run()
    delta = share_metrics(app)["Recurring share"]
    assert (delta is not None and "target" in delta) == judged, (preset, delta)


def test_the_share_trend_leaves_out_the_part_month_and_bars_mark_it(demo_db):
    owner = settings.load(settings.settings_path(demo_db))
    week = weekly.load(snapshot(demo_db), owner, AS_OF)
    assert date(2026, 11, 1) not in set(week.share_trend["month"])
    assert date(2026, 10, 1) in set(week.share_trend["month"])
    labels = [text for text, _ in x_labels(drawn(charts.revenue_by_category(week.by_category, AS_OF)))]
    assert labels[-1] == "Nov 2026 (part)" and labels[-2] == "Oct 2026"
    # on a month's last day the month is whole
    whole = [text for text, _ in x_labels(drawn(charts.revenue_by_category(week.by_category, date(2026, 11, 30))))]
    assert whole[-1] == month_text(date(2026, 11, 1))


def test_month_axis_places_match_the_marked_labels():
    frame = pd.DataFrame({"month": [date(2026, 10, 1), date(2026, 12, 1)], "category": ["labor_msa"] * 2,
                          "amount": [Decimal("950.00")] * 2})
    labels = [text for text, _ in x_labels(drawn(charts.revenue_by_category(frame, date(2026, 12, 6))))]
    assert labels == ["Oct 2026", "Nov 2026", "Dec 2026 (part)"]


@pytest.mark.parametrize("as_of, noted", [(AS_OF, True), (date(2026, 10, 31), False)])
def test_the_weekly_pdf_says_what_the_this_week_page_says_of_the_month_to_date(demo_db, as_of, noted):
    """The weekly PDF's month-to-date recurring share carries the page's note (a part month reads high and is not
    judged); on a month's last day the month is whole and neither says it."""
    owner = settings.load(settings.settings_path(demo_db))
    text = " ".join(pdftotext(weekly.summary_pdf(weekly.load(snapshot(demo_db), owner, as_of), "Acme IT")).split())
    note = periods.part_month_note(as_of, Decimal(60))
    assert "month to date" in text
    assert (note is not None) == noted
    if noted:
        assert f"month to date — {note}" in text
    else:
        assert "is not over" not in text
