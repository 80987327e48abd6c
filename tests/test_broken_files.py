"""Broken local files (issue 12, section 4): a corrupt token file, bad values in settings.toml, an owner's
file gone missing, temporary files a killed build left. Each gets a message naming the file (and the
key) with a way out, never a traceback, never a token read from the file."""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import threading
import time
import webbrowser

import pytest
import requests
import tomlkit

import services
from ingest.qbo import config as qbo_config
from ingest.qbo.auth import TokenStore
from models import files
from models.settings import settings
from models.warehouse import paths
from models.settings.categories import DEFAULT_RULES
from tests.builders import invoice, item_line
from tests.helpers import MSP_REVENUE, app_on, cli, copied_warehouse, write_json
from tests.qbo_helpers import REALM, environment, start_server
from tests.server import free_port

# ---------------------------------------------------------------------------------------------------
# The token file

SECRET = "rt-SECRET-kept-in-the-broken-file"  # whatever is in a broken file must never be echoed
OTHER = "9130354455000777"  # another company, connected before the file broke


def entry(realm: str, **changes) -> dict:
    now = time.time()
    fields = {"realm_id": realm, "access_token": "at-SECRET-of-" + realm, "refresh_token": SECRET,
              "access_expires_at": now + 3600, "refresh_expires_at": now + 86400 * 90,
              "refresh_hard_expires_at": None, "obtained_at": now}
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not ...}


def readable(broken_entry: dict) -> bytes:
    """A file that is JSON of the right outer shape: one good company, one broken entry."""
    return json.dumps({OTHER: entry(OTHER), REALM: broken_entry}).encode()


BROKEN_TOKEN_FILES = {
    "not JSON (cut short)": json.dumps({REALM: entry(REALM)}).encode()[:-60],
    "empty": b"",
    "binary junk": b"\x00\x9f\xff\xfe" + SECRET.encode() + b"\x00\xc3\x28",
    "a list": json.dumps([SECRET]).encode(),
    "a string": json.dumps(SECRET).encode(),
    "null": b"null",
    "deeply nested": b"[" * 100_000,
    "an entry that is text": json.dumps({OTHER: entry(OTHER), REALM: SECRET}).encode(),
    "missing keys": readable(entry(REALM, access_token=..., access_expires_at=...)),
    "a token that is a number": readable(entry(REALM, access_token=12345)),
    "a time that is text": readable(entry(REALM, access_expires_at="tomorrow")),
    "a time that is NaN": readable(entry(REALM, access_expires_at=float("nan"))),
    "an empty refresh token": readable(entry(REALM, refresh_token="")),
    "an entry for another company": json.dumps({OTHER: entry(OTHER), REALM: entry(OTHER)}).encode(),
}
KEEPS_OTHER = {name for name, content in BROKEN_TOKEN_FILES.items() if content.startswith(b'{"' + OTHER.encode())}
SHAPES = sorted(BROKEN_TOKEN_FILES)


def write_broken(db, shape: str) -> bytes:
    path = qbo_config.tokens_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(BROKEN_TOKEN_FILES[shape])
    return BROKEN_TOKEN_FILES[shape]


def assert_says_the_file_and_the_way_out(text: str, db) -> None:
    assert str(qbo_config.tokens_path(db)) in text, text
    assert "cannot be read" in text and "msp-revenue connect" in text, text
    assert "SECRET" not in text and "Traceback" not in text, text


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = tmp_path_factory.mktemp("broken-tokens") / "w.duckdb"
    source = write_json(db.parent / "a.json", {"Invoice": [invoice("1", [item_line("100.00")])]})
    assert cli("load", source, "--db", db) == 0
    return db


@pytest.fixture
def app_keys(monkeypatch):
    """Keys of an app, so that sync and disconnect get as far as the token file."""
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_ID", "id")
    monkeypatch.setenv("MSP_REVENUE_QBO_CLIENT_SECRET", "secret")
    monkeypatch.setenv("MSP_REVENUE_QBO_ENVIRONMENT", "http://127.0.0.1:9/.well-known/openid_configuration")


