"""The unattended jobs against a real SMTP server process (aiosmtpd, tests/stand_in/smtp.py): the weekly
summary and the month-end workbook arrive with the right numbers, once; a refused, silent or killed send
is tried again and still arrives once; two runners at once send once."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Tokens, TokenStore
from models import files
from models.jobs import job_list, job_runs
from models.settings import job_settings, settings
from models.warehouse import paths
from tests.companies import Company
from tests.helpers import MSP_REVENUE, cli, run_cli_here, write_json
from tests.qbo_helpers import REALM, connected, environment, start_server
from tests.mail_helpers import start_mail_server
from tests.server import free_port
from tests.jobs_helpers import ACCOUNTANT, OWNER, PASSWORD, mail_settings, run_due, runs, trusting
from tests.workbooks import total_after

pytestmark = pytest.mark.long


@pytest.fixture
def mail(tmp_path):
    server = start_mail_server(tmp_path / "mail", tls="starttls", login=f"reports:{PASSWORD}")
    yield server
    server.stop()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def attachment(message, filename: str) -> bytes:
    (found,) = [part for part in message.iter_attachments() if part.get_filename() == filename]
    return found.get_content()


def test_the_weekly_summary_and_the_month_end_pack_arrive_once_with_the_right_numbers(booked, db, mail):
    booked(db)
    mail_settings(db, mail)
    first = run_due(db, mail, "2026-07-03T07:00")  # Chicago: the 3rd at 07:00, the pack's time
    assert first.returncode == 0, first.stderr
    assert [m["Subject"] for m in mail.messages()] == [
        "Weekly summary: week of June 22, 2026 (Bayside Computer Care)",  # the latest week not yet sent
        "Month-end pack: June 2026 (Bayside Computer Care)"]
    for now in ("2026-07-03T07:05", "2026-07-06T11:59:00+00:00"):  # 06:59 in Chicago: not Monday 07:00 yet
        assert run_due(db, mail, now).returncode == 0
    assert len(mail.messages()) == 2
    monday = run_due(db, mail, "2026-07-06T12:00:00+00:00")  # 07:00 CDT
    assert monday.returncode == 0, monday.stderr
    for now in ("2026-07-06T07:01", "2026-07-06T19:00", "2026-07-12T23:59"):  # called again and again: nothing
        assert run_due(db, mail, now).returncode == 0
    pack, week = mail.messages()[1:]
    assert len(mail.messages()) == 3

    assert pack["To"] == ACCOUNTANT and pack["From"] == "reports@bayside.example"
    workbook = load_workbook(io.BytesIO(attachment(pack, "month-end-2026-06.xlsx")))
    assert total_after(workbook["Summary"], "Total revenue", 2) == D("1450.00")

    assert week["To"] == OWNER and week["Subject"] == "Weekly summary: week of June 29, 2026 (Bayside Computer Care)"
    assert "Invoiced this week: $375.50 (the same days last week: $150.00)" in week.get_body().get_content()
    text = pdf_text(attachment(week, "weekly-summary-2026-06-29.pdf"))
    assert "Week of June 29, 2026" in text and "Figures as of 2026-07-05" in text
    assert "$375.50" in text and "$150.00" in text and "$300.00" in text and "$75.50" in text

    done = runs(db)
    assert done[("weekly_summary", "2026-06-29")].sent_to == OWNER
    assert done[("month_end", "2026-06")].status == "done"
    listed = run_cli_here("jobs", "list", "--now", "2026-07-06T08:00", "--db", db)
    assert listed.returncode == 0
    assert "next: 2026-07-13 07:00 CDT" in listed.stdout and "next: 2026-08-03 07:00 CDT" in listed.stdout
    assert f"sent month-end-2026-06.xlsx to {ACCOUNTANT}" in listed.stdout


def test_the_password_is_never_stored_printed_or_kept(booked, db, mail):
    booked(db)
    mail_settings(db, mail)
    sent = run_due(db, mail, "2026-07-06T07:00")
    wrong = db.parent / "wrong-password"
    files.write_atomically(wrong, "not-it\n", mode=0o600)
    job_settings.save_jobs(settings.settings_path(db), {"email.password_file": str(wrong)})
    refused = run_due(db, mail, "2026-08-03T07:00")
    assert sent.returncode == 0 and refused.returncode == 1
    assert "refused the login for reports: 535" in refused.stderr
    written = [sent.stdout, sent.stderr, refused.stdout, refused.stderr] + [
        p.read_bytes().decode("latin-1") for p in db.parent.iterdir() if p.is_file() and p.name != "smtp-password"]
    assert not [text for text in written if PASSWORD in text]
    assert any(p.name.endswith(".jobs.json") for p in db.parent.iterdir())


def test_a_password_file_others_can_read_is_refused(booked, db, mail):
    booked(db)
    mail_settings(db, mail, **{"jobs.month_end.enabled": False})
    secret = db.parent / "smtp-password"
    os.chmod(secret, 0o644)
    done = run_due(db, mail, "2026-07-06T07:00")
    assert done.returncode == 1
    assert f"can be read by others; make it yours only: chmod 600 {secret}" in done.stderr
    assert mail.messages() == []


@pytest.mark.parametrize("fault", ["refuse", "stall", "nothing listening"])
def test_a_send_that_fails_is_pending_then_tried_again_and_arrives_once(booked, tmp_path, db, fault):
    port = free_port()
    server = start_mail_server(tmp_path / "mail", login=f"reports:{PASSWORD}", port=port) \
        if fault != "nothing listening" else None
    try:
        if server:
            server.mode(fault)
        booked(db)
        mail_settings(db, server or _stand_in_address(port), **{"jobs.month_end.enabled": False})
        env = trusting(server) if server else {}
        failed = run_cli_here("jobs", "run-due", "--now", "2026-07-06T07:00", "--db", db, env=env)
        assert failed.returncode == 1
        assert "weekly summary, week of June 29, 2026 failed (attempt 1)" in failed.stderr
        assert "tried again from 2026-07-06 07:05 CDT" in failed.stderr
        pending = runs(db)[("weekly_summary", "2026-06-29")]
        assert pending.status == "pending" and pending.attempts == 1 and pending.last_error
        listed = run_cli_here("jobs", "list", "--now", "2026-07-06T07:01", "--db", db)
        assert "not done: Weekly summary to the owner 2026-06-29: failed 1 time(s)" in listed.stdout

        ehlos = server.ehlos() if server else 0
        waiting = run_cli_here("jobs", "run-due", "--now", "2026-07-06T07:04", "--db", db, env=env)
        assert waiting.returncode == 0 and (server.ehlos() if server else 0) == ehlos  # not before its retry time
        if server:
            server.mode("accept")
        else:
            server = start_mail_server(tmp_path / "mail", login=f"reports:{PASSWORD}", port=port)
            job_settings.save_jobs(settings.settings_path(db), {"email.port": server.port})
            env = trusting(server)
        retried = run_cli_here("jobs", "run-due", "--now", "2026-07-06T07:05", "--db", db, env=env)
        assert retried.returncode == 0, retried.stderr
        again = run_cli_here("jobs", "run-due", "--now", "2026-07-06T09:00", "--db", db, env=env)
        assert again.returncode == 0
        assert [m["Subject"] for m in server.messages()] == [
            "Weekly summary: week of June 29, 2026 (Bayside Computer Care)"]
        sent = runs(db)[("weekly_summary", "2026-06-29")]
        assert sent.status == "done" and sent.attempts == 2
    finally:
        if server:
            server.stop()


class _stand_in_address:
    """Settings for a port where no server listens yet (and a certificate nobody needs)."""

    def __init__(self, port: int):
        self.port, self.cert = port, None


def test_two_runners_started_at_once_send_once(booked, db, mail):
    booked(db)
    mail_settings(db, mail, **{"jobs.month_end.enabled": False, "email.timeout": 30})
    mail.mode("slow")  # the first runner is still sending when the second one looks
    env = {**os.environ, **trusting(mail)}
    command = [MSP_REVENUE, "jobs", "run-due", "--now", "2026-07-06T07:00", "--db", str(db)]
    both = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in both]
    assert [code for code, _ in results] == [0, 0], results
    assert len(mail.messages()) == 1
    assert runs(db)[("weekly_summary", "2026-06-29")].attempts == 1


def test_a_runner_killed_mid_send_then_run_again_sends_exactly_once(booked, db, mail):
    booked(db)
    mail_settings(db, mail, **{"jobs.month_end.enabled": False, "email.timeout": 60})
    mail.mode("stall")  # the runner has connected and waits for the server's answer
    command = [MSP_REVENUE, "jobs", "run-due", "--now", "2026-07-06T07:00", "--db", str(db)]
    runner = subprocess.Popen(command, env={**os.environ, **trusting(mail)}, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while mail.ehlos() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mail.ehlos() == 1
    assert runs(db)[("weekly_summary", "2026-06-29")].status == "running"  # claimed, and published as such
    runner.send_signal(signal.SIGKILL)
    runner.wait(timeout=10)
    mail.mode("accept")
    rerun = run_due(db, mail, "2026-07-06T07:01")
    assert rerun.returncode == 0, rerun.stderr
    assert run_due(db, mail, "2026-07-06T07:30").returncode == 0
    assert len(mail.messages()) == 1
    sent = runs(db)[("weekly_summary", "2026-06-29")]
    assert sent.status == "done" and sent.attempts == 2


def test_implicit_tls_on_its_own_port(booked, tmp_path, db):
    server = start_mail_server(tmp_path / "mail", tls="tls", login=f"reports:{PASSWORD}")
    try:
        booked(db)
        mail_settings(db, server, **{"email.security": "tls", "jobs.weekly_summary.enabled": False})
        done = run_due(db, server, "2026-07-03T07:00")
        assert done.returncode == 0, done.stderr
        assert [m["Subject"] for m in server.messages()] == ["Month-end pack: June 2026 (Bayside Computer Care)"]
    finally:
        server.stop()


def test_an_untrusted_certificate_is_a_failure_not_a_send(booked, db, mail):
    booked(db)
    mail_settings(db, mail, **{"jobs.month_end.enabled": False})
    done = run_cli_here("jobs", "run-due", "--now", "2026-07-06T07:00", "--db", db)  # no SSL_CERT_FILE
    assert done.returncode == 1 and "certificate cannot be trusted" in done.stderr
    assert mail.messages() == []


def test_nothing_due_reads_only_the_published_record(booked, db, mail):
    """Called every minute: with nothing due it never opens the work database (a sync can start any time)."""
    booked(db)
    mail_settings(db, mail)
    assert run_due(db, mail, "2026-07-06T07:00").returncode == 0
    record = json.loads(job_runs.published_path(db).read_text())
    assert {(r["job"], r["status"]) for r in record} == {("weekly_summary", "done"), ("month_end", "done")}
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "sys.stdin.read()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        idle = run_due(db, mail, "2026-07-06T07:10")
        assert idle.returncode == 0 and idle.stderr == ""
        assert time.perf_counter() - started < 8  # well inside the wait for a busy database: it never waited
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_the_nightly_sync_runs_once_a_night_and_two_failures_in_a_row_alert_the_owner(tmp_path, db, mail, monkeypatch):
    quickbooks = start_server(clients=3, years=1)
    try:
        port = free_port()
        connected(db, quickbooks, port, monkeypatch)
        mail_settings(db, mail, **{"jobs.weekly_summary.enabled": False, "jobs.month_end.enabled": False})
        env = {**environment(quickbooks, port), **trusting(mail)}

        def run_due_at(now: str) -> subprocess.CompletedProcess:
            return run_cli_here("jobs", "run-due", "--now", now, "--db", db, env=env)

        caught_up = run_due_at("2026-07-06T01:59")  # the first call does the latest night not yet done
        assert caught_up.returncode == 0 and "2026-07-05: " in caught_up.stderr and paths.snapshot(db).exists()
        synced = run_due_at("2026-07-06T02:00")
        assert synced.returncode == 0, synced.stderr
        assert f"nightly sync of QuickBooks company {REALM}, 2026-07-06: " in synced.stderr
        requests_then = quickbooks.stats.requests
        assert run_due_at("2026-07-06T03:00").returncode == 0
        assert quickbooks.stats.requests == requests_then  # once a night

        quickbooks.faults.forbidden = True  # QuickBooks refuses the app: the next nights fail
        first = run_due_at("2026-07-07T02:00")
        assert first.returncode == 1 and "failed (attempt 1)" in first.stderr
        assert not [m for m in mail.messages() if "failed twice" in m["Subject"]]
        second = run_due_at("2026-07-07T02:05")
        assert second.returncode == 1 and "failed (attempt 2)" in second.stderr
        assert run_due_at("2026-07-07T02:15").returncode == 1  # a third failure: no second alert that night
        (alert,) = [m for m in mail.messages() if "failed twice" in m["Subject"]]
        assert alert["To"] == OWNER
        assert f"The nightly sync of QuickBooks company {REALM} failed twice in a row" in alert.get_body().get_content()
    finally:
        quickbooks.stop()


def test_a_connection_about_to_lapse_and_a_broken_tie_out_are_told_once(booked, db, mail):
    booked(db)
    broken = Company().invoice("1", "2026-06-15", ("hourly", "90.00"))
    broken["TotalAmt"] = D("100.00")  # lines that do not add up to the document: a build check fails
    assert cli("load", write_json(db.parent / "broken.json", {"Invoice": [broken]}), "--db", db) == 1
    now = time.time()
    TokenStore(qbo_config.tokens_path(db)).save(
        Tokens("9130354455000009", "access", "refresh", now + 3600, now + 10 * 86400, None, now))
    mail_settings(db, mail, **{"jobs.weekly_summary.enabled": False, "jobs.month_end.enabled": False,
                               "jobs.nightly_sync.enabled": False})
    assert run_due(db, mail, "2026-07-06T08:00").returncode == 0
    assert run_due(db, mail, "2026-07-06T08:05").returncode == 0
    subjects = sorted(m["Subject"] for m in mail.messages())
    assert subjects == ["msp-revenue alert: the QuickBooks connection of company 9130354455000009 lapses soon",
                        "msp-revenue alert: the warehouse does not tie out"]
    tie_out = next(m for m in mail.messages() if "tie out" in m["Subject"]).get_body().get_content()
    assert "Checks that found rows that do not add up:" in tie_out


def test_an_agreement_client_more_than_late_days_late_is_told_once(db, mail):
    """As of 6 July 2026 (Chicago): Alpha's agreement invoice of 1 May, due that day, unpaid: 66 days late, more
    than 30 (the default late_days); Bravo's hourly invoice of 1 April, unpaid, 96 days late, is no agreement
    client's; Charlie's agreement invoice of 1 June, due 1 June, unpaid: 35 days, more than 30 too, until
    late_days is 40. Told once: the next day's run, Alpha still late on the same invoice, sends nothing again."""
    company = Company()
    for customer, name in (("1", "Alpha"), ("2", "Bravo"), ("3", "Charlie")):
        company.customer(customer, name)
    late = company.invoice("1", "2026-05-01", ("msa", "900.00", "2026-05-01"), due="2026-05-01")
    company.invoice("2", "2026-04-01", ("hourly", "300.00"), due="2026-04-01")
    company.invoice("3", "2026-06-01", ("msa", "500.00", "2026-06-01"), due="2026-06-01")
    company.load(db)
    mail_settings(db, mail, **{"jobs.weekly_summary.enabled": False, "jobs.month_end.enabled": False,
                               "jobs.nightly_sync.enabled": False})
    settings.save_values(settings.settings_path(db), {"payments.late_days": 40}, check=lambda _: None)
    assert run_due(db, mail, "2026-07-06T08:00").returncode == 0
    assert run_due(db, mail, "2026-07-07T08:00").returncode == 0  # still late on the same invoice the next day
    (alert,) = mail.messages()
    assert alert["Subject"] == "msp-revenue alert: Alpha is 66 days late"
    body = alert.get_body().get_content()
    assert f"Alpha, an agreement client, has not paid invoice {late['DocNumber']} (due" in body and "$900.00" in body


