"""A real browser (Debian's chromium, headless) against `streamlit run`: what a person sees."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from models.figures.formatting import money_text
from tests.browser import ARTIFACTS, open_page, screenshot
from tests.metrics import report

pytestmark = [pytest.mark.server, pytest.mark.browser]
PAGES = {"": "This week", "sitdown": "Client sit-down", "garden": "Client garden", "prepayments": "Prepayments",
         "receivables": "Receivables", "revenue": "Revenue by month and category", "categories": "Categories",
         "data": "Data"}
WIDTHS = [1024, 1440]
# each page at each width, for every test below that reads it: opened once at the narrowest width, the width where
# a page opened afresh is most likely to cut or hide something, then widened (the `settled` fixture)
EVERY_PAGE_AT_EACH_WIDTH = [(path, width) for path in PAGES for width in WIDTHS]
PAGES_WITH_LINES_BUTTONS = [(path, width) for path in ["", "revenue", "receivables", "prepayments"] for width in WIDTHS]


def shown_as(shown: tuple[str, int]) -> str:
    path, width = shown
    return f"{path or 'this-week'}-{width}"


def test_client_printout_downloads_with_the_right_total(app_server, page):
    url, db = app_server
    open_page(page, url, "sitdown")
    client = page.locator("h3", has_text=": labor").first.inner_text().split(": labor")[0].strip()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_text("Download printout (PDF)").click()
    pdf_bytes = Path(download.value.path()).read_bytes()
    (ARTIFACTS / "printout.pdf").write_bytes(pdf_bytes)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)
    rows = report(db, "client-labor", date.today())
    matches = [r for r in rows if r["customer"] == client]
    assert matches, (client, [r["customer"] for r in rows])
    (row,) = matches
    assert f"Labor review: {client}" in text
    assert money_text(row["labor_total"]) in text
    assert row["labor_total"] > Decimal(0)


def test_month_end_workbook_downloads_from_the_data_page(app_server, page):
    from openpyxl import load_workbook

    url, _ = app_server
    open_page(page, url, "data")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_text("Download the month-end workbook").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames[0] == "Summary" and "Tie-out" in workbook.sheetnames


# Every headline figure, element by element: cut when its box (or the text inside it) is narrower than
# its text, or when the text itself was shortened.
CUT_FIGURES = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].flatMap(value =>
    [value, ...value.querySelectorAll('*')]
        .filter(e => e.scrollWidth > e.clientWidth || e.innerText.includes('\u2026'))
        .slice(0, 1).map(() => value.innerText))"""


@pytest.mark.parametrize("settled", EVERY_PAGE_AT_EACH_WIDTH, ids=shown_as, indirect=True)
def test_every_headline_figure_reads_whole(settled):
    # the first paint is placeholders; the figures are there once the last of them is gone (`settled`)
    page = settled.page
    figures, cut = page.locator("[data-testid='stMetricValue']").count(), page.evaluate(CUT_FIGURES)
    screenshot(settled, "figures")
    assert cut == [], f"{figures} figures on {PAGES[settled.path]} at {settled.width} px"


# after the tests at every width (the first decides pytest's order, each page's widths together)
@pytest.mark.parametrize("settled", [(path, WIDTHS[-1]) for path in PAGES], ids=shown_as, indirect=True)
def test_every_page_loads(settled):
    page, path = settled.page, settled.path
    text = page.inner_text("[data-testid='stMain']")
    page.screenshot(path=str(ARTIFACTS / f"page-{path or 'this-week'}.png"), full_page=True)
    sidebar = page.inner_text("[data-testid='stSidebar']")  # the router's freshness badge
    assert PAGES[path] in text
    assert "ties out" in sidebar
    assert "Traceback" not in text and page.query_selector("[data-testid='stException']") is None


