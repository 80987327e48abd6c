"""Device exports of a remote-monitoring tool (NinjaOne, Datto RMM, N-able, or the plain CSV): each device with
its organisation, kind and when it was last seen, read whole or refused with the line and what to fix."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from ingest.devices.layouts import LAYOUTS, NOT_BILLABLE, Layout, device_kind
from models.names import name_key

MOST_DEVICES = 1_000_000  # an export larger than this is not a device list


class ExportError(ValueError):
    """The export cannot be read; the message names the file, the line and what to do."""


@dataclass(frozen=True)
class Device:
    line: int                 # the line (row) of the file it is on, the header being line 1
    organisation: str         # as the tool names it: text, never markup
    device: str
    device_type: str          # as the tool says it
    kind: str                 # server | desktop | other (layouts.device_kind)
    last_seen: datetime | None
    billable: bool            # False: in Datto's _NotBillable_ group or site


@dataclass(frozen=True)
class DeviceExport:
    layout: str
    devices: list[Device]     # one per device of an organisation: a device listed twice is kept once
    notes: list[str]          # duplicates dropped, names in two organisations, devices not billable


def read_export(path: Path) -> DeviceExport:
    """Read an export (CSV, or Excel .xlsx: its first sheet), telling its layout from its header row."""
    rows = _rows(path)
    header = next(rows, None)
    if header is None:
        raise ExportError(f"{path}: the file is empty; export the device list again")
    header = [str(h).strip() if h is not None else "" for h in header]
    layout, columns = _layout(path, header)
    groups = layout.group_columns(header)
    devices: list[Device] = []
    for line, row in enumerate(rows, start=2):
        if line > MOST_DEVICES:
            raise ExportError(f"{path}: more than {MOST_DEVICES:,} rows; this is not a device list")
        cells = [_text(v) for v in row]
        if not any(cells):
            continue
        value = {f: cells[at] if at < len(cells) else "" for f, at in columns.items()}
        if not value["organisation"] or not value["device"]:
            raise ExportError(f"{path}: line {line} has no {'organisation' if not value['organisation'] else 'device'} "
                              "name; fill it in or remove the line")
        in_groups = " ".join(cells[i] for i in groups if i < len(cells))
        billable = NOT_BILLABLE.casefold() not in f"{value['organisation']} {in_groups}".casefold()
        devices.append(Device(line, value["organisation"], value["device"], value["kind"], device_kind(value["kind"]),
                              _last_seen(path, line, row[columns["last_seen"]] if columns["last_seen"] < len(row)
                                         else None), billable))
    kept, notes = _once_each(devices)
    return DeviceExport(layout.name, kept, notes)


def _layout(path: Path, header: list[str]) -> tuple[Layout, dict[str, int]]:
    for layout in LAYOUTS:
        columns = layout.columns(header)
        if columns is not None:
            return layout, columns
    expected = "; ".join(f"{layout.name}: {layout.expected()}" for layout in LAYOUTS)
    raise ExportError(f"{path}: the columns {', '.join(repr(h) for h in header if h)} are not a device export we "
                      f"know. Expected one of these column sets: {expected}. Export the device list with those "
                      "columns, or write it as the plain CSV (client,device,kind,last_seen)")


def _once_each(devices: list[Device]) -> tuple[list[Device], list[str]]:
    """A device listed twice in one organisation is counted once, the row seen last kept. The same name in two
    organisations is two devices (DC01 at two clients is two machines): each is counted, and said."""
    kept: dict[tuple[str, str], Device] = {}
    notes: list[str] = []
    for d in devices:
        key = (name_key(d.organisation), name_key(d.device))
        if key in kept:
            first = kept[key]
            newer = d if (d.last_seen or datetime.min) > (first.last_seen or datetime.min) else first
            notes.append(f"{d.device!r} is listed twice in {d.organisation!r} (lines {first.line} and {d.line}): "
                         f"counted once, as on line {newer.line}")
            kept[key] = newer
        else:
            kept[key] = d
    organisations: dict[str, set[str]] = {}
    for d in kept.values():
        organisations.setdefault(name_key(d.device), set()).add(d.organisation)
    for d in kept.values():
        if len(organisations[name_key(d.device)]) > 1 and d.organisation == min(organisations[name_key(d.device)]):
            notes.append(f"{d.device!r} is in {len(organisations[name_key(d.device)])} organisations "
                         f"({', '.join(sorted(organisations[name_key(d.device)]))}): counted in each")
    not_billable = sum(not d.billable for d in kept.values())
    if not_billable:
        notes.append(f"{not_billable} device(s) in {NOT_BILLABLE}: listed, not counted")
    return sorted(kept.values(), key=lambda d: d.line), notes


def _rows(path: Path) -> Iterator[list[Any]]:
    try:
        if path.suffix.lower() == ".xlsx":
            return _sheet_rows(path)
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not UTF-8 text; export the device list as CSV (UTF-8) or Excel .xlsx") from None
    except OSError as err:
        raise ExportError(f"{path}: cannot be read ({err.strerror or err})") from None
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return iter(list(csv.reader(io.StringIO(text), dialect)))


def _sheet_rows(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile, KeyError or its own errors for a file that is not a workbook
        raise ExportError(f"{path}: not an Excel .xlsx workbook ({type(err).__name__}); save it as .xlsx or CSV") from None
    try:
        sheet = book.worksheets[0]
        return iter([list(row) for row in sheet.iter_rows(values_only=True)])
    finally:
        book.close()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# How the consoles write a moment besides ISO (the plain CSV, NinjaOne's API): US month/day/year
_FORMATS = ("%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p")


def _last_seen(path: Path, line: int, value: Any) -> datetime | None:
    """When the device was last seen; empty is unknown (the device still counts). A date that cannot be read
    refuses the file: a misread month would move a device's last contact by months."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ExportError(f"{path}: line {line}: last seen {text!r} is not a date; write it as YYYY-MM-DD (a time "
                      "may follow) or MM/DD/YYYY, or leave it empty")
