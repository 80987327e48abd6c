"""The unattended side's settings: [email] and [jobs] in settings.toml, every value checked.

A settings file from before these tables existed, or one lacking some of their keys, takes the
defaults (models/settings/default_settings.toml) for what it lacks. The SMTP password is never a setting:
models/jobs/delivery.py reads it from a file readable by its owner only, or from the environment.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import tomlkit

from models.settings import settings
from models.files import write_atomically
from models.settings.settings import DEFAULT_SETTINGS, SettingsError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SECURITY = ("starttls", "tls", "none")
PASSWORD_VARIABLE = "MSP_REVENUE_SMTP_PASSWORD"
ADDRESS = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")


@dataclass(frozen=True)
class Email:
    """Where mail goes out, and to whom."""
    host: str
    port: int
    security: str
    user: str
    password_file: str
    sender: str
    owner: tuple[str, ...]
    accountant: tuple[str, ...]
    timeout: int

    @property
    def ready(self) -> bool:
        return bool(self.host and self.sender)


@dataclass(frozen=True)
class When:
    """When a job is due: at a time of day, on a weekday (0 is Monday) or a day of the month."""
    enabled: bool
    at: time
    day: int = 0


@dataclass(frozen=True)
class Jobs:
    timezone: str  # a time zone name; empty: this machine's
    nightly_sync: When
    weekly_summary: When
    month_end: When
    alerts: bool
    email: Email


def load_jobs(path: Path) -> Jobs:
    """The jobs' settings. The whole file is checked first, as every command checks it."""
    settings.load(path)
    return _jobs(path, path.read_text(encoding="utf-8"))


def save_jobs(path: Path, values: dict[str, object]) -> None:
    """Set [jobs] and [email] values by dotted key ("jobs.weekly_summary.at": "07:30"); values that do
    not check out are refused (a SettingsError) before anything is written."""
    plain = {key: value.strftime("%H:%M") if isinstance(value, time) else value for key, value in values.items()}
    settings.save_values(path, plain, check=lambda text: _mailable(path, _jobs(path, text)))


# The Data page's name for each value its form sets, so a refusal speaks of the field, not the file.
FORM_LABELS = {
    "jobs.timezone": "Time zone", "jobs.nightly_sync.at": "Sync at", "jobs.weekly_summary.day": "Weekly summary on",
    "jobs.weekly_summary.at": "Weekly summary at", "jobs.month_end.day": "Month-end workbook on day",
    "jobs.month_end.at": "Month-end workbook at", "email.host": "SMTP server", "email.port": "Port",
    "email.security": "Security", "email.user": "Login", "email.password_file": "Password file",
    "email.sender": "From", "email.owner": "Owner", "email.accountant": "Accountant",
}


def form_problems(path: Path, values: dict[str, object]) -> list[str]:
    """Every value of the form that does not check out, each in the form's words ("Port must be a whole
    number from 1 to 65535 (not 0)"), none naming the file or its syntax; [] when the whole form may be saved."""
    plain = {key: value.strftime("%H:%M") if isinstance(value, time) else value for key, value in values.items()}
    problems = []
    for key, value in plain.items():
        try:
            _mailable(path, _jobs(path, tomlkit.dumps(settings.changed(path, {key: value}))))
        except SettingsError as err:
            problems.append(_in_form_words(path, str(err)))
    if not problems:
        try:
            _jobs(path, tomlkit.dumps(settings.changed(path, plain)))
        except SettingsError as err:  # what only values together break (a login without encryption)
            problems.append(_in_form_words(path, str(err)))
    return list(dict.fromkeys(problems))


def _mailable(path: Path, jobs: Jobs) -> None:
    """Refuse, when saved, an address with letters beyond ASCII ("josé@example.com"): a mail server takes one
    only when it offers SMTPUTF8, which many do not, and the failure would come at 7 on a Monday. A file
    edited by hand still loads; the send then names this cause (models/jobs/delivery.py)."""
    email = jobs.email
    for dotted, addresses in (("email.sender", (email.sender,)), ("email.owner", email.owner),
                              ("email.accountant", email.accountant)):
        for address in addresses:
            if not address.isascii():
                raise SettingsError(f"{path}: {dotted} {address} has letters beyond ASCII, which a mail server takes "
                                    "only when it offers SMTPUTF8 (many do not); give an address of plain ASCII "
                                    "letters (ask the mailbox's provider for its ASCII alias)")


def _in_form_words(path: Path, message: str) -> str:
    text = message.removeprefix(f"{path}: ")
    for key in sorted(FORM_LABELS, key=len, reverse=True):
        text = text.replace(key, FORM_LABELS[key])
    return text[:1].upper() + text[1:]


