"""The settings are read once per text: a page asks for them several times a run, and the file of a company with
a thousand clients' device counts takes a tenth of a second to read. An edit is read at once all the same, and
the app's caches tell settings apart by every value they hold."""
from __future__ import annotations

from models.settings import settings
from models.settings.job_settings import load_jobs


def test_the_same_text_is_read_once_and_an_edit_at_once(tmp_path, monkeypatch):
    path = settings.ensure_settings_file(tmp_path / "settings.toml")
    parsed = []
    loads = settings.tomllib.loads
    monkeypatch.setattr(settings.tomllib, "loads", lambda *a, **k: parsed.append(1) or loads(*a, **k))
    first = settings.load(path)
    assert settings.load(path) is first and len(parsed) == 1
    settings.save_devices(path, "demo", {"7": settings.Devices(2, 15)})
    edited = settings.load(path)
    assert edited.devices["demo"]["7"] == settings.Devices(2, 15) and len(parsed) == 2
    assert load_jobs(path) is load_jobs(path)


def test_the_apps_caches_tell_settings_apart_by_every_value(tmp_path):
    from dashboards.common import SETTINGS_KEY

    key = SETTINGS_KEY[settings.Settings]
    path = settings.ensure_settings_file(tmp_path / "settings.toml")
    before = settings.load(path)
    settings.save_devices(path, "demo", {"7": settings.Devices(2, 15)})
    one = settings.load(path)
    settings.save_devices(path, "demo", {"7": settings.Devices(2, 16)})
    other = settings.load(path)
    assert len({key(before), key(one), key(other)}) == 3
