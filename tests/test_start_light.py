"""The command line starts light (DECISIONS.md, "Starting light"): `--help` loads none of the heavy libraries,
and a report none of the connectors nor pandas and pyarrow. Checked by what a command adds to a bare
Python's sys.modules in a child process (not by timing it)."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

import cli as command_line
from models.figures.formatting import column_text, plain_text
from models.figures.reports import REPORTS, Result, render
from tests.helpers import PROJECT, UNTIL
from tests.qbo_helpers import REALM, raw

# What the command adds to the modules a bare Python starts with (intuit-oauth's .pth file puts an empty
# `intuitlib` namespace there before any of our code runs), printed as the last line.
PROBE = """
import json, sys
at_start = set(sys.modules)
from cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
print()
print(json.dumps({"code": code, "added": sorted(set(sys.modules) - at_start)}))
"""

# The libraries that cost --help its time and memory (issue 25: 455 ms where a bare Python takes 18 ms)
HEAVY = ("pandas", "pyarrow", "numpy", "duckdb", "streamlit", "altair", "reportlab", "openpyxl", "quickbooks",
         "intuitlib", "requests")
# What a report never needs: the connectors (the QuickBooks client, the demo generator), the data frames, and
# what only writes the settings (tomlkit; reading them is tomllib's)
NOT_FOR_A_REPORT = ("pandas", "pyarrow", "numpy", "streamlit", "quickbooks", "intuitlib", "requests", "ingest",
                    "services", "tomlkit")
# What a report that names no client, reads no what-if and whose settings are right does not run
NOT_FOR_REPORT_MRR = ("difflib", "models.figures.scenario_changes")
# What the everyday sync never needs: the data frames, Arrow, which storing records used to go through, and numpy,
# which DuckDB imports for any Python function registered with it (name_key's keys are looked up instead:
# models/warehouse/name_keys.py)
NOT_FOR_A_SYNC = ("pandas", "pyarrow", "numpy", "streamlit", "altair", "reportlab", "openpyxl")
# What a sync whose access token is still valid never runs: intuit-oauth's client, with PyJWT and cryptography
# (~40 ms, ~10 MB), and connecting (its own module); a refresh imports them
NOT_WITH_A_VALID_TOKEN = ("intuitlib.client", "jwt", "cryptography", "ingest.qbo.connect")
# What only writes: the settings' and rules' writer, and the rename's renameat2 (a report loads ctypes with DuckDB)
WRITERS_ONLY = ("tomlkit", "ctypes")


def imported_by(*argv: str, modules: bool = False) -> tuple[int, set[str]]:
    """The exit code of `msp-revenue ARGV...` and the top-level packages it imported (or, `modules`, every module)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=PROJECT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    probed = json.loads(done.stdout.splitlines()[-1])
    return probed["code"], set(probed["added"]) if modules else {name.split(".")[0] for name in probed["added"]}


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"], ["report", "mrr", "--help"],
                                  ["load", "--help"], ["sync", "--help"]])
def test_help_loads_no_heavy_library(argv):
    code, added = imported_by(*argv)
    assert code == 0
    assert added & set(HEAVY + WRITERS_ONLY) == set()


# The threads of the process once the command line and numpy are imported, in a child with the environment's own
# OpenBLAS setting removed (as an owner's shell has none)
THREADS = """
import os
import cli, numpy  # noqa: F401
print(len(os.listdir("/proc/self/task")))
"""


@pytest.mark.parametrize("entry", ["cli", "dashboards.server"])
def test_numpy_starts_no_openblas_threads_under_the_command_line_or_the_app(entry):
    """numpy's OpenBLAS starts a thread per core as it is imported (~30 ms of CPU the everyday sync spends while it
    waits on QuickBooks): the command line and the app's server keep it to the one thread they have."""
    env = {name: value for name, value in os.environ.items() if name != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", THREADS.replace("import cli,", f"import {entry},")], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1"]


def test_a_report_makes_its_own_parser_alone():
    """Each report's parser is made when it is chosen (26 of them with their options were two thirds of the
    parser's making); `report --help` lists them all without making one."""
    parser = command_line.build_parser()
    parser.parse_args(["report", "mrr", "--as-of", UNTIL])
    reports = parser._subparsers._group_actions[0].choices["report"]._subparsers._group_actions[0].choices
    assert [name for name, made in dict.items(reports) if isinstance(made, argparse.ArgumentParser)] == ["mrr"]
    assert len(reports) == len(REPORTS) > 1


def test_a_report_loads_duckdb_but_no_connector_nor_data_frames(demo_copy):
    db = demo_copy(3, 1)
    code, added = imported_by("report", "mrr", "--as-of", UNTIL, "--db", str(db), modules=True)
    assert code == 0
    assert "duckdb" in added  # the probe sees what a command imports inside its handler
    assert {name.split(".")[0] for name in added} & set(NOT_FOR_A_REPORT) == set()
    assert added & set(NOT_FOR_REPORT_MRR) == set()


