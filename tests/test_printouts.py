"""Printouts and the weekly summary: real PDFs whose text says the right things, one client each."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from pypdf import PdfReader

from models.documents import pdf, sitdown
from models.settings import settings
from models.warehouse import paths
from models.figures.companies import company_names, printed_name
from models.figures.formatting import column_label, money_text
from models.warehouse.snapshot import open_snapshot
from tests.helpers import UNTIL, cli
from tests.metrics import report

pytestmark = pytest.mark.long

AS_OF = date.fromisoformat(UNTIL)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def demo_db(demo_builds):
    return demo_builds(30, 2)


@pytest.fixture(scope="module")
def clients(demo_db):
    return report(demo_db, "client-labor", AS_OF)


def printout(db, customer_ids: list[str], realm: str = "demo") -> bytes:
    """Printed as the app prints it: under the owner's name for the company, else QuickBooks' own."""
    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = open_snapshot(paths.snapshot(db))
    try:
        sits = [sitdown.load(con, owner, realm, cid, AS_OF) for cid in customer_ids]
        return sitdown.printout(sits, printed_name(owner, company_names(con), realm), AS_OF)
    finally:
        con.close()


@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_printout_holds_its_client_and_no_other(demo_db, clients, data):
    chosen = data.draw(st.sampled_from(clients))
    text = pdf_text(printout(demo_db, [chosen["customer_id"]]))
    assert f"Labor review: {chosen['customer']}" in text
    assert money_text(chosen["labor_total"]) in text
    assert "Northwind IT Services (demo)" in text
    own = _own_money(demo_db, chosen["customer_id"])
    for other in clients:
        if other["customer_id"] == chosen["customer_id"]:
            continue
        assert other["customer"] not in text
        # another client's 12-month labor may only appear where it is also one of this client's amounts
        figure = money_text(other["labor_total"])
        assert figure not in text.split() or figure in own


def _own_money(db, customer_id: str) -> set[str]:
    """Every amount the chosen client's own printout may show (its months and its tier prices)."""
    rows = report(db, "client-labor", AS_OF, client=customer_id, by_month=True)
    tiers = report(db, "tiers", AS_OF, client=customer_id)
    amounts = [v for r in rows + tiers for v in r.values() if isinstance(v, Decimal)]
    totals = [sum((r[c] for r in rows), Decimal(0)) for c in sitdown.MONTH_COLUMNS]
    # the tier what-if says a difference in words, without its sign ("saves the client $6,255.00 a year")
    return {money_text(v) for v in amounts + totals} | {money_text(abs(v)) for v in amounts}


def test_batch_printout_has_a_page_per_client(demo_db, clients):
    small = [c for c in clients if c["labor_total"] < 1000] or clients[-2:]
    data = printout(demo_db, [c["customer_id"] for c in small])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= len(small)
    text = pdf_text(data)
    assert all(f"Labor review: {c['customer']}" in text for c in small)


def test_printout_fits_on_two_letter_pages(demo_db, clients):
    reader = PdfReader(io.BytesIO(printout(demo_db, [clients[0]["customer_id"]])))
    assert len(reader.pages) <= 2
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (float(width), float(height)) == (612.0, 792.0)  # US Letter in points


def test_weekly_command_writes_the_week(demo_db, tmp_path):
    out = tmp_path / "week.pdf"
    assert cli("weekly", "--week", "2026-11-18", "--out", out, "--db", demo_db) == 0
    text = pdf_text(out.read_bytes())
    assert "Week of November 16, 2026" in text
    assert "Northwind IT Services (demo)" in text  # the company's name, as the app prints it
    week = report(demo_db, "revenue-by-category", AS_OF, period=(date(2026, 11, 16), AS_OF))
    assert money_text(sum((r["amount"] for r in week), start=0)) in text
    aging = report(demo_db, "ar-aging", AS_OF)
    assert money_text(sum((r["total"] for r in aging), start=0)) in text
    # the 24-month MRR trend beside the revenue chart, the week still on one page
    (page,) = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert "MRR, last 24 months" in text and "Revenue by month and category" in text
    assert len(page.images) == 2


