"""The forecast's at-risk list (issue 28) on a small company worked out by hand: agreement templates paused or
ending, clients cutting their MRR, clients paying later and later, each row opening to the lines behind it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from models.documents import weekly
from models.figures import drilldown
from models.figures.vocabulary import AT_RISK_REASONS
from tests.companies import Company
from tests.hand_books import opened
from tests.helpers import AS_OF as DEMO_DAY, app_on, pdftotext
from tests.metrics import report

AS_OF = "2026-11-22"  # 12 full months Nov 2025 - Oct 2026; the 3 full months Aug - Oct 2026


def at_risk_books() -> Company:
    """As of 22 November 2026 (the forecast's 12 months: Dec 2026 - Nov 2027, its last day 30 Nov 2027):

    | client      | MRR by month                 | why it is at risk, or not                                       |
    |-------------|------------------------------|-----------------------------------------------------------------|
    | Acme (10)   | 950 Aug - Nov                | template of 950 (+ 100 hourly) from 1 Aug, at most 8: last 1 Mar |
    | Beta (20)   | 1000 Oct (a quarter)         | quarterly template of 1000, ends 31 Mar 2027                    |
    | India (90)  | 600 Oct, Nov                 | template of 600, ends 30 Jun 2028: beyond 12 months (not at 20) |
    | Gamma (30)  | 700 Aug - Nov                | template of 700 paused                                          |
    | Hotel (80)  | 200 Jan - Apr                | template paused, no MRR since April: gone already, not at risk  |
    | Delta (40)  | 500 Aug, Sep; 400 Oct, Nov   | cut by 100 in October, still 100 below                          |
    | Oscar (89)  | 600 Aug, 400 Sep, 500 Oct, Nov | cut by 200 in September, 100 of it back: still 100 below      |
    | Lima (87)   | 500 Aug, 400 Sep, 500 Oct, Nov | cut in September, restored in October: made good, not at risk |
    | Mike (88)   | 500 Aug - Nov, a credit memo of 100 in Oct | a one-off cut, full again in November: not at risk |
    | Echo (50)   | 300 Aug, 200 Sep             | cut in September, left in October: churned, not at risk        |
    | Foxtrot (60)| 300 May, 200 Jun - Nov       | cut in June: before the 3 full months                           |
    | Golf (70)   | none                         | paid 1000 in 30 days and 500 in 15 (25.0 by money), 15.0 before |
    | Kilo (85)   | none                         | paid in 20 days, 15 the year before: 5 days slower, under 7     |
    | Papa (91)   | none                         | prepays: 40 days ahead, 59 the year before: slower, never late  |
    | Quebec (92) | none                         | net 30: paid in 25 days, 10 before: slower, within its terms    |
    """
    company = Company()
    for customer_id, name in (("10", "Acme"), ("20", "Beta"), ("30", "Gamma"), ("40", "Delta"), ("50", "Echo"),
                              ("60", "Foxtrot"), ("70", "Golf"), ("80", "Hotel"), ("85", "Kilo"), ("90", "India"),
                              ("87", "Lima"), ("88", "Mike"), ("89", "Oscar"), ("91", "Papa"), ("92", "Quebec")):
        company.customer(customer_id, name)
    for month in ("08", "09", "10", "11"):
        company.document("SalesReceipt", "10", f"2026-{month}-01", ("msa", "950.00"))
        company.invoice("30", f"2026-{month}-01", ("msa", "700.00"))
    company.template("SalesReceipt", "10", ("msa", "950.00"), ("hourly", "100.00"), next_date="2026-12-01",
                     previous="2026-11-01", start="2026-08-01", most=8)
    company.invoice("20", "2026-10-01", ("silver", "1000.00"))
    company.template("Invoice", "20", ("silver", "1000.00"), every=3, next_date="2027-01-01",
                     previous="2026-10-01", start="2026-10-01", end="2027-03-31")
    for month in ("10", "11"):
        company.invoice("90", f"2026-{month}-01", ("silver", "600.00"))
    company.template("Invoice", "90", ("silver", "600.00"), next_date="2026-12-01", previous="2026-11-01",
                     start="2026-10-01", end="2028-06-30")
    company.template("Invoice", "30", ("msa", "700.00"), next_date="2026-12-01", previous="2026-11-01",
                     active=False)
    for month in ("01", "02", "03", "04"):
        company.invoice("80", f"2026-{month}-01", ("silver", "200.00"))
    company.template("Invoice", "80", ("silver", "200.00"), next_date="2026-05-01", previous="2026-04-01",
                     active=False)
    for month, amount in (("08", "500.00"), ("09", "500.00"), ("10", "400.00"), ("11", "400.00")):
        company.invoice("40", f"2026-{month}-01", ("silver", amount))
    for customer, amounts in (("89", ("600.00", "400.00", "500.00", "500.00")),
                              ("87", ("500.00", "400.00", "500.00", "500.00")), ("88", ("500.00",) * 4)):
        for month, amount in zip(("08", "09", "10", "11"), amounts):
            company.invoice(customer, f"2026-{month}-01", ("silver", amount))
    company.document("CreditMemo", "88", "2026-10-12", ("silver", "100.00"))
    company.invoice("50", "2026-08-01", ("silver", "300.00"))
    company.invoice("50", "2026-09-01", ("silver", "200.00"))
    company.invoice("60", "2026-05-01", ("silver", "300.00"))
    for month in ("06", "07", "08", "09", "10", "11"):
        company.invoice("60", f"2026-{month}-01", ("silver", "200.00"))
    for customer, day, amount, paid_on in (
            ("70", "2026-03-01", "1000.00", "2026-03-31"), ("70", "2026-06-01", "500.00", "2026-06-16"),
            ("70", "2025-03-01", "1000.00", "2025-03-11"), ("70", "2025-06-01", "1000.00", "2025-06-21"),
            ("85", "2026-04-01", "800.00", "2026-04-21"), ("85", "2025-04-01", "800.00", "2025-04-16")):
        invoice = company.invoice(customer, day, ("hourly", amount), due=day)
        company.payment(customer, paid_on, amount, (invoice, amount))
    for customer, day, due, paid_on in (
            ("91", "2026-03-01", "2026-03-01", "2026-01-20"), ("91", "2025-03-01", "2025-03-01", "2025-01-01"),
            ("92", "2026-04-01", "2026-05-01", "2026-04-26"), ("92", "2025-04-01", "2025-05-01", "2025-04-11")):
        invoice = company.invoice(customer, day, ("hourly", "1000.00"), due=due)
        company.payment(customer, paid_on, "1000.00", (invoice, "1000.00"))
    return company


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return at_risk_books().load(tmp_path_factory.mktemp("at_risk") / "warehouse.duckdb")


def test_the_at_risk_list_by_hand(books):
    """Paused: Gamma's 700. Ending within 12 months, the biggest MRR first: Beta (1000 in October, its end date
    31 Mar 2027), Acme (950; its 8th occurrence counted from 1 Aug is 1 Mar 2027). Cut back, the cut still standing:
    Delta, November's 400 less September's 500; Oscar, November's 500 less August's 600 (the 200 cut in September,
    100 of it back). Lima (back in October) and Mike (a credit memo in October, full in November) made theirs good.
    Paying later, and past the due date: Golf, (1000 x 30 + 500 x 15) / 1500 = 25.0 days against (1000 x 10 +
    1000 x 20) / 2000 = 15.0: 10 days slower; its amount the invoices it paid in the 12 months, 1500."""
    rows = report(books, "at-risk", AS_OF)
    assert [(r["reason"], r["client"], r["amount"], r["mrr"], r["ends_on"], r["days_to_pay"],
             r["previous_days_to_pay"]) for r in rows] == [
        ("paused", "Gamma", D("700.00"), D("700.00"), None, None, None),
        ("ending", "Beta", D("1000.00"), D("1000.00"), date(2027, 3, 31), None, None),
        ("ending", "Acme", D("950.00"), D("950.00"), date(2027, 3, 1), None, None),
        ("contracting", "Oscar", D("-100.00"), D("500.00"), None, None, None),
        ("contracting", "Delta", D("-100.00"), D("400.00"), None, None, None),
        ("paying_later", "Golf", D("1500.00"), D("0.00"), None, D("25.0"), D("15.0")),
    ]
    why = {r["client"]: r["why"] for r in rows}
    assert why["Acme"].endswith("(Monthly every 1) ends 01 Mar 2027: its last of 8 occurrences")
    assert why["Beta"].endswith("(Monthly every 3) ends 31 Mar 2027: its end date")
    assert why["Delta"] == "MRR cut by 100.00 in Oct 2026, still 100.00 below"
    assert why["Oscar"] == "MRR cut by 200.00 in Sep 2026, still 100.00 below"
    assert why["Golf"] == "paid in 25.0 days on average (by money), 15.0 the 12 months before; 25.0 days past the due date"


def test_a_longer_forecast_reaches_a_later_end(books):
    """India's template ends 30 Jun 2028: within 20 months of November 2026 (to 31 Jul 2028), not within 12."""
    assert "India" not in {r["client"] for r in report(books, "at-risk", AS_OF)}
    ending = [r["client"] for r in report(books, "at-risk", AS_OF, months=20) if r["reason"] == "ending"]
    assert ending == ["Beta", "Acme", "India"]


