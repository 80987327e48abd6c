"""An incremental sync sends the first requests the last sync left beside the work database before it opens it
(ingest/qbo/ahead.py, issue 25), and reads their answers only when they are the requests the cursors stored ask for:
a stale, foreign or broken file costs a round trip, never a wrong answer, and the file is only ever replaced once a
sync's cursors are committed."""
from __future__ import annotations

import json
import os
import shutil
import stat
import time
from collections import Counter
from pathlib import Path

import pytest

from ingest.qbo import ahead, run as run_module, sync as sync_module
from ingest.qbo.auth import TokenStore
from ingest.qbo import config as qbo_config
from ingest.qbo.client import AccessRefused
from ingest.qbo.run import run_sync
import services
from models import files
from models.warehouse.work_db import open_work_db, raw_checksums
from tests.qbo_helpers import FAST, REALM, raw, sent_requests

NOTE = "edited in QuickBooks today"


def edit(server) -> str:
    """One invoice edited in QuickBooks (a new LastUpdatedTime): what the everyday sync reads."""
    company = server.company(REALM)
    record = dict(company.records["Invoice"][min(company.records["Invoice"], key=int)])
    return company.upsert("Invoice", {**record, "PrivateNote": NOTE})["Id"]


def requests_before_opening(monkeypatch, sent: list, server) -> list[int]:
    """How many data requests had been sent when each sync opened its work database. QuickBooks answers in a tenth of a
    second (the stand-in at once otherwise): a sync goes on once its early requests are written, or one is answered."""
    server.faults.latency = 0.1
    counts, opening = [], run_module.open_work_db

    def opened(db):
        counts.append(len(sent))
        return opening(db)

    monkeypatch.setattr(run_module, "open_work_db", opened)
    return counts


def asked(sent: list) -> Counter:
    """The requests sent (query text, or the parameters of change data capture and the ProfitAndLoss), counted."""
    return Counter((body, tuple(sorted(params.items()))) for _, body, params in sent)


def first_asked(first: ahead.First) -> Counter:
    """The kinds of the requests `first` stands for, as `kinds` counts them."""
    return Counter(["page", "count"] * (first.time_activity is not None) + ["cdc"] * bool(first.entities))


def kinds(sent: list) -> Counter:
    """The kinds of the requests sent: TimeActivity's page of changes, its count, change data capture, another."""
    def kind(body: str, params: dict) -> str:
        if "changedSince" in params:
            return "cdc"
        if body.startswith("SELECT COUNT(*) FROM TimeActivity"):
            return "count"
        return "page" if body.startswith("SELECT * FROM TimeActivity WHERE MetaData.LastUpdatedTime") else "other"
    return Counter(kind(body, params) for _, body, params in sent)


def twin(db: Path, tmp_path_factory) -> Path:
    """A copy of the warehouse `db` and what is beside it (its tokens too: the same stand-in knows them)."""
    folder = tmp_path_factory.mktemp("twin")
    for path in db.parent.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    return folder / db.name


def stored(db: Path) -> dict:
    con = open_work_db(db)
    try:
        return raw_checksums(con)
    finally:
        con.close()


def test_the_first_sync_leaves_the_next_ones_first_requests(synced):
    first = ahead.read(synced, REALM)
    assert first is not None and first.time_activity and first.since and "Invoice" in first.entities
    con = open_work_db(synced)
    try:
        assert first == sync_module.next_requests(con, REALM)
    finally:
        con.close()


def test_the_first_requests_go_out_before_the_work_database_opens_and_no_more_are_sent(
        synced, connected_qbo, monkeypatch, tmp_path_factory):
    """The answers to the requests sent early are the ones read: the sync sends what a sync without the file sends
    (a twin of the warehouse without it), no request twice."""
    plain = twin(synced, tmp_path_factory)
    ahead.path(plain).unlink()
    first = ahead.read(synced, REALM)
    edited = edit(connected_qbo)
    sent = sent_requests(monkeypatch)
    opened = requests_before_opening(monkeypatch, sent, connected_qbo)
    result = run_sync(synced, None, full=False, policy=FAST)
    assert opened == [3]
    assert kinds(sent[:3]) == first_asked(first)
    early = asked(sent)
    sent.clear()
    plain_result = run_sync(plain, None, full=False, policy=FAST)
    assert opened == [3, 0]
    assert early == asked(sent) and max(early.values()) == 1
    assert (result.mode, result.records, result.deleted) == ("incremental", plain_result.records, plain_result.deleted)
    assert raw(synced, "select payload like ? from raw.invoices where id = ?", [f"%{NOTE}%", edited]) == [(True,)]
    assert stored(synced) == stored(plain)
    assert ahead.read(synced, REALM) not in (None, first)  # the cursor moved, and the file with it


def older_sync(db: Path, server, tmp_path_factory) -> Path:
    """The file as an older sync left it, its cursor since moved by another sync (which could not write the file)."""
    old = ahead.path(db).read_bytes()
    assert run_sync(db, None, full=False, policy=FAST).mode == "incremental"
    ahead.path(db).write_bytes(old)
    return db


def another_company(db: Path, server, tmp_path_factory) -> Path:
    kept = json.loads(ahead.path(db).read_text())
    ahead.path(db).write_text(json.dumps({**kept, "realm": "4620816365000002"}))
    return db


def unreadable(db: Path, server, tmp_path_factory) -> Path:
    ahead.path(db).write_bytes(b"\xff\xfe{not json")
    return db