@pytest.mark.parametrize("shape", SHAPES)
def test_status_shows_everything_else_and_says_the_token_file_cannot_be_read(built, shape, capsys):
    write_broken(built, shape)
    capsys.readouterr()
    assert cli("status", "--db", built) == 0
    out = capsys.readouterr().out
    assert_says_the_file_and_the_way_out(out, built)
    assert "snapshot: built" in out and "tie-out to QuickBooks" in out


@pytest.mark.parametrize("shape", SHAPES)
def test_sync_stops_with_the_file_and_the_way_out(built, shape, app_keys, capsys):
    content = write_broken(built, shape)
    capsys.readouterr()
    assert cli("sync", "--db", built) == 1
    assert_says_the_file_and_the_way_out(capsys.readouterr().err, built)
    assert qbo_config.tokens_path(built).read_bytes() == content


@pytest.mark.parametrize("shape", SHAPES)
def test_disconnect_stops_with_the_file_and_the_way_out(built, shape, app_keys, capsys):
    content = write_broken(built, shape)
    capsys.readouterr()
    assert cli("disconnect", "--db", built) == 1
    err = capsys.readouterr().err
    assert_says_the_file_and_the_way_out(err, built)
    assert "nothing was revoked" in err and "connected apps" in err
    assert qbo_config.tokens_path(built).read_bytes() == content


def plain(element) -> str:
    """A message the app shows, without the escapes that keep it from reading as markdown."""
    return element.value.replace("\\", "")


@pytest.mark.parametrize("page", ["dashboards/this_week.py", "dashboards/data.py"])
def test_the_app_says_the_token_file_cannot_be_read_and_shows_the_rest(built, page, monkeypatch):
    write_broken(built, "not JSON (cut short)")
    app = app_on(monkeypatch, built, page)
    said = [plain(e) for e in app.sidebar.error]
    assert any("qbo-tokens.json" in text and "cannot be read" in text for text in said), said
    assert not any("SECRET" in e.value for e in app.error) and app.title


@pytest.fixture(scope="module")
def quickbooks():
    server = start_server(clients=3, years=1)
    yield server
    server.stop()


@pytest.fixture
def connectable(quickbooks, monkeypatch):
    for key, value in environment(quickbooks, free_port()).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(webbrowser, "open", lambda url: True)
    return quickbooks


def assert_set_aside(db, shape: str, content: bytes) -> None:
    """The broken file is kept, readable by its owner only, and the new file holds the new company
    and every company the broken file still held readably."""
    aside = [p for p in db.parent.iterdir() if p.name.startswith("qbo-tokens.json.corrupt-")]
    assert len(aside) == 1, aside
    assert aside[0].read_bytes() == content
    assert stat.S_IMODE(aside[0].stat().st_mode) == 0o600
    kept = TokenStore(qbo_config.tokens_path(db)).read_all()
    assert set(kept) == ({REALM, OTHER} if shape in KEEPS_OTHER else {REALM})
    assert kept[REALM].refresh_token != SECRET
    if shape in KEEPS_OTHER:
        assert kept[OTHER].refresh_token == SECRET  # the other company's entry, as it was
    assert stat.S_IMODE(qbo_config.tokens_path(db).stat().st_mode) == 0o600


def assert_note(text: str, db) -> None:
    assert str(qbo_config.tokens_path(db)) in text and "qbo-tokens.json.corrupt-" in text, text
    assert "SECRET" not in text, text


@pytest.mark.parametrize("shape", SHAPES)
def test_connect_with_a_refresh_token_sets_the_broken_file_aside_first(connectable, db, shape, capsys):
    content = write_broken(db, shape)
    refreshes = connectable.stats.refreshes
    assert cli("connect", "--db", db, "--refresh-token", connectable.playground_refresh_token(REALM), "--realm", REALM) == 0
    assert connectable.stats.refreshes == refreshes + 1
    err = capsys.readouterr().err
    assert_note(err, db)
    assert f"connected QuickBooks company {REALM}" in err
    assert_set_aside(db, shape, content)


