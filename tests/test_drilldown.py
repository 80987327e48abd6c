"""Every figure opens to the lines behind it (report lines), and they add up to it to the cent: on a
company whose figures are worked out by hand here, and on every figure of the demo company."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pandas as pd
import pytest

from models.documents import sitdown, weekly
from models.figures import drilldown, reports, trends
from models.months import add_months, full_months_before, month_bounds
from models.figures.revenue import month_by_category_table
from models.warehouse.work_db import open_work_db
from tests.helpers import PROJECT, UNTIL, cli
from tests.hand_books import AS_OF, books, figure_total, lines, opened, run, total

SEP, OCT, NOV = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
LABOR = ("labor_hourly", "labor_msa")


@pytest.fixture(scope="module")
def demo(demo_db):
    with opened(demo_db) as both:
        yield both


# -- the hand-computed company --------------------------------------------------------------------------------

@pytest.mark.parametrize("month, category, amount", [
    (OCT, "labor_msa", "1450.00"),     # Acme's 950 + Beta's sales receipt 500
    (OCT, "labor_hourly", "820.00"),   # Acme 300 + Acme Move 450 + Gamma 120 - the credit memo's 50
    (OCT, "hardware", "1200.00"),      # Acme Move's
    (SEP, "labor_msa", "1950.00"),     # Acme 950 + Gamma's quarter 1,000 (revenue by its date)
    (NOV, "labor_msa", "500.00"),      # Beta's November invoice; December's and January's are dated ahead
    (NOV, "labor_hourly", "200.00"),
])
def test_revenue_by_month_and_category_opens_to_its_lines(hand, month, category, amount):
    (cell,) = [r for r in run(hand, "revenue-by-category") if (r["month"], r["category"]) == (month, category)]
    rows = lines(hand, month=month, categories=(category,))
    assert cell["amount"] == total(rows) == D(amount)
    assert {r["category"] for r in rows} == {category}


def test_the_lines_say_what_each_line_is(hand):
    rows = lines(hand, month=OCT, categories=("labor_hourly",))
    assert [(r["txn_date"], r["document_type"], r["client"], r["customer"], r["item"], r["amount"]) for r in rows] == [
        (date(2026, 10, 1), "Invoice", "Acme", "Acme", "Remote Support", D("300.00")),
        (date(2026, 10, 5), "Invoice", "Gamma", "Gamma", "Remote Support", D("120.00")),
        (date(2026, 10, 15), "Invoice", "Acme", "Acme Move", "Remote Support", D("450.00")),
        (date(2026, 10, 20), "CreditMemo", "Acme", "Acme", "Remote Support", D("-50.00")),
    ]
    # documents without a CurrencyRef (one currency); a file load has no QuickBooks company to open
    assert all(r["doc_number"] and r["rule"] == "item_category" and r["rule_pattern"] == "Labor - Hourly"
               and r["currency"] is None and r["link"] is None for r in rows)


def test_client_labor_opens_to_its_lines(hand):
    first, last = full_months_before(AS_OF)
    twelve = (first, month_bounds(last)[1])
    (acme,) = [r for r in run(hand, "client-labor") if r["customer"] == "Acme"]
    # Acme with its job: hourly 300 + 450 - 50 = 700; agreement 950 + 950 = 1,900; hardware 1,200
    assert (acme["labor_hourly"], acme["labor_msa"], acme["labor_total"], acme["hardware"]) == \
        (D("700.00"), D("1900.00"), D("2600.00"), D("1200.00"))
    assert total(lines(hand, period=twelve, client="10", categories=LABOR)) == D("2600.00")
    assert total(lines(hand, period=twelve, client="10", categories=("hardware",))) == D("1200.00")
    (october,) = [r for r in run(hand, "client-labor", by_month=True, client="10") if r["month"] == OCT]
    assert total(lines(hand, month=OCT, client="10", categories=("labor_hourly",))) == october["labor_hourly"] \
        == D("700.00")
    (job,) = [r for r in run(hand, "client-labor", rollup=False) if r["customer"] == "Acme Move"]
    assert total(lines(hand, period=twelve, client="11", rollup=False, categories=LABOR)) == job["labor_total"] \
        == D("450.00")


@pytest.mark.parametrize("month, client, mrr", [
    (SEP, "30", "333.34"),   # Gamma's 1,000 over three months: the odd cent in the first
    (OCT, "30", "333.33"),
    (OCT, "10", "950.00"),
    (OCT, None, "1783.33"),  # 950 + 500 + 333.33
    (NOV, None, "833.33"),   # Beta 500 + Gamma 333.33; Acme has none
])
def test_mrr_opens_to_the_agreement_lines_of_the_month(hand, month, client, mrr):
    rows = lines(hand, "mrr", month=month, client=client)
    if client:
        (figure,) = [r["mrr"] for r in run(hand, "mrr") if (r["month"], r["customer_id"]) == (month, client)]
    else:
        (figure,) = [r["mrr"] for r in run(hand, "mrr", summary=True) if r["month"] == month]
    assert figure == total(rows) == D(mrr)


def test_a_spread_line_says_which_month_of_its_span(hand):
    (row,) = lines(hand, "mrr", month=OCT, client="30")
    assert (row["txn_date"], row["item"], row["detail"], row["amount"]) == \
        (SEP, "MSA - Quarterly", "Oct 2026, month 2 of 3", D("333.33"))


@pytest.mark.parametrize("month, movement, amount", [
    (SEP, "new", "1283.34"),          # Acme 950 + Gamma 333.34
    (OCT, "new", "500.00"),           # Beta
    (OCT, "contraction", "-0.01"),    # Gamma: 333.34 then 333.33
    (NOV, "churn", "-950.00"),        # Acme: no agreement in November
])
def test_mrr_movements_open_to_this_months_and_last_months_lines(hand, month, movement, amount):
    (summary,) = [r for r in run(hand, "mrr", summary=True) if r["month"] == month]
    rows = lines(hand, f"mrr:{movement}", month=month)
    assert summary[movement] == total(rows) == D(amount)


def test_churn_lists_last_months_lines_as_minus(hand):
    (row,) = lines(hand, "mrr:churn", month=NOV)
    assert (row["client"], row["txn_date"], row["detail"], row["amount"]) == \
        ("Acme", OCT, "less MRR of Oct 2026", D("-950.00"))


@pytest.mark.parametrize("column, amount", [
    ("current", "200.00"),        # Acme's invoice of 20 November, due 10 December
    ("days_1_30", "1770.00"),     # Acme Move 1,650 (18 days) + Gamma 120 (28 days)
    ("days_31_60", "650.00"),     # Acme's October invoice: 1,250 - 600 paid, 32 days
    ("days_61_90", "1000.00"),    # Gamma's quarter, 62 days
    ("days_90_plus", "80.00"),    # Gamma's July hours, 124 days
    ("total", "3700.00"),
    ("credits", "-1250.00"),      # Acme's credit memo 50, Beta's unapplied 200 and its 1,000 applied to the
                                  # invoices of 1 December and 1 January (not dated yet: credit, as in QuickBooks)
    ("net", "2450.00"),
])
def test_aging_buckets_open_to_the_open_invoices(hand, column, amount):
    aging = run(hand, "ar-aging")
    rows = lines(hand, f"ar-aging:{column}")
    assert sum(r[column] for r in aging) == total(rows) == D(amount)


def test_past_due_and_one_clients_bucket(hand):
    assert total(lines(hand, "ar-aging:past_due")) == D("3500.00")  # total less the 200 not yet due
    rows = lines(hand, "ar-aging:days_1_30", client="10")
    assert [(r["customer"], r["document_type"], r["detail"], r["amount"]) for r in rows] == \
        [("Acme Move", "Invoice", "18 days past due", D("1650.00"))]
    credits = lines(hand, "ar-aging:credits", client="20")
    assert sorted((r["document_type"], r["detail"], r["amount"]) for r in credits) == [
        ("Payment", "paid ahead: applied to documents dated after this day", D("-1000.00")),
        ("Payment", "unapplied payment", D("-200.00"))]


@pytest.mark.parametrize("column, client, amount", [
    ("liability", "20", "1200.00"),            # December and January paid, 500 each, and 200 unapplied
    ("prepaid_service", "20", "1000.00"),
    ("unapplied_payments", "20", "200.00"),
    ("liability", "10", "50.00"),              # the credit memo's credit
    ("refund_if_cancelled", "10", "0.00"),     # credit for work, not cash
    ("credits", "10", "50.00"),
    ("liability", None, "1250.00"),
    ("refund_if_cancelled", None, "1200.00"),
])
def test_prepayments_open_to_what_is_held(hand, column, client, amount):
    held = [r for r in run(hand, "prepayments") if client is None or r["customer_id"] == client]
    rows = lines(hand, f"prepayments:{column}", client=client)
    assert sum((r[column] for r in held), D("0.00")) == total(rows) == D(amount)


def test_held_money_opens_to_its_documents(hand):
    """Beta paid its December and January invoices (N120, N122) on 25 October with 200 more unapplied."""
    rows = lines(hand, "prepayments:liability", client="20")
    assert [(r["txn_date"], r["document_type"], r["doc_number"], r["document_id"], r["client"], r["detail"],
             r["amount"]) for r in rows] == [
        (date(2026, 12, 1), "Invoice", "N120", "121", "Beta", "paid for Dec 2026, not started", D("500.00")),
        (date(2027, 1, 1), "Invoice", "N122", "123", "Beta", "paid for Jan 2027, not started", D("500.00")),
        (date(2026, 10, 25), "Payment", None, "124", "Beta", "unapplied payment", D("200.00")),
    ]
    (credit,) = lines(hand, "prepayments:credits", client="10")
    assert (credit["document_type"], credit["doc_number"], credit["amount"]) == ("CreditMemo", "N110", D("50.00"))


@pytest.mark.parametrize("month", [OCT, NOV, date(2026, 12, 1)])
def test_every_roll_forward_cell_opens_to_its_documents(hand, month):
    """October: Beta pays November, December and January ahead on the 25th (received 1,500 and the 200
    unapplied), Acme's credit memo's 50 arrives; November, December: what each month recognises; every
    cell's documents add up to it, each client's and the column's."""
    rolled = run(hand, "prepayments", roll_forward=month)
    assert rolled
    for column in reports.ROLL_FORWARD_FIGURES:
        rows = lines(hand, f"roll-forward:{column}", month=month)
        assert total(rows) == sum((r[column] for r in rolled), D("0.00")), column
        assert all(r["document_type"] and r["document_id"] for r in rows)
        for row in rolled:
            figure = drilldown.roll_forward_cell(month, pd.Series(row), column)
            assert figure_total(hand, figure) == row[column], (row["customer"], column)


