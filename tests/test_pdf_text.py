"""Names from QuickBooks print as text on every printout: markup in a name is printed, never followed
(no live link, no crash), and Arabic, Hebrew, Japanese and emoji print in embedded fonts that have
their glyphs, right-to-left words shaped and in reading order."""
from __future__ import annotations

import io
import unicodedata
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test

from models.documents import pdf, sitdown, weekly
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot
from tests.companies import Company
from tests.helpers import UNTIL, app_on, rerun

AS_OF = date.fromisoformat(UNTIL)
LINK = '<a href="https://evil.example">Click</a>'
NAMES = {  # customer Id -> name
    "1": LINK,
    "2": "A < B & C",
    "3": "شركة الأمل",
    "4": "חברת אור",
    "5": "株式会社テスト",
    "6": "Café 😀",
    "7": "R&D <Labs",  # a "<" that opens no tag: the printout crashed
}
COMPANY = "<b>Bold</b> & شركة 株式会社 🦄"  # the company's own name in QuickBooks, on every page
FONT_FOR = {"3": "DejaVuSans", "4": "DejaVuSans", "5": "DroidSansFallback"}  # the font a name needs


def readable(text: str) -> str:
    """Text as a reader compares it: shaped Arabic (presentation forms) back to its letters, spaces
    aside (a reader guesses where spaces go between right-to-left and other words)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def pdf_text(document: bytes) -> str:
    assert document.startswith(b"%PDF")
    return readable("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages))


def links(document: bytes) -> list:
    """Every link annotation (an /Annots entry with a /URI action) on any page."""
    found = []
    for page in PdfReader(io.BytesIO(document)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                found.append(action.get_object()["/URI"])
    return found


def embedded_fonts(document: bytes) -> set[str]:
    """The base names of the fonts the pages use that are embedded (a /FontFile2 behind them)."""
    names = set()
    for page in PdfReader(io.BytesIO(document)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]).split("+")[-1].lstrip("/"))
    return names


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    db = tmp_path_factory.mktemp("names") / "w.duckdb"
    company = Company()
    company.add("CompanyInfo", {"Id": "1", "CompanyName": COMPANY})
    for customer_id, name in NAMES.items():
        company.customer(customer_id, name)
        company.invoice(customer_id, "2026-10-05", ("hourly", "150.00"))
    return company.load(db)


@pytest.fixture(scope="module")
def offered(books):
    """What the sit-down page's download buttons offer, drawn once for the module: each client's printout (drawn on
    click; a name that failed to draw left the button doing nothing), by customer Id, and the group's one PDF
    ("group"). The tests read the page's own documents rather than drawing each printout again."""
    runs = []  # each run's file manager, to fetch what a button offers

    class Recorded(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            self.storage = storage
            runs.append(self)

    def fetched(url: str) -> bytes:
        return runs[-1].storage.get_file(url.rsplit("/", 1)[-1].split(".")[0]).content

    documents = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app_test, "MediaFileManager", Recorded)
        app = app_on(patch, books, "dashboards/sitdown.py")
        for customer_id in NAMES:
            app.selectbox(key="sitdown_client").set_value(("local", customer_id))
            rerun(app)
            button = next(b for b in app.download_button if b.label == "Download printout (PDF)")
            documents[customer_id] = fetched(runs[-1].execute_deferred(button.proto.deferred_file_id))
        app.button(key="batch_prepare").click()
        rerun(app)
        group = next(b for b in app.download_button if b.label == "Download their printouts (one PDF)")
        documents["group"] = fetched(group.proto.url)
    return documents


@pytest.mark.parametrize("customer_id", NAMES)
def test_a_clients_printout_prints_its_name_as_text(offered, customer_id):
    document = offered[customer_id]
    text = pdf_text(document)
    assert readable(f"Labor review: {NAMES[customer_id]}") in text
    assert readable(COMPANY) in text  # the heading and the footer
    assert not links(document)
    fonts = embedded_fonts(document)
    assert "DejaVuSans" in fonts and "DejaVuSans-Bold" in fonts
    assert {FONT_FOR.get(customer_id, "DejaVuSans"), "DroidSansFallback", "Symbola"} <= fonts  # 株式会社 🦄


