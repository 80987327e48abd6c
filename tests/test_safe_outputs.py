"""Text from QuickBooks is data: in the workbook it is text, never a formula; in CSV a cell that a
spreadsheet would run as a formula is neutralised (OWASP); one control character sinks nothing."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.companies import Company
from tests.helpers import cli

NAMES = {"10": '=HYPERLINK("http://attacker.example","Pay here")', "11": "+1-555-0100 Dental",
         "12": "@SUM(A1:A9)", "13": "-2+3 Ortho", "14": "Tab\x0bCo Plumbing"}


def books(db):
    company = Company()
    for customer_id, name in NAMES.items():
        company.customer(customer_id, name)
        company.invoice(customer_id, "2026-10-05", ("hourly", "100.00"), due="2026-10-25")
    return company.load(db)


def test_names_are_text_in_the_workbook_and_totals_stay_formulas(db, tmp_path):
    out = tmp_path / "pack.xlsx"
    assert cli("export", "month-end", "--month", "2026-10", "--db", books(db), "--out", out,
               "--csv-dir", tmp_path / "csv") == 0
    sheet = load_workbook(out)["Revenue by client"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for name in NAMES.values():
        shown = name.replace("\x0b", "")
        assert shown in cells, f"{shown!r} missing from the workbook"
        assert cells[shown].data_type == "s"  # text, not a formula
    totals = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=SUM(")]
    assert totals and all(c.data_type == "f" for c in totals)  # the totals meant as formulas still are

    rows = list(csv.reader((tmp_path / "csv" / "02-revenue-by-client.csv").read_text(encoding="utf-8-sig").splitlines()))
    clients = {row[0] for row in rows[1:]}
    assert "'" + NAMES["10"] in clients and "'+1-555-0100 Dental" in clients and "'@SUM(A1:A9)" in clients
    assert "'-2+3 Ortho" in clients and "-100.00" not in clients  # numbers are left as they are


def test_report_csv_neutralises_formula_names(db, capsys):
    books(db)
    capsys.readouterr()
    assert cli("report", "ar-aging", "--as-of", "2026-11-30", "--format", "csv", "--db", db) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    customers = {r["customer"] for r in rows}
    assert "'" + NAMES["10"] in customers and "'@SUM(A1:A9)" in customers
    assert all(not r["total"].startswith("'") for r in rows)
