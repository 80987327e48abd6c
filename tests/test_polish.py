"""Issue 22 item 18, polish: what the pages and the weekly printout show reads as meant (no date still to
come, one precision for percentages, no "None", headers in words, a month picked as a month)."""
from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from ingest.records import Held
from ingest.writer import hold
from models.documents import weekly
from models.figures import trends
from models.settings import settings
from models.warehouse.work_db import open_work_db, transaction
from tests.helpers import RAW_HEADER, UNTIL, app_page, cli, grid_headers, snapshot
from tests.metrics import report

AS_OF = date.fromisoformat(UNTIL)  # 2026-11-22


# -- "last used" never a day still to come -----------------------------------------------------------------

def test_last_used_is_by_the_as_of_date_while_every_line_still_counts(monkeypatch, db):
    from tests.companies import Company

    company = Company()
    company.customer("1", "Only Client")
    company.invoice("1", "2026-10-05", ("travel", "40.00"))
    company.invoice("1", "2026-12-01", ("travel", "60.00"))  # next month's, invoiced ahead
    company.load(db)
    (travel,) = [r for r in report(db, "categories", AS_OF) if r["item"] == "Travel"]
    assert (travel["first_used"], travel["last_used"]) == (date(2026, 10, 5), date(2026, 10, 5))
    # a rule moves every line, whatever its date: the mapping's preview counts them all
    assert (travel["lines"], travel["amount"]) == (2, Decimal("100.00"))
    app = app_page(monkeypatch, db, "dashboards/categories.py", AS_OF)
    shown = app.dataframe[0].value
    assert list(shown.loc[shown["item"] == "Travel", "last_used"]) == [date(2026, 10, 5)]


# -- one precision for percentages on a screen ----------------------------------------------------------------

PERCENT = re.compile(r"[-+]?\d[\d,]*(?:\.(\d+))?%")


def percentages(text: str, target: Decimal) -> list[str]:
    """The percentages in a text (markdown's escapes dropped), but the owner's own target, which reads as the
    settings write it."""
    return [m.group(0) for m in PERCENT.finditer(text.replace("\\", "")) if m.group(0).lstrip("+-") != f"{target}%"]


def _a_share(shown_as: str) -> bool:
    """A grid column's format that writes a share: printf with a % ("$%,.2f" writes money) or Streamlit's own."""
    return shown_as == "percent" or ("%" in shown_as and not shown_as.startswith("$"))


@pytest.mark.parametrize("page", ["dashboards/this_week.py", "dashboards/revenue.py", "dashboards/garden.py"])
def test_every_percentage_on_a_page_has_one_decimal(monkeypatch, demo_db, page):
    target = settings.load(settings.settings_path(demo_db)).recurring_target_percent
    app = app_page(monkeypatch, demo_db, page, AS_OF)
    texts = [t for m in app.metric for t in (m.value, m.proto.delta)]
    texts += [e.value for kind in ("caption", "markdown", "subheader") for e in getattr(app, kind)]
    shown = [p for text in texts for p in percentages(text, target)]
    grids = [(d, column, config["type_config"]["format"]) for d in app.dataframe
             for column, config in json.loads(d.proto.columns or "{}").items()
             if _a_share(config.get("type_config", {}).get("format", ""))]
    assert shown or grids, "no percentage on the page"
    assert all(len(PERCENT.fullmatch(p).group(1) or "") == 1 for p in shown), shown
    # a grid writes a share from its points with one decimal (its own "percent" writes up to two)
    for frame, column, shown_as in grids:
        assert shown_as == "%.1f%%", (column, shown_as)
    if page == "dashboards/garden.py":  # the share of labor, beside the gross margin in points
        ((frame, column, _),) = [grid for grid in grids if grid[1] == "share_of_labor"]
        assert {column for _, column, _ in grids} == {"share_of_labor", "gross_margin_pct"}
        exact = {r["customer_id"]: r["share_of_labor"] for r in report(demo_db, "garden", AS_OF)}
        clients = frame.value.dropna(subset=["customer_id"])
        assert {c: s for c, s in zip(clients["customer_id"], clients[column]) if c} == \
            {c: share * 100 for c, share in exact.items()}


def test_a_share_reads_with_one_decimal_wherever_it_is_written():
    assert [weekly.share_text(v) for v in (Decimal("0.1156"), Decimal("0.097"), Decimal("0.1"), None)] == \
        ["11.6%", "9.7%", "10.0%", "–"]


# -- missing numbers read blank, headers read in words --------------------------------------------------------

def grids_with_gaps(app) -> list:
    return [d for d in app.dataframe if d.value.isna().any().any()]


