"""How clients pay (issue 27, payment behaviour) on a small company whose arithmetic is written out here."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal as D

import pytest

from models.figures import drilldown, reports
from models.settings import settings
from tests.companies import Company
from tests.helpers import AS_OF, app_on, cli
from tests.metrics import by, report


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Three clients, as of 22 November 2026: the 12 full months are November 2025 - October 2026, the 12 before
    them November 2024 - October 2025; card methods are the defaults ("Credit Card", "Visa", ...), late is more
    than 30 days past due.

    Alder (10), hourly work paid by check:
    - A0, 1 June 2025 (the 12 months before), 400 due 21 June, paid 21 June: 20 days, on time
    - A1, 2 March 2026, 100 due 22 March, paid 12 March: 10 days, on time
    - A2, 1 June 2026, 300 due 21 June, 200 paid 11 June and 100 on 1 July: paid in full 1 July, 30 days, late
    - A3, 1 October 2026, 200 due 21 October, never paid: late, and 32 days past due on 22 November
      -> 3 invoices, 600.00; paid 2, 400.00; average (10 + 30) / 2 = 20.0 days; weighted
         (100 x 10 + 300 x 30) / 400 = 25.0 days; paid by the due date 1 (100.00), late 2 (500.00): 1/3;
         before: 20.0, 20.0, 1/1; methods Check; overdue 1, 200.00, 32 days: a late payer (more than 30)
    Birch (20), an agreement by card, with an active recurring template:
    - B3, 1 August 2026, 800 due 1 August, paid by Credit Card on 5 August: 4 days, late, not autopay
    - B1, 1 September 2026, 800 due 1 September, paid by Credit Card that day: 0 days, on time, autopay
    - B2, a sales receipt of 1 October 2026 for 800, paid by Visa: autopay (not an invoice)
      -> 2 invoices, 1,600.00; paid 2; average (4 + 0) / 2 = 2.0; weighted (800 x 4 + 800 x 0) / 1600 = 2.0;
         paid by the due date 1, late 1: 1/2; methods Credit Card, Visa; autopay 2 documents, and on autopay (the
         latest, B2, was)
    Cedar (30):
    - C0, 1 April 2026, 100 due 21 April: 60 by Credit Card on 29 March (ahead), 40 by check on 1 April: paid in
      full on its date, 0 days, on time, but not autopay (the card was not charged on its date)
    - C2, 25 October 2026, 200 due 24 November, unpaid: not due yet, neither on time nor late
    - C1, 5 November 2026 (the as-of month: not in the 12 months), 150 due 10 November, unpaid: overdue, 12 days,
      not a late payer
      -> 2 invoices, 300.00; paid 1, 100.00, 0.0 days; paid by the due date 1 of 1; methods Check, Credit Card

    The summary: agreement money of August 2026 is B3's 800, not paid by the 3rd (0%); of September B1's, paid on
    the 1st (100%); of October B2's (100%). Days sales outstanding at 31 October 2026: open A3's 200 against the
    invoices of November 2025 - October 2026, 100 + 300 + 200 + 800 + 800 + 100 + 200 = 2,500, and A3's 200 and
    C2's 200 open: 400 x 365 / 2500 = 58.4; at 30 June 2026: A2's 100 open against A1 + A2 + C0 = 500 (A0 of June
    2025 is before July 2025): 100 x 365 / 500 = 73.0; at 30 November 2025: nothing open against A0's 400: 0.0."""
    db = tmp_path_factory.mktemp("payments") / "wh" / "warehouse.duckdb"
    company = Company()
    company.customer("10", "Alder")
    a0 = company.invoice("10", "2025-06-01", ("hourly", "400.00"), due="2025-06-21")
    company.paid("10", "2025-06-21", "400.00", (a0, "400.00"))
    a1 = company.invoice("10", "2026-03-02", ("hourly", "100.00"), due="2026-03-22")
    company.paid("10", "2026-03-12", "100.00", (a1, "100.00"))
    a2 = company.invoice("10", "2026-06-01", ("hourly", "300.00"), due="2026-06-21")
    company.paid("10", "2026-06-11", "200.00", (a2, "200.00"))
    company.paid("10", "2026-07-01", "100.00", (a2, "100.00"))
    company.invoice("10", "2026-10-01", ("hourly", "200.00"), due="2026-10-21")

    company.customer("20", "Birch")
    b3 = company.invoice("20", "2026-08-01", ("msa", "800.00", "2026-08-01"), due="2026-08-01")
    company.paid("20", "2026-08-05", "800.00", (b3, "800.00"), method="Credit Card")
    b1 = company.invoice("20", "2026-09-01", ("msa", "800.00", "2026-09-01"), due="2026-09-01")
    company.paid("20", "2026-09-01", "800.00", (b1, "800.00"), method="Credit Card")
    company.document("SalesReceipt", "20", "2026-10-01", ("msa", "800.00", "2026-10-01"),
                     PaymentMethodRef={"value": "4", "name": "Visa"})
    company.template("Invoice", "20", ("msa", "800.00"), next_date="2026-12-01")

    company.customer("30", "Cedar")
    c0 = company.invoice("30", "2026-04-01", ("hourly", "100.00"), due="2026-04-21")
    company.paid("30", "2026-03-29", "60.00", (c0, "60.00"), method="Credit Card")
    company.paid("30", "2026-04-01", "40.00", (c0, "40.00"))
    company.invoice("30", "2026-10-25", ("hourly", "200.00"), due="2026-11-24")
    company.invoice("30", "2026-11-05", ("hourly", "150.00"), due="2026-11-10")
    return company.load(db)


