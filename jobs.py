"""The unattended side: `msp-revenue jobs run-due` runs what is due and not yet done, `jobs list` says
what each job did last and when it runs next.

Jobs (settings.toml, [jobs] and [email]): the nightly sync of each connected company, the weekly
summary to the owner, the month-end workbook to the accountant, and alerts to the owner. Each is
done once per occasion (models/jobs/schedule.py) and recorded in the work database
(models/jobs/job_runs.py). A run that has something to do holds the work database from its first claim
to its last record, as a sync does, so a second runner started at the same moment finds it busy,
waits a little and leaves the work to the first; a run killed mid-way leaves a claim the next run
takes over. A runner with nothing due reads only the published copy and opens nothing.

This is the running: looking, holding the work database, claiming, doing and recording. What the jobs
are and say lives beside their models in models/jobs/ (when each is due, the alerts, what each sends,
the names and lines `jobs list` shows).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Callable

import duckdb

import services
from models.jobs import alerts, delivery, job_runs, schedule
from models.settings import job_settings, settings
from models.warehouse import paths
from models.settings.owner_files import OwnerFileMissing, file_to_read
from models.warehouse.build import build
from models.figures.companies import company_names, printed_name
from models.jobs.job_list import JobLine
from models.jobs.job_runs import Run
from models.jobs.schedule import MONTH_END, NIGHTLY_SYNC, WEEKLY_SUMMARY, Occasion, local_time
from models.warehouse.snapshot import open_snapshot
from models.warehouse.work_db import WarehouseBusy, open_work_db

LOCK_WAIT = 10.0  # seconds a runner waits for the work database before leaving the work to whoever holds it
# held longer than this, look after look, the work database is stuck (a load, sync or build takes minutes, and
# every call to a server has its deadline): the runner then fails, so cron or the journal tells someone
BUSY_LIMIT = timedelta(minutes=30)
Record = Callable[[str, str | None], None]  # (what was done, to whom it was sent)


class JobFailed(RuntimeError):
    """An attempt did not finish; the message is safe to keep and show."""


@dataclass(frozen=True)
class Task:
    occasion: Occasion
    title: str                          # in the owner's words: "weekly summary, week of June 29, 2026"
    work: Callable[[Record], None]


@dataclass
class Context:
    """What deciding and doing the jobs needs, read once per look."""
    db: Path
    now: datetime
    config: job_settings.Jobs
    tz: tzinfo
    connections: list[services.Connection]
    runs: dict[tuple[str, str], Run]
    say: Callable[[str], None]

    @property
    def settings_path(self) -> Path:
        return settings.ensure_settings_file(settings.settings_path(self.db))


def run_due(db: Path, now: str | None, say: Callable[[str], None], runner: str = "command") -> bool:
    """Run every job that is due and not yet done; True when something failed. `runner` says who looked
    ("app": the app's own runner; "command": `jobs run-due` from cron, a timer or the container)."""
    context, trouble = _context(db, now, say, job_runs.published(db))
    job_runs.record_look(db, runner, context.now)
    if not _plan(context, syncs=True) and not _plan(context, syncs=False):
        return trouble
    con = _hold(db)
    if con is None:
        return _left_to_holder(context) or trouble
    job_runs.clear_busy(db)
    try:
        job_runs.ensure_table(con)
        failed = False
        for syncs in (True, False):  # syncs first, so what is sent after is as of this morning's data
            context.runs = {run.key: run for run in job_runs.publish(con, db)}
            for task in _plan(context, syncs):
                failed |= _attempt(con, context, task)
        return failed or trouble
    finally:
        job_runs.publish(con, db)
        con.close()


def _context(db: Path, now: str | None, say: Callable[[str], None], runs: list[Run]) -> tuple[Context, bool]:
    config = job_settings.load_jobs(file_to_read(settings.settings_path(db), settings.DEFAULT_SETTINGS))
    tz = schedule.zone(config.timezone)
    moment = schedule.parse_now(now, tz) if now else datetime.now(schedule.UTC)
    try:
        connections, trouble = services.connections(db), False
    except services.ConnectorError as err:  # the token file cannot be read: no sync can run until it is fixed
        say(f"msp-revenue: {err}")
        connections, trouble = [], True
    return Context(db, moment, config, tz, connections, {run.key: run for run in runs}, say), trouble


def _hold(db: Path) -> duckdb.DuckDBPyConnection | None:
    """The work database, once whoever holds it (another runner, a sync, a build) lets go; None after
    LOCK_WAIT: the due jobs are then left for that runner, or for the next call."""
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            return open_work_db(db)
        except WarehouseBusy:
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.2)


