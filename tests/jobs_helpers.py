"""A company, the mail settings and the runner for the unattended jobs' tests (tests/test_jobs.py and the Data
page's). `jobs run-due` runs in the test's process (tests.helpers.run_cli_here); the tests about two runners
and a killed one start real processes themselves."""
from __future__ import annotations

import subprocess
from pathlib import Path

from models.jobs import job_runs
from models.settings import job_settings, settings
from models import files
from tests.companies import Company
from tests.helpers import run_cli_here
from tests.mail_helpers import MailServer

PASSWORD = "s3cret-Passw0rd-for-the-mail"
OWNER, ACCOUNTANT = "owner@bayside.example", "books@cpa.example"


def books(db: Path) -> Path:
    """A company computed by hand. June 2026: hourly 1,000.00 + 300.00, hardware 250.00 less a 100.00 credit
    memo: 1,450.00. The week of June 29 (Mon) to July 5: hourly 300.00 + software 75.50 = 375.50; the week
    before: hardware 250.00 - 100.00 = 150.00."""
    company = Company()
    company.customer("1", "Alpha")
    company.customer("2", "Bravo")
    company.add("CompanyInfo", {"Id": "1", "CompanyName": "Bayside Computer Care"})
    company.invoice("1", "2026-06-10", ("hourly", "1000.00"))
    company.invoice("2", "2026-06-24", ("hardware", "250.00"))
    company.document("CreditMemo", "1", "2026-06-26", ("hardware", "100.00"))
    company.invoice("1", "2026-06-30", ("hourly", "300.00"))
    company.invoice("2", "2026-07-02", ("software", "75.50"))
    return company.load(db)


def mail_settings(db: Path, server: MailServer, **more) -> None:
    """Email to the test server, jobs in Chicago's time; the password in a file of the owner's only."""
    secret = db.parent / "smtp-password"
    files.write_atomically(secret, PASSWORD + "\n", mode=0o600)
    values = {"email.host": "127.0.0.1", "email.port": server.port, "email.sender": "reports@bayside.example",
              "email.user": "reports", "email.password_file": str(secret), "email.owner": [OWNER],
              "email.accountant": [ACCOUNTANT], "email.timeout": 2, "jobs.timezone": "America/Chicago"}
    job_settings.save_jobs(settings.settings_path(db), {**values, **more})


def run_due(db: Path, server: MailServer, now: str) -> subprocess.CompletedProcess:
    return run_cli_here("jobs", "run-due", "--now", now, "--db", db, env=trusting(server))


def trusting(server: MailServer) -> dict[str, str]:
    """The runner trusts the test server's certificate as a client trusts a real server's."""
    return {"SSL_CERT_FILE": str(server.cert)} if server.cert else {}


def runs(db: Path) -> dict[tuple[str, str], job_runs.Run]:
    return {run.key: run for run in job_runs.published(db)}
