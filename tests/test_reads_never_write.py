"""Reads never write: a report, the status, a quote, a printout, the month-end workbook (written elsewhere)
and the jobs' list leave the warehouse's folder as they found it — no settings file made from the defaults,
no record of one kept, nothing touched."""
from __future__ import annotations

from pathlib import Path

import pytest

from models.figures.reports import REPORTS
from tests.helpers import UNTIL, cli

READS = [
    *(["report", name] for name in REPORTS),
    ["status"],
    ["tiers", "--servers", "1", "--desktops", "10"],
    ["weekly", "--week", UNTIL, "--out", "{out}/week.pdf"],
    ["export", "month-end", "--month", "2026-10", "--out", "{out}/october.xlsx", "--csv-dir", "{out}/october"],
    ["jobs", "list"],
]

# how the folder holds the owner's settings before the reads
FOLDERS = {
    "never had a settings file": (".settings.toml.kept", "settings.toml"),
    "a settings file from before the record of it": (".settings.toml.kept",),
}


@pytest.fixture(scope="module")
def demo(demo_copies) -> Path:
    return demo_copies("reads", 3, 1)


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_reads_leave_the_warehouse_folder_as_they_found_it(demo, folder, tmp_path, capsys):
    for name in FOLDERS[folder]:
        (demo.parent / name).unlink(missing_ok=True)
    before = listing(demo.parent)
    for argv in READS:
        assert cli(*[part.format(out=tmp_path) for part in argv], "--db", demo) == 0, argv
        assert listing(demo.parent) == before, f"{' '.join(argv)} wrote to the warehouse's folder"
    capsys.readouterr()
