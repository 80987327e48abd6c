"""Work the app runs that fails — a rebuild, a sync, a printout — shows a person a short message: the
command line's own one-line error, else which log beside the warehouse holds the details. Never a
traceback, a path on the server or a secret; the whole report is in that log, which stays bounded."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import services
from models.documents import sitdown
from models.markdown import markdown_text
from models.warehouse import run_log
from models.warehouse.work_db import open_work_db
from tests.builders import invoice, item_line
from tests.browser import open_page
from tests.helpers import PROJECT, app_on, cli, copied_warehouse, texts, write_json
from tests.qbo_helpers import REALM, connected, start_server
from tests.raw_changes import new_version, store, stored
from tests.server import free_port, running
from tests.stand_in.quickbooks import Faults

pytestmark = pytest.mark.long

# what `msp-revenue build` says when a model cannot be built (as it said it for an impossible date)
CRASH = """  building staging.stg_qbo__items
  building staging.stg_qbo__sales_documents
Traceback (most recent call last):
  File "/srv/msp/cli.py", line 542, in <module>
    sys.exit(main())
  File "/srv/msp/models/warehouse/build.py", line 46, in build
    con.execute(f"create or replace table {model.qualified} as\\n{model.sql}")
_duckdb.ConversionException: Conversion Error: date field value out of range: "2026-02-30"

LINE 32:         (payload->>'$.TxnDate')::date as txn_date,
                                        ^^^^^^
"""
REFUSED = """  building staging.stg_qbo__items
msp-revenue: /srv/msp/data/categories.toml: [items] "Services" = 'labour' is not a category; use one of labor_msa
"""
BUILT = """  publishing snapshot
built 945 revenue lines in 0.7s; snapshot: /srv/msp/data/warehouse.snapshot.duckdb
note: $9,636.00 on 124 line(s) in revenue is unmapped; add rules to /srv/msp/data/categories.toml and run `msp-revenue build`
synced from http://127.0.0.1:8600/v3/company/123 on 2026/11/22
"""


def reported(text: str) -> tuple[run_log.Report, list[str]]:
    report = run_log.Report()
    live = [report.add(line) for line in text.splitlines(keepends=True)]
    return report, [line for line in live if line]


def test_a_crash_is_told_as_where_its_details_are():
    report, live = reported(CRASH)
    assert live == []  # neither the build's steps nor anything of the traceback, as it comes
    assert report.message(False, "the rebuild", Path("/srv/msp/data/w.log")) == \
        "the rebuild failed; details are in w.log"
    assert report.lines == CRASH.splitlines()  # the log gets it all


def test_the_command_lines_own_error_is_the_message_without_the_servers_folders():
    report, live = reported(REFUSED)
    message = report.message(False, "the rebuild", Path("/srv/msp/data/w.log"))
    assert message == "categories.toml: [items] \"Services\" = 'labour' is not a category; use one of labor_msa"
    assert live == ["msp-revenue: " + message]


def test_what_went_well_is_told_without_the_servers_folders():
    report, live = reported(BUILT)
    assert report.message(True, "the rebuild", Path("w.log")).splitlines() == live == [
        "publishing snapshot", "built 945 revenue lines in 0.7s; snapshot: warehouse.snapshot.duckdb",
        "note: $9,636.00 on 124 line(s) in revenue is unmapped; add rules to categories.toml and run `msp-revenue "
        "build`", "synced from http://127.0.0.1:8600/v3/company/123 on 2026/11/22"]


def test_the_log_is_appended_and_bounded(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    monkeypatch.setattr(run_log, "LOG_LIMIT", 1000)
    for number in range(40):
        log = run_log.record(db, f"run {number}", "x" * 100)
    assert log == tmp_path / "w.log"
    assert log.stat().st_size <= 1000 + 200 and log.with_name("w.log.1").stat().st_size <= 1000 + 200
    assert log.read_text().splitlines()[-2].endswith(" UTC run 39")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.log", "w.log.1"]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("built") / "wh" / "w.duckdb"
    assert cli("load", write_json(db.parent.parent / "good.json", {"Invoice": [invoice("1", [item_line("100.00")])]}),
               "--db", db) == 0
    return db


@pytest.fixture
def built(built_once, tmp_path) -> Path:
    """A warehouse of the test's own, built and published once (an invoice for Client A), loaded once a module."""
    return copied_warehouse(built_once, tmp_path / "wh")


