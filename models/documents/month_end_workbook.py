"""The month-end pack written: one workbook (money formats, dates as dates, frozen headers, totals as formulas an
accountant can audit) and a CSV per sheet (UTF-8 with BOM, ISO dates, totals as values). A page's table is
downloaded through the same writer (models/documents/exports.py)."""
from __future__ import annotations

import csv
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from models.figures.formatting import csv_cell, plain_text, write_csv_rows
from models.figures.month_end import Block, Pack, Sheet
from models.files import replacing, replacing_folder
from models.money import ZERO
from models.months import month_bounds

MONEY_FORMAT = '#,##0.00;[Red]-#,##0.00'
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="E8EEF2")


def _total_row(block: Block) -> list[Any]:
    """The total row's values (the workbook writes SUM formulas that compute the same)."""
    values: list[Any] = [block.total_label] + [None] * (len(block.header) - 1)
    for column in _totalled(block):
        values[column] = sum((row[column] or ZERO for row in block.rows), ZERO)
    return values


def _totalled(block: Block) -> tuple[int, ...]:
    return block.money if block.totalled is None else block.totalled


def _row_totals(block: Block) -> None:
    """A last column named Total with no values is the sum of the money columns before it."""
    if block.header[-1] == "Total" and block.rows and block.rows[0][-1] is None:
        for row in block.rows:
            row[-1] = sum((row[c] or ZERO for c in block.money if c != len(block.header) - 1), ZERO)


