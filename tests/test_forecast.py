"""The MRR forecast (issue 28) on a small company worked out by hand: committed MRR from recurring templates,
agreements billed ahead and agreements billed by hand, and expected MRR after the trailing rates."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from models.figures import drilldown
from models.figures.formatting import money_text, percent_text
from models.figures.reports import CASH_FIGURES
from tests.companies import Company
from tests.hand_books import opened
from tests.helpers import AS_OF as DEMO_DAY, app_on, cli, query
from tests.metrics import report

AS_OF = "2026-11-22"


def forecast_books() -> Company:
    """As of 22 November 2026, MRR by client (agreement lines by service month):

    | client       | Aug  | Sep  | Oct  | Nov  | billing                                                           |
    |--------------|------|------|------|------|-------------------------------------------------------------------|
    | Acme (10)    | 1000 | 950  | 950  | 950  | template: monthly 950 agreement + 100 hourly, next 1 Dec, started |
    |              |      |      |      |      | 1 Aug, at most 8 occurrences (Aug..Mar)                           |
    | Beta (20)    |      |      | 1000 |      | template: quarterly invoice of 1000, previous 1 Oct, next 1 Jan,  |
    |              |      |      |      |      | ends 31 Mar 2027                                                  |
    | Gamma (30)   | 700  | 700  | 700  | 700  | template paused                                                   |
    | Delta (40)   |      |      | 400  | 400  | no template; a check paid Nov, Dec, Jan on one invoice of 1 Nov   |
    | Echo (50)    | 300  | 300  |      |      | no template; left in October                                      |
    | Foxtrot (60) | 200  | 200  | 300  | 300  | no template: invoiced by hand                                     |
    """
    company = Company()
    for customer_id, name in (("10", "Acme"), ("20", "Beta"), ("30", "Gamma"), ("40", "Delta"), ("50", "Echo"),
                              ("60", "Foxtrot")):
        company.customer(customer_id, name)
    for day, amount in (("2026-08-01", "1000.00"), ("2026-09-01", "950.00"), ("2026-10-01", "950.00"),
                        ("2026-11-01", "950.00")):
        company.document("SalesReceipt", "10", day, ("msa", amount))
    company.invoice("20", "2026-10-01", ("silver", "1000.00"))
    for day in ("2026-08-01", "2026-09-01", "2026-10-01", "2026-11-01"):
        company.invoice("30", day, ("msa", "700.00"))
    company.invoice("40", "2026-10-01", ("silver", "400.00"))
    company.invoice("40", "2026-11-01", ("silver", "400.00", "2026-11-01"), ("silver", "400.00", "2026-12-01"),
                    ("silver", "400.00", "2027-01-01"))
    for day in ("2026-08-01", "2026-09-01"):
        company.invoice("50", day, ("silver", "300.00"))
    for day, amount in (("2026-08-01", "200.00"), ("2026-09-01", "200.00"), ("2026-10-01", "300.00"),
                        ("2026-11-01", "300.00")):
        company.invoice("60", day, ("silver", amount))
    company.template("SalesReceipt", "10", ("msa", "950.00"), ("hourly", "100.00"), next_date="2026-12-01",
                     previous="2026-11-01", start="2026-08-01", most=8)
    company.template("Invoice", "20", ("silver", "1000.00"), every=3, next_date="2027-01-01",
                     previous="2026-10-01", start="2026-10-01", end="2027-03-31")
    company.template("Invoice", "30", ("msa", "700.00"), next_date="2026-12-01", previous="2026-11-01",
                     active=False)
    return company


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return forecast_books().load(tmp_path_factory.mktemp("forecast") / "warehouse.duckdb")


def test_template_lines_are_categorised_as_the_invoices_they_make(books):
    """The rules' decision is one model: Acme's template bills its agreement (labor_msa, by the item's category
    Managed Services) and an hourly line (labor_hourly), as the sales lines of the same items are."""
    rows = query(books, "select client, item, category, amount from marts.fct_recurring_template_lines "
                        "order by client, line_index")
    assert rows == [("Acme", "MSA - Platinum", "labor_msa", D("950.00")),
                    ("Acme", "Remote Support", "labor_hourly", D("100.00")),
                    ("Beta", "MSA - Silver", "labor_msa", D("1000.00")),
                    ("Gamma", "MSA - Platinum", "labor_msa", D("700.00"))]


def test_committed_mrr_by_hand(books):
    """Five months after November, committed = templates + billed ahead + carried:

    - Acme's template: 950 a month from 1 Dec; its occurrences count from 1 Aug, so the 8th is 1 Mar and April
      has none. Its hourly line is no MRR.
    - Beta's quarterly 1000: the October occurrence covers Oct, Nov, Dec (333.34, 333.33, 333.33: Dec 333.33);
      the January one Jan 333.34, Feb 333.33, Mar 333.33; April's would be after the end date.
    - Gamma's template is paused: nothing, and its November MRR is not carried either.
    - Delta: no template; 400 already billed for Dec and Jan (the check's invoice), then its November MRR 400
      carried.
    - Echo: no MRR in November, nothing carried. Foxtrot: November's 300 carried every month.

    Dec: 950 + 333.33 + 400 (billed) + 300 = 1983.33   Jan: 950 + 333.34 + 400 (billed) + 300 = 1983.34
    Feb, Mar: 950 + 333.33 + 400 + 300 (carried 700) = 1983.33   Apr: 400 + 300 = 700.00
    """
    rows = report(books, "forecast", AS_OF, months=5)
    assert [(r["month"], r["from_templates"], r["billed_ahead"], r["carried"], r["committed_mrr"], r["clients"])
            for r in rows] == [
        (date(2026, 12, 1), D("1283.33"), D("400.00"), D("300.00"), D("1983.33"), 4),
        (date(2027, 1, 1), D("1283.34"), D("400.00"), D("300.00"), D("1983.34"), 4),
        (date(2027, 2, 1), D("1283.33"), D("0.00"), D("700.00"), D("1983.33"), 4),
        (date(2027, 3, 1), D("1283.33"), D("0.00"), D("700.00"), D("1983.33"), 4),
        (date(2027, 4, 1), D("0.00"), D("0.00"), D("700.00"), D("700.00"), 2),
    ]


def test_expected_mrr_by_hand(books):
    """The trailing rates: the 12 full months Nov 2025 - Oct 2026 have movements in Sep and Oct.
    Starting MRR: Aug 0 (all new), Sep 1000 + 300 + 200 + 700 = 2200, Oct 950 + 300 + 200 + 700 = 2150: 4350.
    Sep: Acme contraction -50. Oct: Echo churn -300, Foxtrot expansion +100 (Beta and Delta new: not a rate).
    churn -300 / 4350 = -0.068966, contraction -50 / 4350 = -0.011494, expansion 100 / 4350 = 0.022989,
    net -250 / 4350 = -0.057471 a month.

    expected = committed x 0.942529^ahead (each power to 12 places):
    Dec 1983.33 x 0.942529 = 1869.35; Jan 1983.34 x 0.888360915841 = 1761.92;
    Feb 1983.33 x 0.837305925647 = 1660.65; Mar 1983.33 x 0.789185116794 = 1565.21;
    Apr 700.00 x 0.743829858947 = 520.68.
    """
    rows = report(books, "forecast", AS_OF, months=5)
    assert [r["expected_mrr"] for r in rows] == [D("1869.35"), D("1761.92"), D("1660.65"), D("1565.21"),
                                                  D("520.68")]
    assert {(r["churn_percent"], r["contraction_percent"], r["expansion_percent"]) for r in rows} == {
        (D("-6.8966"), D("-1.1494"), D("2.2989"))}


@pytest.mark.parametrize("source, month, total, count", [
    ("committed", "2026-12-01", D("1983.33"), 4),
    ("template", "2027-01-01", D("1283.34"), 2),
    ("billed", "2027-01-01", D("400.00"), 1),
    ("carried", "2027-02-01", D("700.00"), 2),
])
def test_a_forecast_figure_opens_to_the_lines_behind_it(books, source, month, total, count):
    rows = report(books, "lines", AS_OF, kind=f"forecast:{source}", month=date.fromisoformat(month))
    assert sum((r["amount"] for r in rows), D("0.00")) == total and len(rows) == count


def test_the_lines_say_what_each_part_is(books):
    rows = report(books, "lines", AS_OF, kind="forecast:committed", month=date(2026, 12, 1))
    assert [(r["client"], r["document_type"], r["detail"], r["amount"]) for r in rows] == [
        ("Acme", "Recurring SalesReceipt", "Monthly every 1, billed 01 Dec 2026", D("950.00")),
        ("Beta", "Recurring Invoice", "Monthly every 3, billed 01 Oct 2026, month 3 of 3", D("333.33")),
        ("Delta", "Invoice", "billed ahead: service Dec 2026", D("400.00")),
        ("Foxtrot", None, "MRR of Nov 2026 carried forward: no recurring template", D("300.00")),
    ]


def test_the_next_month_is_the_default_and_the_as_of_month_is_no_forecast(books):
    december = report(books, "lines", AS_OF, kind="forecast:committed")
    assert sum((r["amount"] for r in december), D("0.00")) == D("1983.33")
    assert report(books, "lines", AS_OF, kind="forecast:committed", month=date(2026, 11, 1)) == []


def test_the_forecast_page_shows_the_reports_figures(monkeypatch, demo_db):
    """The Forecast page's headlines are report forecast's first and last months, and its committed headline
    opens lines adding up to it (tests/test_app_drilldown.py clicks every headline)."""
    app = app_on(monkeypatch, demo_db, "dashboards/forecast.py")
    assert not app.exception, [e.message for e in app.exception]
    rows = report(demo_db, "forecast", DEMO_DAY)
    shown = {m.label: m.value for m in app.metric}
    first, last = rows[0], rows[-1]
    assert shown[f"Committed MRR, {first['month']:%b %Y}"] == money_text(first["committed_mrr"])
    assert shown[f"Expected MRR, {last['month']:%b %Y}"] == money_text(last["expected_mrr"])
    assert first["from_templates"] > 0  # the demo bills its agreements by templates
    weeks = report(demo_db, "forecast", DEMO_DAY, cash=True)
    assert shown["Cash in"] == money_text(sum((r["cash_in"] for r in weeks), D("0.00")))
    # the trailing rates in words, as every page writes a percentage (they read "churn -0.7431%")
    assert any(f"clients who left took {percent_text(-first['churn_percent'])} of the MRR" in caption.value
               and f"clients who grew added {percent_text(first['expansion_percent'])}" in caption.value
               for caption in app.caption)


def test_every_cell_of_the_page_s_table_opens_lines_adding_up_to_it(books):
    """The Forecast page's table: a committed or source cell opens its lines; expected MRR and the rates, a factor
    on committed that no line adds up to, open none."""
    rows = report(books, "forecast", AS_OF)
    with opened(books) as (con, owner):
        for row in rows:
            for column, value in row.items():
                figure = drilldown.forecast_cell(row, column)
                if column in ("committed_mrr", "from_templates", "billed_ahead", "carried"):
                    shown = drilldown.lines(con, owner, figure, date.fromisoformat(AS_OF))
                    assert drilldown.total(shown) == value, (row["month"], column)
                elif column != "month":
                    assert figure is None, column


# -- cash: what comes in -----------------------------------------------------------------------------------

def cash_books() -> Company:
    """As of Sunday 22 November 2026 (week 1: 23-29 Nov, 2: 30 Nov-6 Dec, 3: 7-13 Dec, 6: 28 Dec-3 Jan,
    11: 1-7 Feb; 13 weeks to 21 Feb):
    - Acme (10): a card template of 950 a month, next 1 Dec: 1 Dec, 1 Jan, 1 Feb.
    - Beta (20): paid an invoice of 1000 of 1 Sep on 21 Sep (20 days) and one of 500 of 1 Oct on 11 Oct (10 days):
      (1000 x 20 + 500 x 10) / 1500 = 16.67, 17 days. Open: 800 of 10 Nov, expected 27 Nov; 300 of 20 Nov,
      expected 7 Dec.
    - Gamma (30): never paid an invoice: by terms. Open: 400 due 5 Dec; 250 due 21 Oct, late: the day after.
    - Delta (40): paid 1200 on 25 Oct for an invoice of 1 Nov of Nov, Dec, Jan (400 each): 400 becomes revenue
      on 1 Dec and on 1 Jan; nothing open.
    - Echo (50): a quarterly invoice template of 1500, previous 1 Oct (before the as-of date), next 1 Jan.
    """
    company = Company()
    for customer_id, name in (("10", "Acme"), ("20", "Beta"), ("30", "Gamma"), ("40", "Delta"), ("50", "Echo")):
        company.customer(customer_id, name)
    company.template("SalesReceipt", "10", ("msa", "950.00"), next_date="2026-12-01", previous="2026-11-01")
    september = company.invoice("20", "2026-09-01", ("hourly", "1000.00"), due="2026-09-21")
    october = company.invoice("20", "2026-10-01", ("hourly", "500.00"), due="2026-10-21")
    company.payment("20", "2026-09-21", "1000.00", (september, "1000.00"))
    company.payment("20", "2026-10-11", "500.00", (october, "500.00"))
    company.invoice("20", "2026-11-10", ("hourly", "800.00"), due="2026-11-30")
    company.invoice("20", "2026-11-20", ("hardware", "300.00"), due="2026-12-10")
    company.invoice("30", "2026-11-15", ("hourly", "400.00"), due="2026-12-05")
    company.invoice("30", "2026-10-01", ("hourly", "250.00"), due="2026-10-21")
    prepaid = company.invoice("40", "2026-11-01", ("silver", "400.00", "2026-11-01"),
                              ("silver", "400.00", "2026-12-01"), ("silver", "400.00", "2027-01-01"))
    company.payment("40", "2026-10-25", "1200.00", (prepaid, "1200.00"))
    company.template("Invoice", "50", ("silver", "1500.00"), every=3, next_date="2027-01-01", previous="2026-10-01")
    return company


@pytest.fixture(scope="module")
def cash(tmp_path_factory):
    return cash_books().load(tmp_path_factory.mktemp("cash") / "warehouse.duckdb")


def test_cash_by_week_by_hand(cash):
    """Week 1: Beta's 800 (27 Nov) + Gamma's late 250 = 1050. Week 2: Acme's 950 (1 Dec) + Gamma's 400 (5 Dec) =
    1350; Delta's 400 becomes revenue. Week 3: Beta's 300 (7 Dec). Week 6: Acme 950 + Echo 1500 = 2450; Delta's
    400 becomes revenue. Week 11: Acme 950.
    The hourly run-rate, of Aug - Oct: Beta 1500 / 3 = 500.00 a month, Gamma 250 / 3 = 83.33; November's is
    invoiced already (Beta 800, Gamma 400, both above it). December's, taken as invoiced 31 Dec: Beta's 17 days
    later, 17 Jan (week 8), Gamma's on net 20, 20 Jan (week 9); January's 17 and 20 Feb (week 13): 583.33.
    6100 + 1166.66 = 7266.66 in 13 weeks."""
    rows = report(cash, "forecast", AS_OF, cash=True)
    assert len(rows) == 13 and (rows[0]["period_start"], rows[-1]["period_end"]) == (date(2026, 11, 23),
                                                                                       date(2027, 2, 21))
    moving = {week: (r["recurring_billing"], r["receivables"], r["hourly_run_rate"], r["cash_in"],
                     r["becomes_revenue"])
              for week, r in enumerate(rows, 1) if r["cash_in"] or r["becomes_revenue"]}
    assert moving == {
        1: (D("0.00"), D("1050.00"), D("0.00"), D("1050.00"), D("0.00")),
        2: (D("950.00"), D("400.00"), D("0.00"), D("1350.00"), D("400.00")),
        3: (D("0.00"), D("300.00"), D("0.00"), D("300.00"), D("0.00")),
        6: (D("2450.00"), D("0.00"), D("0.00"), D("2450.00"), D("400.00")),
        8: (D("0.00"), D("0.00"), D("500.00"), D("500.00"), D("0.00")),
        9: (D("0.00"), D("0.00"), D("83.33"), D("83.33"), D("0.00")),
        11: (D("950.00"), D("0.00"), D("0.00"), D("950.00"), D("0.00")),
        13: (D("0.00"), D("0.00"), D("583.33"), D("583.33"), D("0.00")),
    }
    assert sum((r["cash_in"] for r in rows), D("0.00")) == D("7266.66")


def test_cash_by_month_by_hand(cash):
    """The rest of November (23-30): 1050. December: Acme 950; Gamma 400 + Beta 300 = 700; 1650 in all, 400
    becomes revenue. January: Acme 950 + Echo 1500 = 2450, December's hourly run-rate 500 + 83.33, 400 becomes
    revenue."""
    rows = report(cash, "forecast", AS_OF, cash=True, by_month=True, months=2)
    assert [(r["period_start"], r["period_end"], r["recurring_billing"], r["receivables"], r["hourly_run_rate"],
             r["cash_in"], r["becomes_revenue"]) for r in rows] == [
        (date(2026, 11, 23), date(2026, 11, 30), D("0.00"), D("1050.00"), D("0.00"), D("1050.00"), D("0.00")),
        (date(2026, 12, 1), date(2026, 12, 31), D("950.00"), D("700.00"), D("0.00"), D("1650.00"), D("400.00")),
        (date(2027, 1, 1), date(2027, 1, 31), D("2450.00"), D("0.00"), D("583.33"), D("3033.33"), D("400.00")),
    ]


def test_the_hourly_run_rate_counts_what_the_as_of_month_has_not_invoiced_yet(tmp_path):
    """Lima billed 300 of hourly work in each of August, September and October and 100 so far in November, and
    never paid an invoice: November's 200 still to come, taken as invoiced 30 Nov, comes on net 20, 20 Dec
    (week 4); December's 300 on 20 Jan (week 9), January's on 20 Feb (week 13)."""
    company = Company()
    company.customer("80", "Lima")
    for day, amount in (("2026-08-10", "300.00"), ("2026-09-10", "300.00"), ("2026-10-10", "300.00"),
                        ("2026-11-10", "100.00")):
        company.invoice("80", day, ("hourly", amount), due=day)
    db = company.load(tmp_path / "warehouse.duckdb")
    weeks = report(db, "forecast", AS_OF, cash=True)
    assert [(week, r["hourly_run_rate"]) for week, r in enumerate(weeks, 1) if r["hourly_run_rate"]] == [
        (4, D("200.00")), (9, D("300.00")), (13, D("300.00"))]
    (line,) = report(db, "lines", AS_OF, kind="cash:hourly_run_rate", period=(date(2026, 12, 14), date(2026, 12, 20)))
    assert (line["txn_date"], line["client"], line["amount"], line["detail"]) == (
        date(2026, 12, 20), "Lima", D("200.00"), "hourly billed Aug – Oct 2026 a month: 300.00, less 100.00 invoiced "
        "so far; taken as invoiced 30 Nov 2026, paid 20 days after (dated 30 Nov 2026)")


def test_money_paid_ahead_does_not_make_a_client_s_open_invoice_late(tmp_path):
    """Zulu prepaid a quarter's agreement (3,000 invoiced 1 Nov) by a check of 25 Oct, 7 days ahead, and paid an
    hourly invoice of 200 of 1 Sep on 21 Sep, 20 days after. Its open hourly invoice of 400 of 20 Nov was not paid
    ahead: it comes 20 days after its date, 10 Dec (week 3), not "late" the day after the as-of date, as the
    money-weighted -5 days of both made it."""
    company = Company()
    company.customer("70", "Zulu")
    quarter = company.invoice("70", "2026-11-01", ("silver", "1000.00", "2026-11-01"),
                              ("silver", "1000.00", "2026-12-01"), ("silver", "1000.00", "2027-01-01"))
    company.payment("70", "2026-10-25", "3000.00", (quarter, "3000.00"))
    hourly = company.invoice("70", "2026-09-01", ("hourly", "200.00"), due="2026-09-21")
    company.payment("70", "2026-09-21", "200.00", (hourly, "200.00"))
    company.invoice("70", "2026-11-20", ("hourly", "400.00"), due="2026-12-10")
    db = company.load(tmp_path / "warehouse.duckdb")
    weeks = report(db, "forecast", AS_OF, cash=True)
    assert [(week, r["receivables"]) for week, r in enumerate(weeks, 1) if r["receivables"]] == [(3, D("400.00"))]
    (line,) = report(db, "lines", AS_OF, kind="cash:receivables", period=(date(2026, 12, 7), date(2026, 12, 13)))
    assert (line["txn_date"], line["detail"]) == (
        date(2026, 12, 10), "paid 20 days after the invoice on average: expected 10 Dec 2026 (dated 20 Nov 2026)")


@pytest.mark.parametrize("column, days, total", [
    ("cash_in", None, D("1050.00")),  # the first week, by default
    ("receivables", (date(2026, 12, 1), date(2026, 12, 31)), D("700.00")),
    ("recurring_billing", (date(2026, 12, 28), date(2027, 1, 3)), D("2450.00")),
    ("becomes_revenue", (date(2026, 11, 23), date(2027, 2, 21)), D("800.00")),
    ("hourly_run_rate", (date(2026, 11, 23), date(2027, 2, 21)), D("1166.66")),
])
def test_a_cash_figure_opens_to_what_it_is_made_of(cash, column, days, total):
    rows = report(cash, "lines", AS_OF, kind=f"cash:{column}", period=days)
    assert sum((r["amount"] for r in rows), D("0.00")) == total
    if column == "cash_in":
        assert [(r["client"], r["txn_date"]) for r in rows] == [("Gamma", date(2026, 11, 23)),
                                                                 ("Beta", date(2026, 11, 27))]
        assert "late" in rows[0]["detail"] and "17 days after the invoice" in rows[1]["detail"]


def test_the_cash_option_s_help_names_every_column(capsys):
    """report forecast --help describes --cash by the columns it prints (CASH_FIGURES), hourly_run_rate among them."""
    with pytest.raises(SystemExit):
        cli("report", "forecast", "--help")
    cash_help = capsys.readouterr().out.split("\n  --cash", 1)[1].split("\n  --weeks", 1)[0]
    assert [column for column in CASH_FIGURES if column not in cash_help] == []


@pytest.mark.parametrize(("options", "refusal"), [
    (["--weeks", "5"], "report forecast --weeks is for the cash forecast: add --cash"),
    (["--by-month"], "report forecast --by-month is for the cash forecast: add --cash"),
    (["--weeks", "5", "--by-month"], "report forecast --weeks and --by-month are for the cash forecast"),
    (["--cash", "--weeks", "5", "--by-month"], "report forecast --cash takes --weeks or --by-month, not both"),
    (["--cash", "--months", "3"], "report forecast --cash is by week (--weeks); --months counts months with --by-month"),
])
def test_an_option_the_forecast_asked_for_does_not_read_is_refused(tmp_path, options, refusal):
    """Left unread, `--weeks 5` printed the MRR forecast and `--cash --months 3` thirteen weeks, as if applied."""
    with pytest.raises(SystemExit) as refused:
        cli("report", "forecast", *options, "--db", tmp_path / "warehouse.duckdb")
    assert refusal in str(refused.value.code)


def test_the_page_s_tables_read_months_as_months_and_show_every_row(monkeypatch, demo_db):
    """A month reads "Jan 2027" as on every page, not as its first day; the tables scroll sideways with their cue
    in a narrow window (Expected MRR and Clients were cut off at 1024 px with no word)."""
    app = app_on(monkeypatch, demo_db, "dashboards/forecast.py")
    (months, at_risk, weeks), retention = app.dataframe[:3], app.dataframe[-1]
    for grid in (months, retention):
        assert json.loads(grid.proto.columns)["month"]["type_config"]["format"] == "MMM YYYY"
    for grid in (months, at_risk, weeks, retention):  # (how tall a grid is, AppTest does not see: screenshots did)
        assert json.loads(grid.proto.columns)[grid.proto.column_order[0]]["pinned"]
    assert sum("Scroll the table sideways" in caption.value for caption in app.caption) == 4
    assert len(months.value) == 12 and len(weeks.value) == 13


@pytest.mark.parametrize(("options", "refusal"), [
    (["--kind", "forecast:committed", "--month", "2026-11"],
     "--month takes a month after the as-of month (2026-11); the MRR of that month and before is history"),
    (["--kind", "cash:cash_in", "--from", "2026-11-01", "--to", "2026-11-30"],
     "--from takes a day after the as-of date (2026-11-22): the cash forecast is of the days to come"),
])
def test_a_forecast_s_lines_of_days_past_are_refused_not_empty(tmp_path, options, refusal):
    """Listed, they were no lines, which reads as nothing committed or coming in."""
    with pytest.raises(SystemExit) as refused:
        cli("report", "lines", *options, "--as-of", AS_OF, "--db", tmp_path / "warehouse.duckdb")
    assert refusal in str(refused.value.code)