def test_slower_by_fewer_days_than_the_setting_is_not_at_risk(books):
    """Kilo paid in 20 days, 15 the year before: 5 days slower, under [payments] slower_days (7)."""
    assert "Kilo" not in {r["client"] for r in report(books, "at-risk", AS_OF)}


def test_a_cut_made_good_is_not_at_risk(books):
    """Lima was cut from 500 to 400 in September and back to 500 in October; Mike's October was cut by a credit
    memo of 100 and November's bill is the full 500 again: both contractions in the 3 full months, neither standing."""
    movements = {(r["customer"], str(r["month"])[:7]): r["movement"] for r in report(books, "mrr", AS_OF)}
    assert movements[("Lima", "2026-09")] == movements[("Mike", "2026-10")] == "contraction"
    assert not {"Lima", "Mike"} & {r["client"] for r in report(books, "at-risk", AS_OF)}


def test_paying_ahead_or_within_terms_is_not_paying_late(books):
    """Papa prepays: 40 days before the invoice (2026), 59 before (2025), 19 days slower, never after the invoice's
    date. Quebec, on net 30: 25 days (2026), 10 (2025), 15 slower, before its due date both years."""
    speeds = {r["client"]: (r["weighted_days_to_pay"], r["previous_weighted_days_to_pay"])
              for r in report(books, "payment-behaviour", AS_OF)}
    assert speeds["Papa"] == (D("-40.0"), D("-59.0")) and speeds["Quebec"] == (D("25.0"), D("10.0"))
    assert not {"Papa", "Quebec"} & {r["client"] for r in report(books, "at-risk", AS_OF)}


