"""The month-end workbook: read back with openpyxl, totals equal the reports, formulas compute them."""
from __future__ import annotations

import csv
import re
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from tests.companies import Company
from tests.helpers import cli, write_json
from tests.metrics import report
from tests.workbooks import total_after, value

SHEETS = ["Summary", "Revenue by client", "Sales register", "Prepayments", "Receivables", "Payments received", "Margin",
          "Unmapped", "Tie-out"]


def rows_of(ws) -> list[list]:
    return [[cell.value for cell in row] for row in ws.iter_rows()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_builds):
    folder = tmp_path_factory.mktemp("month-end")
    db = demo_builds(60, 3)  # the command's default demo company
    out = folder / "october.xlsx"
    assert cli("export", "month-end", "--month", "2026-10", "--out", out, "--csv-dir", folder / "csv", "--db", db) == 0
    return db, out, folder


def test_every_sheet_is_there_formatted(demo):
    _, out, _ = demo
    workbook = load_workbook(out)
    assert workbook.sheetnames == SHEETS
    for ws in workbook:
        assert ws.freeze_panes is not None, ws.title
    register = workbook["Sales register"]
    first_data = next(row for row in register.iter_rows(min_row=1) if isinstance(row[0].value, datetime))
    assert first_data[0].number_format == "yyyy-mm-dd" and first_data[12].number_format.startswith("#,##0.00")


def test_totals_equal_the_reports_and_formulas_compute_them(demo):
    db, out, _ = demo
    wb = load_workbook(out)
    as_of = date(2026, 10, 31)
    revenue = sum((r["amount"] for r in report(db, "revenue-by-category", as_of,
                                                period=(date(2026, 10, 1), as_of))), D(0))
    assert total_after(wb["Summary"], "Total revenue", 2) == revenue
    assert total_after(wb["Revenue by client"], "Total", 8) == revenue
    assert total_after(wb["Sales register"], "Total", 13) == revenue
    mrr = next(r for r in report(db, "mrr", as_of, summary=True) if r["month"] == date(2026, 10, 1))
    assert total_after(wb["Summary"], "MRR at the end of the month", 2) == mrr["mrr"]
    aging = sum((r["total"] for r in report(db, "ar-aging", as_of)), D(0))
    assert total_after(wb["Receivables"], "Total", 7) == aging
    liability = sum((r["liability"] for r in report(db, "prepayments", as_of)), D(0))
    assert total_after(wb["Prepayments"], "Total", 6) == liability
    roll = report(db, "prepayments", as_of, roll_forward=date(2026, 10, 1))
    recognised = sum((r["recognised"] for r in roll), D(0))
    assert total_after(wb["Prepayments"], "Total", 4) == recognised
    # the adjusting entries credit the liability accounts with what is held, never revenue with what was earned
    entries = {r[0]: (r[1], r[2]) for r in rows_of(wb["Prepayments"])
               if r[0] in ("Customer prepayments (liability)", "Deferred revenue (liability)", "Revenue (income)")}
    assert sum(D(str(entries[a][1])) for a in entries if a != "Revenue (income)") == liability > 0
    assert D(str(entries.get("Revenue (income)", (0, 0))[1])) == 0
    charges = sum((r["finance_charge"] for r in report(db, "ar-aging", as_of, finance_charges=True)), D(0))
    assert total_after(wb["Receivables"], "Total", 5, occurrence=1) == charges


def test_the_demo_ties_out(demo):
    _, out, _ = demo
    ws = load_workbook(out)["Tie-out"]
    differences = [row[5] for row in rows_of(ws)[3:] if row[0] in ("Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt")]
    assert differences and all(D(str(d)) == 0 for d in differences)
    assert total_after(ws, "Total", 6) == 0
    assert [r for r in rows_of(load_workbook(out)["Summary"]) if r[0] == "Revenue lines against documents"][0][1] == "ties out"


def test_same_data_same_workbook(demo, tmp_path):
    db, out, _ = demo
    again = tmp_path / "again.xlsx"
    assert cli("export", "month-end", "--month", "2026-10", "--out", again, "--db", db) == 0
    first, second = load_workbook(out), load_workbook(again)
    assert [rows_of(ws) for ws in first] == [rows_of(ws) for ws in second]
    assert first.properties.created == second.properties.created


