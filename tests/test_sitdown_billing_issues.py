"""The sit-down printout's "outstanding billing issues" box (issue 27): on the owner's copy only, one client's
breaches of the payment rules and its invoices open past due, each with its document's number and money."""
from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal as D

import pytest

from models.documents import sitdown
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot
from tests.companies import Company

AS_OF = date(2026, 11, 22)  # the 12 full months: November 2025 - October 2026


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Cedar (30) and Elm (50), as of 22 November 2026, worked by hand with the playbook's rules (net 20, 1.5% a
    month on what is past due on a 1st):

    - Cedar's C3, 6 July: Remote Support 450.00 due 26 July; 200.00 paid 20 July, 250.00 on 3 August: paid late,
      450.00 at stake; 250.00 past due on 1 August: a finance charge of 3.75 due.
    - Cedar's C5, 20 October: Remote Support 200.00 with no due date (due on its date), never paid: not on net 20
      (200.00), paid late (200.00) and open past due now (200.00, 33 days); its finance charge of 1 November is
      the as-of month's, not of the 12 full months.
    - Elm's E1, 4 May: Remote Support 600.00 due 24 May, paid 20 May: no issue at all."""
    company = Company()
    company.customer("30", "Cedar")
    c3 = company.invoice("30", "2026-07-06", ("hourly", "450.00"), due="2026-07-26")
    company.paid("30", "2026-07-20", "200.00", (c3, "200.00"))
    company.paid("30", "2026-08-03", "250.00", (c3, "250.00"))
    c5 = company.invoice("30", "2026-10-20", ("hourly", "200.00"))
    company.customer("50", "Elm")
    e1 = company.invoice("50", "2026-05-04", ("hourly", "600.00"), due="2026-05-24")
    company.paid("50", "2026-05-20", "600.00", (e1, "600.00"))
    for document, number in ((c3, "C3"), (c5, "C5"), (e1, "E1")):
        document["DocNumber"] = number
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


def test_the_owners_copy_lists_the_clients_billing_issues_with_document_and_money(books):
    handed, owners, notes = copies(books, "30")
    assert sorted((i.issue, i.doc_number, i.amount) for i in notes.issues) == sorted([
        ("Hourly invoices paid late", "C3", D("450.00")),
        ("Finance charges due", "C3", D("3.75")),
        ("Hourly invoices on other terms", "C5", D("200.00")),
        ("Hourly invoices paid late", "C5", D("200.00")),
        (sitdown.OVERDUE, "C5", D("200.00")),
    ])
    text = squeezed(owners)
    assert sitdown.ISSUES_TITLE in text
    for line in ("Hourly invoices paid late Invoice C3 2026-07-06 due 2026-07-26, paid 2026-08-03 $450.00",
                 "Hourly invoices on other terms Invoice C5 2026-10-20 no due date $200.00",
                 "Finance charges due Invoice C3 2026-08-01 2026-08-01 (due 2026-07-26) $3.75",  # its why wraps
                 "1.5% of 250.00 past due on",
                 "Open past due Invoice C5 2026-10-20 due 2026-10-20, 33 days past due $200.00"):
        assert line in text, line
    # the client's copy: none of it
    assert sitdown.ISSUES_TITLE not in handed and "past due" not in handed and "C3" not in handed


def test_a_client_with_no_issue_is_told_none_on_the_owners_copy_only(books):
    handed, owners, notes = copies(books, "50")
    assert notes.issues == ()
    assert sitdown.NO_ISSUES in squeezed(owners) and sitdown.ISSUES_TITLE in owners
    assert sitdown.ISSUES_TITLE not in handed and sitdown.NO_ISSUES not in squeezed(handed)
