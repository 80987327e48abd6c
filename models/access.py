"""Who may open the app: everyone on this machine; from elsewhere, only allowed, logged-in people."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    exposed: bool          # listening on more than loopback
    login_configured: bool  # Streamlit's OIDC login ([auth] in secrets) and an allow-list of emails
    allowed_emails: frozenset[str]

    @property
    def refuse(self) -> bool:
        """Exposed without login: serve nothing."""
        return self.exposed and not self.login_configured

    def allows(self, email: str | None) -> bool:
        return not self.exposed or (email is not None and email.lower() in self.allowed_emails)


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


REFUSAL = (
    "Refusing to serve on {address}: that reaches beyond this machine and no login is configured. Either "
    "run the app on 127.0.0.1 (the default), or configure Streamlit's OIDC login ([auth] in "
    ".streamlit/secrets.toml) and list the people allowed in settings.toml ([access] allowed_emails)."
)
