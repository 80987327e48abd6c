"""The sit-down printout's "outstanding billing issues" box (issue 27): on the owner's copy only, what one client
still owes that it should have paid (invoices open past due, hardware and software and agreement months the payment
rules asked for already, finance charges due and not invoiced), each with its document's number and money, and
their total; a box that splits across pages for a client with many."""
from __future__ import annotations

import subprocess
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from models.documents import sitdown
from models.figures.vocabulary import BILLING_ISSUE_LABELS
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot
from tests.companies import Company

AS_OF = date(2026, 11, 22)  # the 12 full months: November 2025 - October 2026
# Birch: many invoices open past due, more than a page holds
BIRCH_INVOICES = [(f"B{n}", date(2026, 1, 5) + timedelta(days=4 * n), D(100) + n) for n in range(70)]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Cedar (30), Elm (50) and Birch (70), as of 22 November 2026, worked by hand with the playbook's rules (net
    20, 1.5% a month on what is past due on a 1st):

    - Cedar's C3, 6 July: Remote Support 450.00 due 26 July; 200.00 paid 20 July, 250.00 on 3 August: paid late,
      but paid, so settled: not outstanding. 250.00 was past due on 1 August: a finance charge of 3.75 due, and
      none invoiced: 3.75 outstanding.
    - Cedar's C5, 20 October: Remote Support 200.00 with no due date (due on its date), never paid: open past due
      (33 days), 200.00, once (it broke three rules: the history is report policies').
    - Cedar's C6, 25 October: a Firewall 300.00 due 31 December, not paid: not past due, but hardware is paid
      before it is invoiced: 300.00 outstanding.
    - Cedar's C7, 1 October: October's agreement 500.00 due 1 December, 100.00 paid 5 October: the month has
      started and is not paid, 400.00 outstanding.
    - Cedar's total: 200.00 + 300.00 + 400.00 + 3.75 = 903.75.
    - Elm's E1, 4 May: Remote Support 600.00 due 24 May, paid 20 May: no issue at all.
    - Birch's 70 invoices, every 4 days from 5 January, never paid."""
    company = Company()
    company.customer("30", "Cedar")
    c3 = company.invoice("30", "2026-07-06", ("hourly", "450.00"), due="2026-07-26")
    company.paid("30", "2026-07-20", "200.00", (c3, "200.00"))
    company.paid("30", "2026-08-03", "250.00", (c3, "250.00"))
    c5 = company.invoice("30", "2026-10-20", ("hourly", "200.00"))
    c6 = company.invoice("30", "2026-10-25", ("hardware", "300.00"), due="2026-12-31")
    c7 = company.invoice("30", "2026-10-01", ("msa", "500.00", "2026-10-01"), due="2026-12-01")
    company.paid("30", "2026-10-05", "100.00", (c7, "100.00"), method="Visa")
    company.customer("50", "Elm")
    e1 = company.invoice("50", "2026-05-04", ("hourly", "600.00"), due="2026-05-24")
    company.paid("50", "2026-05-20", "600.00", (e1, "600.00"))
    for document, number in ((c3, "C3"), (c5, "C5"), (c6, "C6"), (c7, "C7"), (e1, "E1")):
        document["DocNumber"] = number
    company.customer("70", "Birch")
    for number, day, amount in BIRCH_INVOICES:
        company.invoice("70", day.isoformat(), ("hourly", str(amount)))["DocNumber"] = number
    return company.load(tmp_path_factory.mktemp("issues") / "wh" / "warehouse.duckdb")


def copies(db, client_id: str) -> tuple[str, str, sitdown.OwnersNotes]:
    """The client's printout as handed over and the owner's copy, as pdftotext reads them, and the notes."""
    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = open_snapshot(paths.snapshot(db))
    try:
        sit = sitdown.load(con, owner, "local", client_id, AS_OF)
        notes = sitdown.owners_notes(con, owner, sit)
        pdfs = sitdown.printout([sit], "Books", AS_OF), sitdown.printout([sit], "Books", AS_OF, [notes])
    finally:
        con.close()
    handed, owners = (subprocess.run(["pdftotext", "-layout", "-", "-"], input=document, capture_output=True,
                                     check=True).stdout.decode() for document in pdfs)
    return handed, owners, notes


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_the_owners_copy_lists_what_is_still_open_once_with_document_money_and_total(books):
    handed, owners, notes = copies(books, "30")
    labels = BILLING_ISSUE_LABELS
    assert [(i.issue, i.doc_number, i.amount) for i in notes.issues] == [
        (labels["agreement_unpaid"], "C7", D("400.00")),
        (labels["past_due"], "C5", D("200.00")),
        (labels["hardware_unpaid"], "C6", D("300.00")),
        (labels["finance_not_invoiced"], None, D("3.75")),
    ]
    text = squeezed(owners)
    assert sitdown.ISSUES_TITLE in text
    for line in ("due 2026-12-01; agreement months Agreement months unpaid Invoice C7 2026-10-01 2026-10 unpaid $400.00",
                 "Open past due Invoice C5 2026-10-20 due 2026-10-20, 33 days past due $200.00",  # once
                 "due 2026-12-31; hardware and Hardware and software unpaid Invoice C6 2026-10-25 software 300.00",
                 "Finance charges not invoiced — 2026-08-01 1 due: 3.75; 0 invoiced: 0.00 $3.75",
                 "Total $903.75", sitdown.ISSUES_HISTORY):
        assert line in text, line
    assert text.count("Invoice C5") == 1
    # settled: C3 was paid late, but paid
    assert "C3" not in owners and "paid late" not in text.lower()
    # the client's copy: none of it
    assert sitdown.ISSUES_TITLE not in handed and "past due" not in handed and "C5" not in handed


def test_a_client_with_many_issues_gets_a_box_over_several_pages(books):
    handed, owners, notes = copies(books, "70")
    assert len(notes.issues) > 60
    # a page of the box's rows each starts with its title and header (a box in one piece would not fit a page)
    box_pages = [page for page in owners.split("\f") if "Invoice B" in page]
    assert len(box_pages) >= 2
    for page in box_pages:
        assert f"{sitdown.ISSUES_TITLE} Issue Document Date Why Money" in squeezed(page)
    text = squeezed(owners)
    for number, day, amount in BIRCH_INVOICES:
        assert text.count(f"Invoice {number} {day.isoformat()}") == 1, number
    open_total = sum(amount for _, _, amount in BIRCH_INVOICES)
    charges = notes.issues[-1].amount
    assert notes.issues[-1].issue == BILLING_ISSUE_LABELS["finance_not_invoiced"] and charges > 0
    assert f"Total ${open_total + charges:,}" in text
    assert sitdown.ISSUES_TITLE not in handed


def test_a_client_with_no_issue_is_told_none_on_the_owners_copy_only(books):
    handed, owners, notes = copies(books, "50")
    assert notes.issues == ()
    assert sitdown.NO_ISSUES in squeezed(owners) and sitdown.ISSUES_TITLE in owners
    assert sitdown.ISSUES_TITLE not in handed and sitdown.NO_ISSUES not in squeezed(handed)