@pytest.mark.parametrize("shape", SHAPES)
def test_connect_on_localhost_sets_the_broken_file_aside_before_the_consent_page(connectable, db, shape):
    content = write_broken(db, shape)
    shown = []

    def show(text: str) -> None:
        shown.append(text)
        if "authorize" in text:  # the person allows access in the browser
            url = text.split()[-1]
            threading.Thread(target=lambda: (time.sleep(0.2), requests.get(url, timeout=10)), daemon=True).start()

    assert services.connect(db, ask=None, paste=False, open_browser=False, timeout=20, show=show) == REALM
    note = next(i for i, text in enumerate(shown) if "corrupt-" in text)
    consent = next(i for i, text in enumerate(shown) if "authorize" in text)
    assert note < consent
    assert_note(shown[note], db)
    assert_set_aside(db, shape, content)


@pytest.mark.parametrize("shape", SHAPES)
def test_connect_by_paste_sets_the_broken_file_aside_before_the_consent_page(connectable, db, shape, monkeypatch):
    redirect = "https://reports.example-msp.com/quickbooks/callback"
    connectable.register_redirect_uri(redirect)
    monkeypatch.setenv("MSP_REVENUE_QBO_REDIRECT_URI", redirect)
    content = write_broken(db, shape)
    shown = []

    def paste() -> str:
        consent = next(text.split()[-1] for text in shown if "authorize" in text)
        return requests.get(consent, allow_redirects=False, timeout=10).headers["Location"]

    assert services.connect(db, ask=paste, paste=True, open_browser=False, timeout=5, show=shown.append) == REALM
    note = next(i for i, text in enumerate(shown) if "corrupt-" in text)
    assert note < next(i for i, text in enumerate(shown) if "authorize" in text)
    assert_note(shown[note], db)
    assert_set_aside(db, shape, content)


def test_a_good_token_file_is_not_set_aside(connectable, db, capsys):
    assert cli("connect", "--db", db, "--refresh-token", connectable.playground_refresh_token(REALM), "--realm", REALM) == 0
    assert cli("connect", "--db", db, "--refresh-token", connectable.playground_refresh_token(OTHER), "--realm", OTHER) == 0
    assert "corrupt" not in capsys.readouterr().err
    assert set(TokenStore(qbo_config.tokens_path(db)).read_all()) == {REALM, OTHER}
    assert not [p for p in db.parent.iterdir() if "corrupt" in p.name]


# ---------------------------------------------------------------------------------------------------
# settings.toml

