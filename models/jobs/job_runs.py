"""What the unattended jobs did, per job and period (raw.job_runs in the work database), and its published copy.

Each step is one statement, so one transaction: a job is claimed before it runs and marked done or
failed after, and a run that is killed in between leaves a claim the next run takes over. The app
never opens the work database (one writer, DESIGN.md #3), so after each step the runner publishes
the table as `NAME.jobs.json` beside it, which the Data page and `jobs list` read, and which lets a
runner called every minute see that nothing is due without opening the work database at all.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

from models.warehouse import sqlfiles
from models.files import write_atomically

RUNNING, PENDING, DONE, FAILED = "running", "pending", "done", "failed"
MAX_ATTEMPTS = 8          # a failing job is tried over about ten hours, then given up until its next period
FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)


@dataclass(frozen=True)
class Run:
    job: str
    period: str
    status: str
    attempts: int
    started_at: datetime          # UTC, naive (as stored)
    finished_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None
    detail: str | None
    sent_to: str | None
    sent_at: datetime | None

    @property
    def key(self) -> tuple[str, str]:
        return self.job, self.period


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sqlfiles.read("raw/job_runs.sql"))


def history(con: duckdb.DuckDBPyConnection) -> list[Run]:
    """Every run, newest first."""
    return [Run(*row) for row in con.execute(sqlfiles.read("raw/job_history.sql")).fetchall()]


def claim(con: duckdb.DuckDBPyConnection, job: str, period: str, now: datetime) -> int | None:
    """The attempt number when this run may do the job for the period now; None when it is done, given
    up, or waiting for its retry time."""
    row = con.execute(sqlfiles.read("raw/job_claim.sql"), {"job": job, "period": period, "now": _naive(now)}).fetchone()
    return row[0] if row else None


def done(con: duckdb.DuckDBPyConnection, job: str, period: str, now: datetime, detail: str,
         sent_to: str | None = None) -> None:
    con.execute(sqlfiles.read("raw/job_done.sql"),
                {"job": job, "period": period, "now": _naive(now), "detail": detail, "sent_to": sent_to})


def failed(con: duckdb.DuckDBPyConnection, job: str, period: str, now: datetime, attempt: int,
           error: str) -> datetime | None:
    """Record a failed attempt; returns when it is tried again (UTC), None when it is given up."""
    retry_at = None if attempt >= MAX_ATTEMPTS else _naive(now) + retry_wait(attempt)
    con.execute(sqlfiles.read("raw/job_failed.sql"),
                {"job": job, "period": period, "now": _naive(now), "retry_at": retry_at, "error": error})
    return retry_at


def retry_wait(attempt: int) -> timedelta:
    """5 minutes after the first failure, doubling each time, never more than 6 hours."""
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_WAIT)


def is_due(run: Run | None, now: datetime) -> bool:
    """Whether an occasion whose time has come still needs doing: never tried, killed while running,
    or failed with its retry time come."""
    if run is None or run.status == RUNNING:
        return True
    return run.status == PENDING and run.next_attempt_at is not None and run.next_attempt_at <= _naive(now)


def published_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.jobs.json")


def publish(con: duckdb.DuckDBPyConnection, db: Path) -> list[Run]:
    """Write the table's rows beside the work database, for readers that never open it."""
    runs = history(con)
    text = json.dumps([{k: _plain(v) for k, v in asdict(run).items()} for run in runs], indent=1)
    path = published_path(db)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomically(path, text)
    return runs


def looks_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.jobs-looked.json")


def record_look(db: Path, runner: str, now: datetime) -> None:
    """Note that a runner (the app's own, or a command run by cron, a timer or the container) looked for
    due jobs now: the Data page tells the owner whether anything runs the jobs at all."""
    write_atomically(looks_path(db), json.dumps({"at": _naive(now).isoformat(), "runner": runner}))


def last_look(db: Path) -> tuple[datetime, str] | None:
    """When a runner last looked (UTC, naive) and which; None before any look or when it cannot be read."""
    try:
        look = json.loads(looks_path(db).read_text(encoding="utf-8"))
        return datetime.fromisoformat(look["at"]), str(look["runner"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def busy_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.jobs-busy.json")


def note_busy(db: Path, now: datetime, gap: timedelta) -> datetime:
    """Note that a runner found the work database held by another process now; returns since when runners
    have found it so, look after look (a look more than `gap` after the last one starts anew)."""
    since = last = None
    try:
        noted = json.loads(busy_path(db).read_text(encoding="utf-8"))
        since, last = datetime.fromisoformat(noted["since"]), datetime.fromisoformat(noted["last"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    now = _naive(now)
    if since is None or last is None or not timedelta(0) <= now - last <= gap:
        since = now
    write_atomically(busy_path(db), json.dumps({"since": since.isoformat(), "last": now.isoformat()}))
    return since


def clear_busy(db: Path) -> None:
    """A runner got the work database: the next one found busy starts counting anew."""
    busy_path(db).unlink(missing_ok=True)


def published(db: Path) -> list[Run]:
    """The runs as last published; none before the first run, or when the copy cannot be read (a runner
    then looks in the work database itself)."""
    try:
        rows = json.loads(published_path(db).read_text(encoding="utf-8"))
        return [Run(**{f.name: _parsed(f.name, row[f.name]) for f in fields(Run)}) for row in rows]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _parsed(name: str, value):
    return datetime.fromisoformat(value) if value is not None and name.endswith("_at") else value


def _naive(moment: datetime) -> datetime:
    """UTC without its zone, as the table holds it."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment
