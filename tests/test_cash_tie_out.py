"""Cash-basis tie-out (issue 27): our income on a cash basis against QuickBooks' cash-basis ProfitAndLoss, fetched
from the stand-in, which books a month the way Intuit's cash basis does (docs/DECISIONS.md, "Cash-basis tie-out")."""
from __future__ import annotations

import contextlib
import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from cli import status_lines
from models.figures import month_end, reports
from models.figures.reports import OptionClash
from models.jobs.alerts import tie_out_alert
from models.settings import settings
from tests.companies import ITEMS, Company, cash_october
from tests.hand_books import opened
from tests.helpers import app_page, cli, query
from models.warehouse.work_db import open_work_db
from tests.qbo_helpers import FAST, REALM, connected, raw, stand_in
from tests.server import free_port
from tests.stand_in import profit_and_loss
from tests.tie_out_books import account

# the command line's syncs unpaced, as the stand-in is: these tests are about what ties out, not the limits
pytestmark = pytest.mark.usefixtures("unpaced")
SEPTEMBER, OCTOBER, NOVEMBER = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
# income accounts of the items (ITEMS' keys), and QuickBooks' own account for unapplied cash
ACCOUNTS = {"hourly": ("41", "Labor Income"), "hardware": ("42", "Hardware Sales"),
            "software": ("43", "Software Sales"), "msa": ("44", "Agreement Income")}
UNAPPLIED = "49"


def with_income_accounts() -> Company:
    """The playbook's items, each of ACCOUNTS' keys booking to its income account."""
    company = Company()
    for item in company.entities["Item"]:
        key = next((k for k, (item_id, _) in ITEMS.items() if item_id == item["Id"]), None)
        if key in ACCOUNTS:
            item["IncomeAccountRef"] = {"value": ACCOUNTS[key][0]}
    for account_id, name in ACCOUNTS.values():
        company.add("Account", account(account_id, name, "Income"))
    return company


def as_synced(company: Company) -> Company:
    """Every record with a SyncToken, as QuickBooks serves them."""
    for records in company.entities.values():
        for record in records:
            record.setdefault("SyncToken", "0")
    return company


def hand_worked() -> Company:
    """Delta (40), worked by hand: October on a cash basis differs from October on accrual.

    - Invoice A, 28 September: Remote Support 100.01 + Firewall 200.00 = 300.01, paid 100.00 on 10 October: the
      100.00 spread in proportion, in cents by the largest remainder, 33.34 labor and 66.66 hardware (10,000 x
      10,001 / 30,001 = 3,333.56 and 6,666.44; the cent left over to the larger remainder).
    - Sales receipt, 5 October: Antivirus 45.50. Refund receipt, 20 October: Firewall 20.00.
    - Invoice B, 15 October: Remote Support 150.00. Credit memo, 18 October: Remote Support 10.00, applied to B by
      a payment of 0.00 on 25 October: -10.00 labor on the 18th, +10.00 of B on the 25th.
    - Invoice C, 1 November: Platinum agreement 500.00, paid on 30 October, before it is dated: QuickBooks books
      the 500.00 as Unapplied Cash Payment Income on 30 October, takes it out on 1 November and books C's line.
    - A payment of 75.00 on 27 October applied to nothing: Unapplied Cash Payment Income on its date.

    October, cash:    labor 33.34 - 10.00 + 10.00 = 33.34; hardware 66.66 - 20.00 = 46.66; software 45.50;
                      unapplied 500.00 + 75.00 = 575.00.
    October, accrual: labor 150.00 - 10.00 = 140.00; hardware -20.00; software 45.50.
    November, cash:   agreement 500.00, unapplied -500.00. September, cash: nothing (accrual: 100.01, 200.00).
    """
    company = with_income_accounts()
    company.add("Account", {**account(UNAPPLIED, "Unapplied Cash Payment Income", "Income"),
                            "AccountSubType": profit_and_loss.UNAPPLIED_CASH})
    cash_october(company)
    company.payment("40", "2026-10-27", "75.00", unapplied="75.00")
    return as_synced(company)


