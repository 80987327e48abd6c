"""PDF documents (Letter) from tables and Altair charts: drawn without a browser.

Every text on paper goes through `paragraph`: names from QuickBooks are text, never markup, and each
run of characters prints in the first embedded font that has its glyphs."""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import altair as alt
import vl_convert
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from models.names import printable

# Embedded TrueType fonts (models/documents/fonts/README.md says where each comes from and its licence), tried in
# this order for each word: DejaVu Sans (Latin, Greek, Cyrillic, Arabic, Hebrew, some emoji), Droid Sans
# Fallback (Chinese, Japanese, Korean; no Latin letters), Symbola (symbols and emoji, in one colour).
FONTS = Path(__file__).with_name("fonts")
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
FALLBACKS = ("DroidSansFallback", "Symbola")

STYLES = getSampleStyleSheet()
TITLE = ParagraphStyle("title", parent=STYLES["Title"], fontName=BOLD, fontSize=18, leading=22, spaceAfter=4,
                       alignment=0)
SUBTITLE = ParagraphStyle("subtitle", parent=STYLES["Normal"], fontName=REGULAR, fontSize=10,
                          textColor=colors.HexColor("#555555"))
HEADING = ParagraphStyle("heading", parent=STYLES["Heading2"], fontName=BOLD, fontSize=12, spaceBefore=10,
                         spaceAfter=4)
BODY = ParagraphStyle("body", parent=STYLES["Normal"], fontName=REGULAR, fontSize=9, leading=12)
CELL = ParagraphStyle("cell", fontName=REGULAR, fontSize=8.5, leading=10.2)
CELL_PADDING = 6
FOOTER = ParagraphStyle("footer", fontName=REGULAR, fontSize=7.5, leading=9, textColor=colors.HexColor("#777777"))
CONTENT_WIDTH = letter[0] - 1.5 * inch
FRAME_PADDING = 6  # what a page's frame keeps inside its margins on each side (reportlab's default)


@cache
def embedded_font(name: str) -> TTFont:
    """Registers an embedded font on its first use: a printout in Latin letters never reads the CJK font."""
    font = TTFont(name, FONTS / f"{name}.ttf")
    pdfmetrics.registerFont(font)
    return font


def _has_glyphs(font: str, text: str) -> bool:
    glyphs = embedded_font(font).face.charToGlyph
    return all(ord(c) in glyphs for c in text)


def _utf16_to_unicode_cmap(make_cmap):
    """reportlab 5.1 writes a character beyond U+FFFF (an emoji) in a font's ToUnicode map as five hex
    digits, which readers reject, so the emoji cannot be copied or searched; PDF wants it in UTF-16."""
    def utf16(match: re.Match) -> str:
        return f"<{chr(int(match[1], 16)).encode('utf-16-be').hex().upper()}>"

    return lambda fontname, subset: re.sub(r"<([0-9A-F]{5,6})>$", utf16, make_cmap(fontname, subset), flags=re.M)


ttfonts.makeToUnicodeCMap = _utf16_to_unicode_cmap(ttfonts.makeToUnicodeCMap)


