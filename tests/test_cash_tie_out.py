"""Cash-basis tie-out (issue 27): our income on a cash basis against QuickBooks' cash-basis ProfitAndLoss, fetched
from the stand-in, which books a month the way Intuit's cash basis does (docs/DECISIONS.md, "Cash-basis tie-out")."""
from __future__ import annotations

import contextlib
import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from models.figures import month_end, reports
from models.figures.reports import OptionClash
from models.settings import settings
from tests.companies import ITEMS, Company, cash_october
from tests.hand_books import opened
from tests.helpers import cli, query
from tests.qbo_helpers import FAST, REALM, connected, raw, stand_in
from tests.server import free_port
from tests.stand_in import profit_and_loss
from tests.tie_out_books import account

SEPTEMBER, OCTOBER, NOVEMBER = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
# income accounts of the items (ITEMS' keys), and QuickBooks' own account for unapplied cash
ACCOUNTS = {"hourly": ("41", "Labor Income"), "hardware": ("42", "Hardware Sales"),
            "software": ("43", "Software Sales"), "msa": ("44", "Agreement Income")}
UNAPPLIED = "49"


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
    company = Company()
    for item in company.entities["Item"]:
        key = next((k for k, (item_id, _) in ITEMS.items() if item_id == item["Id"]), None)
        if key in ACCOUNTS:
            item["IncomeAccountRef"] = {"value": ACCOUNTS[key][0]}
    for account_id, name in ACCOUNTS.values():
        company.add("Account", account(account_id, name, "Income"))
    company.add("Account", {**account(UNAPPLIED, "Unapplied Cash Payment Income", "Income"),
                            "AccountSubType": profit_and_loss.UNAPPLIED_CASH})
    cash_october(company)
    company.payment("40", "2026-10-27", "75.00", unapplied="75.00")
    for records in company.entities.values():
        for record in records:
            record.setdefault("SyncToken", "0")
    return company


@contextlib.contextmanager
def serving(db, monkeypatch, basis: str, adjust: dict | None = None):
    """The hand-worked books served by the stand-in (with `adjust`: QuickBooks booking what no record we read
    carries) to an owner reporting on `basis`, connected; yields the stand-in's company."""
    server = stand_in()
    company = server.load(REALM, hand_worked().entities)
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


def synced(db, monkeypatch, basis: str, adjust: dict | None = None) -> None:
    """The hand-worked books synced in full by an owner reporting on `basis`, and built."""
    from ingest.qbo.run import run_sync

    with serving(db, monkeypatch, basis, adjust):
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