EXPECTED = {  # client -> column -> value, as the docstring above works them out
    "Alder": {"invoices": 3, "invoiced": D("600.00"), "paid": 2, "paid_amount": D("400.00"),
              "average_days_to_pay": D("20.0"), "weighted_days_to_pay": D("25.0"), "paid_by_due": 1,
              "paid_by_due_amount": D("100.00"), "late": 2, "late_amount": D("500.00"),
              "paid_by_due_share": D("0.333333"), "previous_average_days_to_pay": D("20.0"),
              "previous_weighted_days_to_pay": D("20.0"), "previous_paid_by_due_share": D("1.000000"),
              "payment_methods": ["Check"], "autopay_documents": 0, "autopay": False, "recurring_template": False,
              "overdue": 1, "overdue_amount": D("200.00"), "days_late": 32, "late_payer": True},
    "Birch": {"invoices": 2, "invoiced": D("1600.00"), "paid": 2, "paid_amount": D("1600.00"),
              "average_days_to_pay": D("2.0"), "weighted_days_to_pay": D("2.0"), "paid_by_due": 1,
              "paid_by_due_amount": D("800.00"), "late": 1, "late_amount": D("800.00"),
              "paid_by_due_share": D("0.500000"), "previous_average_days_to_pay": None,
              "previous_weighted_days_to_pay": None, "previous_paid_by_due_share": None,
              "payment_methods": ["Credit Card", "Visa"], "autopay_documents": 2, "autopay": True,
              "recurring_template": True, "overdue": 0, "overdue_amount": D("0.00"), "days_late": 0,
              "late_payer": False},
    "Cedar": {"invoices": 2, "invoiced": D("300.00"), "paid": 1, "paid_amount": D("100.00"),
              "average_days_to_pay": D("0.0"), "weighted_days_to_pay": D("0.0"), "paid_by_due": 1, "late": 0,
              "paid_by_due_share": D("1.000000"), "payment_methods": ["Check", "Credit Card"],
              "autopay_documents": 0, "autopay": False,
              "overdue": 1, "overdue_amount": D("150.00"), "days_late": 12, "late_payer": False},
}

