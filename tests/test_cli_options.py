"""The command line does what it is told or says why not: --db before or after the command names the
warehouse, a build that fails a check fails the load, a report refuses options it does not take, and
--client and dates say what is wrong with them."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pytest

from cli import build_parser
from models.figures.reports import REPORTS, Options
from tests.builders import invoice, item_line
from tests.helpers import PROJECT, UNTIL, cli, copied_warehouse, write_json
from tests.qbo_helpers import REALM
from tests.recorded import SANDBOX_JSONL

# --- --db in either position -----------------------------------------------------------------------

POSITIONS = ("before the command", "after the command")


def named(db, position: str, *command) -> list:
    """The command line with --db in the usage line's place (before the command) or after it."""
    return ["--db", db, *command] if position == POSITIONS[0] else [*command, "--db", db]


def _listing(folder):
    return None if not folder.exists() else sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*"))


@pytest.fixture
def unnamed(tmp_path, monkeypatch):
    """The warehouse nobody named ($MSP_REVENUE_DB here, so the project's own stays out of reach):
    nothing may appear there, and the project's data folder stays as it was."""
    default = tmp_path / "unnamed" / "warehouse.duckdb"
    monkeypatch.setenv("MSP_REVENUE_DB", str(default))
    project_data = _listing(PROJECT / "data")
    yield default
    assert not default.parent.exists(), f"something was written to the warehouse nobody named: {_listing(default.parent)}"
    assert _listing(PROJECT / "data") == project_data


@pytest.mark.parametrize("position", POSITIONS)
def test_load_writes_the_warehouse_named(position, unnamed, tmp_path):
    db = tmp_path / "named" / "w.duckdb"
    assert cli(*named(db, position, "load", SANDBOX_JSONL)) == 0
    assert db.exists() and (db.parent / "w.snapshot.duckdb").exists()


@pytest.mark.parametrize("position", POSITIONS)
def test_demo_writes_the_warehouse_named(position, unnamed, tmp_path):
    db = tmp_path / "named" / "w.duckdb"
    assert cli(*named(db, position, "demo", "--clients", "3", "--years", "1", "--until", UNTIL)) == 0
    assert (db.parent / "w.snapshot.duckdb").exists() and (db.parent / "settings.toml").exists()


@pytest.mark.parametrize("position", POSITIONS)
def test_build_export_weekly_and_report_use_the_warehouse_named(position, unnamed, tmp_path, demo_builds, capsys):
    db = copied_warehouse(demo_builds(3, 1), tmp_path / "named")
    snapshot = db.parent / "w.snapshot.duckdb"
    built = snapshot.stat().st_mtime_ns
    assert cli(*named(db, position, "build")) == 0
    assert snapshot.stat().st_mtime_ns != built
    workbook, pdf = tmp_path / "october.xlsx", tmp_path / "week.pdf"
    assert cli(*named(db, position, "export", "month-end", "--month", "2026-10", "--out", workbook)) == 0
    assert workbook.stat().st_size > 0
    assert cli(*named(db, position, "weekly", "--week", "2026-11-16", "--out", pdf)) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert cli(*named(db, position, "report", "revenue-by-category", "--format", "csv")) == 0
    assert capsys.readouterr().out.startswith("month,category,amount\n")


@pytest.mark.parametrize("position", POSITIONS)
def test_connect_and_sync_use_the_warehouse_named(position, qbo, unpaced, unnamed, tmp_path):
    # unpaced as the stand-in is: the point is which warehouse the sync writes, not Intuit's limits
    db = tmp_path / "named" / "w.duckdb"
    token = qbo.issue_tokens(REALM)["refresh_token"]
    assert cli(*named(db, position, "connect", "--refresh-token", token, "--realm", REALM)) == 0
    assert (db.parent / "qbo-tokens.json").exists()
    assert cli(*named(db, position, "sync")) == 0
    assert (db.parent / "w.snapshot.duckdb").exists()


def test_the_usage_line_shows_db_before_the_command(capsys):
    with pytest.raises(SystemExit):
        cli("--help")
    assert re.search(r"usage: msp-revenue \[-h\] \[--db PATH\] COMMAND", capsys.readouterr().out)


# --- load fails when its build fails ---------------------------------------------------------------

