"""The owner's settings (settings.toml beside the warehouse): tier prices, device counts, lines, rates."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import tomlkit

from models.paths import ensure_copy, write_atomically

DEFAULT_SETTINGS = Path(__file__).with_name("default_settings.toml")


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Tier:
    name: str
    server: Decimal
    desktop: Decimal
    servers_only: bool = False


@dataclass(frozen=True)
class Devices:
    servers: int
    desktops: int
    name: str = ""


@dataclass(frozen=True)
class Settings:
    company_name: str
    tiers: tuple[Tier, ...]
    setup_fee_percent: Decimal
    contract_rate: Decimal
    garden_lines: tuple[Decimal, ...]
    recurring_target_percent: Decimal
    finance_charge_percent: Decimal
    devices: dict[str, dict[str, Devices]] = field(default_factory=dict)  # realm -> customer Id -> counts
    allowed_emails: tuple[str, ...] = ()  # who may log in when the app is exposed beyond this machine


def settings_path(db: Path) -> Path:
    return db.with_name("settings.toml")


def ensure_settings_file(path: Path) -> Path:
    """The owner's settings file, copied from the defaults the first time."""
    return ensure_copy(path, DEFAULT_SETTINGS)


def load(path: Path) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except OSError as err:
        raise SettingsError(f"{path}: cannot read the settings ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: not valid TOML ({err}); fix the line it names") from None
    read = _Reader(path, data)
    tiers = tuple(
        Tier(name, read.money(f"tiers.{name}.server"), read.money(f"tiers.{name}.desktop"),
             bool(read.get(f"tiers.{name}.servers_only", False)))
        for name in read.get("tiers", {})
    )
    if not tiers:
        raise SettingsError(f"{path}: [tiers] is empty; define at least one tier with server and desktop prices")
    devices: dict[str, dict[str, Devices]] = {}
    for realm, clients in read.get("devices", {}).items():
        for customer_id, counts in clients.items():
            key = f"devices.{realm}.\"{customer_id}\""
            if not isinstance(counts, dict):
                raise SettingsError(f"{path}: {key} must look like {{ servers = 1, desktops = 10 }}")
            devices.setdefault(realm, {})[customer_id] = Devices(
                read.count(counts, "servers", key), read.count(counts, "desktops", key), str(counts.get("name", "")))
    return Settings(
        company_name=_owner_company_name(read.get("company.name", "")),
        tiers=tiers,
        setup_fee_percent=read.money("agreements.setup_fee_percent"),
        contract_rate=read.money("agreements.contract_rate"),
        garden_lines=tuple(sorted(read.money_list("garden.lines"))),
        recurring_target_percent=read.money("recurring.target_percent"),
        finance_charge_percent=read.money("receivables.finance_charge_percent"),
        devices=devices,
        allowed_emails=tuple(str(e) for e in read.get("access.allowed_emails", [])),
    )


def save_company_name(path: Path, name: str) -> None:
    """Set the name printed on printouts and the weekly summary (empty: QuickBooks' company name)."""
    document = tomlkit.parse(ensure_settings_file(path).read_text(encoding="utf-8"))
    document.setdefault("company", tomlkit.table())["name"] = name.strip()
    _write(path, document)


def _owner_company_name(value) -> str:
    # "Your MSP" was the default once, and "(demo)" names were written by the demo: neither is a
    # name the owner chose, so QuickBooks' own name is used instead
    name = str(value).strip()
    return "" if name == "Your MSP" or name.endswith("(demo)") else name


def save_devices(path: Path, realm: str, counts: dict[str, Devices], replace: bool = False) -> None:
    """Set device counts for clients of a realm (all of the realm's, with replace; none left with an
    empty `counts`), keeping the rest of the file and its comments."""
    document = tomlkit.parse(ensure_settings_file(path).read_text(encoding="utf-8"))
    devices = document.setdefault("devices", tomlkit.table())
    if replace and realm in devices:
        del devices[realm]
    if not counts:
        _write(path, document)
        return
    realm_table = devices.setdefault(realm, tomlkit.table())
    for customer_id, c in counts.items():
        entry = tomlkit.inline_table()
        entry.update({"name": c.name, "servers": c.servers, "desktops": c.desktops})
        realm_table[customer_id] = entry
    _write(path, document)


def _write(path: Path, document) -> None:
    write_atomically(path, tomlkit.dumps(document))


class _Reader:
    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    def get(self, dotted: str, default=None):
        value = self.data
        for key in dotted.split("."):
            if not isinstance(value, dict) or key not in value:
                if default is not None:
                    return default
                raise SettingsError(f"{self.path}: {dotted} is missing; see {DEFAULT_SETTINGS.name} for the defaults")
            value = value[key]
        return value

    def money(self, dotted: str) -> Decimal:
        return self._decimal(self.get(dotted), dotted)

    def money_list(self, dotted: str) -> list[Decimal]:
        values = self.get(dotted)
        if not isinstance(values, list) or not values:
            raise SettingsError(f"{self.path}: {dotted} must be a list of amounts, e.g. [500, 1000]")
        return [self._decimal(v, dotted) for v in values]

    def count(self, counts: dict, key: str, where: str) -> int:
        value = counts.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise SettingsError(f"{self.path}: {where}.{key} must be a whole number of 0 or more, not {value!r}")
        return value

    def _decimal(self, value, dotted: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise SettingsError(f"{self.path}: {dotted} must be a number, not {value!r}")
        return Decimal(value)
