"""The alerts to the owner: when each holds and what it says. Each is one occasion (a day whose sync failed twice
in a row, one set of tie-out differences, one date a connection lapses on), so it is sent once."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Iterable

from models.figures import reports
from models.figures.formatting import money_text
from models.figures.freshness import compared_income, difference_lines, freshness
from models.jobs import job_runs
from models.jobs.delivery import long_date
from models.jobs.job_runs import Run
from models.jobs.schedule import NIGHTLY_SYNC, UTC, local_time
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot

ALERT_SYNC, ALERT_TIE_OUT, ALERT_CONNECTION = "alert:sync", "alert:tie_out", "alert:connection"
ALERT_LATE_PAYER = "alert:late_payer"
Alert = tuple[str, str, str, list[str]]  # (job, period: the occasion, subject, the message's lines)


def sync_alert(runs: Iterable[Run], realm: str, tz: tzinfo) -> Alert | None:
    """Two failed attempts in a row at the nightly sync: the latest occasion's, or its first and the
    previous occasion's last."""
    job = f"{NIGHTLY_SYNC}:{realm}"
    runs = sorted((run for run in runs if run.job == job), key=lambda run: run.period)
    if not runs or runs[-1].status not in (job_runs.PENDING, job_runs.FAILED):
        return None
    latest = runs[-1]
    before = runs[-2] if len(runs) > 1 and runs[-2].status == job_runs.FAILED else None
    if latest.attempts < 2 and before is None:
        return None
    return (f"{ALERT_SYNC}:{realm}", latest.period, f"the nightly sync of QuickBooks company {realm} failed twice",
            [f"The nightly sync of QuickBooks company {realm} failed twice in a row (last tried "
             f"{local_time(latest.finished_at or latest.started_at, tz)}):", "", f"  {latest.last_error}", "",
             "The figures and reports stay as of the last sync that worked. It is tried again "
             + (f"from {local_time(latest.next_attempt_at, tz)}." if latest.next_attempt_at
                else "tomorrow night."),
             f"If it says reconnect, run `{paths.COMMAND} connect`; otherwise `{paths.COMMAND} sync` shows what happens."])


def tie_out_alert(db: Path, settings_path: Path) -> Alert | None:
    """The warehouse does not tie out (a build check fails, or income differs from QuickBooks'
    ProfitAndLoss); the same differences are told once."""
    if not paths.snapshot(db).exists():
        return None
    con = open_snapshot(paths.snapshot(db))
    try:
        info = freshness(con)
        owner = settings.load(settings_path)
        differences = difference_lines(compared_income(con, owner))
    finally:
        con.close()
    if info.ties_out and not differences:
        return None
    lines = ["The warehouse does not tie out."]
    if not info.ties_out:
        lines.append("Checks that found rows that do not add up: " + ", ".join(info.failed_checks)
                     + " (each is described in sql/tests/).")
    if differences:
        lines.append("Income that differs from QuickBooks' ProfitAndLoss:")
        lines += differences[:30]
    lines.append(f"The Data page and `{paths.COMMAND} report tie-out` show the same.")
    fingerprint = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:12]
    return ALERT_TIE_OUT, fingerprint, "the warehouse does not tie out", lines


def late_payer_alerts(db: Path, settings_path: Path, today: date) -> list[Alert]:
    """Each agreement client with an invoice more than [payments] late_days past due today: told once for its
    oldest such invoice (a client still late on the same invoice is not told again; a new invoice that becomes the
    oldest late one is)."""
    if not paths.snapshot(db).exists():
        return []
    owner = settings.load(settings_path)
    con = open_snapshot(paths.snapshot(db))
    try:
        late = reports.run_query(con, "late_agreement_clients",
                                 {"as_of": today, "realm": None, "late_days": owner.payments.late_days}).records()
    finally:
        con.close()
    return [(f"{ALERT_LATE_PAYER}:{row['realm_id']}:{row['client_id']}", row["document_id"],
             f"{row['client']} is {row['days_late']} days late",
             [f"{row['client']}, an agreement client, has not paid invoice {row['doc_number']} (due "
              f"{long_date(row['due_date'])}): {row['days_late']} days past due today, more than the "
              f"{owner.payments.late_days} days of [payments] late_days.",
              f"{money_text(row['overdue_amount'])} of its invoices is past due in all.",
              f"The Policies page and `{paths.COMMAND} report payment-behaviour --client {row['client_id']}` show how "
              "it pays; `report lines --kind payments:overdue` lists what is open."])
            for row in late]


def connection_alert(realm: str, days_left: float, tz: tzinfo) -> Alert:
    """A connection about to lapse (the runner asks for those within the warning days): told once for
    the day it lapses on."""
    # days left are counted from the clock, not from --now: the token lapses on a real day
    lapses = (datetime.now(UTC) + timedelta(days=days_left)).astimezone(tz).date()
    when = long_date(lapses)
    return (f"{ALERT_CONNECTION}:{realm}", lapses.isoformat(),
            f"the QuickBooks connection of company {realm} lapses soon",
            [f"The connection to QuickBooks company {realm} lapses on {when} "
             f"({max(days_left, 0):.0f} days from now) unless it syncs: Intuit drops a connection "
             "that is not used for 100 days.",
             "A sync that works renews it; the nightly sync does that when it can. If syncs keep failing, run "
             f"`{paths.COMMAND} sync` to see why, or `{paths.COMMAND} connect` when it says reconnect."])