def test_a_missing_value_reads_blank_in_every_grid(monkeypatch, demo_db):
    app = app_page(monkeypatch, demo_db, "dashboards/categories.py", AS_OF)
    gaps = grids_with_gaps(app)
    assert gaps, "the demo's categories have items without a category path"
    # the grid writes "None" for a missing value unless told what to show
    assert all(d.proto.HasField("placeholder") and d.proto.placeholder == "" for d in gaps)


def test_no_data_page_header_is_a_column_name(monkeypatch, demo_db, tmp_path):
    shutil.copytree(demo_db.parent, tmp_path / "held")  # a copy of the demo, with a record a sync held back
    db = tmp_path / "held" / demo_db.name
    con = open_work_db(db)
    try:
        with transaction(con):
            hold(con, "demo", [Held("Invoice", "9001", datetime(2026, 11, 20, 9), "DueDate: not a date", "{}")])
    finally:
        con.close()
    assert cli("build", "--db", db) == 0
    app = app_page(monkeypatch, db, "dashboards/data.py", AS_OF)
    shown = {tuple(grid_headers(d)) for d in app.dataframe}
    assert any("Reason" in h for h in shown), shown  # the held-back table is there
    assert [h for row in shown for h in row if RAW_HEADER.fullmatch(h)] == [], shown


# -- a month picked as a month --------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["dashboards/data.py", "dashboards/prepayments.py"])
def test_a_month_is_picked_from_the_closed_months(monkeypatch, demo_db, page):
    app = app_page(monkeypatch, demo_db, page, AS_OF)
    assert [d.label for d in app.date_input] == ["As of"]  # the sidebar's day, and no other day picker
    (month,) = [s for s in app.selectbox if s.label == "Month"]
    assert month.options[:3] == ["October 2026", "September 2026", "August 2026"]
    assert month.value == date(2026, 10, 1)
    assert len(month.options) == len(set(month.options)) and "November 2026" not in month.options
    month.select(date(2026, 8, 1))
    app.run()
    assert not app.exception
    if page == "dashboards/data.py":
        assert any(b.label == "Download the month-end workbook for August 2026" for b in app.get("download_button"))
    else:
        assert any(s.value.startswith("opening + received") for s in app.caption)


# -- a trend of month ends says its last point is the as-of date --------------------------------------------

def test_a_month_end_trend_title_names_the_as_of_date():
    assert trends.month_ends_title("Held at", date(2026, 11, 22)) == \
        "Held at each of the last 11 month ends and on November 22, 2026"
    assert trends.month_ends_title("At", date(2026, 11, 30)) == "At each month end, last 12 months"


@pytest.mark.parametrize("page", ["dashboards/prepayments.py", "dashboards/receivables.py"])
def test_the_month_end_trend_on_a_page_is_titled_with_the_as_of_date(monkeypatch, demo_db, page):
    app = app_page(monkeypatch, demo_db, page, AS_OF)
    (title,) = [s.value for s in app.subheader if "month end" in s.value]
    assert title.endswith("on November 22, 2026"), title


# -- the weekly printout's chart headings have a heading's room ----------------------------------------------

def lines_of(pdf: bytes) -> list[tuple[float, float, str]]:
    """Each line of text on the first page: (x, baseline from the top, text)."""
    page, found = PdfReader(io.BytesIO(pdf)).pages[0], []

    def seen(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(x, 1), round(float(page.mediabox.height) - y, 1), text.strip()))
    page.extract_text(visitor_text=seen)
    return found


def test_the_weekly_charts_headings_stand_like_the_other_headings(demo_db):
    owner = settings.load(settings.settings_path(demo_db))
    con = snapshot(demo_db)
    try:
        week = weekly.load(con, owner, AS_OF)
    finally:
        con.close()
    lines = lines_of(weekly.summary_pdf(week, "Northwind"))
    texts = [text for _, _, text in lines]

    def room_above(heading: str) -> tuple[float, float]:
        """The heading's x, and how far its baseline is under the line before it."""
        at = next(i for i, text in enumerate(texts) if text.startswith(heading))
        return lines[at][0], round(lines[at][1] - lines[at - 1][1], 1)

    money_x, money_room = room_above("Money")  # a heading after a table, as the charts' are
    mrr_x, mrr_room = room_above("MRR, last 24 months")
    assert mrr_x == money_x, "the chart's heading is out of line with the other headings"
    assert mrr_room >= money_room, f"{mrr_room} pt under the table above, a heading has {money_room}"
    assert len(PdfReader(io.BytesIO(weekly.summary_pdf(week, "Northwind"))).pages) == 1
