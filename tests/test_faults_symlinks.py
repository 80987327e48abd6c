"""Outputs given as symbolic links (a shared copy for the accountant): `export --out`, `--csv-dir` and `weekly
--out` write through to what the link points to and keep the link; "wrote" is never said of a stale target."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.helpers import UNTIL, cli


@pytest.fixture(scope="module")
def demo_db(demo_copies):
    return demo_copies("links", 3, 1)


def link(at: Path, to: Path) -> Path:
    at.symlink_to(to)
    return at


def leftovers(*folders: Path) -> list[str]:
    return sorted(entry.name for folder in folders for entry in folder.iterdir() if entry.name.startswith("."))


def test_export_writes_through_a_linked_workbook_and_a_linked_csv_folder(demo_db, tmp_path):
    shared, mine = tmp_path / "accountant", tmp_path / "mine"
    shared.mkdir(), mine.mkdir()
    (shared / "book.xlsx").write_text("last month's workbook")
    (shared / "csv").mkdir()
    (shared / "csv" / "01-summary.csv").write_text("last month's summary")
    book, csv_dir = link(mine / "book.xlsx", shared / "book.xlsx"), link(mine / "csv", shared / "csv")
    assert cli("export", "month-end", "--month", "2026-10", "--out", book, "--csv-dir", csv_dir, "--db", demo_db) == 0
    assert book.is_symlink() and csv_dir.is_symlink()
    assert zipfile.is_zipfile(shared / "book.xlsx")
    assert "2026" in (shared / "csv" / "01-summary.csv").read_text(encoding="utf-8-sig")
    assert len(list((shared / "csv").glob("*.csv"))) > 3
    assert leftovers(shared, mine) == []


def test_weekly_writes_through_a_linked_pdf(demo_db, tmp_path, capsys):
    target = tmp_path / "accountant" / "weekly.pdf"
    target.parent.mkdir()
    target.write_text("last week's summary")
    out = link(tmp_path / "weekly.pdf", target)
    assert cli("weekly", "--week", UNTIL, "--out", out, "--db", demo_db) == 0
    assert out.is_symlink() and target.read_bytes().startswith(b"%PDF")
    assert "wrote" in capsys.readouterr().err
    assert leftovers(tmp_path, target.parent) == []


def test_a_chain_of_links_is_followed_to_the_end(tmp_path):
    from models.files import write_atomically

    target = tmp_path / "target.txt"
    target.write_text("old")
    first = link(tmp_path / "first", link(tmp_path / "second", target))
    write_atomically(first, "new")
    assert first.is_symlink() and (tmp_path / "second").is_symlink() and target.read_text() == "new"
