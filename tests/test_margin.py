"""Client and agreement gross margin (issue 26) on a small company whose arithmetic is written out here."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest

from models.figures import garden, reports
from models.settings import settings
from tests.companies import Company
from models.figures.formatting import column_label, money_text, months_text
from models.markdown import markdown_text
from tests.helpers import AS_OF, app_on, app_page, query
from tests.metrics import by, month_end_pack, report

pytestmark = pytest.mark.long  # a minute or more together: handed to a worker first

CHECKING = {"Id": "35", "Name": "Checking", "AccountType": "Bank", "Classification": "Asset"}
MATERIALS = {"Id": "60", "Name": "Job Materials", "AccountType": "Cost of Goods Sold", "Classification": "Expense"}
RENT = {"Id": "61", "Name": "Rent", "AccountType": "Expense", "Classification": "Expense"}


def _time(company: Company, customer: str, day: str, hours: int, minutes: int = 0, *, worker: tuple[str, str, str],
          billable: str = "NotBillable", **extra) -> None:
    kind, worker_id, name = worker
    company.add("TimeActivity", {"TxnDate": day, "NameOf": kind, f"{kind}Ref": {"value": worker_id, "name": name},
                                 "CustomerRef": {"value": customer}, "Hours": D(hours), "Minutes": D(minutes),
                                 "BillableStatus": billable, **extra})


def _expense_line(amount: str, customer: str | None = None, account: dict | None = MATERIALS,
                  item: str | None = None) -> dict:
    detail = {"BillableStatus": "HasBeenBilled" if customer else "NotBillable"}
    if customer:
        detail["CustomerRef"] = {"value": customer}
    if item:
        return {"Amount": D(amount), "DetailType": "ItemBasedExpenseLineDetail",
                "ItemBasedExpenseLineDetail": {**detail, "ItemRef": {"value": item}, "Qty": D(1), "UnitPrice": D(amount)}}
    return {"Amount": D(amount), "DetailType": "AccountBasedExpenseLineDetail",
            "AccountBasedExpenseLineDetail": {**detail, "AccountRef": {"value": account["Id"]}}}


DANA, LEE, SAM = ("Employee", "E1", "Dana Reyes"), ("Employee", "E2", "Lee Park"), ("Vendor", "V1", "Sam Ortiz")


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Hotel (90, with its job 91) on an agreement; Ice (95) on a thin one.

    Hotel, the 12 full months before November 2026 (Nov 2025 - Oct 2026):
    - revenue 11,520.00: agreement 10 x 1,000 (Jan-Oct, each its month) + hourly 600 (May) + hardware 2 x 400 =
      800 and software 120 (June)
    - labor 3,590.00: Dana 80 h covered (8 h a month) x her QuickBooks CostRate 40 = 3,200; Dana 1 h in August
      at the 45 on the time activity itself = 45; Lee 2 h 30 covered at the default 50 = 125; Sam 4 h billed at
      the owner's 55 for him = 220. Covered 3,370, billed 220; 2.50 hours at the default rate.
    - tools 500.00: 1 server x 10 + 5 desktops x 8 = 50 a month, in the 10 months of the agreement
    - direct 760.00: hardware at its purchase cost 2 x 300 = 600; software at the 100 the bill for the job names
      it at (its purchase cost of 90 not used); card charge 50 - vendor credit 20 + journal entry 30 = 60
      (hardware and software cost 700, other direct 60)
    - gross margin 11,520 - 3,590 - 500 - 760 = 6,670.00, 57.90% (6,670 / 11,520 = 0.578993)
    - agreement: revenue 10,000, cost 3,370 + 500 = 3,870, margin 6,130; effective rate (10,000 - 500) / 83.5 h
      = 113.77 an hour
    - hardware and software markup (920 - 700) / 700 = 31.43%, against the playbook's 20
    Ice: agreement 300 in September and October, 6 h covered each at the default 50 = 300: margin 0 (0%), under
    the 20% line; August's 1 h (50) with no revenue is under it too: a problem client, August to October.
    Overhead: a 500 rent bill naming no customer is no client's. Read only: a test that changes the settings
    works on a copy of them."""
    db = tmp_path_factory.mktemp("margin") / "wh" / "warehouse.duckdb"
    company = Company()
    for item in company.entities["Item"]:
        item["PurchaseCost"] = {"5": D("300"), "6": D("90")}.get(item["Id"], D(0))
    company.entities["Account"] = [{**a, "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}}
                                   for a in (CHECKING, MATERIALS, RENT)]
    company.add("Employee", {"Id": "E1", "DisplayName": DANA[2], "CostRate": D("40"), "Active": True})
    company.add("Employee", {"Id": "E2", "DisplayName": LEE[2], "Active": True})
    company.add("Vendor", {"Id": "V1", "DisplayName": SAM[2], "Active": True})
    company.customer("90", "Hotel")
    company.customer("91", "Hotel:Renovation", parent="90")
    company.customer("95", "Ice")
    for m in range(1, 11):
        company.document("SalesReceipt", "90", f"2026-{m:02d}-01", ("msa", "1000.00", f"2026-{m:02d}-01"))
        _time(company, "90", f"2026-{m:02d}-10", 8, worker=DANA)
    _time(company, "90", "2026-08-12", 1, worker=DANA, CostRate=D("45"))
    _time(company, "91", "2026-07-08", 2, 30, worker=LEE)
    _time(company, "90", "2026-05-12", 4, worker=SAM, billable="HasBeenBilled")
    company.invoice("90", "2026-05-12", ("hourly", "600.00"))
    invoice = company.invoice("90", "2026-06-03", ("hardware", "800.00"), ("software", "120.00"))
    invoice["Line"][0]["SalesItemLineDetail"].update({"Qty": D(2), "UnitPrice": D(400)})
    company.add("Bill", {"TxnDate": "2026-06-01", "VendorRef": {"value": "V9"}, "TotalAmt": D(100),
                         "Line": [_expense_line("100.00", "91", item="6")]})
    company.add("Purchase", {"TxnDate": "2026-03-04", "PaymentType": "CreditCard", "AccountRef": {"value": "35"},
                             "TotalAmt": D(50), "Line": [_expense_line("50.00", "90")]})
    company.add("VendorCredit", {"TxnDate": "2026-04-04", "VendorRef": {"value": "V9"}, "TotalAmt": D(20),
                                 "Line": [_expense_line("20.00", "90")]})
    company.add("JournalEntry", {"TxnDate": "2026-02-27", "TotalAmt": D(30), "Line": [
        {"Amount": D(30), "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {
            "PostingType": "Debit", "AccountRef": {"value": "60"},
            "Entity": {"Type": "Customer", "EntityRef": {"value": "90"}}}},
        {"Amount": D(30), "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {
            "PostingType": "Credit", "AccountRef": {"value": "35"}}}]})
    company.add("Bill", {"TxnDate": "2026-06-01", "VendorRef": {"value": "V8"}, "TotalAmt": D(500),
                         "Line": [_expense_line("500.00", account=RENT)]})
    for m in (9, 10):
        company.document("SalesReceipt", "95", f"2026-{m:02d}-01", ("msa", "300.00", f"2026-{m:02d}-01"))
        _time(company, "95", f"2026-{m:02d}-10", 6, worker=LEE)
    _time(company, "95", "2026-08-10", 1, worker=LEE)
    company.load(db)
    path = settings.settings_path(db)
    settings.save_values(path, {"margin.tools.server": 10, "margin.tools.desktop": 8,
                                "margin.workers": {SAM[2]: 55}}, check=lambda _: None)
    settings.save_devices(path, "local", {"90": settings.Devices(1, 5, "Hotel")})
    return db


