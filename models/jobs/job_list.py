"""What `jobs list` and the Data page say about the jobs: each job's name in the owner's words, its line
(schedule, last run, next run), a run's outcome, what is not done, what was sent, and whether anything
runs the jobs at all."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from models.jobs import job_runs
from models.jobs.alerts import ALERT_CONNECTION, ALERT_SYNC, ALERT_TIE_OUT
from models.jobs.job_runs import Run
from models.jobs.schedule import MONTH_END, NIGHTLY_SYNC, UTC, WEEKLY_SUMMARY, local_time
from models.warehouse import paths

JOB_NAMES = {NIGHTLY_SYNC: "Nightly sync", WEEKLY_SUMMARY: "Weekly summary to the owner",
             MONTH_END: "Month-end workbook to the accountant", "alerts": "Alerts to the owner",
             ALERT_SYNC: "Alert: a sync failed twice", ALERT_TIE_OUT: "Alert: the tie-out broke",
             ALERT_CONNECTION: "Alert: a connection lapses soon"}


def job_name(job: str) -> str:
    """A job as the owner reads it: "Weekly summary to the owner", "Nightly sync (QuickBooks company 123)"."""
    for key in sorted(JOB_NAMES, key=len, reverse=True):  # "alert:sync" before "alert"-less names
        if job == key:
            return JOB_NAMES[key]
        if job.startswith(key + ":"):
            return f"{JOB_NAMES[key]} (QuickBooks company {job[len(key) + 1:]})"
    return job


@dataclass(frozen=True)
class JobLine:
    """One job as `jobs list` and the Data page show it."""
    job: str
    when: str           # its schedule in words
    last: Run | None
    next_run: str       # when it runs next, or why it does not

    def row(self, tz: tzinfo) -> dict[str, str]:
        """The line as text: the job, its schedule, its last run and result, to whom, its next run."""
        run = self.last
        period = (run.period if run.job == self.job else f"{job_name(run.job)} {run.period}") if run else "never"
        return {"job": job_name(self.job), "schedule": self.when, "last run": period,
                "result": result_text(run, tz) if run else "", "sent to": (run.sent_to or "") if run else "",
                "next run": self.next_run}


def result_text(run: Run, tz: tzinfo) -> str:
    """A run's outcome in words: done or sent and when, or the failure and what happens next."""
    if run.status == job_runs.DONE:
        when = local_time(run.sent_at or run.finished_at or run.started_at, tz)
        tries = f" (attempt {run.attempts})" if run.attempts > 1 else ""
        return f"{'sent' if run.sent_at else 'done'} {when}{tries}: {run.detail}"
    if run.status == job_runs.RUNNING:
        return f"running since {local_time(run.started_at, tz)} (or stopped; the next run takes it over)"
    ending = (f"tried again from {local_time(run.next_attempt_at, tz)}" if run.status == job_runs.PENDING
              else "given up until its next period")
    return f"failed {run.attempts} time(s), last {local_time(run.finished_at or run.started_at, tz)}: " \
           f"{run.last_error}; {ending}"


LOOK_GAP = timedelta(minutes=15)  # a runner that has not looked for longer is taken as not running


def runner_status(db: Path, tz: tzinfo, now: datetime | None = None) -> tuple[str, bool]:
    """Whether anything runs the jobs, in the owner's words, and whether that is fine (False: nothing has
    looked lately, so nothing would be sent)."""
    look = job_runs.last_look(db)
    if look is None:
        return (f"No runner has looked for due jobs yet: start the app (`{paths.COMMAND} app`, which runs them "
                f"itself) or call `{paths.COMMAND} jobs run-due` every few minutes from cron or the container.", False)
    at, runner = look
    who = "the app" if runner == "app" else f"a `{paths.COMMAND} jobs run-due` command"
    now = now or datetime.now(UTC)
    recent = now.astimezone(UTC).replace(tzinfo=None) - at <= LOOK_GAP
    text = f"Due jobs were last looked for at {local_time(at, tz)} by {who}."
    return (text if recent else text + " Nothing has looked since: jobs run while the app or a runner is running."),\
        recent


def not_done_rows(runs: list[Run], tz: tzinfo) -> list[dict[str, str]]:
    """The runs that failed and are waiting for a retry, or were given up: what, when, why."""
    return [{"job": job_name(run.job), "period": run.period, "what happened": result_text(run, tz)}
            for run in runs if run.status in (job_runs.PENDING, job_runs.FAILED)]


def sent_rows(runs: list[Run], tz: tzinfo) -> list[dict[str, str]]:
    """What was sent, when and to whom, newest first."""
    return [{"sent": local_time(run.sent_at, tz), "job": job_name(run.job), "period": run.period, "to": run.sent_to or "",
             "what": run.detail or ""} for run in runs if run.sent_at]