# Tables whose columns run past their box where nothing says so: a table may be wider than a narrow window
# only when the line right under it says it scrolls sideways (a hidden scroll bar is no cue).
HIDDEN_COLUMNS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"], [data-testid="stTable"]')]
    .filter(table => {
        const box = table.querySelector('.dvn-scroller') || table;
        const cue = table.closest('[data-testid="stElementContainer"]')?.nextElementSibling;
        return box.scrollWidth > box.clientWidth + 1 && !(cue && /scroll the table sideways/i.test(cue.innerText));
    })
    .map(table => [...table.querySelectorAll('th')].map(th => th.innerText).join(' | '))"""
# A chart's legend labels and axis titles, shortened ("Rea…") or running out of the chart's box (cut off);
# an upright title's glyphs stand 2.3 px out at the left, which cuts nothing.
CUT_CHART_TEXT = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].flatMap(chart => {
    const box = chart.getBoundingClientRect();
    return [...chart.querySelectorAll('.role-legend-label text, .role-legend-title text, .role-axis-title text')]
        .filter(text => {
            const r = text.getBoundingClientRect();
            return text.textContent.includes('\u2026') || r.left < box.left - 3 || r.right > box.right + 3
                || r.top < box.top - 1 || r.bottom > box.bottom + 1;
        })
        .map(text => text.textContent);
})"""


@pytest.mark.parametrize("settled", EVERY_PAGE_AT_EACH_WIDTH, ids=shown_as, indirect=True)
def test_every_column_and_legend_reads_whole(settled):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page, path, width = settled.page, settled.path, settled.width
    # charts draw after the page settles: wait until each has its drawing
    page.wait_for_function("""[...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                              .every(chart => chart.querySelector('svg .role-axis'))""", timeout=60_000)
    # the grids size their columns, and the lines under them arrive, a moment after the page settles
    for check in (HIDDEN_COLUMNS, CUT_CHART_TEXT):
        try:
            page.wait_for_function(f"({check})().length === 0", timeout=10_000)
        except PlaywrightTimeout:
            pass  # the assertions below say what is wrong
    hidden, cut = page.evaluate(HIDDEN_COLUMNS), page.evaluate(CUT_CHART_TEXT)
    screenshot(settled, "columns")
    assert hidden == [], f"tables on {PAGES[path]} at {width} px lose columns"
    assert cut == [], f"chart text cut on {PAGES[path]} at {width} px"


# Each headline's Lines button, with its figure: [figure's label, its left, top and bottom, the button's left and
# top]; the button is the one in the smallest box holding the figure and a button.
HEADLINE_BUTTONS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].flatMap(metric => {
    let box = metric.parentElement, button = null;
    while (box && !(button = [...box.querySelectorAll('button')].find(b => b.innerText.trim().endsWith('Lines'))))
        box = box.parentElement;
    if (!button || box.querySelectorAll('[data-testid="stMetric"]').length > 1) return [];
    const m = metric.getBoundingClientRect(), b = button.getBoundingClientRect();
    return [[metric.innerText.split('\\n')[0], m.left, m.top, m.bottom, b.left, b.top]];
})"""


@pytest.mark.parametrize("settled", PAGES_WITH_LINES_BUTTONS, ids=shown_as, indirect=True)
def test_lines_buttons_stand_in_line_under_their_figures(settled):
    page, path, width = settled.page, settled.path, settled.width
    # the figures and buttons settle a moment after the placeholders go: read them once two reads agree
    page.wait_for_function(f"({HEADLINE_BUTTONS})().length >= 2", timeout=60_000)
    headlines, before = page.evaluate(HEADLINE_BUTTONS), None
    for _ in range(20):
        if headlines == before:
            break
        page.wait_for_timeout(250)
        headlines, before = page.evaluate(HEADLINE_BUTTONS), headlines
    screenshot(settled, "lines-buttons")
    assert len(headlines) >= 2, headlines
    rows: dict[int, list] = {}
    for label, left, top, bottom, button_left, button_top in headlines:
        # under its own figure, at its left edge
        assert abs(button_left - left) <= 2 and button_top >= bottom - 1, (label, left, bottom, button_left, button_top)
        rows.setdefault(round(top), []).append((label, button_top))
    for row in rows.values():  # the figures of a row (a narrow window wraps them) have their buttons in one line
        assert max(t for _, t in row) - min(t for _, t in row) <= 1, f"{PAGES[path]} at {width} px: {row}"
