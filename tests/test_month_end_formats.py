"""Every number in the month-end workbook reads as what it is: money as money, shares as percentages,
counts as whole numbers; and a month that is not over says so."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from models import month_end
from models.categories import CATEGORY_LABELS
from models.settings import ensure_settings_file, load, settings_path
from models.warehouse import open_work_db
from tests.helpers import UNTIL, cli, snapshot

PERCENT = "0.0%"
WHOLE_NUMBER = "#,##0"

# What each column of the workbook holds, by its header.
MONEY = {
    *CATEGORY_LABELS.values(), "Total", "Amount", "Document total", "Sales tax", "Revenue", "Opening", "Received",
    "Recognised", "Refunded", "Closing", "Becomes revenue", "Debit", "Credit", "Current", "1-30 days", "31-60 days",
    "61-90 days", "Over 90 days", "Past due", "Finance charge", "Payment total", "Unapplied now", "Applied",
    "This month", "All time", "Documents total less tax", "Our revenue lines", "Difference",
    "QuickBooks ProfitAndLoss", "Ours", "Of ours: sales lines", "Journal entries to income", "Deposits to income",
    "Lines outside income", "Total in its currency", "Outside income", "Credits", "Net",
}
RATIOS = {"Share"}
COUNTS = {"Documents", "Lines", "Oldest (days)"}
MONTH = re.compile(r"^[A-Z][a-z]+ \d{4}$")  # the Summary's "October 2026": the month's money


def expected_format(header: str) -> str:
    if header in MONEY or MONTH.match(header):
        return month_end.MONEY_FORMAT
    if header in RATIOS:
        return PERCENT
    assert header in COUNTS, f"a number under {header!r}: say in this test what the column holds"
    return WHOLE_NUMBER


def numbers(ws):
    """(header, cell) for every number and SUM formula on a sheet, under the header row above it."""
    header: dict[int, str] = {}
    for row in ws.iter_rows():
        if row[0].fill.fgColor.rgb == month_end.HEADER_FILL.fgColor.rgb:
            header = {cell.column: cell.value or "" for cell in row}
            continue
        for cell in row:
            if isinstance(cell.value, (int, float, Decimal)) or str(cell.value).startswith("=SUM("):
                yield header[cell.column], cell


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """October 2026 of a demo company with prepayments, finance charges, unmapped items, and
    QuickBooks' ProfitAndLoss fetched for the month (so the Tie-out sheet compares with it)."""
    folder = tmp_path_factory.mktemp("formats")
    db = folder / "w.duckdb"
    assert cli("demo", "--db", db, "--clients", "20", "--years", "2", "--until", UNTIL) == 0
    con = open_work_db(db)
    try:
        con.execute("insert into raw.qbo_profit_and_loss select realm_id, month, account_id, null, sum(amount), now() "
                    "from intermediate.int_income_by_account_month where month = date '2026-10-01' group by all")
    finally:
        con.close()
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
def small(tmp_path_factory):
    db = tmp_path_factory.mktemp("not-over") / "w.duckdb"
    assert cli("demo", "--db", db, "--clients", "3", "--years", "1", "--until", UNTIL) == 0
    return db


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