def test_client_margin_over_twelve_months(books):
    rows = by(report(books, "margin"), "client")
    hotel = rows["Hotel"]
    assert {k: hotel[k] for k in ("revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin",
                                  "gross_margin_pct")} == {
        "revenue": D("11520.00"), "labor_cost": D("3590.00"), "tool_cost": D("500.00"), "direct_cost": D("760.00"),
        "gross_margin": D("6670.00"), "gross_margin_pct": D("57.90")}
    assert {k: hotel[k] for k in ("agreement_revenue", "agreement_cost", "agreement_margin", "effective_rate",
                                  "covered_hours", "billed_hours", "default_rate_hours")} == {
        "agreement_revenue": D("10000.00"), "agreement_cost": D("3870.00"), "agreement_margin": D("6130.00"),
        "effective_rate": D("113.77"), "covered_hours": D("83.50"), "billed_hours": D("4.00"),
        "default_rate_hours": D("2.50")}
    assert (hotel["hardware_software"], hotel["hardware_software_cost"], hotel["markup_pct"],
            hotel["markup_target_pct"]) == (D("920.00"), D("700.00"), D("31.43"), D("20.00"))
    assert (hotel["problem_client"], hotel["problem_months"]) == (False, "")
    ice = rows["Ice"]
    assert (ice["revenue"], ice["labor_cost"], ice["gross_margin"], ice["gross_margin_pct"]) == \
        (D("600.00"), D("650.00"), D("-50.00"), D("-8.33"))
    assert (ice["problem_client"], ice["problem_months"]) == (True, "2026-08, 2026-09, 2026-10")
    # August's hour is not billed, but no agreement covered it (none had begun): labor cost, not the agreement's
    assert (ice["covered_hours"], ice["agreement_cost"], ice["agreement_margin"]) == \
        (D("12.00"), D("600.00"), D("0.00"))