def test_the_everyday_sync_stores_and_builds_without_arrow_nor_data_frames(synced, connected_qbo):
    """`msp-revenue sync` after a day's edit: the record is stored (the writer hands DuckDB Python lists) and the
    build publishes, and neither pyarrow (~25 MB with the numpy it loaded), pandas nor the demo's generator is loaded
    (issue 25, the 150 MB goal)."""
    company = connected_qbo.company(REALM)
    invoice = company.records["Invoice"][min(company.records["Invoice"], key=int)]
    company.upsert("Invoice", {**invoice, "PrivateNote": "edited today"})
    code, added = imported_by("sync", "--db", str(synced), modules=True)
    assert code == 0
    assert {"services", "duckdb", "quickbooks"} <= added  # the probe saw the sync's own imports
    assert {name.split(".")[0] for name in added} & set(NOT_FOR_A_SYNC) == set()
    assert "ingest.demo.company" not in added  # the demo's generator: a sync only names the demo realm
    assert added & set(NOT_WITH_A_VALID_TOKEN) == set() and not any(name.startswith(("jwt.", "cryptography."))
                                                                    for name in added)
    con = duckdb.connect(str(synced), read_only=True)
    try:
        assert con.execute("select payload like '%edited today%' from raw.invoices where id = ?",
                           [invoice["Id"]]).fetchone() == (True,)
    finally:
        con.close()


def test_a_readable_error_is_caught_without_loading_the_connectors(tmp_path):
    """The errors main() prints as one line are caught by name, from the modules already imported."""
    code, added = imported_by("report", "mrr", "--db", str(tmp_path / "nowhere" / "warehouse.duckdb"))
    assert code == 1  # the snapshot is missing: a line saying so, not a traceback
    assert added & {"services", "ingest", "pandas", "pyarrow"} == set()


# Whether DuckDB was imported as each data request of the command went out, printed as the last line
FIRST_REQUESTS_PROBE = """
import json, sys
from ingest.qbo.client import QboClient
duckdb_loaded = []
def noted(self, *args, send=QboClient.process_request, **kwargs):
    duckdb_loaded.append("duckdb" in sys.modules)
    return send(self, *args, **kwargs)
QboClient.process_request = noted
from cli import main
code = main(sys.argv[1:])
print()
print(json.dumps({"code": code, "duckdb_loaded": duckdb_loaded}))
"""


def test_the_everyday_sync_sends_its_first_requests_before_importing_duckdb(synced, connected_qbo):
    """The first requests the last sync left beside the warehouse go out before DuckDB (~40-60 ms) is imported and
    the work database opened (ingest/qbo/ahead.py, issue 25): the path from the command line to them imports no
    module that imports DuckDB at its top."""
    company = connected_qbo.company(REALM)
    invoice = company.records["Invoice"][min(company.records["Invoice"], key=int)]
    company.upsert("Invoice", {**invoice, "PrivateNote": "edited today"})
    connected_qbo.faults.latency = 0.1  # the sync goes on once its requests are written, or one is answered
    done = subprocess.run([sys.executable, "-c", FIRST_REQUESTS_PROBE, "sync", "--db", str(synced)], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    probed = json.loads(done.stdout.splitlines()[-1])
    assert probed["code"] == 0
    assert probed["duckdb_loaded"][:3] == [False] * 3 and all(probed["duckdb_loaded"][3:])


def test_an_everyday_sync_loads_no_data_frames(synced, connected_qbo):
    """A sync stores the day's records through DuckDB's own lists: pyarrow makes an array from Python values only
    after importing pandas, ~0.3 s of CPU a nightly sync paid for a few records (issue 25)."""
    company = connected_qbo.company(REALM)
    invoice = max(company.records["Invoice"].values(), key=lambda record: int(record["Id"]))
    company.upsert("Invoice", {**invoice, "PrivateNote": "edited today"})
    code, added = imported_by("sync", "--db", str(synced))
    assert code == 0
    assert raw(synced, "select count(*) from raw.invoices where payload like '%edited today%'") == [(1,)]
    assert added & {"pandas", "pyarrow", "numpy"} == set()


def test_every_readable_error_names_an_exception():
    named = [name for names in command_line.READABLE_ERRORS.values() for name in names]
    errors = command_line.readable_errors(loaded=False)
    assert [error.__name__ for error in errors] == named
    assert all(issubclass(error, Exception) for error in errors)


@pytest.mark.parametrize("values", [
    ["Acme", "=cmd", ""], [1, -2, True], [Decimal("1.50"), None, Decimal("-0.00")], [date(2026, 11, 1), None],
    [date(2026, 11, 1), date(2026, 12, 1)], [datetime(2026, 11, 1, 7, 30)], [date(2026, 11, 1), datetime(2026, 1, 2)],
    [["a", "b"], None, []], [1.5, None, "x"], [],
])
def test_a_column_at_once_reads_as_each_value_alone(values):
    """`report` prints a table a column at a time (most of `report mrr`'s time was a call per value)."""
    assert column_text(values) == [plain_text(v) for v in values]


def test_a_table_pads_each_column_to_its_widest_and_trims_the_line():
    result = Result(["month", "customer", "mrr"], [(date(2026, 11, 1), "Acme Corporation", Decimal("12.50")),
                                                   (date(2026, 12, 1), None, None)])
    assert render(result, "table") == ("month       customer          mrr\n"
                                       "----------  ----------------  -----\n"
                                       "2026-11-01  Acme Corporation  12.50\n"
                                       "2026-12-01\n")
    assert render(Result(["month", "mrr"], []), "table") == "month  mrr\n-----  ---\n"