@pytest.mark.parametrize("reason, client, count", [
    ("paused", "Gamma", 1), ("ending", "Acme", 1), ("contracting", "Delta", 2), ("paying_later", "Golf", 2)])
def test_each_row_opens_to_lines_adding_up_to_it(books, reason, client, count):
    rows = {(r["reason"], r["client"]): r for r in report(books, "at-risk", AS_OF)}
    row = rows[(reason, client)]
    with opened(books) as (con, owner):
        figure = drilldown.at_risk_cell(date.fromisoformat(AS_OF), row, "amount")
        shown = drilldown.lines(con, owner, figure, date.fromisoformat(AS_OF))
    assert drilldown.total(shown) == row["amount"] and len(shown) == count
    assert set(shown["client"]) == {client}


def test_the_lines_say_what_each_is(books):
    lines = report(books, "lines", AS_OF, kind="at-risk:contracting", client="40")
    assert [(r["detail"], r["amount"]) for r in lines] == [
        ("less MRR of Sep 2026, before the cut", D("-500.00")), ("MRR of Nov 2026, now", D("400.00"))]
    lines = report(books, "lines", AS_OF, kind="at-risk:contracting", client="89")
    assert [(r["detail"], r["amount"]) for r in lines] == [
        ("less MRR of Aug 2026, before the cut", D("-600.00")), ("MRR of Nov 2026, now", D("500.00"))]
    lines = report(books, "lines", AS_OF, kind="at-risk:paying_later", client="70")
    assert [r["detail"] for r in lines] == ["invoiced 2026-03-01, paid in full 2026-03-31 (30 days)",
                                            "invoiced 2026-06-01, paid in full 2026-06-16 (15 days)"]


def test_the_forecast_page_lists_the_report_s_rows(monkeypatch, demo_db):
    """The Forecast page's at-risk table is report at-risk's rows, reasons in words; the demo has some. Its intro says
    what the list is: agreement revenue at risk, and clients with or without an agreement paying later."""
    app = app_on(monkeypatch, demo_db, "dashboards/forecast.py")
    assert not app.exception, [e.message for e in app.exception]
    (intro,) = [caption.value for caption in app.caption if "may not come" in caption.value]
    assert intro.startswith("Agreement revenue that may not come") and "on an agreement or not, paying" in intro
    rows = report(demo_db, "at-risk", DEMO_DAY)
    assert rows
    (shown,) = [grid.value for grid in app.dataframe if "at_risk" in grid.value.columns]
    assert list(shown["client"]) == [r["client"] for r in rows]
    assert list(shown["at_risk"]) == [AT_RISK_REASONS[r["reason"]] for r in rows]
    assert list(shown["amount"]) == [r["amount"] for r in rows]


def test_the_weekly_pdf_counts_the_clients_at_risk_and_forecasts_by_hand(books):
    """The week of 16-22 November: six clients at risk; committed MRR of December, January, February: Acme 950,
    Beta's quarters 333.33, 333.34, 333.33, India 600, Delta's 400, Foxtrot's 200 and Lima's, Mike's and Oscar's
    500 carried (Gamma and Hotel paused: nothing) = 3,983.33, 3,983.34, 3,983.33."""
    with opened(books) as (con, owner):
        document = weekly.summary_pdf(weekly.load(con, owner, date.fromisoformat(AS_OF)), "Books")
    (committed,) = [line.split() for line in pdftotext(document, layout=True).splitlines() if "Committed MRR" in line]
    assert committed[-3:] == ["$3,983.33", "$3,983.34", "$3,983.33"]
    assert "6 clients at risk" in " ".join(pdftotext(document).split())