def test_the_months_add_up_to_the_twelve_and_say_when_a_run_began(books):
    months = [r for r in report(books, "margin", by_month=True) if r["client"] == "Ice"]
    assert [(r["month"].isoformat(), r["gross_margin"], r["under_problem_line"], r["problem_client"])
            for r in months] == [("2026-08-01", D("-50.00"), True, False), ("2026-09-01", D("0.00"), True, True),
                                 ("2026-10-01", D("0.00"), True, True)]
    totals = by(report(books, "margin"), "client")
    hotel = [r for r in report(books, "margin", by_month=True) if r["client"] == "Hotel"]
    for figure in ("revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin", "agreement_margin"):
        assert sum(r[figure] for r in hotel) == totals["Hotel"][figure], figure
    june = by(hotel, "month")[next(r["month"] for r in hotel if r["month"].month == 6)]
    assert (june["revenue"], june["direct_cost"], june["gross_margin"]) == (D("1920.00"), D("700.00"), D("850.00"))


def test_overhead_is_no_clients_and_a_stock_purchase_no_cost(books):
    assert query(books, "select sum(amount) from marts.fct_cost_lines where client_id is null") == [(D("500.00"),)]
    assert query(books, "select document_type, amount from marts.fct_cost_lines where client_id = '90' "
                        "order by txn_date") == [("JournalEntry", D("30.00")), ("Purchase", D("50.00")),
                                                 ("VendorCredit", D("-20.00")), ("Bill", D("100.00"))]


def test_one_client_and_a_settings_file_written_before_margin(books, tmp_path):
    (row,) = report(books, "margin", client="95")
    assert row["client"] == "Ice"
    path = tmp_path / "settings.toml"
    text = settings.settings_path(books).read_text(encoding="utf-8")
    start = text.index("[margin]")
    path.write_text(text[:start] + text[text.index("[access]"):], encoding="utf-8")  # as before issue 26
    owner = settings.load(path)
    assert (owner.margin.labor_cost, owner.margin.tool_per_desktop, owner.margin.workers) == (D(50), D(8), {})


@pytest.mark.parametrize(("values", "error"), [
    ({"margin.labor_cost": "fifty"}, r"margin\.labor_cost must be an amount"),
    ({"margin.markup_percent": -3}, r"margin\.markup_percent must be a percentage of what it cost from 0 to 1000"),
    ({"margin.workers": {"Dana Reyes": 40, "dana  REYES": 60}},
     r'margin\.workers has "Dana Reyes" and "dana  REYES", which are one name .* keep one'),
    ({"margin.workers": {"--": 40}}, r'margin\.workers\."--" names no one'),
    ({"margin.labour_cost": 70}, r"margin\.labour_cost is not a setting; did you mean labor_cost\? \[margin\] takes "),
    ({"margin.tools.desktops": 9}, r"margin\.tools\.desktops is not a setting; did you mean desktop\?"),
])
def test_a_bad_margin_setting_names_the_file_and_key(books, tmp_path, values, error):
    path = tmp_path / "settings.toml"
    path.write_bytes(settings.settings_path(books).read_bytes())
    settings.save_values(path, values, check=lambda _: None)
    with pytest.raises(settings.SettingsError, match=r"settings\.toml: " + error):
        settings.load(path)


@pytest.mark.parametrize("figure", reports.MARGIN_FIGURES)
def test_every_margin_figure_opens_to_lines_that_add_up_to_it(books, figure):
    """Per client over the 12 months, and per client and month: the lines add up to the cell."""
    lines = report(books, "lines", kind=f"margin:{figure}")
    for row in report(books, "margin"):
        mine = [line for line in lines if line["client_id"] == row["client_id"]]
        assert sum(line["amount"] for line in mine) == row[figure], (row["client"], figure)
        assert {line["client"] for line in mine} == {row["client"]} or not mine
    for row in report(books, "margin", by_month=True):
        month = report(books, "lines", kind=f"margin:{figure}", client=row["client_id"], month=row["month"])
        assert sum(line["amount"] for line in month) == row[figure], (row["client"], row["month"], figure)


