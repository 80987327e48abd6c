"""When the unattended jobs are due: each job's occasions (a day, a week, a month) and their times.

A job is due for its latest occasion whose time has come, until that occasion is done: a runner
called every minute, or started again after a reboot, finds the same occasion and runs it once
(models/jobs/job_runs.py records what was done). Times are wall-clock times in the jobs' time zone, so
"Monday 07:00" stays 07:00 across daylight-saving changes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.months import previous_month, week_as_of, week_of
from models.settings.job_settings import When

UTC = timezone.utc
SYSTEM_ZONE = Path("/etc/localtime")

NIGHTLY_SYNC, WEEKLY_SUMMARY, MONTH_END = "nightly_sync", "weekly_summary", "month_end"


def zone(name: str) -> tzinfo:
    """The jobs' time zone: the one settings name, else this machine's (TZ, else the system's), else UTC."""
    for candidate in (name, os.environ.get("TZ", "").lstrip(":"), _system_zone_name()):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    try:
        with SYSTEM_ZONE.open("rb") as data:
            return ZoneInfo.from_file(data, key="localtime")
    except (OSError, ValueError):
        return UTC


def _system_zone_name() -> str:
    target = os.path.realpath(SYSTEM_ZONE)
    return target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else ""


@dataclass(frozen=True)
class Occasion:
    """One job for one period: what `job_runs` records as (job, period)."""
    job: str          # e.g. "weekly_summary", "nightly_sync:9130354455000001"
    period: str       # the day synced, the week's Monday, or the month (YYYY-MM)
    covers: date      # that day, that Monday, or the month's first day
    due_at: datetime  # when it became due, UTC


def _matches(job: str, when: When, day: date) -> bool:
    if job == WEEKLY_SUMMARY:
        return day.weekday() == when.day
    if job == MONTH_END:
        return day.day == when.day
    return True


def _due_moment(when: When, day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, when.at, tzinfo=tz).astimezone(UTC)


def latest(job: str, when: When, tz: tzinfo, now: datetime, realm: str | None = None) -> Occasion | None:
    """The job's latest occasion that has come by `now`, whether or not it was done."""
    today = now.astimezone(tz).date()
    for back in range(0, 32):
        day = today - timedelta(days=back)
        if _matches(job, when, day) and _due_moment(when, day, tz) <= now:
            return _occasion(job, day, _due_moment(when, day, tz), realm)
    return None


def following(job: str, when: When, tz: tzinfo, now: datetime) -> datetime | None:
    """When the job's next occasion comes, after `now` (UTC)."""
    today = now.astimezone(tz).date()
    for ahead in range(0, 63):
        day = today + timedelta(days=ahead)
        if _matches(job, when, day) and _due_moment(when, day, tz) > now:
            return _due_moment(when, day, tz)
    return None


def _occasion(job: str, day: date, due_at: datetime, realm: str | None) -> Occasion:
    if job == WEEKLY_SUMMARY:  # the week that ended before the day it is sent (or, sent mid-week, this one so far)
        monday = week_of(day - timedelta(days=1))[0]
        return Occasion(job, monday.isoformat(), monday, due_at)
    if job == MONTH_END:       # the month just ended
        month = previous_month(day)
        return Occasion(job, f"{month:%Y-%m}", month, due_at)
    return Occasion(f"{job}:{realm}", day.isoformat(), day, due_at)


def weekly_as_of(occasion: Occasion, tz: tzinfo) -> date:
    """The date the weekly summary's figures are as of: the week's Sunday, or the day it is sent."""
    return week_as_of(occasion.covers, occasion.due_at.astimezone(tz).date())


def parse_now(text: str, tz: tzinfo) -> datetime:
    """A moment given on the command line (YYYY-MM-DDTHH:MM, with an offset or in the jobs' time zone), UTC."""
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC)


def local_time(moment: datetime, tz: tzinfo) -> str:
    """A stored (UTC) or aware moment as the owner reads it: in the jobs' time zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
