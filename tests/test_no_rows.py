"""A report with no rows says why in one sentence on the command line (the app's words), never a table of headers
alone; csv and json keep the empty table for programs."""
from __future__ import annotations

import dataclasses
import json

import pytest

from models.figures import no_rows, reports
from models.settings import settings
from tests.helpers import UNTIL, cli
from tests.metrics import report


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("no-rows") / "w.duckdb"
    assert cli("build", "--db", db) == 0
    return db


@pytest.fixture(scope="module")
def demo_db(demo_builds):
    return demo_builds(12, 2)


def printed(capsys, *args) -> str:
    capsys.readouterr()
    assert cli("report", *args) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", list(reports.REPORTS))
def test_every_report_with_no_rows_says_why_in_a_sentence(capsys, empty_db, name):
    """Over the report registry, on a warehouse built with nothing loaded: every report that has no rows prints its
    sentence, and csv its header alone."""
    rows = json.loads(printed(capsys, name, "--format", "json", "--db", empty_db))
    table = printed(capsys, name, "--db", empty_db)
    if rows:
        return
    owner = settings.load(settings.settings_path(empty_db))
    sentence = reports.no_rows(name, reports.Options(), owner)
    assert table == sentence + "\n"
    assert len(sentence.splitlines()) == 1 and sentence.endswith(".") and "---" not in table
    (header,) = printed(capsys, name, "--format", "csv", "--db", empty_db).splitlines()
    assert "," in header  # the columns, for a program to read


@pytest.mark.parametrize("args, sentence", [
    (("forecast-accuracy", "--as-of", UNTIL), no_rows.NO_FORECAST_MONTH_OVER),
    (("tie-out",), "Not compared with QuickBooks: no sync has fetched QuickBooks' ProfitAndLoss yet"),
    (("tie-out", "--basis", "cash"), "Not compared with QuickBooks on a cash basis: no sync has fetched QuickBooks' "
                                     "cash-basis ProfitAndLoss yet"),
])
def test_the_demo_company_says_why_a_report_is_empty(capsys, demo_db, args, sentence):
    """The demo company is never synced: no ProfitAndLoss to tie out to, and its forecasts are kept as of the day it
    was built, after its last day."""
    assert printed(capsys, *args, "--db", demo_db).startswith(sentence)
    assert json.loads(printed(capsys, *args, "--format", "json", "--db", demo_db)) == []


def test_nothing_checked_is_not_nothing_broken(capsys, empty_db):
    owner = settings.load(settings.settings_path(empty_db))
    off = dataclasses.replace(owner, policies=dataclasses.replace(
        owner.policies, **{switch: False for switch in reports.POLICY_SWITCHES.values()}))
    assert reports.no_rows("policies", reports.Options(), off) == no_rows.NO_POLICY_CHECKED
    assert printed(capsys, "policies", "--db", empty_db) == no_rows.NO_POLICY_BREACH + "\n"


def test_a_price_sheet_of_a_client_without_an_agreement_says_so(capsys, demo_db):
    paying_by_the_hour = [r for r in report(demo_db, "client-labor", UNTIL) if r["labor_msa"] == 0]
    client = paying_by_the_hour[0]["customer_id"]
    text = printed(capsys, "price-sheet", "--client", client, "--as-of", UNTIL, "--db", demo_db)
    assert text == (f"Client {client} has no agreement lines in Nov 2026 by this date: the price sheet lists "
                    "agreement clients only.\n")
    assert json.loads(printed(capsys, "price-sheet", "--client", client, "--as-of", UNTIL, "--format", "json",
                              "--db", demo_db)) == []