def test_the_lines_say_where_each_cost_comes_from(books):
    lines = report(books, "lines", kind="margin:labor_cost", client="90", month=date(2026, 7, 1))
    assert sorted((line["detail"], line["amount"]) for line in lines) == [
        ("Dana Reyes: 8.00 h x 40.00 (QuickBooks' cost rate (worker))", D("320.00")),
        ("Lee Park: 2.50 h x 50.00 (the default rate)", D("125.00"))]
    august = report(books, "lines", kind="margin:labor_cost", client="90", month=date(2026, 8, 1))
    assert ("Dana Reyes: 1.00 h x 45.00 (QuickBooks' cost rate (time activity))", D("45.00")) in \
        [(line["detail"], line["amount"]) for line in august]
    may = report(books, "lines", kind="margin:labor_cost", client="90", month=date(2026, 5, 1))
    assert ("Sam Ortiz: 4.00 h x 55.00 (your rate for Sam Ortiz)", D("220.00")) in \
        [(line["detail"], line["amount"]) for line in may]
    direct = report(books, "lines", kind="margin:direct_cost", client="90")
    assert sorted((line["document_type"], line["amount"]) for line in direct) == [
        ("Bill", D("100.00")), ("Invoice", D("600.00")), ("JournalEntry", D("30.00")), ("Purchase", D("50.00")),
        ("VendorCredit", D("-20.00"))]
    assert [line["detail"] for line in direct if line["document_type"] == "Invoice"] == \
        ["sold at purchase cost: 2.00 x 300.00"]
    assert [line["item"] for line in direct if line["document_type"] == "Bill"] == ["Antivirus"]  # the bill's


def test_the_lines_say_in_words_what_each_counts_as(books):
    from models.figures import drilldown

    lines = pd.DataFrame(report(books, "lines", kind="margin:gross_margin", client="90"))
    assert not [d for d in lines["detail"].dropna() if d.partition(":")[0] in set(lines["category"])]  # no code
    assert set(drilldown.lines_table(lines)["category"]) == {
        "MSA labor", "Hourly labor", "Hardware", "Software", "Labor the agreement covers", "Labor billed hourly",
        "Tools on its devices", "Hardware and software cost", "Other direct cost"}
    overhead = pd.DataFrame(report(books, "lines", kind="margin:overhead"))
    assert set(drilldown.lines_table(overhead)["category"]) == {"Overhead"}


def test_the_margin_page_shows_the_reports_figures_and_the_problem_clients(monkeypatch, demo_db):
    app = app_on(monkeypatch, demo_db, "dashboards/margin.py")
    clients = report(demo_db, "margin", AS_OF)
    for column in ("revenue", "labor_cost", "gross_margin"):
        assert next(m.value for m in app.metric if m.label == column_label(column)) == \
            money_text(sum((r[column] for r in clients), D(0)))
    problems = [r for r in clients if r["problem_client"]]
    assert problems, "the demo company has two unprofitable agreements"
    shown = " ".join(m.value for m in app.markdown)
    for row in problems:
        # the months as every page says a month ("Aug 2026"), never the report's "2026-08"
        assert markdown_text(row["client"]) in shown and markdown_text(months_text(row["problem_months"])) in shown
        assert row["problem_months"][:7] not in shown
    (grid, overhead) = app.dataframe
    assert len(grid.value) == len(clients) + 1  # and the total row
    assert len(overhead.value) == 12 + 1


def test_the_demo_resells_hardware_and_software_above_what_it_paid(demo_db):
    """The demo buys all it resells, a bundle's desktop too, at the distributor's price, 20% under the price it
    sells at: a markup of 25%, 18.75% after a 5% discount; never a loss, never a sale that cost nothing."""
    markups = [r["markup_pct"] for r in report(demo_db, "margin", AS_OF) if r["markup_pct"] is not None]
    assert markups and D("18.75") <= min(markups) and max(markups) <= D("25.00")


def test_the_margin_page_costs_nothing_unseen(monkeypatch, books):
    """Hours at the default rate are told, with the rate and where to set a better one: Lee's 2.5 for Hotel and
    13 for Ice."""
    app = app_page(monkeypatch, books, "dashboards/margin.py", date(2026, 11, 22))
    (warning,) = app.warning
    assert "15.50 hours" in warning.value.replace("\\", "") and "$50.00" in warning.value.replace("\\", "")