# a figure of report lines --kind payments:FIGURE -> the report's columns it adds up to: (count, money)
ADDS_UP = {"invoices": ("invoices", "invoiced"), "paid": ("paid", "paid_amount"),
           "paid_by_due": ("paid_by_due", "paid_by_due_amount"), "late": ("late", "late_amount"),
           "autopay": ("autopay_documents", None), "overdue": ("overdue", "overdue_amount")}


def test_each_client_figure_as_worked_out_by_hand(books):
    rows = by(report(books, "payment-behaviour"), "client")
    assert set(rows) == set(EXPECTED)
    for client, expected in EXPECTED.items():
        assert {column: rows[client][column] for column in expected} == expected, client
    assert [row["client"] for row in report(books, "payment-behaviour")][0] == "Alder"  # the late payer first


def test_the_summary_as_worked_out_by_hand(books):
    months = by(report(books, "payment-behaviour", summary=True), "month")
    assert len(months) == 12 and min(months) == date(2025, 11, 1) and max(months) == date(2026, 10, 1)
    share = {m.month: row["agreement_by_3rd_share"] for m, row in months.items() if row["agreement_money"]}
    assert share == {8: D("0.000000"), 9: D("1.000000"), 10: D("1.000000")}
    assert (months[date(2026, 10, 1)]["receivables"], months[date(2026, 10, 1)]["sales_12m"]) == \
        (D("400.00"), D("2500.00"))
    dso = {m: months[m]["days_sales_outstanding"] for m in (date(2026, 10, 1), date(2026, 6, 1), date(2025, 11, 1))}
    assert dso == {date(2026, 10, 1): D("58.4"), date(2026, 6, 1): D("73.0"), date(2025, 11, 1): D("0.0")}


@pytest.mark.parametrize("figure", reports.PAYMENT_FIGURES)
def test_every_client_cell_opens_to_documents_that_add_up_to_it(books, figure):
    part = figure.removeprefix("previous_")
    count_column, money_column = ADDS_UP[part]
    if part != figure:
        count_column = money_column = None  # the trend's lines: checked by its days below
    for row in report(books, "payment-behaviour"):
        lines = report(books, "lines", kind=f"payments:{figure}", client=row["client_id"])
        if count_column:
            assert len(lines) == row[count_column], (row["client"], figure)
        if money_column:
            assert sum((line["amount"] for line in lines), D(0)) == row[money_column], (row["client"], figure)
        assert {line["client_id"] for line in lines} <= {row["client_id"]}


@pytest.mark.parametrize("prefix", ["", "previous_"])
def test_the_days_to_pay_are_those_of_the_paid_lines(books, prefix):
    for row in report(books, "payment-behaviour"):
        lines = report(books, "lines", kind=f"payments:{prefix}paid", client=row["client_id"])
        days = [(line["amount"], int(re.search(r"\((-?\d+) days", line["detail"]).group(1))) for line in lines]
        if not days:
            assert row[f"{prefix}weighted_days_to_pay"] is None
            continue
        weighted = sum(amount * d for amount, d in days) / sum(amount for amount, _ in days)
        assert row[f"{prefix}weighted_days_to_pay"] == weighted.quantize(D("0.1")), row["client"]


@pytest.mark.parametrize("figure", reports.PAYMENT_SUMMARY_FIGURES)
def test_every_summary_cell_opens_to_documents_that_add_up_to_it(books, figure):
    column = {"sales": "sales_12m"}.get(figure, figure)
    for row in report(books, "payment-behaviour", summary=True):
        lines = report(books, "lines", kind=f"payments:{figure}", month=row["month"])
        assert sum((line["amount"] for line in lines), D(0)) == row[column], (row["month"], figure)


def test_the_lines_say_how_each_was_paid(books):
    (late,) = [line for line in report(books, "lines", kind="payments:late", client="20")]
    assert late["detail"] == "invoiced 2026-08-01, due 2026-08-01, paid in full 2026-08-05 (4 days) by Credit Card"
    autopay = {line["document_type"]: line["detail"] for line in report(books, "lines", kind="payments:autopay")}
    assert autopay == {"Invoice": "invoiced 2026-09-01, due 2026-09-01, paid in full 2026-09-01 (0 days, by card on "
                                  "its date) by Credit Card",
                       "SalesReceipt": "paid at sale 2026-10-01 by Visa"}