def font_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) runs: each word in the first font that has all its glyphs, so that a word is shaped
    in one font; a word none has whole, character by character; a space stays with the run it ends.
    A character no font has stays in the first font (and prints as a box)."""
    fonts = (BOLD if bold else REGULAR, *FALLBACKS)
    embedded_font(fonts[0])  # the style's own font, even for an empty text
    runs: list[tuple[str, str]] = []

    def add(font: str, piece: str) -> None:
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + piece)
        else:
            runs.append((font, piece))

    for word in re.findall(r"\s+|\S+", printable(text)):
        whole = next((font for font in fonts if _has_glyphs(font, word)), None)
        if word.isspace() and runs and _has_glyphs(runs[-1][0], word):
            add(runs[-1][0], word)
        elif whole:
            add(whole, word)
        else:
            for char in word:
                add(next((font for font in fonts if _has_glyphs(font, char)), fonts[0]), char)
    return runs


def _direction(word: str) -> str | None:
    """R for a word whose first letter is written right to left (Arabic, Hebrew), L for one written left
    to right, None for a word without letters (a number, a dash)."""
    for char in word:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return None


def right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def visual_order(text: str) -> str:
    """The words of each right-to-left run (with the numbers between them) in the order a left-to-right
    line lays them out: right to left. HarfBuzz shapes each word with its letters in reading order, but
    reportlab lays words out left to right, and its own reordering needs rlbidi, which is not on PyPI.
    A run broken over two lines reads in the wrong order; names are short."""
    laid_out: list[str] = []
    run: list[str] = []  # from the run's first right-to-left word on
    for word in text.split(" "):
        direction = _direction(word)
        if direction == "R" or (direction is None and run):
            run.append(word)
        else:
            laid_out += _right_to_left_run(run) + [word]
            run = []
    return " ".join(laid_out + _right_to_left_run(run))


def _right_to_left_run(run: list[str]) -> list[str]:
    """A run laid out right to left; the words without letters that end it follow the line instead."""
    end = len(run)
    while end and _direction(run[end - 1]) != "R":
        end -= 1
    return run[:end][::-1] + run[end:]


@cache
def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    """The style with HarfBuzz shaping (uharfbuzz): Arabic letters joined, right-to-left letters in
    order. Only where a text has right-to-left letters: reportlab shapes a word in the font of its
    first character, so a word in two fonts (a name like テスト2) would lose glyphs."""
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def markup(text: str, style: ParagraphStyle = BODY) -> str:
    """Paragraph markup printing the text as it is: escaped (a name's "<a href" or "<" is text), each
    run in a font that has its glyphs."""
    bold = style.fontName == BOLD
    return "".join(escape(piece) if font == style.fontName else f'<font name="{font}">{escape(piece)}</font>'
                   for font, piece in font_runs(visual_order(text), bold))


def paragraph(text: str, style: ParagraphStyle = BODY, kind: type[Paragraph] = Paragraph) -> Paragraph:
    """Text on paper: a client's or the company's name, our own words. All of it is text, none markup."""
    return kind(markup(text, style), _shaped(style) if right_to_left(text) else style)


def cell(text: str, bold: bool = False, right: bool = False) -> Paragraph:
    """A table cell's text; its leading spaces indent it (a paragraph would drop them)."""
    indent = len(text) - len(text.lstrip(" "))
    return paragraph("\u00a0" * indent + text[indent:], _cell_style(bold, right))


@cache
def _cell_style(bold: bool, right: bool) -> ParagraphStyle:
    return ParagraphStyle(f"cell-{bold}-{right}", parent=CELL, fontName=BOLD if bold else REGULAR,
                          alignment=TA_RIGHT if right else TA_LEFT)


def text_width(line: Paragraph) -> float:
    """How wide a paragraph's text is on one line."""
    line.wrap(10 * CONTENT_WIDTH, CONTENT_WIDTH)
    return max(line.getActualLineWidths0(), default=0)


@dataclass(frozen=True)
class TableData:
    header: list[str]
    rows: list[list[str]]
    total: list[str] | None = None  # a bold last row


def chart_image(chart: alt.Chart, width: float = CONTENT_WIDTH, height: float = 2.6 * inch) -> Image:
    """The same Altair chart as on screen, rendered to PNG by vl-convert (no browser)."""
    spec = chart.properties(width=int(width / inch * 96), height=int(height / inch * 96)).to_json()
    png = vl_convert.vegalite_to_png(spec, scale=2)
    return Image(io.BytesIO(png), width=width, height=height, kind="proportional")


def charts_side_by_side(titled: list[tuple[str, alt.Chart]], height: float = 2.0 * inch) -> Table:
    """Charts in one row, each under its heading, sharing the width."""
    width = (CONTENT_WIDTH - 2 * FRAME_PADDING) / len(titled)
    return side_by_side([(title, [chart_image(chart, width - 0.1 * inch, height)]) for title, chart in titled])


def side_by_side(titled: list[tuple[str, list[Flowable]]], widths: list[float] | None = None) -> Table:
    """Sections in one row, each under its heading, sharing the width (evenly, unless `widths` says). The headings
    stand where a heading of its own would: in line with the text (as wide as the frame, not the margins) and with
    a heading's room above and below it, which a table cell otherwise ignores."""
    widths = widths or [(CONTENT_WIDTH - 2 * FRAME_PADDING) / len(titled)] * len(titled)
    row = Table([[paragraph(title, HEADING) for title, _ in titled], [flowables for _, flowables in titled]],
                colWidths=widths, hAlign="LEFT")
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, 0), HEADING.spaceBefore),
                             ("BOTTOMPADDING", (0, 0), (-1, 0), HEADING.spaceAfter)]))
    return row