def test_load_fails_when_the_build_it_runs_fails_a_check(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    total_not_its_lines = {"Invoice": [invoice("1", [item_line("100.00")], TotalAmt=Decimal("150.00"))]}
    assert cli("load", write_json(tmp_path / "invoices.json", total_not_its_lines), "--db", db) == 1
    err = capsys.readouterr().err
    assert "check revenue_lines_tie_out found 1 row(s)" in err
    assert "some input was not loaded" not in err  # the file loaded; the build is what failed
    assert cli("build", "--db", db) == 1


# --- report options --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    db = tmp_path_factory.mktemp("options") / "w.duckdb"
    assert cli("load", SANDBOX_JSONL, "--db", db) == 0
    assert cli("whatif", "save", "Raise", "--raise-tiers", "5", "--db", db) == 0  # what --scenario names
    return db


# an example of each report option: what a person types
EXAMPLES = {
    "--as-of": ["--as-of", "2023-02-28"], "--realm": ["--realm", "local"], "--by-month": ["--by-month"],
    "--no-rollup": ["--no-rollup"], "--client": ["--client", "3"], "--from": ["--from", "2023-01-01", "--to", "2023-02-28"],
    "--to": ["--from", "2023-01-01", "--to", "2023-02-28"], "--summary": ["--summary"], "--schedule": ["--schedule"],
    "--roll-forward": ["--roll-forward", "2023-02"], "--finance-charges": ["--finance-charges"],
    "--lines": ["--lines", "100,200"], "--kind": ["--kind", "mrr"], "--month": ["--month", "2023-02"],
    "--category": ["--category", "labor_hourly,labor_msa"], "--against": ["--against", "2023-01-01,2023-01-31"],
    "--account": ["--kind", "tie-out:difference", "--account", "Services"],
    "--overhead": ["--overhead"], "--costs": ["--costs"], "--months": ["--months", "3"],
    "--cash": ["--cash"], "--weeks": ["--weeks", "4"], "--basis": ["--basis", "cash"],
    "--scenario": ["--scenario", "Raise"],
}
# where a report reads an option only beside another: forecast cuts the cash forecast (--cash) by --weeks or
# --by-month (and refuses them without it: test_forecast); lines reads --scenario only with --kind scenario:COLUMN
TAKEN_WITH = {("forecast", "--weeks"): ["--cash"], ("forecast", "--by-month"): ["--cash"],
              ("lines", "--scenario"): ["--kind", "scenario:mrr"]}


@cache  # built from the registry alone, and only read here: once, not once a report for each of ~350 cases
def report_parsers() -> dict:
    """Each report's own parser (`report NAME`), as the command line builds it from the registry."""
    report = build_parser()._subparsers._group_actions[0].choices["report"]
    return report._subparsers._group_actions[0].choices


def flags_of(name: str) -> set[str]:
    """The flags `report NAME` takes besides -h, --db, --format and --out."""
    actions = report_parsers()[name]._actions
    return {flag for action in actions for flag in action.option_strings} - {"-h", "--help", "--db", "--format", "--out"}


def test_every_report_has_a_parser_of_its_own_and_every_option_an_example():
    assert sorted(report_parsers()) == sorted(REPORTS)
    assert set().union(*(flags_of(name) for name in REPORTS)) == set(EXAMPLES)


def test_the_registry_names_options_and_spells_no_flag():
    """The domain module names options by what they set; flags are the command line's."""
    assert re.findall(r"[\"']--[a-z]", (PROJECT / "models" / "figures" / "reports.py").read_text(encoding="utf-8")) == []
    fields = set(Options.__dataclass_fields__)
    assert {option.name for report in REPORTS.values() for option in report.options} <= fields


@pytest.mark.parametrize("name, flag", [(name, flag) for name in REPORTS for flag in EXAMPLES])
def test_a_report_takes_the_options_it_declares_and_refuses_the_others(name, flag, sandbox, capsys):
    if flag in flags_of(name):
        assert cli("report", name, *TAKEN_WITH.get((name, flag), []), *EXAMPLES[flag], "--db", sandbox) == 0
        return
    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:
        cli("report", name, *EXAMPLES[flag], "--db", sandbox)
    assert refused.value.code == 2  # a usage error, refused by argparse before the snapshot is opened
    message = capsys.readouterr().err
    assert f"report {name} takes" in message and flag in message
    takers = [other for other in REPORTS if flag in flags_of(other)]
    assert takers and all(other in message for other in takers)


def test_the_refusal_names_what_the_report_takes_and_where_the_others_belong(sandbox, capsys):
    with pytest.raises(SystemExit) as refused:
        cli("report", "mrr", "--finance-charges", "--schedule", "--db", sandbox)
    assert refused.value.code == 2
    assert capsys.readouterr().err.endswith(
        "msp-revenue report mrr: error: report mrr takes --as-of, --realm and --summary; "
        "--finance-charges is for ar-aging, --schedule is for prepayments\n")


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_report_help_lists_exactly_its_options(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli("report", name, "--help")
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    listed = set(re.findall(r"^  (--[a-z-]+)", text, re.MULTILINE)) - {"--help", "--db", "--format", "--out"}
    assert listed == flags_of(name)
    assert "".join(REPORTS[name].description[1:].split()) in "".join(text.split())  # wrapped, at hyphens too


def test_report_help_lists_every_report_with_its_description(capsys):
    with pytest.raises(SystemExit):
        cli("report", "--help")
    text = "".join(capsys.readouterr().out.split())
    for name, report in REPORTS.items():
        assert f"{name}{''.join(report.description.split())}" in text, name


def test_the_readme_lists_the_options_each_report_takes():
    readme = (PROJECT / "README.md").read_text()
    for name in REPORTS:
        row = re.search(rf"^\| `{re.escape(name)}` \|.*\|(.*)\|$", readme, re.MULTILINE)
        assert row, name
        assert set(re.findall(r"--[a-z-]+", row[1])) == flags_of(name), name


# --- --client: an Id or a name ---------------------------------------------------------------------

def client_labor(db, capsys, *options) -> str:
    capsys.readouterr()
    assert cli("report", "client-labor", "--as-of", "2023-03-15", "--format", "csv", "--db", db, *options) == 0
    return capsys.readouterr().out


def test_a_client_by_id_or_by_the_start_of_its_name_ignoring_case(sandbox, capsys):
    by_id = client_labor(sandbox, capsys, "--client", "7")
    assert len(by_id.splitlines()) == 2 and "Freeman Sporting Goods" in by_id
    assert client_labor(sandbox, capsys, "--client", "freeman") == by_id
    assert client_labor(sandbox, capsys, "--client", "FREEMAN SPORTING GOODS") == by_id
    # a client the revenue lines name though its customer record was never loaded
    assert "Amy's Bird Sanctuary" in client_labor(sandbox, capsys, "--client", "amy")


def test_an_unknown_client_is_an_error(sandbox, capsys):
    capsys.readouterr()
    assert cli("report", "client-labor", "--client", "Nobody Inc", "--db", sandbox) == 1
    err = capsys.readouterr().err
    assert "no client 'Nobody Inc'" in err and "Id or the start of its name" in err
    assert cli("report", "tiers", "--client", "999", "--db", sandbox) == 1


def test_an_unknown_company_is_an_error_not_a_report_of_zeros(sandbox, capsys, tmp_path):
    capsys.readouterr()
    assert cli("report", "revenue-by-category", "--realm", "9341453", "--db", sandbox) == 1
    err = capsys.readouterr().err
    assert "no QuickBooks company '9341453' in this warehouse; it holds: local (" in err
    assert cli("export", "month-end", "--month", "2025-01", "--realm", "9341453", "--out", tmp_path / "pack.xlsx",
               "--db", sandbox) == 1
    assert "no QuickBooks company '9341453'" in capsys.readouterr().err and not (tmp_path / "pack.xlsx").exists()
    assert cli("report", "revenue-by-category", "--realm", "local", "--db", sandbox) == 0


def test_an_ambiguous_name_lists_the_clients_it_matches(sandbox, capsys):
    capsys.readouterr()
    assert cli("report", "tiers", "--client", "d", "--db", sandbox) == 1  # Diego Rodriguez, Dylan Sollfrank
    err = capsys.readouterr().err
    assert "'d' matches 2 clients: Diego Rodriguez (Id 4), Dylan Sollfrank (Id 6)" in err


def test_a_misspelt_client_gets_the_closest_names(sandbox, capsys):
    capsys.readouterr()
    assert cli("report", "client-labor", "--client", "Freemna Sporting Goods", "--db", sandbox) == 1
    err = capsys.readouterr().err
    assert "no client 'Freemna Sporting Goods' (did you mean 'Freeman Sporting Goods'?)" in err
    assert "Id or the start of its name" in err


# --- counts ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("servers", ["1.5", "-1", "two"])
def test_a_device_count_must_be_a_whole_number(servers, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli("tiers", "--servers", servers, "--desktops", "10")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --servers: give a whole number of servers, 0 or more (not '{servers}')" in err
    assert "_count" not in err and "invalid" not in err


# --- dates -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["revenue-by-category", "lines"])
def test_from_after_to_is_refused(sandbox, name, capsys):
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        cli("report", name, "--from", "2026-10-31", "--to", "2026-10-01", "--db", sandbox)
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert "--from 2026-10-31 is after --to 2026-10-01" in captured.err and captured.out == ""


@pytest.mark.parametrize("argv, option", [
    (["report", "mrr", "--as-of", "2026-13-01"], "--as-of"),
    (["report", "revenue-by-category", "--from", "1/10/2026", "--to", "2026-10-31"], "--from"),
    (["report", "revenue-by-category", "--from", "2026-10-01", "--to", "tomorrow"], "--to"),
    (["demo", "--until", "2026-02-30"], "--until"),
    (["weekly", "--week", "last week", "--out", "w.pdf"], "--week"),
])
def test_a_bad_date_names_the_option_and_the_form(argv, option, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli(*argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: give the date as YYYY-MM-DD" in err and "fromisoformat" not in err
