"""The command line: every command documented and with --help; reports in the promised shape."""
from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from cli import build_parser
from tests.helpers import PROJECT, cli, run_cli_process
from tests.recorded import SANDBOX_JSONL

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_the_commands_are_the_ones_we_document():
    assert COMMANDS == ["app", "build", "connect", "demo", "disconnect", "export", "jobs", "load", "load-devices", "report", "status",
                        "sync", "tiers", "weekly", "whatif"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_is_in_the_readme(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(command, "--help")
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "--db PATH" in text and "MSP_REVENUE_DB" in text
    readme = (PROJECT / "README.md").read_text()
    assert re.search(rf"`msp-revenue {command}\b", readme), f"README.md does not document `msp-revenue {command}`"


@pytest.mark.parametrize("name", sorted(__import__("models.figures.reports", fromlist=["REPORTS"]).REPORTS))
def test_every_report_is_in_the_readme(name):
    assert f"| `{name}` |" in (PROJECT / "README.md").read_text(), f"README.md does not describe report {name}"


@pytest.fixture(scope="module")
def sandbox_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "w.duckdb"
    assert cli("load", SANDBOX_JSONL, "--db", db) == 0
    return db


def test_revenue_lines_csv_has_the_promised_columns(sandbox_db, capsys):
    capsys.readouterr()
    assert cli("report", "revenue-lines", "--format", "csv", "--db", sandbox_db) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    for column in ("document_type", "document_id", "doc_number", "txn_date", "customer_id", "customer",
                   "item", "category", "rule", "amount"):
        assert column in rows[0]
    assert len(rows) == 22
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("4256.50")  # the 11 documents: TotalAmt less tax, signed


def test_revenue_by_category_csv(sandbox_db, capsys):
    capsys.readouterr()
    assert cli("report", "revenue-by-category", "--format", "csv", "--db", sandbox_db) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "month,category,amount"
    assert "2023-02-01,unmapped," in out
    assert sum(Decimal(line.split(",")[2]) for line in out.splitlines()[1:]) == Decimal("4256.50")  # the 11 documents: TotalAmt less tax, signed


def test_json_and_table_formats(sandbox_db, capsys):
    capsys.readouterr()
    assert cli("report", "revenue-by-category", "--format", "json", "--db", sandbox_db) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"month", "category", "amount"} == set(records[0]) and isinstance(records[0]["amount"], str)
    assert cli("report", "revenue-by-category", "--db", sandbox_db) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("----------")


def test_environment_variable_chooses_the_warehouse(sandbox_db):
    result = run_cli_process("report", "revenue-by-category", "--format", "csv", env={"MSP_REVENUE_DB": str(sandbox_db)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "month,category,amount\n2022-12-01,unmapped,365.00\n2023-01-01,unmapped,225.00\n2023-02-01,unmapped,3666.50\n"


def test_a_missing_warehouse_says_what_to_do(tmp_path):
    result = run_cli_process("report", "revenue-lines", "--db", tmp_path / "none.duckdb")
    assert result.returncode == 1
    assert "run `./msp-revenue demo`" in result.stderr and "Traceback" not in result.stderr