def table(data: TableData, numeric_from: int = 1, width: float = CONTENT_WIDTH, wraps: int = -1,
          title: str | None = None) -> Table:
    """A table with a shaded header, money columns (from `numeric_from` on) right-aligned, at most `width` wide
    when column `wraps` (the last by default) can wrap. Every cell is a `cell` (a tier named by the owner is text
    too, in a font that has it). With a `title`: a box, the title in bold above the header and a rule around, as
    wide as `width`; the box is the table itself, so a long one splits across pages, title and header on each."""
    def cells(row: list[str], bold: bool = False) -> list[Paragraph]:
        return [cell(text, bold, right=n >= numeric_from) for n, text in enumerate(row)]

    rows = ([cells(data.header, bold=True)] + [cells(row) for row in data.rows]
            + ([cells(data.total, bold=True)] if data.total else []))
    # each column as wide as its widest text on one line, as with string cells (a table would size a
    # column of paragraphs by their longest word and wrap the rest)
    widths = [max(map(text_width, column)) + 2 * CELL_PADDING for column in zip(*rows)]
    # a table wider than the page: its last column (words, such as a tier's "costs ... more a year") or the one
    # named wraps in what is left, rather than running off the paper
    others = sum(widths) - widths[wraps]
    if (sum(widths) > width or title) and width - others >= 1.2 * inch:
        widths[wraps] = width - others
    top = 1 if title else 0  # the header's row
    style = [
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BACKGROUND", (0, top), (-1, top), colors.HexColor("#e8eef2")),
        ("LINEBELOW", (0, top), (-1, top), 0.6, colors.HexColor("#8d99ae")),
        ("ROWBACKGROUNDS", (0, top + 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fa")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if data.total:
        style += [("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.HexColor("#8d99ae"))]
    if title:
        rows = [[paragraph(title, HEADING)] + [""] * (len(widths) - 1)] + rows
        style += [("SPAN", (0, 0), (-1, 0)), ("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#8d99ae")),
                  ("TOPPADDING", (0, 0), (-1, 0), HEADING.spaceAfter),
                  ("BOTTOMPADDING", (0, 0), (-1, 0), HEADING.spaceAfter)]
    result = Table(rows, colWidths=widths, repeatRows=top + 1, hAlign="LEFT")
    result.setStyle(TableStyle(style))
    return result


BOX_WIDTH = CONTENT_WIDTH - 2 * FRAME_PADDING  # a box as wide as the text


def box(title: str, content: list) -> Table:
    """A few lines of `content` under a bold `title`, inside a ruled box as wide as the text: something to be seen
    first on a page of figures (the sit-down's outstanding billing issues when there are none). It cannot split
    across pages: rows of figures go in a `table` with a title instead."""
    framed = Table([[paragraph(title, HEADING)], *[[flowable] for flowable in content]], colWidths=[BOX_WIDTH],
                   hAlign="LEFT")
    framed.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, colors.HexColor("#8d99ae")),
                                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                                ("TOPPADDING", (0, 0), (-1, 0), 0), ("BOTTOMPADDING", (0, -1), (-1, -1), 8)]))
    return framed


class StoryStart(Flowable):
    """Drawn first on a story's first page: tells the canvas that a new story (a client's printout)
    begins here, so its pages are numbered from 1."""

    def __init__(self, story: int):
        super().__init__()
        self.story = story

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        self.canv.story = self.story


class StoryNumberedCanvas(Canvas):
    """Numbers each story's pages "page 1 of 2", restarting for each story. How many pages a story has
    is only known once it is laid out, so each page is kept and numbered when the document is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.story = 0
        self.pages: list[dict] = []

    def showPage(self) -> None:
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        stories = [page["story"] for page in self.pages]
        for n, page in enumerate(self.pages):
            self.__dict__.update(page)
            self.draw_page_number(stories[:n + 1].count(page["story"]), stories.count(page["story"]))
            super().showPage()
        super().save()

    def draw_page_number(self, number: int, of: int) -> None:
        self.saveState()
        self.setFont(REGULAR, FOOTER.fontSize)
        self.setFillColor(colors.HexColor("#777777"))
        self.drawRightString(letter[0] - 0.75 * inch, 0.4 * inch, f"page {number} of {of}")
        self.restoreState()


def render(stories: list[list], title: str, footer: str) -> bytes:
    """Stories (one per document section, each starting on a new page and numbering its own pages)
    into one PDF. The footer (the company's name) is text like any other."""
    embedded_font(REGULAR)  # the page numbers'
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=letter, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                                 topMargin=0.6 * inch, bottomMargin=0.6 * inch, title=title)

    def draw_footer(canvas, doc) -> None:
        line = paragraph(footer, FOOTER)
        line.wrapOn(canvas, CONTENT_WIDTH - inch, inch)  # an inch left for "page 1 of 2"
        line.drawOn(canvas, 0.75 * inch, 0.4 * inch - (FOOTER.leading - FOOTER.fontSize))  # the same baseline

    flowables: list = []
    for n, story in enumerate(stories):
        if n:
            flowables.append(PageBreak())
        flowables += [StoryStart(n), *story]
    document.build(flowables, onFirstPage=draw_footer, onLaterPages=draw_footer, canvasmaker=StoryNumberedCanvas)
    return out.getvalue()


def prepared_on(day: date) -> str:
    return f"Prepared {day:%B} {day.day}, {day.year}"


__all__ = ["BODY", "HEADING", "SUBTITLE", "TITLE", "Spacer", "TableData", "chart_image", "font_runs", "paragraph",
           "render", "table", "prepared_on", "inch", "visual_order"]
