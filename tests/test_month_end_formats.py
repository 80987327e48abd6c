"""Every number in the month-end workbook reads as what it is: money as money, shares as percentages,
counts as whole numbers; and a month that is not over says so."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ingest.demo.catalog import COMPANY_NAME
from models.documents import month_end_workbook
from models.figures import month_end
from models.settings.categories import CATEGORY_LABELS
from models.settings.settings import ensure_settings_file, load, settings_path
from tests.helpers import cli, snapshot, store_agreeing_profit_and_loss

PERCENT = "0.0%"
DEMO_COMPANY = COMPANY_NAME  # the demo company's name in QuickBooks (no name set in settings)
WHOLE_NUMBER = "#,##0"

# What each column of the workbook holds, by its header.
MONEY = {
    *CATEGORY_LABELS.values(), "Total", "Amount", "Document total", "Sales tax", "Revenue", "Opening", "Received",
    "Recognised", "Refunded", "Closing", "Becomes revenue", "Debit", "Credit", "Current", "1–30 days", "31–60 days",
    "61–90 days", "Over 90 days", "Past due", "Finance charge", "Payment total", "Unapplied now", "Applied",
    "This month", "All time", "Documents total less tax", "Our revenue lines", "Difference",
    "QuickBooks ProfitAndLoss", "Ours", "Of ours: sales lines", "Journal entries to income", "Deposits to income",
    "Lines outside income", "Total in its currency", "Outside income", "Credits", "Net",
    "Labor cost", "Tool cost", "Direct cost", "Gross margin", "Agreement revenue", "Agreement margin",
    "Of ours: bills", "Expenses", "Vendor credits", "Journal entries",
}
RATIOS = {"Share", "Gross margin %"}
COUNTS = {"Documents", "Lines", "Oldest (days)"}
MONTH = re.compile(r"^[A-Z][a-z]+ \d{4}$")  # the Summary's "October 2026": the month's money


def expected_format(header: str) -> str:
    if header in MONEY or MONTH.match(header):
        return month_end_workbook.MONEY_FORMAT
    if header in RATIOS:
        return PERCENT
    assert header in COUNTS, f"a number under {header!r}: say in this test what the column holds"
    return WHOLE_NUMBER


def numbers(ws):
    """(header, cell) for every number and SUM formula on a sheet, under the header row above it."""
    header: dict[int, str] = {}
    for row in ws.iter_rows():
        if row[0].fill.fgColor.rgb == month_end_workbook.HEADER_FILL.fgColor.rgb:
            header = {cell.column: cell.value or "" for cell in row}
            continue
        for cell in row:
            if isinstance(cell.value, (int, float, Decimal)) or str(cell.value).startswith("=SUM("):
                yield header[cell.column], cell


@pytest.fixture(scope="module")
def workbook(demo_copies):
    """October 2026 of a demo company with prepayments, finance charges, unmapped items, and
    QuickBooks' ProfitAndLoss fetched for the month (so the Tie-out sheet compares with it)."""
    db = demo_copies("formats", 20, 2)
    folder = db.parent
    store_agreeing_profit_and_loss(db, "2026-10-01")
    assert cli("build", "--db", db) == 0
    out = folder / "october.xlsx"
    assert cli("export", "month-end", "--month", "2026-10", "--out", out, "--db", db) == 0
    return load_workbook(out)


def test_every_number_carries_the_format_of_its_column(workbook):
    wrong = [f"{ws.title}!{cell.coordinate} ({header}): {cell.number_format!r}, not {expected_format(header)!r}"
             for ws in workbook for header, cell in numbers(ws) if cell.number_format != expected_format(header)]
    assert wrong == []


def test_every_sheet_has_numbers_to_check(workbook):
    assert {ws.title for ws in workbook if any(True for _ in numbers(ws))} == set(workbook.sheetnames)
    checked = {header for ws in workbook for header, _ in numbers(ws)}
    assert {"Document total", "Sales tax", "Payment total", "Unapplied now", "Share", "Documents",
            "QuickBooks ProfitAndLoss", "Finance charge", "Becomes revenue"} <= checked


