"""A visitor who has not logged in to an exposed app sees the login and nothing else: no server path and no
setting's value, even when the settings file is broken or missing (it is read only after the login)."""
from __future__ import annotations

import shutil

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from models.settings import settings
from tests.helpers import PROJECT

AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "not-a-real-secret",
        "client_id": "msp-revenue", "client_secret": "not-a-real-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


@pytest.fixture(scope="module")
def demo_db(demo_copies):
    return demo_copies("gate", 3, 1)


@pytest.fixture
def exposed():
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", before)


def broken(db):
    path = settings.settings_path(db)
    path.write_text(path.read_text(encoding="utf-8").replace("[access]", "[access]\nsecret_price = nan\n[x]", 1)
                    + '\n[tiers.Gold]\nserver = "SECRET-VALUE-42"\n', encoding="utf-8")


def missing(db):
    settings.settings_path(db).unlink()


@pytest.mark.parametrize("harm", [broken, missing, None], ids=["broken settings", "missing settings", "good settings"])
def test_before_the_login_there_is_only_the_login(monkeypatch, tmp_path, demo_db, exposed, harm):
    db = tmp_path / "w.duckdb"
    shutil.copytree(demo_db.parent, tmp_path, dirs_exist_ok=True)
    if harm:
        harm(db)
    monkeypatch.setenv("MSP_REVENUE_DB", str(db))
    before = sorted(path.name for path in tmp_path.iterdir())
    test = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
    test.secrets["auth"] = AUTH
    test.user = {"is_logged_in": False}
    test.run()
    assert not test.exception, [e.message for e in test.exception]
    assert [b.label for b in test.button] == ["Log in"]
    shown = " ".join(str(element.value) for kind in ("error", "warning", "info", "markdown", "caption", "text")
                     for element in getattr(test, kind))
    assert str(tmp_path) not in shown and "SECRET-VALUE" not in shown and "settings.toml" not in shown, shown
    assert not test.error and not test.sidebar.date_input
    assert sorted(path.name for path in tmp_path.iterdir()) == before  # a visitor writes nothing either


def test_a_logged_in_stranger_is_not_shown_a_broken_settings_file_either(monkeypatch, tmp_path, demo_db, exposed):
    shutil.copytree(demo_db.parent, tmp_path, dirs_exist_ok=True)
    broken(tmp_path / "w.duckdb")
    monkeypatch.setenv("MSP_REVENUE_DB", str(tmp_path / "w.duckdb"))
    test = AppTest.from_file(str(PROJECT / "streamlit_app.py"), default_timeout=60)
    test.secrets["auth"] = AUTH
    test.user = {"is_logged_in": True, "email": "stranger@example.com", "email_verified": True}
    test.run()
    assert not test.exception, [e.message for e in test.exception]
    shown = " ".join(str(element.value) for element in test.error)
    assert "Refusing to serve" in shown or "allow-list" in shown, shown
    assert str(tmp_path) not in shown and "SECRET-VALUE" not in shown, shown
    assert not test.sidebar.date_input