def test_octobers_received_are_the_documents_that_brought_the_money(hand):
    rows = lines(hand, "roll-forward:received", month=OCT)
    assert [(r["client"], r["document_type"], r["doc_number"], r["amount"]) for r in rows] == [
        ("Acme", "CreditMemo", "N110", D("50.00")), ("Beta", "Payment", None, D("200.00")),
        ("Beta", "Invoice", "N118", D("500.00")), ("Beta", "Invoice", "N120", D("500.00")),
        ("Beta", "Invoice", "N122", D("500.00"))]


def test_a_schedule_month_opens_to_what_becomes_revenue_then(hand):
    schedule = {r["month"]: r["amount"] for r in run(hand, "prepayments", schedule=True)}
    assert schedule == {date(2026, 12, 1): D("500.00"), date(2027, 1, 1): D("500.00"), None: D("250.00")}
    (january,) = lines(hand, "prepayments:liability", month=date(2027, 1, 1))
    assert (january["doc_number"], january["amount"]) == ("N122", D("500.00"))
    for month in (date(2026, 12, 1), date(2027, 1, 1)):
        assert total(lines(hand, "prepayments:liability", month=month)) == schedule[month]


def test_a_tie_out_difference_opens_to_its_parts(tmp_path):
    from ingest.qbo.tieout import fetch_income
    from tests.tie_out_books import APRIL, MARCH, MAY, REALM, ReportOnly, company
    from tests.helpers import write_json

    db = tmp_path / "wh" / "w.duckdb"
    assert cli("load", write_json(tmp_path / "books.json", company()), "--db", db, "--realm", REALM, "--no-build") == 0
    con = open_work_db(db)
    try:
        fetch_income(con, ReportOnly(), [MARCH, APRIL, MAY])
    finally:
        con.close()
    cli("build", "--db", db)
    with opened(db) as books_now:
        tie_out = run(books_now, "tie-out")
        for month in (MARCH, APRIL, MAY):
            difference = sum((r["difference"] for r in tie_out if r["month"] == month), D("0.00"))
            assert total(lines(books_now, "tie-out:difference", month=month)) == difference
        may = lines(books_now, "tie-out:difference", month=MAY, account="11")
        march = lines(books_now, "tie-out:difference", month=MARCH, account="Consulting")
    # May: ours 100.00 from a sales line, QuickBooks nothing
    assert [(r["detail"], r["amount"]) for r in may] == [("Consulting: ours, sales lines", D("100.00"))]
    # March ties out: sales lines 600 + journal entry 250 - QuickBooks' 850
    assert [(r["detail"], r["amount"]) for r in march] == [("Consulting: ours, journal entries", D("250.00")), ("Consulting: ours, sales lines", D("600.00")),
            ("Consulting: less QuickBooks' ProfitAndLoss", D("-850.00"))]