def write_xlsx(pack: Pack, path) -> Path:
    """Write the workbook to a path (or a binary file object)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = datetime.combine(month_bounds(pack.month)[1], datetime.min.time())
    workbook.properties.created = workbook.properties.modified = stamp  # same data, same workbook
    workbook.properties.creator = "msp-revenue"
    workbook.calculation.fullCalcOnLoad = True
    for sheet in pack.sheets:
        ws = workbook.create_sheet(sheet.name)
        row_number, widths, notes = 1, {}, []
        if pack.company:
            ws.cell(1, 1, f"{pack.company} · {sheet.name} · {pack.month:%B %Y}").font = Font(bold=True, size=12)
            row_number = 3
        for block in sheet.blocks:
            _row_totals(block)
            if block.title:
                ws.cell(row_number, 1, block.title).font = Font(bold=True, size=12)
                row_number += 1
            if block.note:
                notes.append((row_number, len(block.header), block.note))
                row_number += 1
            for column, name in enumerate(block.header, start=1):
                cell = ws.cell(row_number, column, name)
                cell.font, cell.fill = Font(bold=True), HEADER_FILL
                widths[column] = max(widths.get(column, 8), len(name) + 2)
            if not ws.print_title_rows:
                ws.freeze_panes = ws.cell(row_number + 1, 1)
                ws.print_title_rows = f"{row_number}:{row_number}"
            header_row = first_data = row_number + 1
            for values in block.rows:
                row_number += 1
                for column, value in enumerate(values, start=1):
                    _write(ws, row_number, column, value, _number_format(block, column - 1, value), widths)
                if block.header[-1] == "Total" and len(block.money) > 1:
                    last_money = get_column_letter(len(block.header) - 1)
                    ws.cell(row_number, len(block.header), f"=SUM(B{row_number}:{last_money}{row_number})")
            if block.filtered:
                ws.auto_filter.ref = f"A{header_row - 1}:{get_column_letter(len(block.header))}{row_number}"
            if block.total_label:
                row_number += 1
                ws.cell(row_number, 1, block.total_label).font = Font(bold=True)
                for column in _totalled(block):
                    letter = get_column_letter(column + 1)
                    formula = f"=SUM({letter}{first_data}:{letter}{row_number - 1})" if block.rows else 0
                    cell = ws.cell(row_number, column + 1, formula)
                    cell.font, cell.number_format = Font(bold=True), MONEY_FORMAT
            row_number += 2
        for column, width in widths.items():
            ws.column_dimensions[get_column_letter(column)].width = min(width, 60)
        for row, columns, note in notes:
            _write_note(ws, row, columns, note, widths)
        _print_setup(ws, pack.company)
    if isinstance(path, Path):
        with replacing(path) as temporary:
            workbook.save(temporary)
    else:
        workbook.save(path)
    return path


NOTE_LINE_HEIGHT = 15  # points: one line of the notes' 11-point text


def _write_note(ws, row: int, columns: int, note: str, widths: dict) -> None:
    """A note wrapped across its block's columns (at least four), its row as tall as its lines."""
    columns = max(columns, 4)
    cell = ws.cell(row, 1, note)
    cell.font = Font(italic=True, color="666666")
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    characters_a_line = sum(min(widths.get(column, 8), 60) for column in range(1, columns + 1))
    ws.row_dimensions[row].height = NOTE_LINE_HEIGHT * (len(note) // max(characters_a_line - 4, 20) + 1)


def _print_setup(ws, company: str | None) -> None:
    """Printed as an accountant files it: landscape, every column on the page's width, the header row
    on every page, the company on top and page numbers below."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if company:
        ws.oddHeader.left.text = company.replace("&", "&&")
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.center.text = "Page &P of &N"


def _number_format(block: Block, column: int, value: Any) -> str | None:
    """Money and shares are Decimals and whole numbers are counts; a Decimal in a column not declared
    money or ratio is a sheet's mistake, and guessing would show money as a percentage."""
    if column in block.money:
        return MONEY_FORMAT
    if column in block.ratios:
        return PERCENT_FORMAT
    if isinstance(value, Decimal):
        raise ValueError(f"column {block.header[column]!r} holds amounts but is declared neither money nor ratio")
    if isinstance(value, int) and not isinstance(value, bool):
        return COUNT_FORMAT
    if isinstance(value, date):
        return "yyyy-mm-dd"
    return None


def _write(ws, row: int, column: int, value: Any, number_format: str | None, widths: dict) -> None:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # a control character in one name must not sink the pack
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text from QuickBooks is data: "=HYPERLINK(...)" stays text, never a formula
    if number_format and value is not None:
        cell.number_format = number_format
    widths[column] = max(widths.get(column, 8), min(len(plain_text(value)) + 2, 60))


def workbook_bytes(pack: Pack) -> bytes:
    """The workbook as bytes, for a download."""
    import io

    out = io.BytesIO()
    write_xlsx(pack, out)
    return out.getvalue()


PACK_CSV = re.compile(r"\d\d-[a-z0-9-]+\.csv")


def write_csv_dir(pack: Pack, folder: Path) -> list[Path]:
    """One CSV per sheet, UTF-8 with a BOM (so Excel reads it as UTF-8), dates ISO, totals as values.
    The folder is replaced whole, so a crash leaves the old month's set or the new one, never a mix
    (and a sheet gone from the pack leaves no stale CSV); it must hold nothing but a pack's CSVs."""
    written = []
    with replacing_folder(folder, belongs=lambda entry: PACK_CSV.fullmatch(entry.name) is not None) as temporary:
        for number, sheet in enumerate(pack.sheets, start=1):
            name = f"{number:02d}-{sheet.name.lower().replace(' ', '-')}.csv"
            written.append(folder / name)
            with (temporary / name).open("w", encoding="utf-8-sig", newline="") as out:
                _write_csv(out, sheet)
    return written


def _write_csv(out, sheet: Sheet) -> None:
    writer = csv.writer(out)
    for index, block in enumerate(sheet.blocks):
        _row_totals(block)
        if index:
            writer.writerow([])
        if block.title:
            writer.writerow([block.title])
        writer.writerow(block.header)
        write_csv_rows(writer, block.rows)
        if block.total_label:
            writer.writerow([csv_cell(v) for v in _total_row(block)])