# -- the tier what-if in words, the current tier, a client without labor, page numbers per client ------------

def _sit_with_tiers(tiers: list[tuple], labor: str = "12000.00") -> sitdown.SitDown:
    """A sit-down of one client with 12 months of labor (as one month) and tier rows
    (tier, monthly, current_tier)."""
    import pandas as pd

    month = pd.DataFrame([{"month": date(2026, 10, 1), "customer": "Acme", "labor_hourly": Decimal(labor),
                           "labor_msa": Decimal("0.00"), "labor_total": Decimal(labor), "hardware": Decimal("0.00"),
                           "software": Decimal("0.00")}])
    rows = [{"tier": tier, "monthly": monthly, "yearly": None if monthly is None else monthly * 12,
             "setup_fee": None if monthly is None else monthly / 2,
             "yearly_vs_labor": None if monthly is None else monthly * 12 - Decimal(labor), "current_tier": current}
            for tier, monthly, current in tiers]
    return sitdown.SitDown("local", "10", "Acme", AS_OF, date(2025, 11, 1), date(2026, 10, 1), month,
                           pd.DataFrame(rows), settings.Devices(0, 10, "Acme"))


def test_tier_what_if_says_what_the_client_saves_or_pays_more():
    sit = _sit_with_tiers([("Silver", None, False), ("Gold", Decimal("478.75"), False),
                           ("Platinum", Decimal("1161.25"), True)])
    table = sitdown.tier_table(sit)
    cells = [" ".join(row) for row in table.rows]
    assert "None" not in " ".join(cells) and "Per year vs labor paid" not in table.header
    silver, gold, platinum = table.rows
    assert "not offered" in silver and not any(c.startswith("-") or c.startswith("+") for c in gold + platinum)
    assert "saves the client $6,255.00 a year" in gold             # 12 x 478.75 = 5,745; 12,000 - 5,745
    assert "costs $1,935.00 more a year" in platinum               # 12 x 1,161.25 = 13,935
    assert platinum[0] == "Platinum (current tier)" and gold[0] == "Gold" and silver[0] == "Silver"


def test_tier_what_if_costing_exactly_the_labor_paid_says_so():
    (row,) = sitdown.tier_table(_sit_with_tiers([("Gold", Decimal("1000.00"), False)])).rows
    assert "costs the same as the labor paid" in row


def test_printout_marks_the_tier_the_clients_agreement_names(demo_db, clients):
    lines = report(demo_db, "revenue-lines", AS_OF)
    last_month = [r for r in lines
                  if r["category"] == "labor_msa" and r["txn_date"].replace(day=1) == date(2026, 10, 1)]
    on_agreement = {r["client_id"]: r["item"] for r in last_month}
    hourly_only = [c for c in clients if c["customer_id"] not in on_agreement and c["labor_total"] > 0]
    chosen = next(c for c in clients if c["customer_id"] in on_agreement)
    tier = on_agreement[chosen["customer_id"]].removeprefix("MSA - ")
    text = pdf_text(printout(demo_db, [chosen["customer_id"]]))
    assert f"{tier} (current tier)" in text and text.count("(current tier)") == 1
    assert "None" not in text and "Per year vs labor paid" not in text
    # on an agreement: the current tier is what the client paid, never a saving against itself
    assert f"{tier} (current tier)" in text and "what the client paid" in text
    assert hourly_only, "the demo has clients paying by the hour"
    assert "(current tier)" not in pdf_text(printout(demo_db, [hourly_only[0]["customer_id"]]))


