"""PDF documents (Letter) from tables and Altair charts: drawn without a browser."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import altair as alt
import vl_convert
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

STYLES = getSampleStyleSheet()
TITLE = ParagraphStyle("title", parent=STYLES["Title"], fontSize=18, leading=22, spaceAfter=4, alignment=0)
SUBTITLE = ParagraphStyle("subtitle", parent=STYLES["Normal"], fontSize=10, textColor=colors.HexColor("#555555"))
HEADING = ParagraphStyle("heading", parent=STYLES["Heading2"], fontSize=12, spaceBefore=10, spaceAfter=4)
BODY = ParagraphStyle("body", parent=STYLES["Normal"], fontSize=9, leading=12)
CONTENT_WIDTH = letter[0] - 1.5 * inch


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


def table(data: TableData, numeric_from: int = 1) -> Table:
    """A table with a shaded header, money columns (from `numeric_from` on) right-aligned."""
    rows = [data.header] + data.rows + ([data.total] if data.total else [])
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef2")),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#8d99ae")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f9fa")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if data.total:
        style += [("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5),
                  ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.HexColor("#8d99ae"))]
    result = Table(rows, repeatRows=1, hAlign="LEFT")
    result.setStyle(TableStyle(style))
    return result


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
        self.setFont("Helvetica", 7.5)
        self.setFillColor(colors.HexColor("#777777"))
        self.drawRightString(letter[0] - 0.75 * inch, 0.4 * inch, f"page {number} of {of}")
        self.restoreState()


def render(stories: list[list], title: str, footer: str) -> bytes:
    """Stories (one per document section, each starting on a new page and numbering its own pages)
    into one PDF."""
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=letter, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                                 topMargin=0.6 * inch, bottomMargin=0.6 * inch, title=title)

    def draw_footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(0.75 * inch, 0.4 * inch, footer)
        canvas.restoreState()

    flowables: list = []
    for n, story in enumerate(stories):
        if n:
            flowables.append(PageBreak())
        flowables += [StoryStart(n), *story]
    document.build(flowables, onFirstPage=draw_footer, onLaterPages=draw_footer, canvasmaker=StoryNumberedCanvas)
    return out.getvalue()


def prepared_on(day: date) -> str:
    return f"Prepared {day:%B} {day.day}, {day.year}"


__all__ = ["BODY", "HEADING", "SUBTITLE", "TITLE", "Paragraph", "Spacer", "TableData", "chart_image", "render",
           "table", "prepared_on", "inch"]
