"""A runner that cannot get the work database for longer than a set time fails and says why (issue 24, item 4),
so cron or the journal tells someone; held for less, it leaves the due jobs to the next call as before."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

import jobs
from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Tokens, TokenStore
from models.jobs import job_runs
from models.settings import job_settings, settings
from tests.helpers import PROJECT, cli
from tests.qbo_helpers import REALM

HOLDER = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(300)"


@pytest.fixture
def held(db):
    """A connected company whose nightly sync is due, and a process holding its work database."""
    db.parent.mkdir(parents=True)
    job_settings.save_jobs(settings.settings_path(db), {"jobs.timezone": "America/Chicago"})
    now = time.time()
    TokenStore(qbo_config.tokens_path(db)).save(Tokens(REALM, "access", "refresh", now + 3600, now + 86400 * 90,
                                                       None, now))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    yield db
    holder.kill()
    holder.wait()


def test_a_work_database_held_past_the_limit_fails_the_runner(held, monkeypatch, capsys):
    monkeypatch.setattr(jobs, "LOCK_WAIT", 0.5)
    assert cli("jobs", "run-due", "--now", "2026-07-06T03:00", "--db", held) == 0
    assert "is in use (a runner, sync, load or build); the due jobs run on the next call" in capsys.readouterr().err
    assert cli("jobs", "run-due", "--now", "2026-07-06T03:25", "--db", held) == 0  # 25 minutes: still a sync's time
    assert cli("jobs", "run-due", "--now", "2026-07-06T03:35", "--db", held) == 1  # 35 minutes: stuck
    said = capsys.readouterr().err
    assert "has been in use since 2026-07-06 03:00 CDT (35 minutes" in said and "the due jobs cannot run" in said


def test_a_runner_that_got_the_work_database_starts_the_count_anew(held, monkeypatch):
    monkeypatch.setattr(jobs, "LOCK_WAIT", 0.5)
    assert cli("jobs", "run-due", "--now", "2026-07-06T03:00", "--db", held) == 0
    job_runs.clear_busy(held)  # what a runner that got it does
    assert cli("jobs", "run-due", "--now", "2026-07-06T03:35", "--db", held) == 0
    assert cli("jobs", "run-due", "--now", "2026-07-07T03:10", "--db", held) == 0  # a day later: not one long hold
