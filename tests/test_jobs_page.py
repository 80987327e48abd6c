"""The Data page shows the jobs, what was sent when to whom, and the failures; its job settings save."""
from __future__ import annotations

from datetime import time

import pytest

from models import job_settings, settings
from tests.helpers import PROJECT, run_cli_process
from tests.mail_helpers import start_mail_server
from tests.test_jobs import ACCOUNTANT, OWNER, PASSWORD, books, mail_settings, trusting
from streamlit.testing.v1 import AppTest


@pytest.fixture
def page(monkeypatch, db, tmp_path):
    """A warehouse whose weekly summary was sent and whose month-end pack failed (its server went away)."""
    server = start_mail_server(tmp_path / "mail", login=f"reports:{PASSWORD}")
    try:
        books(db)
        mail_settings(db, server, **{"jobs.month_end.enabled": False})
        assert run_cli_process("jobs", "run-due", "--now", "2026-07-06T07:00", "--db", db,
                               env=trusting(server)).returncode == 0
    finally:
        server.stop()
    job_settings.save_jobs(settings.settings_path(db), {"jobs.month_end.enabled": True})
    assert run_cli_process("jobs", "run-due", "--now", "2026-07-06T07:10", "--db", db).returncode == 1
    monkeypatch.setenv("MSP_REVENUE_DB", str(db))
    app = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=90)
    app.run()
    app.switch_page("dashboards/data.py")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def frames(app) -> list:
    return [frame.value for frame in app.dataframe]


def test_the_page_shows_what_was_sent_to_whom_and_what_failed(page):
    shown = frames(page)
    sent = next(f for f in shown if "sent" in f.columns and "to" in f.columns)
    assert list(sent["to"]) == [OWNER] and list(sent["period"]) == ["2026-06-29"]
    assert list(sent["sent"]) == ["2026-07-06 07:00 CDT"]
    failed = next(f for f in shown if "what happened" in f.columns)
    assert list(failed["job"]) == ["month_end"] and "refused the connection" in failed["what happened"][0]
    overview = next(f for f in shown if "next run" in f.columns)
    assert "weekly_summary" in list(overview["job"]) and any("to the accountant" in s for s in overview["schedule"])
    assert any("failed and are not done yet" in w.value for w in page.warning)


def test_job_settings_are_edited_on_the_page(page, db):
    form_inputs = {t.label: t for t in page.text_input}
    form_inputs["Accountant (month-end workbook)"].set_value(f"{ACCOUNTANT}; second@cpa.example")
    next(t for t in page.time_input if t.label == "At").set_value(time(6, 30))
    next(b for b in page.button if b.label == "Save jobs and email").click()
    page.run()
    assert not page.exception
    saved = job_settings.load_jobs(settings.settings_path(db))
    assert saved.email.accountant == (ACCOUNTANT, "second@cpa.example")
    assert saved.weekly_summary.at == time(6, 30)
    assert "# the SMTP server, e.g." in settings.settings_path(db).read_text()  # the comments stay


def test_a_value_that_does_not_check_out_is_refused_on_the_page(page, db):
    before = settings.settings_path(db).read_text()
    next(t for t in page.text_input if t.label == "Time zone").set_value("Mars/Olympus")
    next(b for b in page.button if b.label == "Save jobs and email").click()
    page.run()
    assert any("jobs.timezone must be a time zone name" in e.value.replace("\\", "") for e in page.error)
    assert settings.settings_path(db).read_text() == before
