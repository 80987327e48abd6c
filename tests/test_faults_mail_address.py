"""An owner's address beyond ASCII ("josé@example.com") and a server without SMTPUTF8: the failure names that
cause (never "does not offer STARTTLS"), and the address is refused when the settings are saved."""
from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from models.jobs import delivery
from models.settings import job_settings, settings
from models.settings.settings import SettingsError
from tests.server import free_port

JOSE = "jos\u00e9@example.com"


@pytest.fixture
def server_without_smtputf8():
    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=False)
    controller.start()
    yield controller
    controller.stop()


def test_a_send_to_an_address_beyond_ascii_names_smtputf8(server_without_smtputf8):
    email = job_settings.Email(host="127.0.0.1", port=server_without_smtputf8.port, security="none", user="",
                               password_file="", sender="reports@example.com", owner=(JOSE,), accountant=(), timeout=10)
    mail = delivery.message(email, email.owner, delivery.alert_mail("test", ["a line"]), "k")
    with pytest.raises(delivery.SendFailed) as failed:
        delivery.send(email, mail, accepted=lambda refused: None)
    assert "SMTPUTF8" in str(failed.value) and JOSE in str(failed.value)
    assert "STARTTLS" not in str(failed.value) and "email.security" not in str(failed.value)


def test_a_server_without_starttls_is_still_told_so(server_without_smtputf8):
    email = job_settings.Email(host="127.0.0.1", port=server_without_smtputf8.port, security="starttls", user="",
                               password_file="", sender="reports@example.com", owner=("owner@example.com",),
                               accountant=(), timeout=10)
    mail = delivery.message(email, email.owner, delivery.alert_mail("test", ["a line"]), "k")
    with pytest.raises(delivery.SendFailed, match="does not offer STARTTLS"):
        delivery.send(email, mail, accepted=lambda refused: None)


@pytest.mark.parametrize("key", ["email.owner", "email.accountant", "email.sender"])
def test_an_address_beyond_ascii_is_refused_when_saved(tmp_path, key):
    path = settings.ensure_settings_file(tmp_path / "settings.toml")
    before = path.read_bytes()
    value = JOSE if key == "email.sender" else [JOSE]
    (problem,) = job_settings.form_problems(path, {key: value})
    assert JOSE in problem and "SMTPUTF8" in problem
    with pytest.raises(SettingsError, match="SMTPUTF8"):
        job_settings.save_jobs(path, {key: value})
    assert path.read_bytes() == before
    job_settings.save_jobs(path, {key: "owner@example.com" if key == "email.sender" else ["owner@example.com"]})