def _left_to_holder(context: Context) -> bool:
    """Say why the due jobs were left; True (a failure) once the work database has been held past BUSY_LIMIT."""
    db, now = context.db, context.now
    since = job_runs.note_busy(db, now, BUSY_LIMIT)
    held = now - since.replace(tzinfo=timezone.utc)  # stored as UTC without its zone
    if held <= BUSY_LIMIT:
        context.say(f"note: {db.name} is in use (a runner, sync, load or build); the due jobs run on the next call")
        return False
    context.say(f"msp-revenue: {db.name} has been in use since {local_time(since, context.tz)} ({held / timedelta(minutes=1):.0f} "
                f"minutes, longer than any load, sync or build takes), so the due jobs cannot run: look for a stuck "
                f"msp-revenue process holding it (e.g. `ps aux | grep msp-revenue`) and stop it")
    return True


def _attempt(con: duckdb.DuckDBPyConnection, context: Context, task: Task) -> bool:
    """Claim, do and record one task; True when it failed."""
    occasion, now = task.occasion, context.now
    attempt = job_runs.claim(con, occasion.job, occasion.period, now)
    if attempt is None:
        return False
    job_runs.publish(con, context.db)

    def record(detail: str, sent_to: str | None = None) -> None:
        job_runs.done(con, occasion.job, occasion.period, now, detail, sent_to)
        job_runs.publish(con, context.db)
        context.say(f"{task.title}: {detail}")

    try:
        task.work(record)
    except (JobFailed, delivery.SendFailed) as err:
        retry_at = job_runs.failed(con, occasion.job, occasion.period, now, attempt, str(err))
        later = (f"tried again from {local_time(retry_at, context.tz)}" if retry_at
                 else f"given up after {attempt} attempts")
        context.say(f"msp-revenue: {task.title} failed (attempt {attempt}): {err}; {later}")
        return True
    return False


# -- what is due --------------------------------------------------------------------------------------------------

def _plan(context: Context, syncs: bool) -> list[Task]:
    tasks = _sync_tasks(context) if syncs else _mail_tasks(context) + _alert_tasks(context)
    return [task for task in tasks
            if job_runs.is_due(context.runs.get((task.occasion.job, task.occasion.period)), context.now)]


def _sync_tasks(context: Context) -> list[Task]:
    when = context.config.nightly_sync
    if not when.enabled:
        return []
    tasks = []
    for connection in context.connections:
        occasion = schedule.latest(NIGHTLY_SYNC, when, context.tz, context.now, connection.realm_id)
        if occasion:
            tasks.append(Task(occasion, f"nightly sync of QuickBooks company {connection.realm_id}, {occasion.period}",
                              lambda record, realm=connection.realm_id: _sync(context, realm, record)))
    return tasks


def _mail_tasks(context: Context) -> list[Task]:
    config, email = context.config, context.config.email
    if not email.ready or not paths.snapshot(context.db).exists():
        return []
    tasks = []
    weekly = config.weekly_summary.enabled and email.owner and \
        schedule.latest(WEEKLY_SUMMARY, config.weekly_summary, context.tz, context.now)
    if weekly:
        tasks.append(Task(weekly, f"weekly summary, week of {delivery.long_date(weekly.covers)}",
                          lambda record: _send_weekly(context, weekly, record)))
    month = config.month_end.enabled and email.accountant and \
        schedule.latest(MONTH_END, config.month_end, context.tz, context.now)
    if month:
        tasks.append(Task(month, f"month-end workbook, {month.covers:%B %Y}",
                          lambda record: _send_month_end(context, month, record)))
    return tasks