@contextlib.contextmanager
def serving(db, monkeypatch, basis: str, adjust: dict | None = None, books: Company | None = None):
    """The hand-worked books (or `books`) served by the stand-in (with `adjust`: QuickBooks booking what no record
    we read carries) to an owner reporting on `basis`, connected; yields the stand-in's company."""
    server = stand_in()
    company = server.load(REALM, (books or hand_worked()).entities)
    company.pnl_adjustments.update(adjust or {})
    server.start()
    try:
        connected(db, server, free_port(), monkeypatch)
        owner_file = settings.ensure_settings_file(settings.settings_path(db))
        text = owner_file.read_text(encoding="utf-8")
        owner_file.write_text(text.replace('basis = "accrual"', f'basis = "{basis}"'), encoding="utf-8")
        yield company
    finally:
        server.stop()


def synced(db, monkeypatch, basis: str, adjust: dict | None = None, books: Company | None = None) -> None:
    """The hand-worked books (or `books`) synced in full by an owner reporting on `basis`, and built."""
    from ingest.qbo.run import run_sync

    with serving(db, monkeypatch, basis, adjust, books):
        run_sync(db, None, full=True, policy=FAST)
    cli("build", "--db", db)


@pytest.fixture(scope="module")
def cash_books(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        db = tmp_path_factory.mktemp("cash-tie-out") / "wh" / "warehouse.duckdb"
        synced(db, monkeypatch, "cash")
        return db


def tie_out(db, basis: str, month: date) -> dict[str, tuple]:
    return {account_id: tuple(row) for account_id, *row in query(
        db, "select account_id, quickbooks, ours, difference, sales_lines, unapplied_payments from marts.mart_tie_out "
            "where basis = ? and month = ?", [basis, month])}


def test_the_stand_in_books_a_month_on_each_basis_as_intuit_does():
    books = {entity: {r["Id"]: r for r in records} for entity, records in hand_worked().entities.items()}
    october = {basis: profit_and_loss.report(books, OCTOBER, date(2026, 10, 31), "Total", "", {}, basis)
               for basis in profit_and_loss.BASES}
    assert october["Cash"]["Header"]["ReportBasis"] == "Cash" and october["Accrual"]["Header"]["ReportBasis"] == "Accrual"

    def income(report: dict) -> dict[str, str]:
        section = next(row for row in report["Rows"]["Row"] if row.get("group") == "Income")
        return {row["ColData"][0]["id"]: row["ColData"][1]["value"] for row in section["Rows"]["Row"]}

    assert income(october["Cash"]) == {"41": "33.34", "42": "46.66", "43": "45.50", UNAPPLIED: "575.00"}
    assert income(october["Accrual"]) == {"41": "140.00", "42": "-20.00", "43": "45.50"}
    with pytest.raises(profit_and_loss.ReportRequestError):
        profit_and_loss.report(books, OCTOBER, date(2026, 10, 31), "Total", "", {}, "Modified Cash")


def test_a_month_where_accrual_and_cash_differ_ties_out_to_the_cent_on_each_basis(cash_books):
    assert query(cash_books, "select failed_checks from marts.mart_build_info") == [([],)]
    # (QuickBooks', ours, difference, of ours: sales lines, unapplied payments)
    assert tie_out(cash_books, "cash", OCTOBER) == {
        "41": (D("33.34"), D("33.34"), D("0.00"), D("33.34"), D("0.00")),
        "42": (D("46.66"), D("46.66"), D("0.00"), D("46.66"), D("0.00")),
        "43": (D("45.50"), D("45.50"), D("0.00"), D("45.50"), D("0.00")),
        UNAPPLIED: (D("575.00"), D("575.00"), D("0.00"), D("0.00"), D("575.00")),
    }
    assert tie_out(cash_books, "cash", NOVEMBER) == {
        "44": (D("500.00"), D("500.00"), D("0.00"), D("500.00"), D("0.00")),
        UNAPPLIED: (D("-500.00"), D("-500.00"), D("0.00"), D("0.00"), D("-500.00")),
    }
    assert tie_out(cash_books, "cash", SEPTEMBER) == {}
    assert {a: row[:2] for a, row in tie_out(cash_books, "accrual", OCTOBER).items()} == {
        "41": (D("140.00"), D("140.00")), "42": (D("-20.00"), D("-20.00")), "43": (D("45.50"), D("45.50"))}
    # ours on a cash basis less the unapplied payments is the cash revenue the reports show
    revenue = query(cash_books, "select sum(amount) from revenue_lines('cash') where month = ?", [OCTOBER])[0][0]
    assert sum(row[1] - row[4] for row in tie_out(cash_books, "cash", OCTOBER).values()) == revenue == D("125.50")


def test_tie_out_basis_cash_on_the_command_line(cash_books, capsys):
    capsys.readouterr()
    assert cli("report", "tie-out", "--basis", "cash", "--format", "csv", "--db", cash_books) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("month,account,quickbooks,ours,difference,sales_lines,journal_entries,deposits,"
                               "unapplied_payments")
    assert f"2026-10-01,Unapplied Cash Payment Income,575.00,575.00,0.00,0.00,0.00,0.00,575.00,{REALM}" in lines
    assert cli("report", "tie-out", "--format", "csv", "--db", cash_books) == 0
    assert "Unapplied Cash Payment Income" not in capsys.readouterr().out  # accrual: no such income
    with opened(cash_books) as (con, owner), pytest.raises(OptionClash):  # costs: on an accrual basis only
        reports.run(con, "tie-out", reports.Options(costs=True, basis="cash"), owner)


def test_the_month_end_tie_out_sheet_follows_the_workbooks_basis(cash_books):
    with opened(cash_books) as (con, owner):
        for basis, rows in (("cash", 4), ("accrual", 3)):
            pack = month_end.build(con, dataclasses.replace(owner, report_basis=basis), OCTOBER,
                                   today=date(2026, 11, 22))
            sheet = next(s for s in pack.sheets if s.name == "Tie-out")
            block = sheet.blocks[1]
            assert block.title == f"Income per account against QuickBooks' ProfitAndLoss ({basis} basis)"
            assert len(block.rows) == rows and all(row[3] == 0 for row in block.rows)
            assert ("Unapplied payments" in block.header) == (basis == "cash")
            assert pack.ties_out


def test_a_deliberate_difference_on_a_cash_basis_is_reported(tmp_path, monkeypatch, capsys):
    """QuickBooks books 12.34 more hardware income in October than any record we read carries."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    synced(db, monkeypatch, "cash", adjust={("2026-10-01", "42"): D("12.34")})
    assert tie_out(db, "cash", OCTOBER)["42"][:3] == (D("59.00"), D("46.66"), D("-12.34"))
    assert query(db, "select failed_checks from marts.mart_build_info") == [(["quickbooks_tie_out"],)]
    capsys.readouterr()
    assert cli("report", "lines", "--kind", "tie-out:difference", "--month", "2026-10", "--basis", "cash",
               "--account", "42", "--format", "csv", "--as-of", "2026-11-22", "--db", db) == 0
    out = capsys.readouterr().out
    assert '"Hardware Sales: ours, sales lines",46.66' in out and "Hardware Sales: less QuickBooks' ProfitAndLoss,-59.00" in out
    # status, the tie-out alert and the Data page name the difference on each basis (QuickBooks' adjustment is in
    # its accrual report too: -20.00 + 12.34), the cash one as such
    named = ["  2026-10 Hardware Sales: QuickBooks -7.66, ours -20.00, difference -12.34",
             "  2026-10 Hardware Sales (cash basis): QuickBooks 59.00, ours 46.66, difference -12.34"]
    status = status_lines(db)
    assert status[status.index("tie-out to QuickBooks: 2 difference(s):") + 1:][:2] == named
    _, _, _, told = tie_out_alert(db, settings.settings_path(db))
    assert told[told.index("Income that differs from QuickBooks' ProfitAndLoss:") + 1:][:2] == named
    page = app_page(monkeypatch, db, "dashboards/data.py")
    shown = [frame.value for frame in page.dataframe if "difference" in frame.value.columns]
    assert [[(row["account"], row["quickbooks"], row["difference"]) for _, row in frame.iterrows()]
            for frame in shown] == [[("Hardware Sales", D("-7.66"), D("-12.34"))],
                                    [("Hardware Sales", D("59.00"), D("-12.34"))]]


def test_an_owner_on_accrual_fetches_no_cash_report(tmp_path, monkeypatch):
    db = tmp_path / "wh" / "warehouse.duckdb"
    synced(db, monkeypatch, "accrual")
    assert query(db, "select count(*) from marts.mart_tie_out where basis = 'cash'") == [(0,)]
    assert query(db, "select count(*) from marts.mart_tie_out where basis = 'accrual'")[0][0] > 0


def test_a_payment_moved_to_another_month_has_its_old_month_fetched_again_on_a_cash_basis(tmp_path, monkeypatch):
    """The 75.00 paid on 27 October and applied to nothing, moved to 3 November in QuickBooks: October's cash income
    loses it in QuickBooks' ProfitAndLoss as in ours, so the next sync fetches October's cash report again (the
    month the stored payment was in), not only November's, and October ties out: unapplied 500.00."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    with serving(db, monkeypatch, "cash") as company:
        assert cli("sync", "--db", db) == 0
        first = dict(raw(db, "select month, fetched_at from raw.qbo_cash_profit_and_loss_months"))
        moved = next(p for p in company.records["Payment"].values() if p["TotalAmt"] == D("75.00"))
        company.upsert("Payment", {**moved, "TxnDate": "2026-11-03"})
        assert cli("sync", "--db", db) == 0  # a failed tie-out check would make it 1
    again = dict(raw(db, "select month, fetched_at from raw.qbo_cash_profit_and_loss_months"))
    assert again[OCTOBER] > first[OCTOBER]  # October asked for again
    assert tie_out(db, "cash", OCTOBER)[UNAPPLIED][:3] == (D("500.00"), D("500.00"), D("0.00"))
    assert tie_out(db, "cash", NOVEMBER)[UNAPPLIED][:3] == (D("-425.00"), D("-425.00"), D("0.00"))


def test_a_payment_applied_to_another_invoice_has_the_months_of_both_invoices_fetched_again(tmp_path, monkeypatch):
    """The 500.00 paid on 30 October for invoice C (1 November), applied in QuickBooks to invoice B (15 October,
    140.00 open) instead, the rest left unapplied: November loses C's 500.00 (its line and the unapplied cash taken
    out), which only the stored payment's invoice says; October gains B's 140.00 and 360.00 unapplied. The next sync
    fetches both months' cash reports, and only those, and both tie out; the accrual report moves in neither."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    months = "select month, fetched_at from raw.qbo_cash_profit_and_loss_months"
    with serving(db, monkeypatch, "cash") as company:
        assert cli("sync", "--db", db) == 0
        first, accrual = dict(raw(db, months)), dict(raw(db, months.replace("_cash", "")))
        payment = next(p for p in company.records["Payment"].values() if p["TotalAmt"] == D("500.00"))
        invoice_b = next(i for i in company.records["Invoice"].values() if i["TxnDate"] == "2026-10-15")
        company.upsert("Payment", {**payment, "UnappliedAmt": D("360.00"), "Line": [
            {"Amount": D("140.00"), "LinkedTxn": [{"TxnId": invoice_b["Id"], "TxnType": "Invoice"}]}]})
        assert cli("sync", "--db", db) == 0  # a failed tie-out check would make it 1
    again = dict(raw(db, months))
    assert {month for month, fetched in again.items() if fetched != first.get(month)} == {OCTOBER, NOVEMBER}
    assert dict(raw(db, months.replace("_cash", ""))) == accrual
    november = tie_out(db, "cash", NOVEMBER)  # C is not paid yet: no income, no unapplied cash taken out
    assert UNAPPLIED not in november and {row[2] for row in november.values()} <= {D("0.00")}
    assert tie_out(db, "cash", OCTOBER)[UNAPPLIED][:3] == (D("435.00"), D("435.00"), D("0.00"))


DISCOUNTS = "48"  # the discount account of type Income, as QuickBooks' DiscountsRefundsGiven


def discounted() -> Company:
    """Echo (41), worked by hand: an invoice with a discount line, paid in two parts in two months.

    Invoice of 20 August: Remote Support 300.00 + Firewall 100.01 - discount 40.00 (into Discounts given) + tax
    10.00 = 370.01; paid 100.00 on 10 September and 270.01 on 5 October. QuickBooks spreads each payment over the
    lines as it books them, the discount line a part of its own, by the largest remainder over 37,001 cents:
    - 10,000 x (30,000 | 10,001 | -4,000 | 1,000) / 37,001 = 8,107.89 | 2,702.90 | -1,081.05 | 270.26: floors
      8,107 + 2,702 - 1,082 + 270 = 9,997, the 3 cents left to the largest remainders (discount .95, Firewall .90,
      Remote Support .89): September labor 81.08, hardware 27.03, discounts -10.81 (tax 2.70, no income).
    - 27,001 x the same / 37,001 = 21,892.11 | 7,298.10 | -2,918.95 | 729.74: floors 21,892 + 7,298 - 2,919 + 729 =
      27,000, the cent left to the tax (.74): October labor 218.92, hardware 72.98, discounts -29.19 (tax 7.30).
    The cash revenue lines stay net of the discount: 40.00 spread over the items first (30.00 and 10.00), so
    September's 100.00 over 270.00 | 90.01 | 10.00 of tax is 72.97 labor and 24.33 hardware (7,297.08 | 2,432.64 |
    270.26, the cent left to hardware's .64): 97.30 of revenue, as 81.08 + 27.03 - 10.81 = 97.30 of income.
    """
    from tests.builders import sales_document

    company = with_income_accounts()
    company.add("Account", {**account(DISCOUNTS, "Discounts given", "Income"), "AccountSubType": "DiscountsRefundsGiven"})
    company.customer("41", "Echo")
    discount = {"Amount": D("40.00"), "DetailType": "DiscountLineDetail",
                "DiscountLineDetail": {"PercentBased": False, "DiscountAccountRef": {"value": DISCOUNTS}}}
    invoice = company.add("Invoice", sales_document(
        "41", "2026-08-20", [company._line("hourly", "300.00"), company._line("hardware", "100.01"), discount],
        tax="10.00", DocNumber="E1", DueDate="2026-09-20"))
    assert invoice["TotalAmt"] == D("370.01")
    company.payment("41", "2026-09-10", "100.00", (invoice, "100.00"))
    company.payment("41", "2026-10-05", "270.01", (invoice, "270.01"))
    return as_synced(company)


def test_an_invoice_with_a_discount_line_paid_in_two_months_ties_out_per_account_to_the_cent(tmp_path, monkeypatch):
    db = tmp_path / "wh" / "warehouse.duckdb"
    synced(db, monkeypatch, "cash", books=discounted())
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]
    labor, hardware = ACCOUNTS["hourly"][0], ACCOUNTS["hardware"][0]
    # (QuickBooks', ours, difference, of ours: sales lines, unapplied payments)
    assert tie_out(db, "cash", SEPTEMBER) == {
        labor: (D("81.08"), D("81.08"), D("0.00"), D("81.08"), D("0.00")),
        hardware: (D("27.03"), D("27.03"), D("0.00"), D("27.03"), D("0.00")),
        DISCOUNTS: (D("-10.81"), D("-10.81"), D("0.00"), D("-10.81"), D("0.00")),
    }
    assert tie_out(db, "cash", OCTOBER) == {
        labor: (D("218.92"), D("218.92"), D("0.00"), D("218.92"), D("0.00")),
        hardware: (D("72.98"), D("72.98"), D("0.00"), D("72.98"), D("0.00")),
        DISCOUNTS: (D("-29.19"), D("-29.19"), D("0.00"), D("-29.19"), D("0.00")),
    }
    # the cash revenue lines are as they were: net of the discount, the same 97.30 in September
    assert query(db, "select category, sum(amount) from revenue_lines('cash') where month = ? group by all "
                     "order by category", [SEPTEMBER]) == [("hardware", D("24.33")), ("labor_hourly", D("72.97"))]


def test_the_demo_company_on_a_cash_basis_has_no_difference_from_its_discounts(tmp_path, monkeypatch):
    """The demo company (discounts on some hardware invoices, tax, part payments) synced through the stand-in by an
    owner on a cash basis: QuickBooks' cash ProfitAndLoss of every month ties out, the discount account too."""
    from ingest.qbo.run import run_sync
    from tests.qbo_helpers import start_server

    db = tmp_path / "wh" / "warehouse.duckdb"
    server = start_server(clients=8, years=1)
    try:
        connected(db, server, free_port(), monkeypatch)
        owner_file = settings.ensure_settings_file(settings.settings_path(db))
        owner_file.write_text(owner_file.read_text(encoding="utf-8").replace('basis = "accrual"', 'basis = "cash"'),
                              encoding="utf-8")
        run_sync(db, None, full=True, policy=FAST)
    finally:
        server.stop()
    cli("build", "--db", db)
    paid_discounts = query(db, """
        select count(distinct lines.document_id) from intermediate.int_sales_lines__expanded as lines
        join marts.fct_payment_applications as paid
            on paid.realm_id = lines.realm_id and paid.applied_to_type = lines.document_type
            and paid.applied_to_id = lines.document_id
        where lines.document_type = 'Invoice' and lines.line_kind = 'discount'""")
    assert paid_discounts[0][0] > 0  # invoices with a discount line, paid
    assert query(db, "select count(distinct month) from marts.mart_tie_out where basis = 'cash'")[0][0] >= 10
    assert query(db, "select month, account, quickbooks, ours from marts.mart_tie_out "
                     "where basis = 'cash' and difference <> 0") == []
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]