# -- links into QuickBooks Online ---------------------------------------------------------------------------

def test_a_synced_company_links_each_document_to_quickbooks(tmp_path):
    """The same books twice: synced as QuickBooks company 9130355377000002 and loaded from files."""
    db, realm = tmp_path / "wh" / "w.duckdb", "9130355377000002"
    books().load(db)
    assert cli("load", tmp_path / "wh" / "company.json", "--db", db, "--realm", realm, "--no-build") == 0
    con = open_work_db(db)
    try:  # what a sync leaves: its change-data-capture cursor
        con.execute("insert into raw.sync_state values (?, '_cdc', '2026-11-22T00:00:00+00:00', now())", [realm])
    finally:
        con.close()
    assert cli("build", "--db", db) == 0
    with opened(db) as both:
        rows = lines(both, month=OCT, realm=realm)
        payment, _ = lines(both, "ar-aging:credits", client="20", realm=realm)  # unapplied, applied ahead
        loaded = lines(both, month=OCT, realm="local")
    pages = {"Invoice": "invoice", "SalesReceipt": "salesreceipt", "CreditMemo": "creditmemo"}
    assert {r["document_type"] for r in rows} == set(pages)
    for row in rows:
        assert row["link"] == (f"https://app.qbo.intuit.com/app/{pages[row['document_type']]}"
                               f"?txnId={row['document_id']}&companyId={realm}")
    assert payment["link"] == f"https://app.qbo.intuit.com/app/recvpayment?txnId={payment['document_id']}&companyId={realm}"
    # the same documents from a file load have no company to open
    assert {r["link"] for r in loaded} == {None}


