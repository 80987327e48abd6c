"""Who may open the app: everyone on this machine; from elsewhere, only allowed, logged-in people."""
from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Access:
    exposed: bool          # listening on more than loopback
    login_configured: bool  # Streamlit's OIDC login ([auth] in secrets) and an allow-list of emails
    allowed_emails: frozenset[str]

    @property
    def refuse(self) -> bool:
        """Exposed without login: serve nothing."""
        return self.exposed and not self.login_configured

    def allows(self, email: str | None, email_verified: bool | None = None) -> bool:
        """An address the provider says it has not verified proves nothing: anyone could have typed it.
        Providers that send no email_verified claim (Microsoft Entra ID) vouch for it by issuing it."""
        if not self.exposed:
            return True
        return email is not None and email.lower() in self.allowed_emails and email_verified is not False


def is_loopback(address: str) -> bool:
    if address in ("localhost", ""):
        return address == "localhost"  # an empty address means every interface
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def decide(address: str, auth_section: dict | None, allowed_emails: list[str]) -> Access:
    emails = frozenset(e.strip().lower() for e in allowed_emails if e.strip())
    configured = bool(auth_section) and bool(emails)
    return Access(exposed=not is_loopback(address), login_configured=configured, allowed_emails=emails)


def secrets_files(project_dir: Path) -> list[Path]:
    """Where Streamlit reads secrets.toml, in its order (a later file's sections replace an earlier
    one's): the user's, then the project's."""
    return [Path.home() / ".streamlit" / "secrets.toml", project_dir / ".streamlit" / "secrets.toml"]


def auth_section(project_dir: Path) -> dict | None:
    """The [auth] section Streamlit will log people in with, so the command line decides as the app does."""
    merged: dict = {}
    for path in secrets_files(project_dir):
        if path.is_file():
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
    return merged.get("auth")


REFUSAL = (
    "Refusing to serve on {address}: that reaches beyond this machine and no login is configured. Either "
    "run the app on 127.0.0.1 (the default), or configure Streamlit's OIDC login ([auth] in "
    ".streamlit/secrets.toml) and list the people allowed in settings.toml ([access] allowed_emails)."
)
NOT_ALLOWED = "Your account is not on this app's allow-list (or its provider has not verified the email address)."
