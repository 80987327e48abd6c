"""The Data page shows the jobs, what was sent when to whom, and the failures; its job settings save."""
from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from models.settings import job_settings, settings
from tests.helpers import app_page, copied_warehouse, run_cli_here
from tests.mail_helpers import start_mail_server
from tests.jobs_helpers import ACCOUNTANT, OWNER, PASSWORD, books, mail_settings, trusting
from tests.run_once import listing


@pytest.fixture(scope="module")
def sent_and_failed(tmp_path_factory):
    """A warehouse whose weekly summary was sent and whose month-end pack failed (its server went away), made once
    for the module; each test takes a copy (the tests save settings beside it), and the module fails if one wrote
    here instead."""
    folder = tmp_path_factory.mktemp("jobs-page")
    db = folder / "wh" / "warehouse.duckdb"
    server = start_mail_server(folder / "mail", login=f"reports:{PASSWORD}")
    try:
        books(db)
        mail_settings(db, server, **{"jobs.month_end.enabled": False})
        assert run_cli_here("jobs", "run-due", "--now", "2026-07-06T07:00", "--db", db,
                               env=trusting(server)).returncode == 0
    finally:
        server.stop()
    job_settings.save_jobs(settings.settings_path(db), {"jobs.month_end.enabled": True})
    assert run_cli_here("jobs", "run-due", "--now", "2026-07-06T07:10", "--db", db).returncode == 1
    before = listing(db.parent)
    yield db
    assert listing(db.parent) == before, "a test wrote beside the module's warehouse; it should take a copy"


@pytest.fixture
def sent_and_failed_copy(sent_and_failed, db) -> Path:
    """The module's warehouse, copied to the test's own `db`."""
    return copied_warehouse(sent_and_failed, db.parent)


@pytest.fixture
def data_page(monkeypatch, sent_and_failed_copy):
    return app_page(monkeypatch, sent_and_failed_copy, "dashboards/data.py")


def frames(app) -> list:
    return [frame.value for frame in app.dataframe]


def test_the_page_shows_what_was_sent_to_whom_and_what_failed(data_page):
    shown = frames(data_page)
    sent = next(f for f in shown if "sent" in f.columns and "to" in f.columns)
    assert list(sent["to"]) == [OWNER] and list(sent["period"]) == ["2026-06-29"]
    assert list(sent["sent"]) == ["2026-07-06 07:00 CDT"]
    failed = next(f for f in shown if "what happened" in f.columns)
    assert list(failed["job"]) == ["Month-end workbook to the accountant"]
    assert "refused the connection" in failed["what happened"][0]
    overview = next(f for f in shown if "next run" in f.columns)
    assert list(overview["job"]) == ["Nightly sync", "Weekly summary to the owner",
                                     "Month-end workbook to the accountant", "Alerts to the owner"]
    assert any("to the accountant" in s for s in overview["schedule"])
    assert any("failed and are not done yet" in w.value for w in data_page.warning)


def test_job_settings_are_edited_on_the_page(data_page, db):
    form_inputs = {t.label: t for t in data_page.text_input}
    form_inputs["Accountant (month-end workbook)"].set_value(f"{ACCOUNTANT}; second@cpa.example")
    next(t for t in data_page.time_input if t.label == "At").set_value(time(6, 30))
    next(b for b in data_page.button if b.label == "Save jobs and email").click()
    data_page.run()
    assert not data_page.exception
    saved = job_settings.load_jobs(settings.settings_path(db))
    assert saved.email.accountant == (ACCOUNTANT, "second@cpa.example")
    assert saved.weekly_summary.at == time(6, 30)
    assert "# the SMTP server, e.g." in settings.settings_path(db).read_text()  # the comments stay


def test_every_value_that_does_not_check_out_is_refused_at_once_in_the_forms_words(data_page, db):
    """A wrong sender and a wrong owner address, and a login with security "none": all three said at once,
    by the fields' names, with no file path or TOML key; nothing written."""
    before = settings.settings_path(db).read_text()
    inputs = {t.label: t for t in data_page.text_input}
    inputs["From"].set_value("reports-at-bayside")
    inputs["Owner (weekly summary, alerts)"].set_value("owner@bayside.example, not an address")
    next(b for b in data_page.button if b.label == "Save jobs and email").click()
    data_page.run()
    (error,) = [e.value for e in data_page.error]
    assert error.startswith("Nothing was saved")
    assert "From must be" in error and "Owner must be" in error
    assert str(db.parent) not in error and "email." not in error
    assert settings.settings_path(db).read_text() == before
    next(s for s in data_page.selectbox if s.label == "Security").set_value("none")
    inputs["From"].set_value("reports@bayside.example")
    inputs["Owner (weekly summary, alerts)"].set_value(OWNER)
    next(b for b in data_page.button if b.label == "Save jobs and email").click()
    data_page.run()
    (error,) = [e.value for e in data_page.error]
    assert "Security" in error and "Login" in error and "email." not in error
    assert settings.settings_path(db).read_text() == before


def test_time_zones_are_picked_and_the_password_is_kept_owner_only(data_page, db):
    zone = next(s for s in data_page.selectbox if s.label == "Time zone")
    assert "America/Chicago" in zone.options and "Europe/Lisbon" in zone.options
    zone.set_value("Europe/Lisbon")
    next(t for t in data_page.text_input if t.label == "Password").set_value("a-new-Passw0rd")
    next(b for b in data_page.button if b.label == "Save jobs and email").click()
    data_page.run()
    assert not data_page.error and not data_page.exception
    saved = job_settings.load_jobs(settings.settings_path(db))
    secret = Path(saved.email.password_file)
    assert saved.timezone == "Europe/Lisbon" and secret.read_text() == "a-new-Passw0rd\n"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert "a-new-Passw0rd" not in settings.settings_path(db).read_text()


def test_send_a_test_email(tmp_path, sent_and_failed_copy, monkeypatch):
    """The button sends a short message to the owner with the saved settings, or says why it could not."""
    db = sent_and_failed_copy
    server = start_mail_server(tmp_path / "mail2", login=f"reports:{PASSWORD}")
    try:
        mail_settings(db, server)
        for name, value in trusting(server).items():
            monkeypatch.setenv(name, value)
        app = app_page(monkeypatch, db, "dashboards/data.py")
        next(b for b in app.button if b.label == "Send a test email").click()
        app.run()
        assert [m["Subject"] for m in server.messages()] == ["msp-revenue: test email"]
        assert any(f"Sent a test email to {OWNER}" in s.value for s in app.success)
    finally:
        server.stop()
    next(b for b in app.button if b.label == "Send a test email").click()
    app.run()
    assert any("The test email was not sent" in e.value for e in app.error)