def corrupt(db: Path) -> None:
    """A stored record no model can read, as if it got past the checks at load (stored later, as a load stores a
    version: the build parses again only what was stored since it last ran)."""
    con = open_work_db(db)
    try:
        (realm,) = con.execute("select distinct realm_id from raw.invoices").fetchone()
        invoices = stored(con, "invoices", realm)
    finally:
        con.close()
    store(db, realm, [new_version(record, {**record.payload, "TxnDate": "2026-02-30"}) for record in invoices])


def shows_nothing_of_the_server(text: str, db: Path) -> None:
    assert "Traceback" not in text and 'File "' not in text and "^^^" not in text
    assert str(db.parent) not in text and str(PROJECT) not in text


def test_a_rebuild_that_crashes_says_where_the_details_are(built):
    corrupt(built)
    outcome = services.rebuild_in_child(built)
    assert not outcome.ok
    assert outcome.message == "the rebuild failed; details are in w.log"
    log = built.with_name("w.log").read_text()
    assert "Traceback (most recent call last)" in log and '"2026-02-30"' in log and "msp-revenue build (exit 1)" in log


def test_a_rebuild_refused_by_the_rules_file_says_why(built):
    built.with_name("categories.toml").write_text('[items]\n"Services" = "labour"\n')
    outcome = services.rebuild_in_child(built)
    assert not outcome.ok
    assert outcome.message.startswith("categories.toml: [items] \"Services\" = 'labour' is not a category; use one of")
    shows_nothing_of_the_server(outcome.message, built)


def test_a_sync_quickbooks_refuses_says_why_and_nothing_secret(tmp_path, monkeypatch):
    server = start_server(clients=3, years=1, faults=Faults(forbidden=True))
    try:
        db = tmp_path / "wh" / "w.duckdb"
        connected(db, server, free_port(), monkeypatch)
        live = []
        outcome = services.sync_in_child(db, on_line=live.append)
    finally:
        server.stop()
    assert not outcome.ok
    assert outcome.message.startswith(f"QuickBooks refused access to company {REALM} (403, code ")
    stored = json.loads(db.with_name("qbo-tokens.json").read_text())[REALM]
    secrets = [server.client_secret, stored["access_token"], stored["refresh_token"]]
    for text in [outcome.message, *live]:
        shows_nothing_of_the_server(text, db)
        assert not [secret for secret in secrets if secret in text]
    assert "(403, code " in db.with_name("w.log").read_text()


def test_the_data_pages_rebuild_shows_the_message(monkeypatch, built):
    corrupt(built)
    app = app_on(monkeypatch, built, "dashboards/data.py")
    next(b for b in app.button if b.label == "Rebuild now").click()
    app.run()
    assert not app.exception
    assert [e.value for e in app.error][-1] == "The rebuild did not finish:"
    assert [t.value for t in app.text][-1] == "the rebuild failed; details are in w.log"
    for text in texts(app):
        shows_nothing_of_the_server(text, built)


def test_a_printout_that_cannot_be_made_says_so(monkeypatch, built):
    def broken(sits, company_name, prepared, notes=None):
        raise ValueError(f"paraparser: syntax error: No content allowed in br tag in {built}")

    monkeypatch.setattr(sitdown, "printout", broken)
    app = app_on(monkeypatch, built, "dashboards/sitdown.py")
    assert [e.value for e in app.error] == [markdown_text("the printout for Client A failed; details are in w.log")]
    assert "Download printout (PDF)" not in [b.label for b in app.download_button]
    next(b for b in app.button if b.label.startswith("Prepare ")).click()
    app.run()
    assert not app.exception
    assert [e.value for e in app.error][-1] == markdown_text("the printouts for these 1 clients failed; details are in "
                                                             "w.log")
    for text in texts(app):
        shows_nothing_of_the_server(text, built)
    log = built.with_name("w.log").read_text()
    assert "the printout for Client A failed" in log and "No content allowed in br tag" in log


@pytest.mark.server
@pytest.mark.browser
def test_in_the_browser_a_failed_rebuild_shows_a_message_and_no_traceback(built, tmp_path, page):
    corrupt(built)
    port = free_port()
    command = [str(Path(sys.executable).with_name("streamlit")), "run", "streamlit_app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1"]
    with running(command, port, {"MSP_REVENUE_DB": str(built)}, tmp_path / "streamlit.log") as url:
        open_page(page, url, "data")
        page.get_by_role("button", name="Rebuild now").click()
        page.get_by_text("details are in w.log").wait_for(timeout=120_000)
        text = page.inner_text("[data-testid='stMain']")
    assert "The rebuild did not finish:\n\nthe rebuild failed; details are in w.log" in text
    shows_nothing_of_the_server(text, built)
    assert "ConversionException" not in text and "2026-02-30" not in text