def test_the_garden_names_the_problem_clients(books):
    table = garden.with_margin(pd.DataFrame(report(books, "garden")), pd.DataFrame(report(books, "margin")))
    rows = {row.customer: row for row in table.itertuples(index=False)}
    assert (rows["Ice"].margin_problem, rows["Ice"].gross_margin_pct) == ("Aug 2026, Sep 2026, Oct 2026", D("-8.33"))
    assert (rows["Hotel"].margin_problem, rows["Hotel"].gross_margin_pct) == ("", D("57.90"))


def test_the_month_end_pack_has_the_months_margin(books):
    pack = month_end_pack(books, date(2026, 6, 1), date(2026, 7, 3))
    (sheet,) = [s for s in pack.sheets if s.name == "Margin"]
    by_client, overhead = sheet.blocks
    rows = {row[0]: row for row in by_client.rows}
    # June: Hotel 1,000 agreement + 800 hardware + 120 software = 1,920; Dana 320; tools 50; 600 + 100 direct
    assert rows["Hotel"][1:7] == [D("1920.00"), D("320.00"), D("50.00"), D("700.00"), D("850.00"), D("0.4427")]
    assert overhead.rows == [["Costs naming no client (in no client's margin)", D("500.00")]]


def test_a_downloaded_margin_table_holds_percentages_as_percentages(books):
    from models.documents import exports

    frame = pd.DataFrame(report(books, "margin"))
    block = exports.block(frame, ["client", "gross_margin", "gross_margin_pct", "markup_pct"])
    hotel = next(row for row in block.rows if row[0] == "Hotel")
    assert hotel[1:] == [D("6670.00"), D("0.579"), D("0.3143")]
    assert (block.money, block.ratios) == ((1,), (2, 3))


def test_a_margin_far_past_its_revenue_is_still_a_percentage(tmp_path):
    """Jet: a cent of revenue in June against 30 hours at the default 50 = 1,500.00: margin -1,499.99, which is
    -1,499.99 x 100 / 0.01 = -14,999,900.00% (past DECIMAL(9, 2)). Kite: a 100,000.00 firewall bought for a cent:
    markup (100,000.00 - 0.01) x 100 / 0.01 = 999,999,900.00%."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    company = Company()
    company.entities["Account"] = [{**MATERIALS, "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}}]
    company.customer("97", "Jet")
    company.customer("98", "Kite")
    company.invoice("97", "2026-06-03", ("hourly", "0.01"))
    _time(company, "97", "2026-06-10", 30, worker=LEE)
    company.invoice("98", "2026-06-03", ("hardware", "100000.00"))
    company.add("Bill", {"TxnDate": "2026-06-01", "VendorRef": {"value": "V9"}, "TotalAmt": D("0.01"),
                         "Line": [_expense_line("0.01", "98", item="5")]})
    company.load(db)
    for rows in (report(db, "margin"), report(db, "margin", by_month=True)):
        jet, kite = by(rows, "client")["Jet"], by(rows, "client")["Kite"]
        assert (jet["gross_margin"], jet["gross_margin_pct"]) == (D("-1499.99"), D("-14999900.00"))
        assert kite["markup_pct"] == D("999999900.00")


def test_a_time_activity_naming_its_worker_by_id_alone_takes_the_owners_rate_for_them(db):
    """QuickBooks may write an EmployeeRef with its value only: the worker's record names them, and the owner's
    rate for that name applies (3 h x 60 = 180), not the default (3 h x 50)."""
    company = Company()
    company.customer("70", "Kilo")
    company.add("Employee", {"Id": "E7", "DisplayName": "Robin Vale", "Active": True})
    company.add("TimeActivity", {"TxnDate": "2026-09-10", "NameOf": "Employee", "EmployeeRef": {"value": "E7"},
                                 "CustomerRef": {"value": "70"}, "Hours": D(3), "Minutes": D(0),
                                 "BillableStatus": "HasBeenBilled"})
    company.invoice("70", "2026-09-12", ("hourly", "450.00"))
    company.load(db)
    settings.save_values(settings.settings_path(db), {"margin.workers": {"Robin Vale": 60}}, check=lambda _: None)
    (row,) = report(db, "margin")
    assert (row["labor_cost"], row["default_rate_hours"]) == (D("180.00"), D("0.00"))