# --- a month that is not over ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(demo_copies):
    return demo_copies("not-over", 3, 1)


def summary_notes(db, month: date, today: date) -> list[str]:
    con = snapshot(db)
    try:
        pack = month_end.build(con, load(ensure_settings_file(settings_path(db))), month, today=today)
    finally:
        con.close()
    return [block.note for block in pack.sheets[0].blocks if block.note], pack


@pytest.mark.parametrize("today, note", [
    (date(2026, 11, 15), "November 2026 is not over (today is 2026-11-15): its figures will still change"),
    (date(2026, 10, 31), "November 2026 has not begun (today is 2026-10-31): its figures will still change"),
    (date(2026, 11, 30), None),
    (date(2026, 12, 1), None),
])
def test_a_month_not_yet_over_says_so_on_the_summary(small, today, note):
    notes, pack = summary_notes(small, date(2026, 11, 1), today)
    assert notes == ([note] if note else [])
    assert pack.not_over == note


def test_exporting_a_month_not_yet_over_warns(small, tmp_path, capsys):
    capsys.readouterr()
    out = tmp_path / "future.xlsx"
    assert cli("export", "month-end", "--month", "2099-01", "--out", out, "--db", small) == 0  # nothing to tie out
    err = capsys.readouterr().err
    assert re.search(r"warning: January 2099 has not begun \(today is \d{4}-\d{2}-\d{2}\): its figures will still change",
                     err)
    summary = [row[0] for row in load_workbook(out)["Summary"].iter_rows(values_only=True)]
    assert any(str(text).startswith("January 2099 has not begun") for text in summary)


# --- read and printed as an accountant files it ------------------------------------------------------

def test_every_sheet_names_the_company_and_prints_landscape_on_the_page_width(workbook):
    for ws in workbook:
        assert ws["A1"].value == f"{DEMO_COMPANY} · {ws.title} · October 2026", ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        header_row = int(ws.freeze_panes[1:]) - 1
        assert ws.print_title_rows == f"${header_row}:${header_row}", ws.title
        assert ws.cell(header_row, 1).fill.fgColor.rgb == month_end_workbook.HEADER_FILL.fgColor.rgb, ws.title
        assert ws.oddHeader.left.text == DEMO_COMPANY and ws.oddFooter.center.text == "Page &P of &N", ws.title


def test_the_sales_register_filters_and_names_categories_and_rules_in_words(workbook):
    ws = workbook["Sales register"]
    header_row = int(ws.freeze_panes[1:]) - 1
    header = [cell.value for cell in ws[header_row]]
    (total_row,) = [row[0].row for row in ws.iter_rows() if row[0].value == "Total"]
    assert ws.auto_filter.ref == f"A{header_row}:{get_column_letter(len(header))}{total_row - 1}"
    rows = [dict(zip(header, row)) for row in ws.iter_rows(min_row=header_row + 1, max_row=total_row - 1,
                                                            values_only=True)]
    categories = {row["Category"] for row in rows if row["Category"]}
    rules = {row["Rule"] for row in rows if row["Rule"]}
    assert {"MSA labor", "Hourly labor", "Unmapped"} <= categories
    assert not categories & {"labor_msa", "labor_hourly", "setup_fee", "other", "unmapped"}
    assert "Item category" in rules or "Item" in rules
    assert not rules & {"item", "item_category", "income_account", "class"}


def test_notes_wrap_in_a_cell_wide_and_tall_enough_to_read(workbook):
    notes = [(ws, cell) for ws in workbook for row in ws.iter_rows() for cell in row
             if cell.font.italic and isinstance(cell.value, str)]
    assert len(notes) >= 4
    for ws, cell in notes:
        (merged,) = [r for r in ws.merged_cells.ranges if cell.coordinate in r]
        width = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(merged.min_col, merged.max_col + 1))
        lines = ws.row_dimensions[cell.row].height / month_end_workbook.NOTE_LINE_HEIGHT
        assert cell.alignment.wrap_text, (ws.title, cell.value)
        assert lines * (width - 4) >= len(cell.value), (ws.title, cell.value)