BAD_SETTINGS = [
    # (dotted key to set, TOML value, the key the message names)
    ("tiers.Gold.server", "nan", "tiers.Gold.server"),
    ("tiers.Gold.server", "inf", "tiers.Gold.server"),
    ("tiers.Gold.server", "-inf", "tiers.Gold.server"),
    ("tiers.Gold.server", "-350", "tiers.Gold.server"),
    ("tiers.Gold.server", '"350"', "tiers.Gold.server"),
    ("tiers.Gold.server", "true", "tiers.Gold.server"),
    ("tiers.Gold.server", "[350]", "tiers.Gold.server"),
    ("tiers.Gold.server", "1e400", "tiers.Gold.server"),
    ("tiers.Gold.server", "100000000000000000000", "tiers.Gold.server"),
    ("tiers.Gold.server", "350.125", "tiers.Gold.server"),
    ("tiers.Platinum.desktop", "-60", "tiers.Platinum.desktop"),
    ("tiers.Silver.servers_only", '"yes"', "tiers.Silver.servers_only"),
    ("tiers.Silver.servers_only", "1", "tiers.Silver.servers_only"),
    ("tiers.Gold", "[350, 45]", "tiers.Gold"),
    ("tiers.Gold.covers", '["remote", "desktops"]', "tiers.Gold.covers"),
    ("tiers.Gold.covers", '"remote"', "tiers.Gold.covers"),
    ("tiers.Silver.included_hours", "-2", "tiers.Silver.included_hours"),
    ("tiers.Silver.included_hours", '"2"', "tiers.Silver.included_hours"),
    ("tiers.Gold", "500", "tiers.Gold"),
    ("tiers", "[500, 350]", "tiers"),
    ("agreements.setup_fee_percent", "nan", "agreements.setup_fee_percent"),
    ("agreements.setup_fee_percent", "-50", "agreements.setup_fee_percent"),
    ("agreements.setup_fee_percent", '"50%"', "agreements.setup_fee_percent"),
    ("agreements.setup_fee_percent", "100000", "agreements.setup_fee_percent"),
    ("agreements.setup_fee_percent", "1.23456", "agreements.setup_fee_percent"),
    ("agreements.contract_rate", "-135", "agreements.contract_rate"),
    ("agreements.contract_rate", "0", "agreements.contract_rate"),
    ("agreements.contract_rate", "inf", "agreements.contract_rate"),
    ("agreements.contract_rate", "false", "agreements.contract_rate"),
    ("agreements", "[50, 135]", "agreements"),
    ("garden.lines", "{ low = 500, high = 1000 }", "garden.lines"),
    ("garden.lines", "[500, -1000]", "garden.lines"),
    ("garden.lines", "[500, nan]", "garden.lines"),
    ("garden.lines", "[500, 500]", "garden.lines"),
    ("garden.lines", '["500"]', "garden.lines"),
    ("garden.lines", "[]", "garden.lines"),
    ("garden.lines", "500", "garden.lines"),
    ("garden.lines", "[0, 1000]", "garden.lines"),
    ("recurring.target_percent", "150", "recurring.target_percent"),
    ("recurring.target_percent", "-1", "recurring.target_percent"),
    ("recurring.target_percent", "-inf", "recurring.target_percent"),
    ("receivables.finance_charge_percent", "-1.5", "receivables.finance_charge_percent"),
    ("receivables.finance_charge_percent", "inf", "receivables.finance_charge_percent"),
    ("receivables.finance_charge_percent", '"1.5"', "receivables.finance_charge_percent"),
    ("company.name", "42", "company.name"),
    ("company", '"Bayside IT"', "company"),
    ("access.allowed_emails", '"owner@example.com"', "access.allowed_emails"),
    ("access.allowed_emails", "[1]", "access.allowed_emails"),
    ("access.allowed_emails", "{ owner = 1 }", "access.allowed_emails"),
    ("devices", "[1, 10]", "devices"),
    ("devices.9130", "[1, 10]", "devices.9130"),
    ("devices.9130.7", "[1, 10]", 'devices.9130."7"'),
    ("devices.9130.7", "{ servers = -1, desktops = 10 }", 'devices.9130."7".servers'),
    ("devices.9130.7", "{ servers = 1.5, desktops = 10 }", 'devices.9130."7".servers'),
    ("devices.9130.7", "{ servers = true, desktops = 10 }", 'devices.9130."7".servers'),
    ("devices.9130.7", "{ servers = 1, desktops = nan }", 'devices.9130."7".desktops'),
    ("devices.9130.7", "{ servers = 1, desktops = 10000000000 }", 'devices.9130."7".desktops'),
    ("devices.9130.7", "{ servers = 1, desktops = 10, name = 5 }", 'devices.9130."7".name'),
]
GOOD_SETTINGS = [  # zero where it makes sense: a free desktop, a waived setup fee, no finance charges
    ("tiers.Gold.desktop", "0"), ("agreements.setup_fee_percent", "0"), ("receivables.finance_charge_percent", "0"),
    ("tiers.Gold.server", "350.50"), ("receivables.finance_charge_percent", "1.25"),
    ("recurring.target_percent", "100"), ("tiers.Gold.covers", "[]"), ("tiers.Silver.included_hours", "0"),
    ("devices.9130.7", '{ servers = 0, desktops = 0, name = "Acme" }'), ("garden.lines", "[1000, 500]"),
]