def test_the_demo_links_nowhere_even_after_a_sync_cursor(demo_copy):
    db = demo_copy(3, 1)
    con = open_work_db(db)
    try:
        con.execute("insert into raw.sync_state values ('demo', '_cdc', '2026-11-22T00:00:00+00:00', now())")
    finally:
        con.close()
    assert cli("build", "--db", db) == 0
    with opened(db) as both:
        assert {r["link"] for r in lines(both, month=OCT)} == {None}


# -- every figure of the demo company -------------------------------------------------------------------------

def test_demo_revenue_by_month_and_category(demo):
    for cell in run(demo, "revenue-by-category"):
        assert total(lines(demo, month=cell["month"], categories=(cell["category"],))) == cell["amount"], cell


def test_demo_client_labor(demo):
    first, last = full_months_before(AS_OF)
    twelve = (first, month_bounds(last)[1])
    for client in run(demo, "client-labor"):
        for column, categories in (("labor_total", LABOR), ("hardware", ("hardware",)), ("software", ("software",))):
            rows = lines(demo, period=twelve, client=client["customer_id"], categories=categories)
            assert total(rows) == client[column], (client["customer"], column)
    months = run(demo, "client-labor", by_month=True)
    for cell in months[::5]:
        rows = lines(demo, month=cell["month"], client=cell["customer_id"], categories=("labor_hourly",))
        assert total(rows) == cell["labor_hourly"], cell


def test_demo_mrr_per_client_month_and_movements(demo):
    for row in run(demo, "mrr")[::3]:
        assert total(lines(demo, "mrr", month=row["month"], client=row["customer_id"])) == row["mrr"], row
    for month in run(demo, "mrr", summary=True):
        assert total(lines(demo, "mrr", month=month["month"])) == month["mrr"], month
        for movement in reports.MRR_MOVEMENTS:
            assert total(lines(demo, f"mrr:{movement}", month=month["month"])) == month[movement], (month, movement)


