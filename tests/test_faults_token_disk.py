"""A full disk when Intuit rotates the refresh token (issue 24, item 1): the token file's folder on a small
tmpfs, filled up; the connection must survive it. Mounting needs root: skipped, saying so, without it."""
from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from ingest.qbo import config as qbo_config
from ingest.qbo.auth import Authorizer, TokenStore
from ingest.qbo.connect import begin, finish
from ingest.qbo.errors import ConnectorError
from tests.helpers import cli
from tests.qbo_helpers import REALM, connected, environment, start_server
from tests.server import free_port


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB tmpfs of its own, unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, bytes(4096))
    except OSError as err:
        assert err.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return filler


def test_a_full_disk_at_the_refresh_keeps_the_connection(small_disk, monkeypatch):
    db = small_disk / "warehouse.duckdb"
    server = start_server(clients=3, years=1)
    try:
        connected(db, server, free_port(), monkeypatch)
        store = TokenStore(qbo_config.tokens_path(db))
        authorizer = Authorizer(qbo_config.load(db), store, None)
        before = store.path.read_bytes()
        filler = fill(small_disk)

        with pytest.raises(ConnectorError, match=f"the disk holding {small_disk} is full .*connection is kept"):
            authorizer.refresh(authorizer.access_token)
        assert server.stats.refreshes == 0  # Intuit was not asked: the stored refresh token is still the live one
        assert store.path.read_bytes() == before
        assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "qbo-tokens.json", "qbo-tokens.json.lock"]

        filler.unlink()  # space freed: the next sync refreshes with what is on disk
        again = Authorizer(qbo_config.load(db), TokenStore(store.path), None)
        again.refresh(again.access_token)
        assert server.stats.refreshes == 1
        assert TokenStore(store.path).get(None).refresh_token == again.tokens.refresh_token != authorizer.tokens.refresh_token
    finally:
        server.stop()


def test_a_full_disk_at_a_playground_connect_spends_no_token(small_disk, monkeypatch, capsys):
    """Connecting with a Playground refresh token refreshes it at once (Intuit rotates it): with no room for the
    new token file, Intuit is not asked, and the token the owner pasted still works once there is room."""
    db = small_disk / "warehouse.duckdb"
    server = start_server(clients=3, years=1)
    try:
        for key, value in environment(server, free_port()).items():
            monkeypatch.setenv(key, value)
        from_playground = server.issue_tokens(REALM)["refresh_token"]
        filler = fill(small_disk)
        assert cli("connect", "--db", db, "--refresh-token", from_playground, "--realm", REALM) == 1
        err = capsys.readouterr().err
        assert f"the disk holding {small_disk} is full" in err and "the refresh token given is still unused" in err
        assert server.stats.refreshes == 0 and from_playground in server.refresh_tokens
        assert not qbo_config.tokens_path(db).exists()

        filler.unlink()
        assert cli("connect", "--db", db, "--refresh-token", from_playground, "--realm", REALM) == 0
        assert TokenStore(qbo_config.tokens_path(db)).get(REALM).refresh_token in server.refresh_tokens
    finally:
        server.stop()


def test_a_full_disk_at_the_consent_answer_leaves_its_code_unused(small_disk, monkeypatch, capsys):
    db = small_disk / "warehouse.duckdb"
    server = start_server(clients=3, years=1)
    try:
        for key, value in environment(server, free_port()).items():
            monkeypatch.setenv(key, value)
        config, store, pending = qbo_config.load(db), TokenStore(qbo_config.tokens_path(db)), small_disk / "pending"
        consent = requests.get(begin(config, store, pending, show=lambda _: None), allow_redirects=False, timeout=10)
        answer = consent.headers["Location"]  # where Intuit sends the browser, with the code
        codes = dict(server.codes)
        filler = fill(small_disk)
        with pytest.raises(ConnectorError, match="is full .*the authorisation code was not used"):
            finish(config, store, pending, answer, show=lambda _: None)
        assert server.codes == codes  # the code was not traded
        filler.unlink()
    finally:
        server.stop()