def settings_with(db, dotted: str, literal: str):
    """settings.toml beside the warehouse: the defaults with one value set (tables made as needed)."""
    document = tomlkit.parse(settings.DEFAULT_SETTINGS.read_text(encoding="utf-8"))
    *tables, key = dotted.split(".")
    table = document
    for name in tables:
        if name not in table:
            table[name] = tomlkit.table()
        table = table[name]
    table[key] = tomlkit.value(literal)
    path = settings.settings_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("dotted, literal, named", BAD_SETTINGS, ids=[f"{d}={v}" for d, v, _ in BAD_SETTINGS])
def test_a_bad_setting_is_refused_with_the_file_and_the_key(db, dotted, literal, named, capsys):
    path = settings_with(db, dotted, literal)
    assert cli("tiers", "--servers", "1", "--desktops", "10", "--db", db) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"msp-revenue: {path}: {named} ") and "\n" not in err, err
    assert "e.g." in err or "like" in err, err  # what a valid value looks like


@pytest.mark.parametrize("dotted, literal", GOOD_SETTINGS, ids=[f"{d}={v}" for d, v in GOOD_SETTINGS])
def test_good_settings_still_read(db, dotted, literal, capsys):
    settings_with(db, dotted, literal)
    assert cli("tiers", "--servers", "1", "--desktops", "10", "--db", db) == 0, capsys.readouterr().err


def test_the_app_shows_a_bad_setting_as_a_message(db, monkeypatch):
    settings_with(db, "tiers.Gold.server", "nan")
    app = app_on(monkeypatch, db)
    assert any("settings.toml" in plain(e) and "tiers.Gold.server" in plain(e) for e in app.error)


# ---------------------------------------------------------------------------------------------------
# The owner's files gone missing

def tiers(db) -> int:
    return cli("tiers", "--servers", "1", "--desktops", "10", "--db", db)


def load(db, tmp_path) -> int:
    return cli("load", write_json(tmp_path / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]}), "--db", db)


def test_a_new_warehouse_gets_the_default_files_from_its_first_build(db, tmp_path):
    assert tiers(db) == 0 and not db.parent.exists()  # a read takes the defaults and writes nothing
    assert load(db, tmp_path) == 0
    assert paths.category_rules(db).exists() and settings.settings_path(db).exists()


@pytest.mark.parametrize("first", ["created by msp-revenue", "already there"])
def test_settings_gone_missing_are_not_silently_reset(db, first, tmp_path, capsys, request):
    path = settings.settings_path(db)
    if first == "already there":  # written before this version kept a record of it
        path.parent.mkdir(parents=True)
        path.write_text(settings.DEFAULT_SETTINGS.read_text(encoding="utf-8"), encoding="utf-8")
        assert load(db, tmp_path) == 0
    else:  # the first load and build made them: a copy of the module's warehouse loaded and built once
        db = request.getfixturevalue("loaded")
        path = settings.settings_path(db)
    path.unlink()
    capsys.readouterr()
    assert tiers(db) == 1
    err = capsys.readouterr().err
    assert f"{path} is missing" in err and str(settings.DEFAULT_SETTINGS) in err and "restore" in err, err
    assert not path.exists()
    shutil.copy(settings.DEFAULT_SETTINGS, path)  # the way out the message gives
    assert tiers(db) == 0


def test_category_rules_gone_missing_stop_the_build(loaded, capsys):
    db = loaded
    published = paths.snapshot(db).stat().st_mtime_ns
    rules = paths.category_rules(db)
    rules.unlink()
    capsys.readouterr()
    assert cli("build", "--db", db) == 1
    err = capsys.readouterr().err
    assert f"{rules} is missing" in err and str(DEFAULT_RULES) in err, err
    assert not rules.exists() and paths.snapshot(db).stat().st_mtime_ns == published
    shutil.copy(DEFAULT_RULES, rules)
    assert cli("build", "--db", db) == 0


def test_the_categories_page_says_the_rules_are_missing(loaded, monkeypatch):
    db = loaded
    paths.category_rules(db).unlink()
    app = app_on(monkeypatch, db, "dashboards/categories.py")
    assert any("categories.toml is missing" in plain(e) for e in app.error)
    assert not paths.category_rules(db).exists()