def test_demo_aging_and_prepayments(demo):
    aging = run(demo, "ar-aging")
    for column in reports.AGING_FIGURES:
        figure = sum((r["total"] - r["current"] if column == "past_due" else r[column] for r in aging), D("0.00"))
        assert total(lines(demo, f"ar-aging:{column}")) == figure, column
    for client in aging:
        assert total(lines(demo, "ar-aging:total", client=client["customer_id"])) == client["total"], client
    held = run(demo, "prepayments")
    assert held
    for month in (date(2025, 3, 1), add_months(date.fromisoformat(UNTIL), -1)):
        rolled = run(demo, "prepayments", roll_forward=month)
        for column in reports.ROLL_FORWARD_FIGURES:
            assert total(lines(demo, f"roll-forward:{column}", month=month)) == \
                sum((r[column] for r in rolled), D("0.00")), (month, column)
            for row in rolled[::4]:
                rows = lines(demo, f"roll-forward:{column}", month=month, client=row["customer_id"])
                assert total(rows) == row[column], (month, row["customer"], column)
    for column in reports.PREPAYMENT_FIGURES:
        assert total(lines(demo, f"prepayments:{column}")) == sum((r[column] for r in held), D("0.00")), column
        for client in held:
            rows = lines(demo, f"prepayments:{column}", client=client["customer_id"])
            assert total(rows) == client[column], (client["customer"], column)
    for row in run(demo, "prepayments", schedule=True):
        if row["month"] is not None:
            assert total(lines(demo, "prepayments:liability", month=row["month"])) == row["amount"], row
    every = lines(demo, "prepayments:liability")
    assert all(r["document_type"] and r["document_id"] and r["txn_date"] for r in every)


# -- the command line ---------------------------------------------------------------------------------------

def test_report_lines_from_the_command_line(tmp_path, capsys):
    db = tmp_path / "wh" / "w.duckdb"
    books().load(db)
    capsys.readouterr()
    assert cli("report", "lines", "--month", "2026-10", "--category", "labor_msa,labor_hourly", "--client", "acme",
               "--as-of", "2026-11-22", "--format", "csv", "--db", db) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # Acme and its job in October: agreement 950, hourly 300 + 450, the credit memo's -50
    assert sorted((r["customer"], r["amount"]) for r in rows) == [
        ("Acme", "-50.00"), ("Acme", "300.00"), ("Acme", "950.00"), ("Acme Move", "450.00")]
    with pytest.raises(SystemExit) as refused:
        cli("report", "lines", "--kind", "ar-aging:total", "--month", "2026-10", "--db", db)
    assert refused.value.code == ("msp-revenue: report lines --kind ar-aging:total reads --as-of, --realm, --kind "
                                  "and --client, not --month")
    # a change: MSA labor 1-22 November (500) against 1-22 October (950 + 500)
    assert cli("report", "lines", "--from", "2026-11-01", "--to", "2026-11-22", "--against", "2026-10-01,2026-10-22",
               "--category", "labor_msa", "--as-of", "2026-11-22", "--format", "csv", "--db", db) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["amount"] for r in rows] == ["500.00", "-950.00", "-500.00"]
    with pytest.raises(SystemExit):
        cli("report", "lines", "--against", "2026-10-22,2026-10-01", "--db", db)
    assert "the first day 2026-10-22 is after the last 2026-10-01" in capsys.readouterr().err


# -- the figures the pages' cells name ------------------------------------------------------------------------

def test_every_cell_of_the_revenue_table_opens_to_its_lines(hand):
    table = month_by_category_table(pd.DataFrame(run(hand, "revenue-by-category")))
    for _, row in table.iterrows():
        for column in table.columns:
            expected = row["Total"] if column == "Month" else row[column]
            assert figure_total(hand, drilldown.month_table_cell(row, column)) == expected, (row["Month"], column)


def test_every_cell_of_the_weeks_comparisons_opens_to_its_lines(hand):
    con, owner = hand
    week = weekly.load(con, owner, AS_OF)
    for now, then, current, previous in ((week.this_week, week.last_week, "This week", "Same days last week"),
                                         (week.month_to_date, week.last_month_to_date, "Month to date",
                                          "Same point last month")):
        frame = pd.DataFrame(weekly.comparison_rows(now, then), columns=["Category", current, previous, weekly.CHANGE])
        for _, row in frame.iterrows():
            for column in (current, previous, weekly.CHANGE):
                assert figure_total(hand, weekly.comparison_cell(week, row, column)) == row[column], (row[0], column)