def test_printout_of_a_client_on_an_agreement_weighs_fee_and_uncovered_hourly_against_what_was_paid(db):
    """scoped_labor_company (worked in test_metrics_hand_computed): Acme Consulting on Gold paid 9,600 +
    1,695 = 11,295. Gold is what the client paid; Platinum 11,400 + 945 it would not cover = 12,345, 1,050
    more; Silver 6,000 + 1,545 = 7,545 with 150 of unknown scope and Gold's unbilled work on top: never
    "saves". Cedar Law pays by the hour: its printout is as before (fee against labor)."""
    from tests.companies import scoped_labor_company

    scoped_labor_company(db)
    text = " ".join(pdf_text(printout(db, ["10"], realm="local")).split())
    assert "saves" not in text
    assert "Tier Per month Per year Not covered Unknown Fee + hourly Against paid" in text
    assert "Gold (current tier) $800.00 $9,600.00 $1,695.00 $11,295.00 what the client paid" in text
    assert "Platinum $950.00 $11,400.00 $945.00 $12,345.00 costs $1,050.00 more a year" in text
    assert "Silver $500.00 $6,000.00 $1,545.00 $150.00 $7,545.00 not known (see below)" in text
    assert "Setup fee to change tier: Silver $250.00, Platinum $475.00." in text
    assert "against the $11,295.00 the client paid for labor" in text
    assert "(agreement $9,600.00, hourly $1,695.00)" in text
    assert "Scope unknown: for $150.00 of hourly work no labor-scope rule says" in text
    assert "Gold covered work that was never billed" in text
    break_fix = " ".join(pdf_text(printout(db, ["20"], realm="local")).split())
    assert "Against the labor paid" in break_fix and "Hourly not covered" not in break_fix
    assert "Silver $500.00 $6,000.00 $250.00 costs $4,800.00 more a year" in break_fix  # 6,000 - 1,200


def test_printout_of_a_client_on_its_agreement_part_of_the_year_shows_its_own_fee(db):
    """late_agreement_books' Birch Dental (worked in test_metrics_hand_computed): on Gold since August at $600 a
    month, under the $800 list. Its Gold row is what it pays, said so, and each tier is weighed against a year on
    Gold at that fee ($7,920.00), not against the $2,970.00 paid in three months of it."""
    from tests.companies import late_agreement_company
    from tests.helpers import pdftotext

    late_agreement_company(db)
    text = " ".join(pdftotext(printout(db, ["30"], realm="local")).split())
    assert "$800.00" not in text  # never its tier's list price as what it pays
    assert "Tier Per month Per year Not covered Unknown Fee + hourly Against current tier" in text
    assert "Gold (current tier) $600.00 $7,200.00 $720.00 $7,920.00 a year at the client's fee" in text
    assert "Platinum $950.00 $11,400.00 $420.00 $11,820.00 costs $3,900.00 more a year" in text
    assert "Silver $500.00 $6,000.00 $720.00 $450.00 $6,720.00 not known (see below)" in text
    assert "Gold's price is what the client pays now: $600.00 a month (its agreement in Oct 2026)" in text
    assert ("against a year on Gold at the client's fee ($7,920.00: 12 months of $600.00 and the hourly work Gold would "
            "not have covered), not against the $2,970.00 the client paid for labor") in text
    assert "saves" not in text


def test_the_tier_table_of_a_client_on_an_agreement_fits_the_page(db):
    """Seven columns of money and words: the last one wraps rather than running off the paper."""
    from tests.companies import scoped_labor_company

    scoped_labor_company(db)
    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = open_snapshot(paths.snapshot(db))
    try:
        sit = sitdown.load(con, owner, "local", "10", AS_OF)
    finally:
        con.close()
    assert len(sitdown.tier_table(sit).header) == 7
    assert sum(pdf.table(sitdown.tier_table(sit))._colWidths) <= pdf.CONTENT_WIDTH