PASSWORD_FILE = "smtp-password"


def store_password(settings_file: Path, password: str) -> Path:
    """Keep the SMTP password typed on the Data page in a file beside the settings that only its owner can
    read (never in settings.toml), and return it, for email.password_file."""
    path = settings_file.with_name(PASSWORD_FILE)
    write_atomically(path, password.strip("\r\n") + "\n", mode=0o600)
    return path


def time_zones() -> list[str]:
    """Every time zone name this machine knows (IANA's), to pick from instead of typing."""
    return sorted(available_timezones())


def address_list(text: str) -> list[str]:
    """Addresses typed on one line, separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[\s,;]+", text) if part]


@lru_cache(maxsize=8)  # the same text, the same jobs (settings._parsed: the Data page asks twice a run)
def _jobs(path: Path, text: str) -> Jobs:
    check = _Check(path, tomllib.loads(text), defaults=tomllib.loads(DEFAULT_SETTINGS.read_text(encoding="utf-8")))
    security = check.choice("email.security", SECURITY)
    email = Email(
        host=check.word("email.host", 'a server name, e.g. "smtp.office365.com"'),
        port=check.whole_at("email.port", 1, 65535),
        security=security,
        user=check.text_at("email.user"),
        password_file=check.text_at("email.password_file"),
        sender=check.address("email.sender", empty=True),
        owner=check.addresses("email.owner"),
        accountant=check.addresses("email.accountant"),
        timeout=check.whole_at("email.timeout", 1, 600),
    )
    if security == "none" and email.user:
        raise SettingsError(f'{path}: email.security "none" would send the password unencrypted; use "starttls" '
                            'or "tls", or leave email.user empty for a relay that takes mail without a login')
    return Jobs(check.zone("jobs.timezone"), check.when("jobs.nightly_sync"),
                check.when("jobs.weekly_summary", day=check.weekday), check.when("jobs.month_end", day=check.day),
                check.flag_at("jobs.alerts.enabled"), email)


class _Check(settings.Reader):
    """The settings reader with the kinds of value only the unattended side has: words, choices, addresses,
    time zones, times and days; each read by dotted key, from the owner's file or else the defaults."""

    def refuse(self, dotted: str, what: str) -> SettingsError:
        return self.error(dotted, what, self.value(dotted))

    def word(self, dotted: str, what: str) -> str:
        value = self.text_at(dotted)
        if re.search(r"\s", value):
            raise self.refuse(dotted, what)
        return value

    def choice(self, dotted: str, choices: tuple[str, ...]) -> str:
        value = self.text_at(dotted).lower()
        if value not in choices:
            raise self.refuse(dotted, " or ".join(f'"{c}"' for c in choices))
        return value

    def address(self, dotted: str, empty: bool = False, value=None) -> str:
        value = self.text_at(dotted) if value is None else value
        if not (isinstance(value, str) and (ADDRESS.fullmatch(value.strip()) or (empty and not value.strip()))):
            raise self.refuse(dotted, 'an email address in quotes, e.g. "owner@example.com"')
        return value.strip()

    def addresses(self, dotted: str) -> tuple[str, ...]:
        values = self.value(dotted)
        if not isinstance(values, list):
            raise self.refuse(dotted, 'a list of email addresses, e.g. ["owner@example.com"]')
        return tuple(self.address(dotted, value=value) for value in values)

    def zone(self, dotted: str) -> str:
        name = self.text_at(dotted)
        try:
            return name and ZoneInfo(name).key
        except (ZoneInfoNotFoundError, ValueError):
            raise self.refuse(dotted, 'a time zone name, e.g. "America/Chicago" (or empty: this machine\'s)') from None

    def when(self, table: str, day=None) -> When:
        return When(self.flag_at(f"{table}.enabled"), self.time(f"{table}.at"), day(f"{table}.day") if day else 0)

    def time(self, dotted: str) -> time:
        value = self.value(dotted)
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0)
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d\d", value.strip()):
            hours, minutes = map(int, value.strip().split(":"))
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
        raise self.refuse(dotted, 'a time on the 24-hour clock in quotes, e.g. "07:00"')

    def weekday(self, dotted: str) -> int:
        names = [d.lower() for d in WEEKDAYS]
        value = self.value(dotted)
        if not isinstance(value, str) or value.strip().lower() not in names:
            raise self.refuse(dotted, 'a day of the week in quotes, e.g. "Monday"')
        return names.index(value.strip().lower())

    def day(self, dotted: str) -> int:
        return self.whole_at(dotted, 1, 28)
