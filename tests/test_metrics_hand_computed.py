"""Every report on small companies built here, with the arithmetic written out."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from models.settings import settings
from tests.builders import item_line, sales_document
from tests.companies import ITEMS, Company
from tests.helpers import cli, query, write_json
from tests.metrics import by, report


# -- tiers: the playbook's own figures ---------------------------------------------------------------

def test_playbook_tier_quote(db, capsys):
    # 1 server + 10 desktops: Silver 500*1 = 500; Gold 350 + 45*10 = 800; Platinum 350 + 60*10 = 950
    # a month; Platinum 950 * 12 = 11,400 a year; setup fee 50% of the monthly fee.
    capsys.readouterr()
    assert cli("tiers", "--servers", "1", "--desktops", "10", "--format", "csv", "--db", db) == 0
    assert capsys.readouterr().out.splitlines() == [
        "tier,monthly,yearly,setup_fee",
        "Silver,500.00,6000.00,250.00",
        "Gold,800.00,9600.00,400.00",
        "Platinum,950.00,11400.00,475.00",
    ]


def test_silver_needs_a_server(db, capsys):
    capsys.readouterr()
    assert cli("tiers", "--servers", "0", "--desktops", "12", "--format", "csv", "--db", db) == 0
    # Silver covers servers only: no price; Gold 45*12 = 540; Platinum 60*12 = 720
    assert capsys.readouterr().out.splitlines()[1:] == ["Silver,,,", "Gold,540.00,6480.00,270.00",
                                                        "Platinum,720.00,8640.00,360.00"]


def test_tiers_per_client_against_twelve_month_labor(db):
    company = Company()
    company.customer("10", "Acme")
    for month in range(1, 13):  # Nov 2025 .. Oct 2026: 12 x 400 hourly = 4,800
        year, m = (2025, month + 10) if month <= 2 else (2026, month - 2)
        company.invoice("10", f"{year}-{m:02d}-15", ("hourly", "400.00"))
    company.load(db)
    settings.save_devices(settings.settings_path(db), "local", {"10": settings.Devices(1, 10, "Acme")})
    rows = by(report(db, "tiers"), "tier")
    assert rows["Platinum"]["labor_12m"] == D("4800.00")
    assert rows["Platinum"]["yearly"] == D("11400.00")
    assert rows["Platinum"]["yearly_vs_labor"] == D("6600.00")   # 11,400 - 4,800
    assert rows["Silver"]["yearly_vs_labor"] == D("1200.00")     # 6,000 - 4,800
    assert rows["Gold"]["setup_fee"] == D("400.00")


def test_tier_what_if_for_a_client_on_an_agreement(db):
    """scoped_labor_company's Acme Consulting on Gold (1 server + 10 desktops): paid 9,600 fee + 1,695 hourly
    = 11,295. Each tier: its year's fee plus the hourly work it would not have covered.
    - Gold, the current tier: what the client paid, 11,295 (its hourly work was billed under it).
    - The remote 405 in business hours is work Gold covers in full (servers and desktops alike), billed all
      the same: work outside any agreement (a project), which no tier would have covered.
    - Platinum (remote and onsite, servers and desktops, business hours): covers the onsite 600 and the 150
      of unknown place (it covers both places); not the after-hours 540 nor the 405.
      11,400 + 540 + 405 = 12,345, 1,050 more than paid (the old figure, 11,400 - 11,295 = 105, "costs $105
      more", left the work out).
    - Silver (remote, servers, business hours): not the onsite 600, the after-hours 540 nor the 405 = 1,545;
      the 150 of unknown place is of unknown scope (Silver is remote and servers only), 150.
      6,000 + 1,545 = 7,545, and it covers less than Gold: Gold's unbilled work would be billed."""
    from tests.companies import scoped_labor_company

    scoped_labor_company(db)
    rows = by([r for r in report(db, "tiers") if r["customer"] == "Acme Consulting"], "tier")
    assert {t: (r["current_tier"], r["on_agreement"]) for t, r in rows.items()} == {
        "Silver": (False, True), "Gold": (True, True), "Platinum": (False, True)}
    assert rows["Gold"]["labor_12m"] == D("11295.00")
    assert (rows["Gold"]["labor_msa_12m"], rows["Gold"]["labor_hourly_12m"]) == (D("9600.00"), D("1695.00"))
    assert (rows["Gold"]["what_if_yearly"], rows["Gold"]["what_if_vs_paid"]) == (D("11295.00"), D("0.00"))
    platinum = rows["Platinum"]
    assert (platinum["hourly_not_covered"], platinum["hourly_unknown_scope"]) == (D("945.00"), D("0.00"))
    assert (platinum["what_if_yearly"], platinum["what_if_vs_paid"]) == (D("12345.00"), D("1050.00"))
    silver = rows["Silver"]
    assert (silver["hourly_not_covered"], silver["hourly_unknown_scope"]) == (D("1545.00"), D("150.00"))
    assert (silver["what_if_yearly"], silver["covers_less_than_current"]) == (D("7545.00"), True)
    assert not platinum["covers_less_than_current"]


def test_a_client_on_its_agreement_part_of_the_year_is_weighed_against_a_year_at_its_own_fee(db):
    """late_agreement_books' Birch Dental, on Gold since August at $600 a month (list $800), paid $2,970.
    - Gold, the current tier, at what the client pays: 600 (the price sheet's actual_monthly for October), 7,200 a
      year; not covered: all the hourly work billed under it (Sep 150 + Oct 270) and, before it, what Gold does not
      cover (Jun onsite 300; Apr's remote 450 it covers): 720. A year on Gold: 7,920, what every tier is weighed
      against (not the 2,970 paid, three months of the fee).
    - Platinum (list 950): 11,400; covers April's 450 and June's onsite 300, not Sep's 150 (billed under Gold though
      Gold covers it: outside any agreement) nor Oct's after hours 270: 420. 11,820, 3,900 more than 7,920.
    - Silver (list 500, remote server work): Apr's remote 450 of unknown scope (servers or desktops), Jun 300, Sep
      150, Oct 270 not covered: 720; 6,720, 1,200 less, but it covers less than Gold: a least cost."""
    from tests.companies import late_agreement_company

    late_agreement_company(db)
    (sheet,) = report(db, "price-sheet", "2026-10-31", client="30")
    assert (sheet["tier"], sheet["actual_monthly"], sheet["list_monthly"]) == ("Gold", D("600.00"), D("800.00"))
    rows = by([r for r in report(db, "tiers") if r["customer"] == "Birch Dental"], "tier")
    assert rows["Gold"]["labor_12m"] == D("2970.00")
    columns = ("current_tier", "monthly", "list_monthly", "yearly", "hourly_not_covered", "hourly_unknown_scope",
               "what_if_yearly", "what_if_vs_paid", "current_yearly")
    assert {t: tuple(r[c] for c in columns) for t, r in rows.items()} == {
        "Gold": (True, D("600.00"), D("800.00"), D("7200.00"), D("720.00"), D("0.00"), D("7920.00"), D("0.00"),
                 D("7920.00")),
        "Platinum": (False, D("950.00"), D("950.00"), D("11400.00"), D("420.00"), D("0.00"), D("11820.00"),
                     D("3900.00"), D("7920.00")),
        "Silver": (False, D("500.00"), D("500.00"), D("6000.00"), D("720.00"), D("450.00"), D("6720.00"),
                   D("-1200.00"), D("7920.00")),
    }
    assert rows["Silver"]["covers_less_than_current"] and not rows["Platinum"]["covers_less_than_current"]
    # Acme Consulting, on Gold the whole 12 months at list: weighed against what it paid, as before
    acme = by([r for r in report(db, "tiers") if r["customer"] == "Acme Consulting"], "tier")
    assert (acme["Gold"]["current_yearly"], acme["Platinum"]["what_if_vs_paid"]) == (D("11295.00"), D("1050.00"))


def test_silver_covers_two_hours_of_remote_server_work_a_month(db):
    """scoped_labor_company's Cedar Law with the rule "Server Maintenance" = "server": Silver covers remote
    server work in business hours, two hours a month. May: 5 h for 750, of which 3 h beyond the two:
    750 x 3/5 = 450 not covered; July: 1 h (150), covered; September: remote support 300, servers or
    desktops unknown. Silver 6,000 + 450 = 6,450, with 300 of unknown scope. Gold covers all of it: 9,600."""
    from tests.companies import scoped_labor_company

    scoped_labor_company(db, rules={"labor_scopes.items": '"Server Maintenance" = "server"'})
    rows = by([r for r in report(db, "tiers") if r["customer"] == "Cedar Law"], "tier")
    assert not rows["Silver"]["on_agreement"]
    assert (rows["Silver"]["hourly_not_covered"], rows["Silver"]["hourly_unknown_scope"]) == (D("450.00"), D("300.00"))
    assert rows["Silver"]["what_if_yearly"] == D("6450.00")
    assert (rows["Gold"]["hourly_not_covered"], rows["Gold"]["what_if_yearly"]) == (D("0.00"), D("9600.00"))


def test_tiers_of_a_settings_file_older_than_covers_cover_what_the_playbook_says(tmp_path):
    """A settings file written before `covers`: Silver, Gold and Platinum cover what the playbook's tiers do
    (Silver two hours a month); a tier of another name covers nothing, so its what-if promises nothing."""
    text = settings.DEFAULT_SETTINGS.read_text()
    old = "\n".join(line for line in text.splitlines() if not line.startswith(("covers", "included_hours")))
    path = tmp_path / "settings.toml"
    path.write_text(old + '\n[tiers.Bronze]\nserver = 100\ndesktop = 10\n')
    tiers = {t.name: (set(t.covers), t.included_hours) for t in settings.load(path).tiers}
    assert tiers == {"Silver": ({"remote", "server", "business_hours"}, D(2)),
                     "Gold": ({"remote", "server", "desktop", "business_hours"}, None),
                     "Platinum": ({"remote", "onsite", "server", "desktop", "business_hours"}, None),
                     "Bronze": (set(), None)}


# -- prepayments: a three-month check, before, during, after, and a cancellation ---------------------

@pytest.fixture(scope="module")
def prepaid(tmp_path_factory):
    """Loaded once: the tests only read its reports."""
    company = Company()
    company.customer("20", "Prepaid Co")
    company.customer("21", "Cancel Co")
    company.customer("22", "Credit Co")
    for customer in ("20", "21"):
        # signs 22 September, pays October-December by one check of 3 x 950 = 2,850 applied to
        # three invoices dated on the first of each month
        invoices = [company.invoice(customer, f"2026-{m}-01", ("msa", "950.00", f"2026-{m}-01"), due=f"2026-{m}-01")
                    for m in ("10", "11", "12")]
        company.payment(customer, "2026-09-22", "2850.00", *[(inv, "950.00") for inv in invoices])
    # Cancel Co cancels on 12 October: November and December (2 x 950 = 1,900) refunded
    company.document("RefundReceipt", "21", "2026-10-12", ("msa", "950.00", "2026-11-01"),
                     ("msa", "950.00", "2026-12-01"))
    # Credit Co's check of 3 x 500 is held as credit; October's invoice is paid from it so far
    october = company.invoice("22", "2026-10-01", ("silver", "500.00", "2026-10-01"), due="2026-10-01")
    company.payment("22", "2026-09-22", "1500.00", (october, "500.00"), unapplied="1000.00")
    return company.load(tmp_path_factory.mktemp("prepaid") / "wh" / "warehouse.duckdb")


@pytest.mark.parametrize("as_of, prepaid_co, cancel_co, credit_co", [
    ("2026-09-21", "0.00", "0.00", "0.00"),            # before the check: nothing held
    ("2026-09-22", "2850.00", "2850.00", "1500.00"),   # check in, no month started: all of it
    ("2026-09-30", "2850.00", "2850.00", "1500.00"),
    ("2026-10-01", "1900.00", "1900.00", "1000.00"),   # October started: 2,850 - 950; 1,500 - 500
    ("2026-10-15", "1900.00", "0.00", "1000.00"),      # after the refund of 1,900 on 12 October
    ("2026-11-30", "950.00", "0.00", "1000.00"),       # December still to come
    ("2026-12-01", "0.00", "0.00", "1000.00"),         # all three months started
    ("2027-01-15", "0.00", "0.00", "1000.00"),         # unapplied credit stays until it is used
])
def test_prepayment_liability_over_time(prepaid, as_of, prepaid_co, cancel_co, credit_co):
    rows = by(report(prepaid, "prepayments", as_of), "customer")
    got = {name: rows[name]["liability"] if name in rows else D("0.00") for name in ("Prepaid Co", "Cancel Co", "Credit Co")}
    assert got == {"Prepaid Co": D(prepaid_co), "Cancel Co": D(cancel_co), "Credit Co": D(credit_co)}
    for row in rows.values():  # no credit memos here: everything held is refundable cash
        assert row["refund_if_cancelled"] == row["liability"]


def test_prepayment_schedule(prepaid):
    rows = report(prepaid, "prepayments", "2026-10-15", schedule=True)
    # Prepaid Co: Nov 950, Dec 950; Cancel Co: nothing left; Credit Co: 1,000 unapplied, month unknown
    assert [(r["month"], r["amount"]) for r in rows] == [
        (date(2026, 11, 1), D("950.00")), (date(2026, 12, 1), D("950.00")), (None, D("1000.00"))]


def test_prepayment_roll_forward(prepaid):
    september = by(report(prepaid, "prepayments", roll_forward=date(2026, 9, 1)), "customer")
    assert [september["Prepaid Co"][k] for k in ("opening", "received", "recognised", "refunded", "closing")] == \
        [D("0.00"), D("2850.00"), D("0.00"), D("0.00"), D("2850.00")]
    assert [september["Credit Co"][k] for k in ("opening", "received", "recognised", "refunded", "closing")] == \
        [D("0.00"), D("1500.00"), D("0.00"), D("0.00"), D("1500.00")]   # 500 via October's invoice + 1,000 unapplied
    october = by(report(prepaid, "prepayments", roll_forward=date(2026, 10, 1)), "customer")
    # Prepaid Co: 2,850 + 0 - 950 (October) - 0 = 1,900
    assert [october["Prepaid Co"][k] for k in ("opening", "received", "recognised", "refunded", "closing")] == \
        [D("2850.00"), D("0.00"), D("950.00"), D("0.00"), D("1900.00")]
    # Cancel Co: 2,850 + 0 - 950 (October) - 1,900 (refund of November and December) = 0
    assert [october["Cancel Co"][k] for k in ("opening", "received", "recognised", "refunded", "closing")] == \
        [D("2850.00"), D("0.00"), D("950.00"), D("1900.00"), D("0.00")]
    november = by(report(prepaid, "prepayments", roll_forward=date(2026, 11, 1)), "customer")
    assert "Cancel Co" not in november
    assert november["Prepaid Co"]["recognised"] == D("950.00") and november["Prepaid Co"]["closing"] == D("950.00")


def test_cancellation_shows_as_churn(prepaid):
    rows = [r for r in report(prepaid, "mrr", "2026-12-31") if r["customer"] == "Cancel Co"]
    # October 950 (new); November 950 invoiced - 950 refunded = 0: churn of 950
    assert [(r["month"], r["mrr"], r["movement"], r["delta"]) for r in rows] == [
        (date(2026, 10, 1), D("950.00"), "new", D("950.00")),
        (date(2026, 11, 1), D("0.00"), "churn", D("-950.00")),
    ]


# -- MRR movements -------------------------------------------------------------------------------------

def test_mrr_movements_add_up(db):
    company = Company()
    company.customer("30", "Alpha")
    company.customer("31", "Beta")
    alpha = {"01": "500.00", "02": "500.00", "03": "800.00", "04": "600.00", "06": "600.00"}
    for m, amount in alpha.items():  # May: nothing (churn); June: back (reactivation)
        company.document("SalesReceipt", "30", f"2026-{m}-01", ("msa", amount, f"2026-{m}-01"))
    for m in ("03", "04", "05", "06"):
        company.document("SalesReceipt", "31", f"2026-{m}-01", ("silver", "1000.00", f"2026-{m}-01"))
    company.load(db)
    rows = [(r["month"].month, r["customer"], r["movement"], r["delta"]) for r in report(db, "mrr", "2026-06-30")]
    assert rows == [
        (1, "Alpha", "new", D("500.00")),
        (2, "Alpha", "none", D("0.00")),
        (3, "Alpha", "expansion", D("300.00")),
        (3, "Beta", "new", D("1000.00")),
        (4, "Alpha", "contraction", D("-200.00")),
        (4, "Beta", "none", D("0.00")),
        (5, "Alpha", "churn", D("-600.00")),
        (5, "Beta", "none", D("0.00")),
        (6, "Alpha", "reactivation", D("600.00")),
        (6, "Beta", "none", D("0.00")),
    ]
    summary = by(report(db, "mrr", "2026-06-30", summary=True), "month")
    march = summary[date(2026, 3, 1)]
    # 500 at the start + 1,000 new + 300 expansion = 1,800
    assert (march["starting_mrr"], march["new"], march["expansion"], march["mrr"]) == \
        (D("500.00"), D("1000.00"), D("300.00"), D("1800.00"))
    may = summary[date(2026, 5, 1)]
    assert (may["starting_mrr"], may["churn"], may["mrr"], may["clients"]) == (D("1600.00"), D("-600.00"), D("1000.00"), 1)


def test_mrr_movements_add_up_after_a_negative_month(db):
    """Delta keeps the identity when a month's credits exceed its agreement revenue.
    Delta: January 100.00 invoiced (new +100.00). February: no invoice, a credit memo of 33.33 for
    February's service: MRR -33.33, churn of -133.33 (had 100.00, has none). March: nothing, MRR 0:
    +33.33, a change between two months without MRR (adjustment). April 100.00: reactivation +100.00.
    Summary per month: start + movements = end: 0+100 = 100; 100-133.33 = -33.33; -33.33+33.33 = 0;
    0+100 = 100."""
    company = Company()
    company.customer("33", "Delta")
    company.invoice("33", "2026-01-01", ("msa", "100.00", "2026-01-01"))
    company.document("CreditMemo", "33", "2026-02-10", ("msa", "33.33", "2026-02-01"))
    company.invoice("33", "2026-04-01", ("msa", "100.00", "2026-04-01"))
    company.load(db)
    rows = [(r["month"].month, r["mrr"], r["movement"], r["delta"]) for r in report(db, "mrr", "2026-04-30")]
    assert rows == [(1, D("100.00"), "new", D("100.00")), (2, D("-33.33"), "churn", D("-133.33")),
                    (3, D("0.00"), "adjustment", D("33.33")), (4, D("100.00"), "reactivation", D("100.00"))]
    moves = ("new", "expansion", "contraction", "churn", "reactivation", "adjustment")
    summary = report(db, "mrr", "2026-04-30", summary=True)
    assert [(m["month"].month, m["starting_mrr"], m["adjustment"], m["mrr"]) for m in summary] == [
        (1, D("0.00"), D("0.00"), D("100.00")), (2, D("100.00"), D("0.00"), D("-33.33")),
        (3, D("-33.33"), D("33.33"), D("0.00")), (4, D("0.00"), D("0.00"), D("100.00"))]
    assert all(m["starting_mrr"] + sum(m[k] for k in moves) == m["mrr"] for m in summary)


def test_a_quarterly_line_spreads_over_its_months(db):
    company = Company()
    company.customer("32", "Gamma")
    company.invoice("32", "2026-01-01", ("quarterly", "1000.00", "2026-01-01"))
    company.load(db, rules={"agreement_months": '"MSA - Quarterly" = 3'})
    rows = report(db, "mrr", "2026-04-30")
    # 1,000 over three months: 333.34 (the odd cent first), 333.33, 333.33, then none
    assert [(r["month"].month, r["mrr"], r["movement"]) for r in rows] == [
        (1, D("333.34"), "new"), (2, D("333.33"), "contraction"), (3, D("333.33"), "none"), (4, D("0.00"), "churn")]


# -- recurring share -----------------------------------------------------------------------------------

def test_recurring_share(db):
    company = Company()
    company.customer("40", "Delta")
    company.invoice("40", "2026-03-01", ("msa", "600.00", "2026-03-01"))   # on the 1st
    company.invoice("40", "2026-03-20", ("hourly", "400.00"))
    company.invoice("40", "2026-04-10", ("hourly", "250.00"), ("hardware", "900.00"))  # hardware is not labor
    company.load(db)
    rows = by(report(db, "recurring-share", "2026-05-15"), "month")
    march, april, may = rows[date(2026, 3, 1)], rows[date(2026, 4, 1)], rows[date(2026, 5, 1)]
    assert (march["labor_msa"], march["labor_hourly"]) == (D("600.00"), D("400.00"))
    assert march["recurring_share"] == D("0.600000")      # 600 / (600 + 400)
    assert march["day1_share"] == D("0.600000")           # 600 of 1,000 dated 1 March
    assert april["recurring_share"] == D("0")             # 0 / 250
    assert april["recurring_share_12m"] == D("0.480000")  # 600 / (1,000 + 250)
    assert may["recurring_share"] is None and may["recurring_share_12m"] == D("0.480000")


# -- client labor and the garden ------------------------------------------------------------------------

def test_client_labor_covers_the_twelve_full_months_and_rolls_up_jobs(db):
    company = Company()
    company.customer("50", "Echo")
    company.customer("51", "Echo Move", parent="50")
    company.invoice("50", "2025-10-31", ("hourly", "111.00"))          # before the window
    company.invoice("50", "2025-11-01", ("hourly", "200.00"))          # first month of the window
    company.invoice("51", "2026-06-15", ("hourly", "300.00"), ("hardware", "1000.00"))  # the job
    company.invoice("50", "2026-10-31", ("msa", "950.00", "2026-10-01"), ("software", "45.00"))  # last month
    company.invoice("50", "2026-11-01", ("hourly", "999.00"))          # the as-of month: outside
    company.load(db)
    (echo,) = report(db, "client-labor", "2026-11-22")
    # hourly 200 + 300 = 500; agreement 950; labor 1,450; hardware 1,000; software 45
    assert (echo["customer"], echo["labor_hourly"], echo["labor_msa"], echo["labor_total"], echo["hardware"],
            echo["software"]) == ("Echo", D("500.00"), D("950.00"), D("1450.00"), D("1000.00"), D("45.00"))
    apart = by(report(db, "client-labor", "2026-11-22", rollup=False), "customer")
    assert apart["Echo"]["labor_total"] == D("1150.00") and apart["Echo Move"]["labor_total"] == D("300.00")
    months = report(db, "client-labor", "2026-11-22", by_month=True)
    assert len(months) == 12 and months[0]["month"] == date(2025, 11, 1) and months[-1]["month"] == date(2026, 10, 1)
    assert sum(r["labor_total"] for r in months) == D("1450.00")


def test_a_job_whose_parent_was_deleted_still_rolls_up_to_it(db, tmp_path):
    """Foxtrot (52) has a job, Office Move (53, "Foxtrot:Office Move"). Foxtrot is then deleted: a
    change-data-capture stub, no name. As in QuickBooks, the job still belongs to Foxtrot: the job's
    hourly 300.00 and Foxtrot's own 200.00 are one client's labor, 500.00, named from the job's full name."""
    company = Company()
    company.add("Customer", {"Id": "52", "DisplayName": "Foxtrot", "FullyQualifiedName": "Foxtrot"})
    company.add("Customer", {"Id": "53", "DisplayName": "Office Move", "FullyQualifiedName": "Foxtrot:Office Move",
                             "Job": True, "ParentRef": {"value": "52"}})
    company.invoice("52", "2026-05-05", ("hourly", "200.00"))
    company.invoice("53", "2026-06-15", ("hourly", "300.00"))
    company.load(db)
    stub = {"Customer": [{"Id": "52", "status": "Deleted", "MetaData": {"LastUpdatedTime": "2026-07-01T00:00:00Z"}}]}
    assert cli("load", write_json(tmp_path / "deleted.json", stub), "--db", db) == 0
    (foxtrot,) = report(db, "client-labor", "2026-11-22")
    assert (foxtrot["customer_id"], foxtrot["customer"], foxtrot["labor_total"]) == ("52", "Foxtrot", D("500.00"))
    (job,) = query(db, "select customer, parent_customer, client_id, client from marts.dim_customers")
    assert job == ("Office Move", "Foxtrot", "52", "Foxtrot")


def test_a_discount_inside_a_bundle_stays_within_that_bundles_lines(db):
    """Invoice: a bundle of hardware 60.00 + software 40.00 with its own discount of 10.00 inside it
    (bundle line 90.00), then hourly labor 100.00, then a document discount of 19.00.
    The bundle's 10.00 is spread over its own lines only, by amount: 6.00 and 4.00; the hourly line
    gets none of it. The document's 19.00 goes over all item lines by amount (60 : 40 : 100 of 200):
    5.70, 3.80, 9.50. Net: hardware 60 - 6 - 5.70 = 48.30; software 40 - 4 - 3.80 = 32.20;
    hourly 100 - 9.50 = 90.50; total 171.00 = 90.00 + 100.00 - 19.00, the invoice's total."""
    discount = {"DetailType": "DiscountLineDetail", "DiscountLineDetail": {"PercentBased": False}}
    bundle = {"Amount": D("90.00"), "DetailType": "GroupLineDetail", "GroupLineDetail": {
        "GroupItemRef": {"value": "90", "name": "Office kit"}, "Quantity": D("1"),
        "Line": [item_line("60.00", ITEMS["hardware"]), item_line("40.00", ITEMS["software"]),
                 {**discount, "Amount": D("10.00")}]}}
    company = Company()
    company.customer("54", "Golf")
    company.add("Invoice", sales_document("54", "2026-05-05", [
        bundle, item_line("100.00", ITEMS["hourly"]), {**discount, "Amount": D("19.00")}], DocNumber="B1"))
    company.load(db)
    rows = query(db, "select category, amount, discount_amount from marts.fct_revenue_lines order by category")
    assert rows == [("hardware", D("48.30"), D("11.70")), ("labor_hourly", D("90.50"), D("9.50")),
                    ("software", D("32.20"), D("7.80"))]
    assert sum(amount for _, amount, _ in rows) == D("171.00")


def test_garden_lines(db):
    company = Company()
    for cid, name, amount in (("60", "Small", "300.00"), ("61", "Middle", "700.00"), ("62", "Big", "1500.00")):
        company.customer(cid, name)
        company.invoice(cid, "2026-05-05", ("hourly", amount))
    company.load(db)
    rows = report(db, "garden", "2026-11-22")
    assert [(r["rank"], r["customer"], r["share_of_labor"], r["band"]) for r in rows] == [
        (1, "Big", D("0.600000"), "1000.00 and over"),     # 1,500 / 2,500
        (2, "Middle", D("0.280000"), "500.00 to 1000.00"),  # 700 / 2,500
        (3, "Small", D("0.120000"), "under 500.00"),        # 300 / 2,500
    ]
    summary = by(report(db, "garden", "2026-11-22", summary=True), "line")
    assert [summary[D("500")][k] for k in ("clients_at_or_above", "labor_at_or_above", "clients_below", "labor_below")] \
        == [2, D("2200.00"), 1, D("300.00")]
    assert [summary[D("1000")][k] for k in ("clients_at_or_above", "labor_at_or_above", "clients_below", "labor_below")] \
        == [1, D("1500.00"), 2, D("1000.00")]


# -- receivables -----------------------------------------------------------------------------------------

def test_ar_aging_as_of_a_date_and_finance_charges(db):
    company = Company()
    company.customer("70", "Foxtrot")
    a = company.invoice("70", "2026-08-01", ("hourly", "1000.00"), due="2026-08-21")
    b = company.invoice("70", "2026-10-01", ("hourly", "500.00"), due="2026-10-21")
    company.invoice("70", "2026-06-01", ("hourly", "200.00"), due="2026-06-21")
    company.invoice("70", "2026-10-16", ("hourly", "75.00"), due="2026-11-05")   # after the as-of date
    company.payment("70", "2026-09-10", "400.00", (a, "400.00"))
    company.payment("70", "2026-10-20", "500.00", (b, "500.00"))              # after the as-of date
    company.load(db)
    (row,) = report(db, "ar-aging", "2026-10-15")
    # a: 1,000 - 400 = 600, 55 days past due (21 Aug -> 15 Oct); b: 500 not yet due; June's 200: 116 days
    assert [row[k] for k in ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus", "total")] == \
        [D("500.00"), D("0.00"), D("600.00"), D("0.00"), D("200.00"), D("1300.00")]
    (charge,) = report(db, "ar-aging", "2026-10-15", finance_charges=True)
    # 1.5% of the 800 past due, assessed on 1 November
    assert (charge["past_due"], charge["finance_charge"], charge["assess_on"]) == \
        (D("800.00"), D("12.00"), date(2026, 11, 1))


# -- agreement rate --------------------------------------------------------------------------------------

def test_agreement_effective_rate(db):
    company = Company()
    company.customer("80", "Golf")
    for m in range(1, 11):  # Jan-Oct 2026 inside the 12 months before November: 10 x 950 = 9,500
        company.document("SalesReceipt", "80", f"2026-{m:02d}-01", ("msa", "950.00", f"2026-{m:02d}-01"))
        company.time("80", f"2026-{m:02d}-10", 8)                      # 80 covered hours in all
    company.time("80", "2026-05-12", 2, 30, billable="HasBeenBilled")  # billed on top
    company.invoice("80", "2026-05-12", ("hourly", "375.00"))
    company.load(db)
    (row,) = report(db, "agreement-rate", "2026-11-22")
    # 9,500 / 80 h = 118.75 an hour, 16.25 under the 135 contract rate
    assert [row[k] for k in ("msa_revenue", "hours", "billed_hours", "effective_rate", "rate_vs_contract",
                             "labor_hourly")] == \
        [D("9500.00"), D("80.00"), D("2.50"), D("118.75"), D("-16.25"), D("375.00")]
