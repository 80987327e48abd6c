"""Where the connector finds its app credentials and QuickBooks' addresses (never in the warehouse)."""
from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.qbo.errors import ConnectorError
from models.files import write_atomically

PRODUCTION_API = "https://quickbooks.api.intuit.com/v3"
SANDBOX_API = "https://sandbox-quickbooks.api.intuit.com/v3"
# Intuit allows http://localhost for development (sandbox) keys only; production keys need https
# (docs/CONNECT.md), and then the answer is pasted.
DEFAULT_REDIRECT_URI = "http://localhost:8765/callback"
ENV = {
    "client_id": "MSP_REVENUE_QBO_CLIENT_ID",
    "client_secret": "MSP_REVENUE_QBO_CLIENT_SECRET",
    "environment": "MSP_REVENUE_QBO_ENVIRONMENT",
    "api_url": "MSP_REVENUE_QBO_API_URL",
    "redirect_uri": "MSP_REVENUE_QBO_REDIRECT_URI",
}


class ConfigError(ConnectorError):
    pass


@dataclass(frozen=True)
class QboConfig:
    client_id: str
    client_secret: str
    environment: str      # production, sandbox, or the URL of an OAuth discovery document
    api_url: str
    redirect_uri: str

    def __repr__(self) -> str:  # never print the secret
        return f"QboConfig(client_id={self.client_id!r}, environment={self.environment!r}, api_url={self.api_url!r})"


def secrets_path(db: Path) -> Path:
    return db.with_name("qbo.toml")


def tokens_path(db: Path) -> Path:
    return db.with_name("qbo-tokens.json")


def pending_path(db: Path) -> Path:
    """A consent-page attempt begun in the app and waiting for its answer (ingest.qbo.connect.begin)."""
    return db.with_name("qbo-connect-pending.json")


def save(db: Path, client_id: str, client_secret: str, environment: str, redirect_uri: str) -> Path:
    """Write the app's keys to qbo.toml beside the warehouse, readable by its owner only (what the app's
    Connect form saves; the same file as qbo.example.toml describes)."""
    values = {"client_id": client_id.strip(), "client_secret": client_secret.strip(),
              "environment": environment.strip(), "redirect_uri": redirect_uri.strip()}
    missing = [name for name in ("client_id", "client_secret") if not values[name]]
    if missing:
        raise ConfigError(f"give the app's {' and '.join(k.replace('_', ' ') for k in missing)} "
                          "(developer.intuit.com, your app's Keys & credentials)")
    # JSON's string form is a valid TOML basic string: quotes, backslashes and control characters escaped
    text = "[qbo]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items() if value)
    path = secrets_path(db)
    write_atomically(path, text, mode=0o600)
    return path


def load(db: Path) -> QboConfig:
    """Environment variables first, then qbo.toml beside the warehouse (see qbo.example.toml)."""
    path = secrets_path(db)
    values: dict[str, str] = {}
    if path.exists():
        try:
            values = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("qbo", {}))
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{path}: not valid TOML ({err})") from None
    for key, variable in ENV.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    missing = [k for k in ("client_id", "client_secret") if not values.get(k)]
    if missing:
        raise ConfigError(
            f"no QuickBooks app credentials: set {ENV['client_id']} and {ENV['client_secret']}, or copy "
            f"qbo.example.toml to {path} and fill it in (the keys of your app at developer.intuit.com)")
    environment = values.get("environment") or "production"
    api_url = values.get("api_url") or (SANDBOX_API if environment.lower() in ("sandbox", "sand") else PRODUCTION_API)
    return QboConfig(values["client_id"], values["client_secret"], environment, api_url.rstrip("/"),
                     values.get("redirect_uri") or DEFAULT_REDIRECT_URI)
