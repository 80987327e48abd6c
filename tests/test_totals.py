"""Issue 22 item 12: every table of money the owner or the accountant reads has a total row that adds
up to the cent, and the lists the owner acts on are shown whole."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pandas as pd
from streamlit.testing.v1 import AppTest

from models.figures.formatting import month_text
from models.figures.totals import TotalRow, with_total_row
from tests.helpers import UNTIL, app_page
from tests.metrics import report

AS_OF = date.fromisoformat(UNTIL)


def test_the_total_row_adds_exactly_and_reads_as_a_label():
    frame = pd.DataFrame({"month": [date(2026, 10, 1), date(2026, 11, 1)], "amount": [D("0.10"), D("0.20")],
                          "other": [D("1.005"), None], "rank": [1, 2]})
    shown = with_total_row(frame, TotalRow("month", ("amount", "other"), label_text=month_text))
    assert list(shown["month"]) == ["Oct 2026", "Nov 2026", "Total"]
    last = shown.iloc[-1]
    assert last["amount"] == D("0.30") and isinstance(last["amount"], D) and last["other"] == D("1.005")
    assert last["rank"] is None
    assert list(frame["month"]) == [date(2026, 10, 1), date(2026, 11, 1)]  # the rows behind it are left as they were


def page(monkeypatch, db, path: str) -> AppTest:
    return app_page(monkeypatch, db, path, AS_OF)


def totalled(app: AppTest, label_column: str, first_column: str):
    """The shown table with `first_column` whose last row is a total: (rows above, total row, element)."""
    for element in app.dataframe:
        shown = element.value
        if first_column in shown.columns and len(shown) and shown[label_column].iloc[-1] == "Total":
            return shown.iloc[:-1], shown.iloc[-1], element
    raise AssertionError(f"no table with {first_column} ends in a total row")


def sums(rows: list[dict], columns) -> dict:
    return {c: sum((r[c] or D(0) for r in rows), D("0.00")) for c in columns}


def test_aging_has_a_total_row_equal_to_the_report(monkeypatch, demo_db):
    buckets = ["current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "total", "credits", "net"]
    app = page(monkeypatch, demo_db, "dashboards/receivables.py")
    _, total, _ = totalled(app, "customer", "days_1_30")
    assert {c: total[c] for c in buckets} == sums(report(demo_db, "ar-aging", AS_OF), buckets)


def test_revenue_by_month_has_a_total_row_equal_to_the_report(monkeypatch, demo_db):
    app = page(monkeypatch, demo_db, "dashboards/revenue.py")
    rows, total, _ = totalled(app, "Month", "Total")
    revenue = report(demo_db, "revenue-by-category", AS_OF)
    assert total["Total"] == sum((r["amount"] for r in revenue), D("0.00")) and isinstance(total["Total"], D)
    assert total["MSA labor"] == sum((r["amount"] for r in revenue if r["category"] == "labor_msa"), D("0.00"))
    assert rows["Month"].iloc[0] == month_text(max(r["month"] for r in revenue))


def test_the_sitdown_months_have_a_total_row_equal_to_the_12_months(monkeypatch, demo_db):
    app = page(monkeypatch, demo_db, "dashboards/sitdown.py")
    rows, total, _ = totalled(app, "month", "labor_total")
    assert len(rows) == 12
    assert total["labor_total"] == sum(rows["labor_total"], D("0.00"))
    client = app.selectbox[0].value
    (labor,) = [r for r in report(demo_db, "client-labor", AS_OF) if r["customer_id"] == client[1]]
    assert total["labor_total"] == labor["labor_total"] and total["labor_msa"] == labor["labor_msa"]


def test_the_garden_lists_every_client_with_a_total(monkeypatch, demo_db):
    app = page(monkeypatch, demo_db, "dashboards/garden.py")
    rows, total, element = totalled(app, "customer", "labor_total")
    ranked = report(demo_db, "garden", AS_OF)
    assert len(rows) == len(ranked) > 10  # more than the ten rows a table shows before it scrolls
    assert total["labor_total"] == sum((r["labor_total"] for r in ranked), D("0.00"))
    assert element.proto.selection_mode  # still opens a client's lines when clicked


def test_a_table_with_a_total_is_shown_whole():
    """The garden's ten-row box hid the bottom clients, the very ones to weed: a table with a total row is
    as tall as its rows (a height given on purpose stays)."""
    from dashboards.common import _with_total

    frame = pd.DataFrame({"customer": [f"Client {n}" for n in range(40)], "labor_total": [D("1.00")] * 40})
    shown: dict = {}
    assert len(_with_total(frame, TotalRow("customer", ("labor_total",)), shown)) == 41
    assert shown == {"height": "content"}
    fixed = {"height": 300}
    _with_total(frame, TotalRow("customer", ("labor_total",)), fixed)
    assert fixed == {"height": 300}


def test_prepayments_have_total_rows(monkeypatch, demo_db):
    app = page(monkeypatch, demo_db, "dashboards/prepayments.py")
    _, total, _ = totalled(app, "customer", "liability")
    assert total["liability"] == sums(report(demo_db, "prepayments", AS_OF), ["liability"])["liability"]