def test_a_tier_is_said_to_save_only_when_it_does_whatever_the_unknown_work_was():
    """Fee + hourly not covered - paid = the least difference; work of unknown scope may add up to its amount.
    -1,000 with 300 unknown: saves at least 700; +200 with 300 unknown: costs at least 200 more;
    -100 with 300 unknown: not known."""
    from types import SimpleNamespace

    def row(least: str, unknown: str, current_unknown: str = "0.00"):
        return SimpleNamespace(current_tier=False, covers_less_than_current=False,
                               what_if_vs_paid=Decimal(least), hourly_unknown_scope=Decimal(unknown),
                               current_unknown_scope=Decimal(current_unknown))
    assert sitdown.what_if_text(row("-1000.00", "300.00")) == "saves the client at least $700.00 a year"
    assert sitdown.what_if_text(row("200.00", "300.00")) == "costs at least $200.00 more a year"
    assert sitdown.what_if_text(row("-100.00", "300.00")) == "not known (scope unknown)"
    assert sitdown.what_if_text(row("-100.00", "0.00")) == "saves the client $100.00 a year"
    # work of unknown scope in the current tier's year (before its agreement) may make that year dearer: +200 with
    # 150 of it costs at least 50 more; +100 with 150 of it is not known
    assert sitdown.what_if_text(row("200.00", "0.00", "150.00")) == "costs at least $50.00 more a year"
    assert sitdown.what_if_text(row("100.00", "0.00", "150.00")) == "not known (scope unknown)"


def test_printout_of_a_client_without_labor_has_no_empty_chart(db):
    from tests.companies import Company

    company = Company()
    company.customer("1", "Parts Only")
    company.customer("2", "Some Labor")
    company.invoice("1", "2026-03-05", ("hardware", "890.00"))
    company.invoice("2", "2026-03-05", ("hourly", "300.00"))
    company.load(db)
    without, with_labor = (PdfReader(io.BytesIO(printout(db, [cid], realm="local"))) for cid in ("1", "2"))
    assert not [image for page in without.pages for image in page.images]
    assert "No labor in these 12 months" in "\n".join(p.extract_text() for p in without.pages)
    assert [image for page in with_labor.pages for image in page.images]  # its chart


def test_batch_printout_numbers_each_clients_pages_from_one(demo_db, clients):
    chosen = clients[:3]
    reader = PdfReader(io.BytesIO(printout(demo_db, [c["customer_id"] for c in chosen])))
    numbers = []
    for page in reader.pages:
        text = page.extract_text()
        found = re.findall(r"page (\d+) of (\d+)", text)
        assert len(found) == 1, text[-200:]
        starts = [c["customer"] for c in chosen if f"Labor review: {c['customer']}" in text]
        numbers.append((starts, *map(int, found[0])))
    per_client = []
    for starts, number, of in numbers:
        if starts:
            assert number == 1, numbers
            per_client.append([])
        per_client[-1].append((number, of))
    assert len(per_client) == len(chosen)
    for pages in per_client:
        assert pages == [(n, len(pages)) for n in range(1, len(pages) + 1)], numbers


def test_current_tier_is_the_one_the_last_full_months_agreement_item_names(db):
    from tests.companies import Company
    from tests.metrics import by

    company = Company()
    company.customer("1", "On Platinum")
    company.customer("2", "On a quarterly item")
    company.customer("3", "Left in September")
    company.invoice("1", "2026-10-01", ("msa", "950.00", "2026-10-01"))         # MSA - Platinum
    company.invoice("2", "2026-10-01", ("quarterly", "2850.00", "2026-10-01"))  # names no tier
    company.invoice("3", "2026-09-01", ("silver", "500.00", "2026-09-01"))
    company.invoice("3", "2026-10-20", ("hourly", "300.00"))
    company.load(db)
    settings.save_devices(settings.settings_path(db), "local",
                          {cid: settings.Devices(1, 10, name) for cid, name in (("1", "a"), ("2", "b"), ("3", "c"))})
    rows = report(db, "tiers", AS_OF)
    current = {(r["customer_id"], r["tier"]) for r in rows if r["current_tier"]}
    assert current == {("1", "Platinum")}
    platinum = by([r for r in rows if r["customer_id"] == "1"], "tier")["Platinum"]
    assert platinum["yearly_vs_labor"] == Decimal("10450.00")  # 12 x 950 - 950