def _alert_tasks(context: Context) -> list[Task]:
    """The alerts whose condition holds now. Each is one occasion: a day whose sync failed twice in a
    row, one set of tie-out differences, one date a connection lapses on, an agreement client's oldest invoice
    too long past due; it is sent once."""
    config = context.config
    if not (config.alerts and config.email.ready and config.email.owner):
        return []
    due = [alerts.sync_alert(context.runs.values(), c.realm_id, context.tz) for c in context.connections] + \
        [alerts.tie_out_alert(context.db, context.settings_path)] + \
        alerts.late_payer_alerts(context.db, context.settings_path, context.now.astimezone(context.tz).date()) + \
        [alerts.connection_alert(c.realm_id, c.refresh_days_left, context.tz) for c in context.connections
         if c.refresh_days_left < services.REFRESH_WARNING_DAYS]
    return [_alert_task(context, job, period, subject, lines) for job, period, subject, lines in filter(None, due)]


def _alert_task(context: Context, job: str, period: str, subject: str, lines: list[str]) -> Task:
    occasion = Occasion(job, period, context.now.astimezone(context.tz).date(), context.now)
    return Task(occasion, f"alert: {subject}",
                lambda record: _send(context, occasion, context.config.email.owner, delivery.alert_mail(subject, lines),
                                     record))


# -- doing it -----------------------------------------------------------------------------------------------------

def _sync(context: Context, realm: str, record: Record) -> None:
    try:
        result = services.sync(context.db, realm, full=False, notice=context.say)
        built = build(context.db)
    except (services.ConnectorError, settings.SettingsError, OwnerFileMissing) as err:
        raise JobFailed(str(err)) from None
    except (OSError, duckdb.Error) as err:
        raise JobFailed(f"{type(err).__name__}: {err}") from None
    if result.failed:
        raise JobFailed("QuickBooks refused " + "; ".join(f"{e}: {why}" for e, why in sorted(result.failed.items())))
    checks = f"; checks failing: {', '.join(built.failed_checks)}" if built.failed_checks else ""
    record(f"{sum(result.records.values()):,} records ({result.mode}), built {built.revenue_lines:,} revenue "
           f"lines{checks}")


def _send_weekly(context: Context, occasion: Occasion, record: Record) -> None:
    as_of = schedule.weekly_as_of(occasion, context.tz)
    mail = _from_snapshot(context, lambda con, owner, company: delivery.weekly_mail(con, owner, company, as_of))
    _send(context, occasion, context.config.email.owner, mail, record)


def _send_month_end(context: Context, occasion: Occasion, record: Record) -> None:
    today = context.now.astimezone(context.tz).date()
    mail = _from_snapshot(context, lambda con, owner, company:
                          delivery.month_end_mail(con, owner, company, occasion.covers, today))
    _send(context, occasion, context.config.email.accountant, mail, record)


def _from_snapshot(context: Context, make) -> delivery.Mail:
    owner = settings.load(context.settings_path)
    con = open_snapshot(paths.snapshot(context.db))
    try:
        return make(con, owner, printed_name(owner, company_names(con), None))
    finally:
        con.close()


def _send(context: Context, occasion: Occasion, to: tuple[str, ...], mail: delivery.Mail, record: Record) -> None:
    email = context.config.email
    message = delivery.message(email, to, mail, f"{occasion.job}/{occasion.period}")

    def accepted(refused: list[str]) -> None:
        names = [f.filename for f in mail.attachments]
        detail = f"sent {', '.join(names) or mail.subject}" + (f"; refused by the server: {', '.join(refused)}"
                                                               if refused else "")
        record(detail, ", ".join(address for address in to if address not in refused))

    delivery.send(email, message, accepted)


# -- jobs list ----------------------------------------------------------------------------------------------------