def test_card_methods_and_the_late_line_are_settings(books, tmp_path):
    from models.warehouse import paths
    from models.warehouse.snapshot import open_snapshot

    path = tmp_path / "settings.toml"
    path.write_bytes(settings.settings_path(books).read_bytes())
    settings.save_values(path, {"payments.card_methods": ["Visa"], "payments.late_days": 10},
                         check=lambda _: None)
    con = open_snapshot(paths.snapshot(books))
    try:
        rows = by(reports.run(con, "payment-behaviour", reports.Options(as_of=AS_OF), settings.load(path)).records(),
                  "client")
    finally:
        con.close()
    assert (rows["Birch"]["autopay_documents"], rows["Cedar"]["late_payer"]) == (1, True)


def test_a_settings_file_written_before_payments_takes_the_defaults(books, tmp_path):
    path = tmp_path / "settings.toml"
    text = settings.settings_path(books).read_text(encoding="utf-8")
    path.write_text(text[:text.index("[payments]")] + text[text.index("# Gross margin"):], encoding="utf-8")
    assert settings.load(path).payments == settings.load(settings.DEFAULT_SETTINGS).payments
    assert settings.load(path).payments.late_days == 30


@pytest.mark.parametrize(("values", "error"), [
    ({"payments.late_days": 0}, r"payments\.late_days must be a whole number from 1 to 365"),
    ({"payments.card_methods": "Visa"}, r"payments\.card_methods must be a list of payment method names"),
])
def test_a_bad_payments_setting_names_the_file_and_key(books, tmp_path, values, error):
    path = tmp_path / "settings.toml"
    path.write_bytes(settings.settings_path(books).read_bytes())
    with pytest.raises(settings.SettingsError, match=r"settings\.toml: " + error):
        settings.save_values(path, values, check=lambda _: None)
        settings.load(path)


def test_one_client_from_the_command_line(books, capsys):
    assert cli("report", "payment-behaviour", "--client", "Birch", "--as-of", "2026-11-22", "--format", "csv",
               "--db", books) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("20,Birch,2,1600.00,2,1600.00,2.0,2.0,")


def test_a_cell_names_its_figure_and_client(books):
    row = by(report(books, "payment-behaviour"), "client")["Alder"]
    for column, kind in (("weighted_days_to_pay", "payments:paid"), ("late_amount", "payments:late"),
                         ("previous_paid_by_due_share", "payments:previous_invoices"),
                         ("days_late", "payments:overdue")):
        figure = drilldown.client_payments(AS_OF, row, column)
        assert (figure.kind, figure.client) == (kind, "10"), column
    assert drilldown.client_payments(AS_OF, row, "client") is None


def test_the_policies_page_shows_how_clients_pay(monkeypatch, demo_db):
    app = app_on(monkeypatch, demo_db, "dashboards/policies.py")
    clients = report(demo_db, "payment-behaviour", AS_OF)
    grids = app.dataframe
    assert len(grids) == 3  # the rules by client, how each client pays, the company's months
    assert len(grids[1].value) == len(clients)
    assert len(grids[2].value) == 12


def test_the_garden_shows_who_pays_late(books):
    import pandas as pd

    from models.figures import garden

    table = garden.with_payment(pd.DataFrame(report(books, "garden")), pd.DataFrame(report(books, "payment-behaviour")))
    rows = {row.customer: row for row in table.itertuples(index=False)}
    assert (rows["Alder"].weighted_days_to_pay, rows["Alder"].late_payer) == (D("25.0"), True)
    assert (rows["Birch"].weighted_days_to_pay, rows["Birch"].late_payer) == (D("2.0"), False)
