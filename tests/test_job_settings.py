"""The jobs' settings ([jobs], [email]) and their schedule: defaults, refusals, time zones, occasions."""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from models.jobs import schedule
from models.settings.job_settings import When, load_jobs, save_jobs
from models.settings.settings import SettingsError, ensure_settings_file

CHICAGO = ZoneInfo("America/Chicago")
MONDAY_7, THIRD_7, NIGHT_2 = When(True, time(7, 0), 0), When(True, time(7, 0), 3), When(True, time(2, 0))


@pytest.fixture
def path(tmp_path):
    return ensure_settings_file(tmp_path / "settings.toml")


def test_the_defaults_send_nothing_until_email_is_set_up(path):
    jobs = load_jobs(path)
    assert jobs.nightly_sync == When(True, time(2, 0)) and jobs.weekly_summary == MONDAY_7
    assert jobs.month_end == THIRD_7 and jobs.alerts and jobs.timezone == ""
    assert not jobs.email.ready and jobs.email.security == "starttls" and jobs.email.port == 587


def test_a_settings_file_from_before_the_jobs_takes_their_defaults(path):
    text = path.read_text()
    path.write_text(text[:text.index("# Email:")] + text[text.index("# Device counts"):])
    assert load_jobs(path).weekly_summary == MONDAY_7


def test_saving_keeps_the_comments_and_refuses_what_does_not_check_out(path):
    save_jobs(path, {"email.host": "smtp.example.com", "email.sender": "reports@example.com",
                     "email.owner": ["owner@example.com"], "jobs.weekly_summary.at": time(6, 30),
                     "jobs.timezone": "America/Chicago"})
    jobs = load_jobs(path)
    assert jobs.email.ready and jobs.weekly_summary.at == time(6, 30) and jobs.timezone == "America/Chicago"
    assert "# the SMTP server, e.g." in path.read_text()
    before = path.read_text()
    for key, value, words in [("jobs.weekly_summary.at", "25:00", "a time on the 24-hour clock"),
                              ("jobs.weekly_summary.day", "Someday", "a day of the week"),
                              ("jobs.month_end.day", 31, "a whole number from 1 to 28"),
                              ("jobs.timezone", "Mars/Olympus", "a time zone name"),
                              ("email.owner", ["not an address"], "an email address"),
                              ("email.port", 0, "a whole number from 1 to 65,535"),
                              ("email.security", "ssl", '"starttls" or "tls" or "none"')]:
        with pytest.raises(SettingsError, match=words):
            save_jobs(path, {key: value})
    assert path.read_text() == before  # nothing was written


def test_no_login_over_an_unencrypted_connection(path):
    with pytest.raises(SettingsError, match="would send the password unencrypted"):
        save_jobs(path, {"email.security": "none", "email.user": "reports"})


def test_the_weekly_summary_is_due_monday_at_seven_in_the_company_time_zone():
    before = datetime(2026, 7, 6, 11, 59, tzinfo=timezone.utc)  # 06:59 CDT
    at = datetime(2026, 7, 6, 12, 0, tzinfo=timezone.utc)
    assert schedule.latest(schedule.WEEKLY_SUMMARY, MONDAY_7, CHICAGO, before).period == "2026-06-22"
    occasion = schedule.latest(schedule.WEEKLY_SUMMARY, MONDAY_7, CHICAGO, at)
    assert (occasion.period, occasion.due_at) == ("2026-06-29", at)
    assert schedule.weekly_as_of(occasion, CHICAGO).isoformat() == "2026-07-05"  # its Sunday
    assert schedule.following(schedule.WEEKLY_SUMMARY, MONDAY_7, CHICAGO, at) == \
        datetime(2026, 7, 13, 12, 0, tzinfo=timezone.utc)


def test_the_month_end_pack_is_for_the_month_just_ended():
    occasion = schedule.latest(schedule.MONTH_END, THIRD_7, CHICAGO, datetime(2026, 1, 3, 13, 0, tzinfo=timezone.utc))
    assert (occasion.period, occasion.covers.isoformat()) == ("2025-12", "2025-12-01")
    assert schedule.latest(schedule.MONTH_END, THIRD_7, CHICAGO,
                           datetime(2026, 1, 3, 12, 59, tzinfo=timezone.utc)).period == "2025-11"


def test_wall_clock_times_hold_across_daylight_saving():
    # Chicago moves to CDT on 2026-03-08: 02:00 does not exist that night, 07:00 is an hour earlier in UTC
    assert schedule.latest(schedule.NIGHTLY_SYNC, NIGHT_2, CHICAGO, datetime(2026, 3, 8, 9, 0, tzinfo=timezone.utc),
                           "r").period == "2026-03-08"
    assert schedule.following(schedule.WEEKLY_SUMMARY, MONDAY_7, CHICAGO,
                              datetime(2026, 3, 6, tzinfo=timezone.utc)) == datetime(2026, 3, 9, 12, tzinfo=timezone.utc)
    assert schedule.following(schedule.WEEKLY_SUMMARY, MONDAY_7, CHICAGO,
                              datetime(2026, 2, 27, tzinfo=timezone.utc)) == datetime(2026, 3, 2, 13, tzinfo=timezone.utc)


def test_an_empty_time_zone_is_this_machines(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert schedule.zone("") == ZoneInfo("Europe/Berlin")
    assert schedule.zone("America/Chicago") == CHICAGO
    assert schedule.parse_now("2026-07-06T07:00", CHICAGO) == datetime(2026, 7, 6, 12, tzinfo=timezone.utc)
