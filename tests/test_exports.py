"""Every table's downloads: Excel in the month-end workbook's formats (money as money, dates as dates,
the header frozen, a name from QuickBooks always text), CSV as the month-end CSVs (UTF-8 with a BOM,
ISO dates, formula-safe); the same numbers as on screen."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pandas as pd
from openpyxl import load_workbook

from models.documents import exports
from models.documents import month_end_workbook
from models.figures.revenue import month_by_category_table
from tests.hand_books import AS_OF, lines, run


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_a_client_table_in_excel_reads_as_the_workbook_does(hand):
    aging = pd.DataFrame(run(hand, "ar-aging"))
    columns = ["customer", "current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "total"]
    sheet = workbook(exports.xlsx_bytes(aging, columns, "Aging by client", AS_OF))
    assert sheet.title == "Aging by client" and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Client", "Current", "1–30 days", "31–60 days", "61–90 days",
                                           "Over 90 days", "Total"]
    got = [[row[0].value] + [D(str(c.value)).quantize(D("0.01")) for c in row[1:-1]] for row in sheet.iter_rows(min_row=2)]
    assert got == [[r["customer"]] + [r[c] for c in columns[1:-1]] for r in aging.to_dict("records")]
    # a last column named Total is the row's sum as a formula, as in the workbook
    assert [row[-1].value for row in sheet.iter_rows(min_row=2)] == [f"=SUM(B{n}:F{n})" for n in range(2, len(aging) + 2)]
    assert {c.number_format for row in sheet.iter_rows(min_row=2) for c in row[1:-1]} == {month_end_workbook.MONEY_FORMAT}


def test_the_lines_keep_dates_as_dates_and_the_month_table_its_totals(hand):
    shown = pd.DataFrame(lines(hand, month=date(2026, 10, 1)))
    sheet = workbook(exports.xlsx_bytes(shown, ["txn_date", "document_type", "doc_number", "client", "amount"],
                                        "MSA labor, Oct 2026", AS_OF))
    assert sheet.cell(2, 1).is_date and sheet.cell(2, 1).number_format == "yyyy-mm-dd"
    assert sum(D(str(sheet.cell(r, 5).value)) for r in range(2, sheet.max_row + 1)) == sum(shown["amount"])
    table = month_by_category_table(pd.DataFrame(run(hand, "revenue-by-category")))
    sheet = workbook(exports.xlsx_bytes(table, list(table.columns), "Revenue by month", AS_OF))
    # the Total column as the workbook writes it: the sum of the month's categories, a formula
    assert sheet.cell(2, len(table.columns)).value == f"=SUM(B2:{chr(64 + len(table.columns) - 1)}2)"


def test_names_from_quickbooks_stay_text(hand):
    frame = pd.DataFrame({"customer": ["=HYPERLINK(\"http://x\")", "+1 Acme", "Plain"],
                          "labor_total": [D("1.00"), D("-2.50"), D("3.00")]})
    sheet = workbook(exports.xlsx_bytes(frame, ["customer", "labor_total"], "a/b:c", AS_OF))
    assert sheet.title == "a b c"
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == \
        [("=HYPERLINK(\"http://x\")", "s"), ("+1 Acme", "s"), ("Plain", "s")]
    data = exports.csv_bytes(frame, ["customer", "labor_total"])
    assert data.startswith("\ufeff".encode("utf-8"))
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        ["Client", "Labor total"], ["'=HYPERLINK(\"http://x\")", "1.00"], ["'+1 Acme", "-2.50"], ["Plain", "3.00"]]


def test_csv_of_the_lines_is_the_report_csv(hand):
    shown = pd.DataFrame(lines(hand, "ar-aging:total"))
    rows = list(csv.DictReader(io.StringIO(exports.csv_bytes(shown, ["txn_date", "doc_number", "amount"])
                                           .decode("utf-8-sig"))))
    assert [(r["Date"], r["Number"], r["Amount"]) for r in rows] == \
        [(d.isoformat(), n, str(a)) for d, n, a in zip(shown["txn_date"], shown["doc_number"], shown["amount"])]


def test_shares_are_percentages_and_ranks_counts(hand):
    garden = pd.DataFrame(run(hand, "garden"))
    sheet = workbook(exports.xlsx_bytes(garden, ["rank", "customer", "labor_total", "share_of_labor"], "Garden", AS_OF))
    assert [sheet.cell(2, c).number_format for c in (1, 3, 4)] == \
        [month_end_workbook.COUNT_FORMAT, month_end_workbook.MONEY_FORMAT, month_end_workbook.PERCENT_FORMAT]


def test_the_gardens_trend_column_stays_on_screen(hand):
    garden = pd.DataFrame(run(hand, "garden"))
    garden["trend"] = [[1, 2, 3]] * len(garden)
    columns = exports.exportable(garden, ["rank", "customer", "labor_total", "trend"])
    assert columns == ["rank", "customer", "labor_total"]
    assert workbook(exports.xlsx_bytes(garden, columns, "Client garden", AS_OF)).max_column == 3


def test_file_names_are_plain():
    assert exports.file_stem("Labor by month, Ünïcode / ../Acme", AS_OF) == "labor-by-month-n-code-acme-2026-11-22"