def test_the_app_says_the_settings_are_missing(loaded, monkeypatch):
    db = loaded
    settings.settings_path(db).unlink()
    app = app_on(monkeypatch, db)
    assert any("settings.toml is missing" in plain(e) for e in app.error)
    assert not settings.settings_path(db).exists()


# ---------------------------------------------------------------------------------------------------
# Temporary files left by a killed build

def leftovers(db) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(f".{paths.snapshot(db).name}."))


def temporary_name(db, pid: int, namespace: str | None = None) -> str:
    return f".{paths.snapshot(db).name}.{namespace or files.pid_namespace()}-{pid}.140000000000.tmp"


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.fixture(scope="module")
def loaded_once(tmp_path_factory):
    db = tmp_path_factory.mktemp("loaded") / "wh" / "warehouse.duckdb"
    assert cli("load", write_json(db.parent.parent / "a.json", {"Invoice": [invoice("1", [item_line("10.00")])]}),
               "--db", db) == 0
    return db


@pytest.fixture
def loaded(loaded_once, tmp_path):
    """A warehouse of the test's own holding one invoice, loaded and built once for the module."""
    return copied_warehouse(loaded_once, tmp_path / "wh")


def test_a_later_build_removes_what_a_dead_build_left(loaded):
    name = temporary_name(loaded, dead_pid())
    for leftover in (name, name + ".wal"):  # DuckDB's write-ahead log beside the half-written snapshot
        (loaded.parent / leftover).write_bytes(b"\0" * 4096)
    assert cli("build", "--db", loaded) == 0
    assert leftovers(loaded) == []


def test_a_live_writers_temporary_file_is_left_alone(loaded):
    writer = subprocess.Popen(["sleep", "60"])
    try:
        name = temporary_name(loaded, writer.pid)
        (loaded.parent / name).write_bytes(b"\0" * 4096)
        assert cli("build", "--db", loaded) == 0
        assert leftovers(loaded) == [name]
    finally:
        writer.kill()
        writer.wait()


def test_an_older_versions_leftover_is_still_cleared(loaded):
    name = f".{paths.snapshot(loaded).name}.{dead_pid()}.140000000000.tmp"  # before names held the namespace
    (loaded.parent / name).write_bytes(b"\0" * 4096)
    assert cli("build", "--db", loaded) == 0
    assert leftovers(loaded) == []


def test_another_containers_writer_is_left_alone_until_nothing_could_be_writing(loaded):
    """The app and the jobs runner in two containers share the warehouse folder: a pid of the other's is
    no pid of ours, dead here or not, so its temporary goes only once a day old."""
    other = str(int(files.pid_namespace()) + 1)
    live, stale = temporary_name(loaded, dead_pid(), other), temporary_name(loaded, dead_pid() + 1, other)
    for name in (live, stale):
        (loaded.parent / name).write_bytes(b"\0" * 4096)
    day_and_a_bit = time.time() - files.FOREIGN_LEFTOVER_AGE - 60
    os.utime(loaded.parent / stale, (day_and_a_bit, day_and_a_bit))
    assert cli("build", "--db", loaded) == 0
    assert leftovers(loaded) == [live]


def test_a_build_killed_while_publishing_leaves_nothing_after_the_next_build(demo_copy):
    db = demo_copy(30, 2)
    for _ in range(20):  # until the kill lands while the snapshot is half written
        build = subprocess.Popen([MSP_REVENUE, "build", "--db", str(db)], stderr=subprocess.PIPE, text=True)
        for line in build.stderr:
            if "publishing snapshot" in line:
                break
        deadline = time.monotonic() + 5
        while not leftovers(db) and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        build.send_signal(signal.SIGKILL)
        build.wait()
        build.stderr.close()
        if leftovers(db):
            break
    assert leftovers(db), "no build was killed while publishing"
    assert cli("build", "--db", db) == 0
    assert leftovers(db) == []