def test_a_change_opens_to_this_periods_lines_less_the_earlier_ones(hand):
    """MSA labor month to date (1-22 November): Beta's November invoice, 500; the same point last month
    (1-22 October): Acme's 950 and Beta's sales receipt 500. The change, -950, is the one line of November
    less the two of October."""
    con, owner = hand
    week = weekly.load(con, owner, AS_OF)
    frame = pd.DataFrame(weekly.comparison_rows(week.month_to_date, week.last_month_to_date),
                         columns=["Category", "Month to date", "Same point last month", weekly.CHANGE])
    row = frame[frame["Category"] == "MSA labor"].iloc[0]
    figure = weekly.comparison_cell(week, row, weekly.CHANGE)
    assert figure.title == "Change: MSA labor, month to date, against same point last month"
    rows = drilldown.lines(con, owner, figure, AS_OF).to_dict("records")
    assert [(r["client"], r["amount"], (r["detail"] or "").startswith("taken off: 2026-10-01 to 2026-10-22"))
            for r in rows] == [("Beta", D("500.00"), False), ("Acme", D("-950.00"), True), ("Beta", D("-500.00"), True)]
    assert total(rows) == row[weekly.CHANGE] == D("-950.00")


def test_the_readme_says_what_a_change_opens():
    """The README promised the change columns open nothing; they open the lines above."""
    readme = " ".join((PROJECT / "README.md").read_text(encoding="utf-8").split())
    assert "open nothing" not in readme
    assert ("A cell of This week's Change columns opens the lines of the period shown and, below them, the earlier "
            "period's lines taken off") in readme


def test_the_client_tables_cells_open_to_their_lines(hand):
    for row in run(hand, "ar-aging"):
        for column in [c for c in reports.AGING_FIGURES if c != "past_due"] + ["customer"]:
            figure = drilldown.client_receivables(pd.Series(row), column)
            assert figure_total(hand, figure) == row[column if column != "customer" else "total"], (row, column)
    for row in run(hand, "prepayments"):
        for column in reports.PREPAYMENT_FIGURES + ("customer",):
            figure = drilldown.client_prepayments(pd.Series(row), column)
            assert figure_total(hand, figure) == row[column if column != "customer" else "liability"], (row, column)


def test_the_sitdown_figures_open_to_their_lines(hand):
    con, owner = hand
    sit = sitdown.load(con, owner, "local", "10", AS_OF)
    for column in sitdown.MONTH_COLUMNS:
        assert figure_total(hand, sitdown.twelve_months_figure(sit, column)) == sit.total(column), column
        for _, row in sit.months.iterrows():
            assert figure_total(hand, sitdown.month_figure(sit, row["month"], column)) == row[column], (row, column)


# -- trends: each bar opens to the lines behind it ------------------------------------------------------------

def test_aging_at_each_month_end(hand):
    con, owner = hand
    parts = trends.aging_over_time(con, owner, AS_OF)
    assert list(parts["month"].drop_duplicates()) == [date(2025, 12, 1)] + [date(2026, m, 1) for m in range(1, 12)]
    october = {r["part"]: r["amount"] for r in parts.to_dict("records") if r["month"] == OCT}
    # as of 31 October: Acme Move's 1,650 not yet due; Acme's 650 left (10 days) and Gamma's 120 (6 days);
    # Gamma's quarter 40 days; its July hours 102 days. Beta's November invoice is not dated yet.
    assert october == {"current": D("1650.00"), "days_1_30": D("770.00"), "days_31_60": D("1000.00"),
                       "days_61_90": D("0.00"), "days_90_plus": D("80.00")}
    for row in parts.to_dict("records"):
        assert figure_total(hand, trends.aging_figure(row["month"], row["part"], AS_OF)) == row["amount"], row


def test_liability_at_each_month_end(hand):
    con, owner = hand
    parts = {r["month"]: r["amount"] for r in trends.liability_over_time(con, owner, AS_OF).to_dict("records")}
    # Beta's check of 25 October: November to January 1,500 and 200 unapplied; Acme's memo credit 50 from 20 October
    assert (parts[SEP], parts[OCT], parts[NOV]) == (D("0.00"), D("1750.00"), D("1250.00"))
    for month, amount in parts.items():
        assert figure_total(hand, trends.liability_figure(month, "liability", AS_OF)) == amount, month


def test_mrr_and_its_movements_month_by_month(hand):
    summary = pd.DataFrame(run(hand, "mrr", summary=True))
    for row in trends.mrr_by_month(summary).to_dict("records") + trends.movements_by_month(summary).to_dict("records"):
        assert figure_total(hand, drilldown.mrr_part(row["month"], row["part"])) == row["amount"], row
    moves = trends.movements_by_month(summary)
    assert [(r["month"], r["part"], r["amount"]) for r in moves.to_dict("records")] == [
        (SEP, "new", D("1283.34")), (OCT, "new", D("500.00")), (OCT, "contraction", D("-0.01")),
        (NOV, "churn", D("-950.00"))]