def test_printout_file_names_stay_plain_names_and_never_collide():
    """Client names are data: "../" or "/" in one makes no folder in the zip (or the download), and two
    clients with the same name get a file each (the QuickBooks Id tells them apart)."""
    import dataclasses
    import zipfile

    base = _sit_with_tiers([])
    sits = [dataclasses.replace(base, client_id=cid, client=name)
            for cid, name in (("1", "../../etc/cron.d/x"), ("2", "A/B Ltd"), ("3", "A/B Ltd"), ("4", "株式会社テスト"))]
    names = zipfile.ZipFile(io.BytesIO(sitdown.printout_zip([(sit, b"%PDF-") for sit in sits]))).namelist()
    assert names == ["labor-review-etc-cron-d-x-1.pdf", "labor-review-A-B-Ltd-2.pdf", "labor-review-A-B-Ltd-3.pdf",
                     "labor-review-株式会社テスト-4.pdf"]


# What the client's printout never says: what the client cost us, in words or the margin report's figures (a
# tier "costs" the client more or less: that word alone is the client's price)
COST_WORDS = ("margin", "labor cost", "tool cost", "direct cost", "agreement cost", "owner's notes", "effective rate")


def owners_copy(db, customer_id: str) -> tuple[bytes, bytes]:
    """One client's printout as handed over, and the owner's copy with the notes page."""
    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = open_snapshot(paths.snapshot(db))
    try:
        sit = sitdown.load(con, owner, "demo", customer_id, AS_OF)
        name = printed_name(owner, company_names(con), "demo")
        return (sitdown.printout([sit], name, AS_OF),
                sitdown.printout([sit], name, AS_OF, [sitdown.owners_notes(con, owner, sit)]))
    finally:
        con.close()


def test_the_printout_shows_no_cost_or_margin_unless_the_owner_asks_for_the_notes_page(demo_db):
    """The client's printout holds no cost or margin; the owner's copy ends with a page of its own whose figures
    are report margin --client's for the same 12 months."""
    # the thinnest margin of a client on an agreement: a figure in every line of the notes
    row = next(r for r in report(demo_db, "margin", AS_OF) if r["effective_rate"] is not None and r["direct_cost"])
    handed_over, owners = owners_copy(demo_db, row["client_id"])
    client_pages = pdf_text(handed_over)
    assert not [word for word in COST_WORDS if word in client_pages.lower()]
    # a cost figure may only appear where it is also one of the client's own amounts (a tier's price, a month)
    own = _own_money(demo_db, row["client_id"])
    assert not [c for c in ("labor_cost", "tool_cost", "direct_cost", "gross_margin", "agreement_margin")
                if money_text(row[c]) in client_pages.split() and money_text(row[c]) not in own]
    pages = PdfReader(io.BytesIO(owners)).pages
    assert len(pages) == len(PdfReader(io.BytesIO(handed_over)).pages) + 1  # the notes on a page of their own
    # the client's pages as handed over (but the footer's "page 1 of 2")
    unnumbered = lambda text: re.sub(r"page (\d+) of \d+", r"page \1", text)  # noqa: E731
    assert unnumbered("\n".join(page.extract_text() for page in pages[:-1])) == unnumbered(client_pages)
    notes = " ".join(pages[-1].extract_text().split())
    assert sitdown.NOTES_TITLE in notes and row["client"] in notes
    for column in sitdown.NOTES_MONEY:
        assert f"{column_label(column)} {money_text(row[column])}" in notes, column
    assert f"{column_label('gross_margin_pct')} {row['gross_margin_pct']:.1f}%" in notes
