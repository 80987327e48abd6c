"""In a real browser: a chart bar, a headline and a table cell open the lines behind them, which add
up to the figure clicked."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from models.figures.formatting import money_text
from tests.metrics import report
from tests.browser import ARTIFACTS, open_page

pytestmark = [pytest.mark.server, pytest.mark.browser]


def opened_lines(page) -> str:
    """The text of the lines' dialog, once it shows its table."""
    dialog = page.locator("[role='dialog']")
    dialog.locator("[data-testid='stDataFrame']").wait_for(timeout=60_000)
    dialog.locator("td[role='gridcell']").first.wait_for(state="attached", timeout=60_000)
    return dialog.inner_text()


def shown_column(page, index: int) -> list[str]:
    """The cells of one column of the lines' table, as the grid gives them to a screen reader."""
    return page.locator(f"[role='dialog'] td[role='gridcell'][aria-colindex='{index}']").all_inner_texts()


def close_lines(page) -> None:
    page.keyboard.press("Escape")
    page.locator("[role='dialog']").wait_for(state="detached", timeout=30_000)


def test_a_chart_bar_opens_its_lines(app_server, page):
    url, db = app_server
    open_page(page, url, "revenue")
    bar = page.locator("[data-testid='stVegaLiteChart'] path[aria-roledescription='bar']"
                       "[aria-label*='category_code: labor_msa']").last
    label = bar.get_attribute("aria-label")
    month = date.fromisoformat(re.search(r"month: (\d{4}-\d\d-\d\d)", label)[1])
    (cell,) = [r for r in report(db, "revenue-by-category", date.today())
               if (r["month"], r["category"]) == (month, "labor_msa")]
    bar.click()
    text = opened_lines(page)
    page.screenshot(path=str(ARTIFACTS / "lines-chart-bar.png"))
    lines = report(db, "lines", date.today(), month=month, categories=("labor_msa",))
    assert f"adding up to {money_text(cell['amount'])}" in text
    assert sum((r["amount"] for r in lines), Decimal(0)) == cell["amount"] and lines
    assert shown_column(page, 3) == [r["doc_number"] for r in lines][:len(shown_column(page, 3))]
    assert len(shown_column(page, 3)) >= min(len(lines), 5)
    close_lines(page)


def test_a_headline_opens_its_lines(app_server, page):
    url, db = app_server
    open_page(page, url, "")
    figure = page.locator("[data-testid='stMetric']", has_text="Receivables").first
    shown = figure.locator("[data-testid='stMetricValue']").inner_text()
    page.locator(".st-key-lines-Receivables").get_by_role("button").first.click()
    text = opened_lines(page)
    page.screenshot(path=str(ARTIFACTS / "lines-headline.png"))
    aging = report(db, "ar-aging", date.today())
    assert shown == money_text(sum((r["total"] for r in aging), Decimal(0)))
    assert f"Receivables: {len(report(db, 'lines', date.today(), kind='ar-aging:total'))} lines adding up to {shown}" \
        in text
    close_lines(page)


def test_a_table_cell_opens_its_lines(app_server, page):
    url, db = app_server
    open_page(page, url, "receivables")
    aging = report(db, "ar-aging", date.today())
    grid = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    page.mouse.click(grid["x"] + 40, grid["y"] + 35 + 17)  # the first client's name: its whole balance
    text = opened_lines(page)
    assert f"Receivables, {aging[0]['customer']}: " in text
    assert f"adding up to {money_text(aging[0]['total'])}" in text
    close_lines(page)
    # the same cell again, after the dialog closed: its lines again, never the grid's raw cell value
    page.mouse.click(grid["x"] + 40, grid["y"] + 35 + 17)
    assert f"Receivables, {aging[0]['customer']}: " in opened_lines(page)
    close_lines(page)


def test_a_table_downloads_as_excel_and_csv_with_its_numbers(app_server, page):
    from openpyxl import load_workbook

    url, db = app_server
    open_page(page, url, "receivables")
    aging = report(db, "ar-aging", date.today())
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-xlsx-Aging-by-client").get_by_role("button").first.click()
    assert download.value.suggested_filename == f"aging-by-client-{date.today().isoformat()}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [c.value for c in sheet[1]][:2] == ["Client", "Current"]
    *clients, total = sheet.iter_rows(min_row=2)
    assert [(r[0].value, Decimal(str(r[1].value)).quantize(Decimal("0.01"))) for r in clients] == \
        [(r["customer"], r["current"]) for r in aging]
    assert (total[0].value, total[1].value) == ("Total", f"=SUM(B2:B{len(aging) + 1})")  # the table's total row
    with page.expect_download(timeout=60_000) as download:
        page.locator(".st-key-csv-Aging-by-client").get_by_role("button").first.click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Client,Current,1–30 days")
    assert len(text.splitlines()) == len(aging) + 1


def test_a_prepayment_schedule_bar_opens_the_documents_paid_for_that_month(app_server, page):
    url, db = app_server
    open_page(page, url, "prepayments")
    bar = page.locator("[data-testid='stVegaLiteChart'] path[aria-roledescription='bar']"
                       "[aria-label*='category_code: becomes_revenue']").first
    month = date.fromisoformat(re.search(r"month: (\d{4}-\d\d-\d\d)", bar.get_attribute("aria-label"))[1])
    (scheduled,) = [r["amount"] for r in report(db, "prepayments", date.today(), schedule=True) if r["month"] == month]
    bar.click()
    text = opened_lines(page)
    lines = report(db, "lines", date.today(), kind="prepayments:liability", month=month)
    assert f"Becomes revenue, {month:%b %Y}: {len(lines)} line" in text
    assert f"adding up to {money_text(scheduled)}" in text
    assert sum((r["amount"] for r in lines), Decimal(0)) == scheduled
    assert {r["document_type"] for r in lines} <= {"Invoice", "SalesReceipt", "RefundReceipt", "CreditMemo"}
    assert shown_column(page, 3) == [r["doc_number"] for r in lines][:len(shown_column(page, 3))]
    close_lines(page)
