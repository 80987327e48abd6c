"""A mail server that misbehaves after or before the message (issue 24, items 2 and 4): an error answered to
QUIT after the message was taken never makes it pending (so it is never sent twice); a greeting trickled a
byte at a time holds the runner no longer than the whole exchange's deadline."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

import jobs
from models.jobs import delivery, job_runs
from models.settings import job_settings, settings
from tests.companies import Company
from tests.helpers import run_cli_process
from tests.mail_helpers import start_mail_server
from tests.server import free_port

OWNER = "owner@harbor.example"


def one_invoice_books(db: Path) -> None:
    company = Company()
    company.customer("1", "Harbor Dental")
    company.invoice("1", "2026-07-01", ("hourly", "480.00"))
    company.load(db)


def mail_to(db: Path, port: int, security: str = "none", timeout: int = 2) -> None:
    job_settings.save_jobs(settings.settings_path(db), {
        "email.host": "127.0.0.1", "email.port": port, "email.security": security,
        "email.sender": "reports@harbor.example", "email.owner": [OWNER], "email.timeout": timeout,
        "jobs.timezone": "America/Chicago", "jobs.month_end.enabled": False})


def test_a_message_the_server_took_is_sent_whatever_it_answers_to_quit(tmp_path, db):
    server = start_mail_server(tmp_path / "mail", tls=None)
    try:
        server.mode("quit-error")
        one_invoice_books(db)
        mail_to(db, server.port)
        # the first run, then two later ones past any retry time
        results = [run_cli_process("jobs", "run-due", "--now", now, "--db", db)
                   for now in ("2026-07-06T07:00", "2026-07-06T07:30", "2026-07-07T09:00")]
        assert [r.returncode for r in results] == [0, 0, 0], results[0].stderr
        assert len(server.messages()) == 1
        run = {r.key: r for r in job_runs.published(db)}[("weekly_summary", "2026-06-29")]
        assert (run.status, run.attempts, run.last_error, run.sent_to) == ("done", 1, None, OWNER)
    finally:
        server.stop()


@pytest.fixture
def trickling_server():
    """A mail server whose greeting never ends: a byte every 0.3 s, each well within email.timeout, for 30 s."""
    listener = socket.create_server(("127.0.0.1", free_port()))

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            greeting = b"220-mail.harbor.example ESMTP, please wait\r\n" * 100
            ends = time.monotonic() + 30
            for byte in greeting:
                if time.monotonic() > ends:
                    break
                try:
                    connection.sendall(bytes([byte]))
                except OSError:  # the client hung up
                    return
                time.sleep(0.3)

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def test_a_trickled_greeting_holds_the_sender_no_longer_than_its_deadline(db, trickling_server):
    mail_to(db, trickling_server, timeout=1)
    started = time.monotonic()
    with pytest.raises(delivery.SendFailed, match=f"did not finish the exchange within {delivery.EXCHANGE_TIMEOUTS} s"):
        jobs.send_test_email(db)
    assert time.monotonic() - started < 10