def test_the_group_printout_holds_every_name(offered):
    document = offered["group"]
    text = pdf_text(document)
    assert all(readable(f"Labor review: {name}") in text for name in NAMES.values())
    assert not links(document)
    assert len(PdfReader(io.BytesIO(document)).pages) >= len(NAMES)


def test_the_sitdown_pages_downloads_draw_every_name(offered):
    """The page's own download buttons: a printout for each client, of that client, and the group's one PDF."""
    for customer_id, name in NAMES.items():
        document = offered[customer_id]
        assert readable(f"Labor review: {name}") in pdf_text(document) and not links(document)
    text = pdf_text(offered["group"])
    assert all(readable(f"Labor review: {name}") in text for name in NAMES.values())


@pytest.fixture(scope="module")
def week(books):
    """The weekly summary's figures, read once; each test prints them under another company name."""
    owner = settings.load(settings.settings_path(books))
    con = open_snapshot(paths.snapshot(books))
    try:
        return weekly.load(con, owner, AS_OF)
    finally:
        con.close()


@pytest.mark.parametrize("name", [*NAMES.values(), COMPANY])
def test_the_weekly_summary_prints_the_company_name_as_text(week, name):
    document = weekly.summary_pdf(week, name)
    text = pdf_text(document)
    assert text.startswith(readable(name)) and text.count(readable(name)) == 2  # heading and footer
    assert not links(document)


def test_tier_names_in_the_table_print_in_a_font_that_has_them():
    rows = [{"tier": tier, "monthly": Decimal("100.00"), "yearly": Decimal("1200.00"), "setup_fee": Decimal("50.00"),
             "yearly_vs_labor": Decimal("0.00"), "current_tier": False} for tier in NAMES.values()]
    month = pd.DataFrame([{"month": date(2026, 10, 1), "customer": "Acme", "labor_hourly": Decimal("1200.00"),
                           "labor_msa": Decimal("0.00"), "labor_total": Decimal("1200.00"),
                           "hardware": Decimal("0.00"), "software": Decimal("0.00")}])
    sit = sitdown.SitDown("local", "10", "Acme", AS_OF, date(2025, 11, 1), date(2026, 10, 1), month,
                          pd.DataFrame(rows), settings.Devices(1, 10, "Acme"))
    document = sitdown.printout([sit], "Acme IT", AS_OF)
    text = pdf_text(document)
    assert all(readable(tier) in text for tier in NAMES.values())
    assert {"DejaVuSans", "DroidSansFallback"} <= embedded_fonts(document)
    assert not links(document)


@pytest.mark.parametrize("name", [*NAMES.values(), COMPANY, "株式会社ABC 2", "❤️ Ünïcødé Ωmega Привет"])
@pytest.mark.parametrize("bold", [False, True])
def test_every_character_prints_in_a_font_that_has_its_glyph(name, bold):
    runs = pdf.font_runs(name, bold=bold)
    assert "".join(text for _, text in runs) == name
    for font, text in runs:
        glyphs = pdfmetrics.getFont(font).face.charToGlyph
        assert [c for c in text if ord(c) not in glyphs] == [], (font, text)


def test_a_word_keeps_to_one_font_where_one_has_it_all():
    # a word printed in two fonts could not be shaped as one: Droid's CJK has no Latin, DejaVu no CJK
    assert pdf.font_runs("株式会社 Ltd") == [("DroidSansFallback", "株式会社 "), ("DejaVuSans", "Ltd")]
    assert pdf.font_runs("Café 😀 🦄") == [("DejaVuSans", "Café 😀 "), ("Symbola", "🦄")]


def test_right_to_left_words_are_laid_out_in_reading_order():
    # on a left-to-right line the words of a right-to-left run go right to left; numbers and left-to-right
    # words around them stay where they are
    assert pdf.visual_order("Labor review: شركة الأمل") == "Labor review: الأمل شركة"
    assert pdf.visual_order("חברת אור 2000 בע״מ (Tel Aviv)") == "בע״מ 2000 אור חברת (Tel Aviv)"
    assert pdf.visual_order("Acme Ltd") == "Acme Ltd"


def test_control_characters_are_dropped_not_printed():
    assert pdf.font_runs("Tab\x0bCo\x00 Plumbing") == [("DejaVuSans", "TabCo Plumbing")]