def test_csv_directory_has_one_file_per_sheet(demo):
    _, _, folder = demo
    files = sorted((folder / "csv").glob("*.csv"))
    assert [f.name for f in files] == ["01-summary.csv", "02-revenue-by-client.csv", "03-sales-register.csv",
                                       "04-prepayments.csv", "05-receivables.csv", "06-payments-received.csv",
                                       "07-margin.csv", "08-unmapped.csv", "09-tie-out.csv"]
    for path in files:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name  # UTF-8 with BOM for Excel
    register = list(csv.reader((folder / "csv" / "03-sales-register.csv").open(encoding="utf-8-sig")))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", register[2][0])  # ISO dates (title row, header, then data)


def test_a_hand_computed_month(db, tmp_path):
    company = Company()
    for cid, name in (("1", "Alpha"), ("2", "Bravo"), ("3", "Charlie")):
        company.customer(cid, name)
    a = company.invoice("1", "2026-10-05", ("hourly", "1000.00"), due="2026-10-25")
    company.payment("1", "2026-10-20", "600.00", (a, "600.00"))
    voided = company.invoice("1", "2026-10-07", ("hourly", "0"), PrivateNote="Voided")
    voided["TotalAmt"] = D(0)
    doomed = company.invoice("2", "2026-10-08", ("hourly", "300.00"))
    company.document("CreditMemo", "1", "2026-10-12", ("hardware", "200.00"))
    company.document("RefundReceipt", "2", "2026-10-15", ("software", "50.00"))
    prepaid = [company.invoice("3", f"2026-{m}-01", ("msa", "950.00", f"2026-{m}-01"), due=f"2026-{m}-01")
               for m in ("10", "11", "12")]
    company.payment("3", "2026-09-22", "2850.00", *[(inv, "950.00") for inv in prepaid])
    company.load(db)
    stub = {"Invoice": [{"Id": doomed["Id"], "status": "Deleted", "domain": "QBO",
                         "MetaData": {"LastUpdatedTime": "2026-10-09T00:00:00Z"}}]}
    assert cli("load", write_json(tmp_path / "deleted.json", stub), "--db", db) == 0
    out = tmp_path / "october.xlsx"
    assert cli("export", "month-end", "--month", "2026-10", "--out", out, "--db", db) == 0
    wb = load_workbook(out)
    # revenue: hourly 1,000 - credit memo 200 - refund 50 + October's agreement 950 = 1,700
    assert total_after(wb["Summary"], "Total revenue", 2) == D("1700.00")
    register = [r for r in rows_of(wb["Sales register"]) if isinstance(r[0], datetime)]
    assert sorted((r[1], r[4] or "", D(str(r[12]))) for r in register) == sorted([
        ("Invoice", "", D("1000.00")), ("Invoice", "voided", D("0")), ("CreditMemo", "", D("-200.00")),
        ("RefundReceipt", "", D("-50.00")), ("Invoice", "", D("950.00"))])  # the deleted invoice is gone
    # prepayments: Charlie's check held 2,850 at 30 Sep; October earned: 950; 1,900 still held
    charlie = [r for r in rows_of(wb["Prepayments"]) if r[0] == "Charlie"][0]
    assert [D(str(v)) for v in charlie[1:6]] == [D("2850"), D("0"), D("950"), D("0"), D("1900")]
    # receivables at 31 Oct: Alpha's 1,000 less 600 paid, 6 days past due
    ws = wb["Receivables"]
    (row,) = [r[0].row for r in ws.iter_rows() if r[0].value == "Alpha"][:1]
    alpha = [D(str(value(ws, f"{letter}{row}"))) for letter in "BCDEFG"]
    assert alpha == [D("0"), D("400"), D("0"), D("0"), D("0"), D("400")]  # the total is a formula
    payments = [r for r in rows_of(wb["Payments received"]) if isinstance(r[0], datetime)]
    assert [(r[1], D(str(r[9])), r[7]) for r in payments] == [("Alpha", D("600"), a["DocNumber"])]
    assert total_after(wb["Tie-out"], "Total", 5) == 0