def another_shape(db: Path, server, tmp_path_factory) -> Path:
    ahead.path(db).write_text(json.dumps({"realm": REALM, "time_activity": 7, "entities": "Invoice", "since": None}))
    return db


def a_folder(db: Path, server, tmp_path_factory) -> Path:
    ahead.path(db).unlink()
    ahead.path(db).mkdir()
    return db


@pytest.mark.parametrize("stale, sent_early", [(older_sync, 3), (another_company, 0), (unreadable, 0),
                                               (another_shape, 0), (a_folder, 0)],
                         ids=["cursor moved since", "another company", "not JSON", "not its shape", "a folder"])
def test_a_stale_or_broken_file_costs_a_round_trip_never_a_wrong_answer(
        synced, connected_qbo, monkeypatch, tmp_path_factory, stale, sent_early):
    """The requests are asked for again (those sent early are dropped), and the records stored are a twin's, whose
    warehouse has no file."""
    stale(synced, connected_qbo, tmp_path_factory)
    plain = twin(synced, tmp_path_factory)
    shutil.rmtree(ahead.path(plain), ignore_errors=True)
    ahead.path(plain).unlink(missing_ok=True)
    edit(connected_qbo)
    sent = sent_requests(monkeypatch)
    opened = requests_before_opening(monkeypatch, sent, connected_qbo)
    result = run_sync(synced, None, full=False, policy=FAST)
    assert opened == [sent_early]
    dropped = asked(sent[:sent_early])
    ours = asked(sent)
    sent.clear()
    plain_result = run_sync(plain, None, full=False, policy=FAST)
    assert ours == asked(sent) + dropped
    assert (result.mode, result.records, result.deleted) == ("incremental", plain_result.records, plain_result.deleted)
    assert stored(synced) == stored(plain)


def expired_token(db: Path, server) -> bool:
    """The access token an hour old, as a nightly sync finds it: expired in the token file and in QuickBooks."""
    path = qbo_config.tokens_path(db)
    kept = json.loads(path.read_text())
    kept[REALM]["access_expires_at"] = time.time() - 60
    path.write_text(json.dumps(kept))
    server.access_tokens.clear()
    return False


@pytest.mark.parametrize("how", ["full", "expired token"])
def test_a_full_sync_or_a_token_to_refresh_sends_nothing_early(synced, connected_qbo, monkeypatch, how):
    full = how == "full" or expired_token(synced, connected_qbo)
    sent = sent_requests(monkeypatch)
    opened = requests_before_opening(monkeypatch, sent, connected_qbo)
    result = run_sync(synced, None, full=full, policy=FAST)
    assert opened == [0]
    assert result.mode == ("full" if full else "incremental")
    assert connected_qbo.stats.by_status[401] == 0
    assert connected_qbo.stats.refreshes == (how == "expired token")


def test_the_file_holds_no_token_and_is_the_owners_only(synced, connected_qbo):
    edit(connected_qbo)
    run_sync(synced, None, full=False, policy=FAST)
    text = ahead.path(synced).read_text()
    tokens = TokenStore(qbo_config.tokens_path(synced)).get(REALM)
    assert tokens.access_token not in text and tokens.refresh_token not in text
    assert set(json.loads(text)) == {"realm", "time_activity", "entities", "since"}
    assert stat.S_IMODE(os.stat(ahead.path(synced)).st_mode) == 0o600


def test_a_file_that_cannot_be_written_leaves_the_old_one_whole(synced, connected_qbo, monkeypatch):
    """Written beside and renamed over (models.files.write_atomically): a write that fails before the rename leaves
    the old file as it was, and the sync, whose records are committed, succeeds."""
    old = ahead.path(synced).read_bytes()
    renames = []

    def failing(source, target):
        renames.append(Path(target).name)
        raise OSError("the disk went away")

    edit(connected_qbo)
    monkeypatch.setattr(files.os, "replace", failing)  # after the new file is written, as it is renamed over the old
    assert not run_sync(synced, None, full=False, policy=FAST).failed
    monkeypatch.undo()
    assert renames == [ahead.path(synced).name]
    assert ahead.path(synced).read_bytes() == old
    assert [p.name for p in synced.parent.iterdir() if ahead.path(synced).name in p.name] == [ahead.path(synced).name]


def refused(monkeypatch, server) -> type[BaseException]:
    server.faults.forbidden = True
    return AccessRefused


def killed_before_the_commit(monkeypatch, server) -> type[BaseException]:
    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sync_module, "_move_cursor", killed)
    return KeyboardInterrupt


@pytest.mark.parametrize("failure", [refused, killed_before_the_commit], ids=["refused", "killed"])
def test_a_failed_sync_leaves_the_old_file(synced, connected_qbo, monkeypatch, failure):
    before = os.stat(ahead.path(synced))
    edit(connected_qbo)
    with pytest.raises(failure(monkeypatch, connected_qbo)):
        run_sync(synced, None, full=False, policy=FAST)
    after = os.stat(ahead.path(synced))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_disconnecting_the_company_forgets_its_first_requests(synced, connected_qbo):
    """`msp-revenue disconnect` leaves nothing of the company's next sync beside the warehouse; a file kept for
    another company is not the disconnected one's to remove."""
    assert ahead.read(synced, REALM) is not None
    services.disconnect(synced, REALM)
    assert not ahead.path(synced).exists()


def test_disconnecting_leaves_another_companys_first_requests(synced, connected_qbo):
    other = ahead.First("9130000000000999", None, ("Invoice",), "2026-12-01T00:00:00-08:00")
    ahead.write(synced, other)
    services.disconnect(synced, REALM)
    assert ahead.read(synced, other.realm) == other