def overview(db: Path, now: str | None = None) -> tuple[list[JobLine], list[Run], tzinfo]:
    """Each job with its last run and next run, and every run (newest first), as last published."""
    runs = job_runs.published(db)
    context, _ = _context(db, now, lambda _: None, runs)
    config, email, tz = context.config, context.config.email, context.tz
    zone_name = getattr(tz, "key", None) or str(tz)

    def last(prefix: str) -> Run | None:
        return next((run for run in runs if run.job == prefix or run.job.startswith(prefix + ":")), None)

    def next_of(job: str, when: job_settings.When, needs: str | None, prefix: str) -> str:
        latest = last(prefix)
        if not when.enabled:
            return "off (enabled = false)"
        if needs:
            return f"off ({needs})"
        if latest and latest.status == job_runs.PENDING and latest.next_attempt_at:
            return f"retry from {local_time(latest.next_attempt_at, tz)}"
        following = schedule.following(job, when, tz, context.now)
        return local_time(following, tz) if following else "–"

    at = {name: getattr(config, name).at.strftime("%H:%M") for name in (NIGHTLY_SYNC, WEEKLY_SUMMARY, MONTH_END)}
    weekday = job_settings.WEEKDAYS[config.weekly_summary.day]
    mail_needs = None if email.ready else "set email.host and email.sender"
    lines = [JobLine(f"{NIGHTLY_SYNC}:{c.realm_id}", f"daily at {at[NIGHTLY_SYNC]} {zone_name}",
                     last(f"{NIGHTLY_SYNC}:{c.realm_id}"),
                     next_of(NIGHTLY_SYNC, config.nightly_sync, None, f"{NIGHTLY_SYNC}:{c.realm_id}"))
             for c in context.connections] or [
        JobLine(NIGHTLY_SYNC, f"daily at {at[NIGHTLY_SYNC]} {zone_name}", None, "off (no QuickBooks company connected)")]
    lines.append(JobLine(WEEKLY_SUMMARY, f"{weekday}s at {at[WEEKLY_SUMMARY]} {zone_name}, to the owner",
                         last(WEEKLY_SUMMARY), next_of(WEEKLY_SUMMARY, config.weekly_summary,
                                                       mail_needs or (None if email.owner else "set email.owner"),
                                                       WEEKLY_SUMMARY)))
    lines.append(JobLine(MONTH_END, f"day {config.month_end.day} of each month at {at[MONTH_END]} {zone_name}, "
                                    "to the accountant", last(MONTH_END),
                         next_of(MONTH_END, config.month_end,
                                 mail_needs or (None if email.accountant else "set email.accountant"), MONTH_END)))
    alerts_needs = "enabled = false" if not config.alerts else mail_needs or (
        None if email.owner else "set email.owner")
    lines.append(JobLine("alerts", "when a sync fails twice, the tie-out breaks, an agreement client is more than "
                                   f"[payments] late_days late, or a connection is within "
                                   f"{services.REFRESH_WARNING_DAYS} days of lapsing; to the owner",
                         last("alert"), f"off ({alerts_needs})" if alerts_needs else "checked at every run"))
    return lines, runs, tz


def send_test_email(db: Path) -> str:
    """Send a short message to the owner with the saved email settings, now: what was sent to whom; raises
    delivery.SendFailed (what the server said) or JobFailed (what to set first)."""
    email = job_settings.load_jobs(settings.ensure_settings_file(settings.settings_path(db))).email
    if not email.ready:
        raise JobFailed("set the SMTP server and the From address first, then save")
    if not email.owner:
        raise JobFailed("set the owner's address first (the test goes there), then save")
    now = datetime.now(schedule.UTC)
    mail = delivery.Mail("msp-revenue: test email", "This is a test from msp-revenue: the weekly summary, the "
                         "month-end workbook and alerts will be sent this way.\n")
    refused: list[str] = []
    delivery.send(email, delivery.message(email, email.owner, mail, f"test:{now.isoformat()}"), refused.extend)
    delivered = [a for a in email.owner if a not in refused]
    return f"Sent a test email to {', '.join(delivered)}" + (f"; refused: {', '.join(refused)}" if refused else "")