def test_a_just_connected_company_names_quickbooks_unapplied_cash_account_before_its_record_is_read(tmp_path,
                                                                                                    monkeypatch):
    """A company without the unapplied cash account: QuickBooks makes it when the sync asks for the cash report,
    after the sync read the accounts, so the warehouse has no record of it until the next sync. The tie-out takes it
    from the cash report (its Id and name) and ties out; with neither the record nor the report naming it, the
    unapplied money is still under QuickBooks' name for it, never a blank account (docs/DECISIONS.md)."""
    books = hand_worked()
    books.entities["Account"] = [a for a in books.entities["Account"] if a["Id"] != UNAPPLIED]
    db = tmp_path / "wh" / "warehouse.duckdb"
    synced(db, monkeypatch, "cash", books=books)
    assert raw(db, "select count(*) from raw.accounts where payload->>'$.AccountSubType' = ?",
               [profit_and_loss.UNAPPLIED_CASH]) == [(0,)]
    (made,) = [a for a, row in tie_out(db, "cash", OCTOBER).items() if row[4]]  # the account the stand-in made
    assert made not in ("", UNAPPLIED)
    assert tie_out(db, "cash", OCTOBER)[made] == (D("575.00"), D("575.00"), D("0.00"), D("0.00"), D("575.00"))
    assert query(db, "select account from marts.mart_tie_out where account_id = ?", [made]) \
        == [("Unapplied Cash Payment Income",)] * 2
    assert query(db, "select failed_checks from marts.mart_build_info") == [([],)]
    # QuickBooks' report not naming it either (an account renamed there, say): a difference, under its name
    con = open_work_db(db)
    try:
        con.execute("delete from raw.qbo_cash_profit_and_loss where account_id = ?", [made])
    finally:
        con.close()
    cli("build", "--db", db)
    assert query(db, "select account_id, account, quickbooks, ours, difference from marts.mart_tie_out "
                     "where basis = 'cash' and month = ? and unapplied_payments <> 0", [OCTOBER]) \
        == [("", "Unapplied Cash Payment Income", D("0.00"), D("575.00"), D("575.00"))]
