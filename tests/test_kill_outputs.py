"""Every file a command writes, killed with SIGKILL while it writes: `export month-end` (the workbook and
its CSV folder) and the weekly PDF. The command runs again on changed data (another month, another week)
and is killed once at every step it takes on the disk (paused just after it, so no step can be missed by
luck and a file just opened to be written is seen as the opening left it: emptied), and at spread-out
moments; each such run is forked from a process that has imported what the command imports
(tests/paused_runs.py). After each kill every output is the old one, byte for byte, or the new one complete;
never empty, torn or a mix of old and new CSVs. A later run clears what a killed one left behind."""
from __future__ import annotations

import csv
import io
import random
import signal
import time
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.helpers import cli
from tests.paused_runs import PausedRuns

pytestmark = pytest.mark.long


def workbook(path: Path) -> dict:
    book = load_workbook(io.BytesIO(path.read_bytes()))  # a torn workbook does not open
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def csv_folder(path: Path) -> dict:
    found = {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    for name, data in found.items():
        assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n"), f"{name} is torn or empty"
        list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return found


def pdf(path: Path) -> str:
    data = path.read_bytes()
    assert data.rstrip().endswith(b"%%EOF"), "the PDF is torn or empty"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data), strict=True).pages)


def contents(path: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in ([path] if path.is_file() else sorted(path.iterdir()))}


class Outputs:
    """What one command writes (files and folders, each with how it is read) for each of two inputs
    (months or weeks), and which input each output on disk was made from."""

    def __init__(self, out: Path, command, parts: dict[str, Callable[[Path], object]], inputs: tuple[str, str],
                 imports: tuple[str, ...]):
        self.out, self.command, self.parts, self.imports = out, command, parts, imports
        self.references = {key: self.read(self.command(key, out.with_name(f"reference-{key}"))) for key in inputs}

    def read(self, arguments: list) -> dict:
        assert cli(*arguments) in (0, 1)
        folder = Path(arguments[arguments.index("--out") + 1]).parent
        return {name: read(folder / name) for name, read in self.parts.items()}

    def arguments(self, key: str) -> list[str]:
        return [str(a) for a in self.command(key, self.out)]

    def before(self) -> dict:
        return {"made from": self.holds(), "bytes": {name: contents(self.out / name) for name in self.parts}}

    def holds(self, before: dict | None = None) -> dict[str, str]:
        """The input each output on disk was made from, each whole: the old one byte for byte, or the
        new one reading completely as an uninterrupted run writes it (the workbook may be new while
        the CSVs are still old, never a mix of CSVs)."""
        found = {}
        for name, read in self.parts.items():
            value = read(self.out / name)
            keys = [key for key, reference in self.references.items() if reference[name] == value]
            assert keys, f"{name} is not what a whole run writes: {self.sizes()}"
            if before and contents(self.out / name) != before["bytes"][name]:
                assert keys[0] != before["made from"][name], f"the old {name} changed without being replaced"
            found[name] = keys[0]
        return found

    def sizes(self) -> dict[str, int]:
        return {str(p.relative_to(self.out)): p.stat().st_size for p in sorted(self.out.rglob("*")) if p.is_file()}

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.out.iterdir() if p.name not in self.parts)


@pytest.fixture
def warehouse(demo_builds) -> Path:
    """The shared small demo company (3 clients, a year): the commands killed here only read it, and write where
    they are told. What is killed is the writing, whose steps are the same for any company: a bigger one only
    makes each of the dozens of runs longer."""
    return demo_builds(3, 1)


def month_end(db: Path, out: Path) -> Outputs:
    return Outputs(out, lambda month, folder: ["export", "month-end", "--month", month, "--out", folder / "book.xlsx",
                                               "--csv-dir", folder / "csv", "--db", db],
                   {"book.xlsx": workbook, "csv": csv_folder}, ("2026-10", "2026-09"),
                   ("models.figures.month_end", "models.documents.month_end_workbook"))


def weekly(db: Path, out: Path) -> Outputs:
    return Outputs(out, lambda week, folder: ["weekly", "--week", week, "--out", folder / "week.pdf", "--db", db],
                   {"week.pdf": pdf}, ("2026-11-16", "2026-11-09"), ("models.documents.weekly",))


def next_input(outputs: Outputs) -> str:
    """The input the first output on disk was not made from: the next run changes it."""
    made_from = outputs.holds()[next(iter(outputs.parts))]
    return next(key for key in outputs.references if key != made_from)


def completely(outputs: Outputs, runs: PausedRuns, key: str) -> None:
    """A whole run, left to itself: every output is then the one made from `key`."""
    assert runs.run(outputs.arguments(key)) in (0, 1)
    assert outputs.holds() == dict.fromkeys(outputs.parts, key), "a whole run left an output it did not replace"


def killed_at_every_step(outputs: Outputs, runs: PausedRuns) -> tuple[int, float]:
    """Kill a run at each of its steps on the disk in turn; returns how many steps a run takes, and how long the
    last run took: asked to stop at one step more than it takes, it ran whole."""
    step = 1
    while True:
        before = outputs.before()
        started = time.perf_counter()
        if runs.paused(outputs.arguments(next_input(outputs)), outputs.out, step) is None:
            whole_run = time.perf_counter() - started
            outputs.holds(before)
            return step - 1, whole_run
        halfway = outputs.holds(before)  # as a reader sees it while the run is stopped there
        runs.kill()
        assert outputs.holds(before) == halfway
        step += 1


def killed_at_spread_moments(outputs: Outputs, runs: PausedRuns, whole_run: float, kills: int, seed: int) -> None:
    """Kill runs at moments spread at random over the last 70% of a whole run's time (`whole_run` seconds, as the
    last run of killed_at_every_step took; the writing is at its end), until `kills` runs were killed while running."""
    rng, killed, tried = random.Random(seed), 0, 0
    while killed < kills:
        tried += 1
        assert tried <= 3 * kills, f"only {killed} of {tried} runs were still running when killed"
        before = outputs.before()
        if runs.run(outputs.arguments(next_input(outputs)), kill_after=whole_run * rng.uniform(0.3, 1.0)) \
                == -signal.SIGKILL:
            killed += 1
        else:  # it finished first: runs are quicker now than the one measured (a busy machine)
            whole_run *= 0.9
        outputs.holds(before)


@pytest.mark.parametrize("command", [month_end, weekly], ids=["export month-end", "weekly"])
def test_killed_while_writing_leaves_the_old_output_or_the_new_one_whole(warehouse, tmp_path, command):
    outputs = command(warehouse, tmp_path / "out")
    with PausedRuns(outputs.imports) as runs:
        completely(outputs, runs, next(iter(outputs.references)))
        steps, whole_run = killed_at_every_step(outputs, runs)
        assert steps >= 3, f"a run took {steps} steps on the disk: the pauses did not see it write"
        # every step was killed above; a few moments besides
        killed_at_spread_moments(outputs, runs, whole_run, kills=5, seed=20261122)
        completely(outputs, runs, next_input(outputs))
    assert outputs.leftovers() == [], "what killed runs wrote half is never cleared"


def test_a_csv_folder_holding_other_files_is_never_replaced(warehouse, tmp_path, capsys):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "notes.txt").write_text("the accountant's")
    assert cli("export", "month-end", "--month", "2026-10", "--out", tmp_path / "book.xlsx", "--csv-dir", folder,
               "--db", warehouse) == 1
    assert "holds notes.txt, which was not written there by this command" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
