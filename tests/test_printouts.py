"""Printouts and the weekly summary: real PDFs whose text says the right things, one client each."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from pypdf import PdfReader

from models import paths, settings, sitdown
from models.formatting import money_text
from models.snapshot import open_snapshot
from tests.helpers import UNTIL, cli
from tests.metrics import report

AS_OF = date.fromisoformat(UNTIL)


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("printouts") / "w.duckdb"
    assert cli("demo", "--db", db, "--until", UNTIL, "--clients", "30", "--years", "2") == 0
    return db


@pytest.fixture(scope="module")
def clients(demo_db):
    return report(demo_db, "client-labor", AS_OF)


def printout(db, customer_ids: list[str]) -> bytes:
    owner = settings.load(settings.settings_path(db))
    con = open_snapshot(paths.snapshot(db))
    try:
        sits = [sitdown.load(con, owner, "demo", cid, AS_OF) for cid in customer_ids]
        return sitdown.printout(sits, owner.company_name, AS_OF)
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
    return {money_text(v) for v in amounts + totals}


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
    week = report(demo_db, "revenue-by-category", AS_OF, period=(date(2026, 11, 16), AS_OF))
    assert money_text(sum((r["amount"] for r in week), start=0)) in text
    aging = report(demo_db, "ar-aging", AS_OF)
    assert money_text(sum((r["total"] for r in aging), start=0)) in text
