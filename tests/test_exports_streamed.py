"""A report's CSV is written as DuckDB hands its rows over, a batch at a time, to standard output or to
`--out FILE`: byte for byte the CSV the whole result made (names that would start a formula neutralised,
money as its exact decimal text), and a report that fails on the way leaves no part of a file."""
from __future__ import annotations

import csv
import errno
import io
import subprocess
from datetime import date

import pytest

from models.documents import exports
from models.figures import drilldown, reports
from models.figures.formatting import csv_cell
from models.settings import settings
from tests.companies import Company
from tests.helpers import AS_OF, MSP_REVENUE, cli, snapshot

CASES = {
    "revenue-lines": ("revenue-lines", reports.Options(as_of=AS_OF), []),
    "mrr": ("mrr", reports.Options(as_of=AS_OF), ["--as-of", AS_OF.isoformat()]),
    "roll-forward": ("prepayments", reports.Options(as_of=AS_OF, roll_forward=date(2026, 10, 1)),
                     ["--roll-forward", "2026-10"]),
    "12 months of lines": ("lines", drilldown.options(drilldown.twelve_months(AS_OF, None), AS_OF),
                           ["--from", "2025-11-01", "--to", "2026-10-31", "--as-of", AS_OF.isoformat()]),
}


def whole_csv(db, name: str, options: reports.Options) -> bytes:
    """The CSV as it was made before it streamed: every row fetched, then the whole text."""
    owner = settings.load(settings.settings_path(db))
    con = snapshot(db)
    try:
        result = reports.run(con, name, options, owner)
    finally:
        con.close()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([[csv_cell(v) for v in row] for row in result.rows])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def small_batches(monkeypatch):
    """A row a batch, so that every report here streams in several."""
    monkeypatch.setattr(reports, "STREAM_BATCH", 1)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_streamed_csv_is_the_whole_results(case, demo_db, small_batches, tmp_path, capsysbinary):
    name, options, flags = CASES[case]
    expected = whole_csv(demo_db, name, options)
    assert expected.count(b"\n") > 2, "too few rows to stream in several batches"
    out = tmp_path / "report.csv"
    assert cli("report", name, *flags, "--format", "csv", "--out", out, "--db", demo_db) == 0
    assert out.read_bytes() == expected
    assert out.stat().st_mode & 0o777 == 0o600  # the company's books, as every file msp-revenue writes
    capsysbinary.readouterr()
    assert cli("report", name, *flags, "--format", "csv", "--db", demo_db) == 0
    assert capsysbinary.readouterr().out == expected


NAMES = {"10": '=HYPERLINK("http://attacker.example","Pay here")', "11": "+1-555-0100 Dental",
         "12": "@SUM(A1:A9)", "13": "-2+3 Ortho", "14": "Plain Dental"}


def test_names_stay_text_and_money_exact_when_streamed(db, small_batches, tmp_path):
    company = Company()
    for customer_id, name in NAMES.items():
        company.customer(customer_id, name)
        company.invoice(customer_id, "2026-10-05", ("hourly", "100.10"), ("hourly", "-0.50"), due="2026-10-25")
    company.load(db)
    out = tmp_path / "lines.csv"
    assert cli("report", "revenue-lines", "--format", "csv", "--out", out, "--db", db) == 0
    assert out.read_bytes() == whole_csv(db, "revenue-lines", reports.Options(as_of=AS_OF))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["customer"] for r in rows} == {"'" + NAMES["10"], "'+1-555-0100 Dental", "'@SUM(A1:A9)",
                                             "'-2+3 Ortho", "Plain Dental"}
    assert sorted({r["amount"] for r in rows}) == ["-0.50", "100.10"]  # a negative amount is a number, not a formula


def test_a_report_that_fails_on_the_way_leaves_the_file_as_it_was(demo_db, tmp_path, monkeypatch, capsys):
    written = reports.write_csv

    def disk_full_after_a_batch(out, columns, batches):
        written(out, columns, [next(iter(batches))])
        out.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports, "write_csv", disk_full_after_a_batch)
    out = tmp_path / "exports" / "revenue-lines.csv"
    out.parent.mkdir()
    out.write_text("last month's export\n")
    assert cli("report", "revenue-lines", "--format", "csv", "--out", out, "--db", demo_db) == 1
    assert "No space" not in capsys.readouterr().out
    assert [p.name for p in out.parent.iterdir()] == ["revenue-lines.csv"]  # no part of a file beside it
    assert out.read_text() == "last month's export\n"
    assert cli("report", "revenue-lines", "--format", "csv", "--out", out.with_name("new.csv"), "--db", demo_db) == 1
    assert [p.name for p in out.parent.iterdir()] == ["revenue-lines.csv"]


def frame_csv(frame, columns) -> bytes:
    """A table's download as it was made before its rows were written as they are read: every row a list, then
    the whole text, then its bytes."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([exports.header(c) for c in columns])
    writer.writerows([[csv_cell(v) for v in row] for row in list(exports.rows(frame, columns))])
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_tables_download_is_the_frames_csv(case, demo_db):
    name, options, _ = CASES[case]
    owner = settings.load(settings.settings_path(demo_db))
    con = snapshot(demo_db)
    try:
        frame = reports.run(con, name, options, owner).frame()
    finally:
        con.close()
    names = list(NAMES.values())
    frame[frame.columns[1]] = [names[i % len(names)] for i in range(len(frame))]  # names that would be formulas
    columns = exports.exportable(frame, list(frame.columns))
    data = exports.csv_bytes(frame, columns)
    assert data == frame_csv(frame, columns)
    assert data.startswith("\ufeff".encode()) and b"'=HYPERLINK" in data and b",'+1-555-0100 Dental," in data


def test_a_reader_that_stops_reading_ends_the_report_without_a_traceback(demo_db):
    """`report revenue-lines --format csv | head -1`: the rows left unread are the reader's choice, not a fault."""
    command = subprocess.Popen([MSP_REVENUE, "report", "revenue-lines", "--format", "csv", "--db", str(demo_db)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert command.stdout.readline().startswith(b"realm_id,")
    command.stdout.close()  # far more rows than a pipe holds are still to come
    assert command.wait(timeout=120) == 141
    assert command.stderr.read() == b""