def test_the_app_runs_the_due_jobs_itself_and_a_second_runner_sends_nothing_again(booked, tmp_path, db, mail):
    """An owner who only runs the app: while `msp-revenue app` runs, it looks for due jobs itself
    (MSP_REVENUE_JOBS_EVERY seconds; 1 here) and sends what is due — the last weekly summary and the last
    month-end workbook — once; `jobs run-due` from cron afterwards finds them done and sends nothing more,
    and the Data page's record of the last look names the app."""
    from tests.server import running

    mail_settings(booked(db), mail)
    port = free_port()
    env = {paths.ENV_VAR: str(db), "MSP_REVENUE_JOBS_EVERY": "1", **trusting(mail)}
    with running([MSP_REVENUE, "app", "--db", str(db), "--port", str(port)], port, env, tmp_path / "app.log"):
        deadline = time.monotonic() + 120
        while len(mail.messages()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)  # the inbox is a folder: looked at often, the test ends soon after the second message
        sent = sorted(m["Subject"].split(":")[0] for m in mail.messages())
        look = job_runs.last_look(db)
    assert sent == ["Month-end pack", "Weekly summary"], (tmp_path / "app.log").read_text()
    assert look is not None and look[1] == "app"
    result = run_cli_here("jobs", "run-due", "--db", db, env=trusting(mail))
    assert result.returncode == 0, result.stderr
    assert len(mail.messages()) == 2
    assert job_runs.last_look(db)[1] == "command"


def test_the_data_page_says_whether_anything_runs_the_jobs(db):
    """No look yet: a warning saying what runs them. The app looked at 14:00 UTC (09:00 in Chicago): at 14:10
    that is fine and names the app; at 14:20 (past 15 minutes) nothing has looked since: a warning again."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    chicago = ZoneInfo("America/Chicago")
    db.parent.mkdir(parents=True)
    text, fine = job_list.runner_status(db, chicago)
    assert not fine and "msp-revenue app" in text and "jobs run-due" in text
    job_runs.record_look(db, "app", datetime(2026, 7, 6, 14, 0, tzinfo=timezone.utc))
    text, fine = job_list.runner_status(db, chicago, datetime(2026, 7, 6, 14, 10, tzinfo=timezone.utc))
    assert fine and text == "Due jobs were last looked for at 2026-07-06 09:00 CDT by the app."
    text, fine = job_list.runner_status(db, chicago, datetime(2026, 7, 6, 14, 20, tzinfo=timezone.utc))
    assert not fine and "Nothing has looked since" in text
