"""The owner's settings (settings.toml beside the warehouse): tier prices, device counts, lines, rates."""
from __future__ import annotations

import functools

import json
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable


from models.settings.categories import LABOR_SCOPES
from models.names import name_key
from models.files import locked, write_atomically
from models.settings.owner_files import ensure_copy, file_to_read

DEFAULT_SETTINGS = Path(__file__).with_name("default_settings.toml")
# The bases revenue is reported on, the default first: accrual (a line is revenue on its document's date) or cash
# (when it is paid; docs/METRICS.md#cash-basis), QuickBooks' own Accrual/Cash toggle. [reports] basis names one.
BASES = {"accrual": "Accrual basis", "cash": "Cash basis"}


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Tier:
    name: str
    server: Decimal
    desktop: Decimal
    servers_only: bool = False
    covers: tuple[str, ...] = ()              # labor scopes the fee covers (categories.LABOR_SCOPES words)
    included_hours: Decimal | None = None     # hours a month of covered work the fee includes; None: all of it


@dataclass(frozen=True)
class Devices:
    servers: int
    desktops: int
    name: str = ""
    # the owner's word over a device export's: an RMM that lists another company's machines under this client, or
    # misses some, is put right here (docs/METRICS.md#devices); otherwise typed counts stand only where no export does
    override: bool = False


@dataclass(frozen=True)
class Margin:
    """What the margin report costs a client's work at (docs/METRICS.md, margin)."""
    labor_cost: Decimal                  # an hour of a technician's time, loaded, where QuickBooks has no CostRate
    workers: dict[str, Decimal]          # a worker's own loaded cost per hour, by name (as QuickBooks shows it)
    tool_per_server: Decimal             # tools per managed server per month (monitoring, backup, antivirus)
    tool_per_desktop: Decimal            # the same per desktop: the playbook's "$8/desktop/month"
    problem_percent: Decimal             # a client under this gross margin two full months running is a problem
    markup_percent: Decimal              # the playbook's upcharge on hardware and software


@dataclass(frozen=True)
class Policies:
    """The playbook's payment rules report policies checks (docs/METRICS.md, policies); a rule off finds nothing."""
    hardware_paid_by_invoice: bool       # hardware and software paid on or before the invoice's date
    agreement_paid_by_first: bool        # each agreement month paid in full by its 1st
    check_months: int                    # a check for an agreement pays at least this many months (0: no rule)
    check_methods: tuple[str, ...]       # the payment methods that are checks, as QuickBooks names them
    hourly_terms: bool                   # hourly work invoiced on net hourly_net_days
    hourly_paid_by_due: bool             # hourly invoices paid in full by their due date
    hourly_net_days: int
    finance_charges: bool                # finance charges invoiced on the 1st for what was past due


@dataclass(frozen=True)
class Payments:
    """How clients pay (report payment-behaviour, the garden, the late-payer alert; docs/METRICS.md)."""
    card_methods: tuple[str, ...]        # the payment methods that are cards, as QuickBooks names them (autopay)
    late_days: int                       # an invoice this many days past due makes its client a late payer
    slower_days: int                     # paying this many days slower than the year before puts a client at risk


@dataclass(frozen=True)
class Settings:
    company_name: str
    tiers: tuple[Tier, ...]
    setup_fee_percent: Decimal
    contract_rate: Decimal
    garden_lines: tuple[Decimal, ...]
    recurring_target_percent: Decimal
    finance_charge_percent: Decimal
    margin: Margin                        # [margin]; a file written before it takes the defaults' values
    policies: Policies                    # [policies]; likewise
    payments: Payments                    # [payments]; likewise
    devices: dict[str, dict[str, Devices]] = field(default_factory=dict)  # realm -> customer Id -> counts
    # [devices.organisations]: an RMM organisation's name -> the QuickBooks customer Id it is, where names differ
    device_organisations: dict[str, str] = field(default_factory=dict)
    allowed_emails: tuple[str, ...] = ()  # who may log in when the app is exposed beyond this machine
    report_basis: str = "accrual"        # [reports] basis: what the month-end workbook reports revenue on (BASES)


def settings_path(db: Path) -> Path:
    return db.with_name("settings.toml")


def ensure_settings_file(path: Path) -> Path:
    """The owner's settings file, copied from the defaults the first time."""
    return ensure_copy(path, DEFAULT_SETTINGS)


def read(path: Path) -> Settings:
    """The settings for a read (a report, the status, a printout): the owner's file, or the defaults while
    the folder has none; nothing is written, so reading leaves the owner's folder as it was."""
    return load(file_to_read(path, DEFAULT_SETTINGS))


def load(path: Path) -> Settings:
    """The settings, every value checked: a value the reports cannot use is a SettingsError naming the
    file, the key and what a valid value looks like, never a traceback or a silently odd figure."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SettingsError(f"{path}: cannot read the settings ({err})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not text in UTF-8; save it as UTF-8 text") from None
    return _parsed(path, text)


# A page asks for the settings several times a run, and a company's device counts (a line per client) take
# a thousand clients' file a tenth of a second to read: the same text gives the same settings, read once.
@lru_cache(maxsize=8)
def _parsed(path: Path, text: str) -> Settings:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise SettingsError(f"{path}: not valid TOML ({err}); fix the line it names") from None
    read = Reader(path, data, defaults=_defaults())
    tiers = tuple(_tier(read, name, tier)
                  for name, tier in read.table(read.at("tiers", {}), "tiers", "[tiers.Gold]").items())
    if not tiers:
        raise SettingsError(f"{path}: [tiers] is empty; define at least one tier with server and desktop prices")
    return Settings(
        company_name=_owner_company_name(read.text(read.at("company.name", ""), "company.name")),
        tiers=tiers,
        setup_fee_percent=read.number_at("agreements.setup_fee_percent", SETUP_PERCENT),
        contract_rate=read.number_at("agreements.contract_rate", RATE),
        garden_lines=tuple(sorted(read.lines(read.at("garden.lines"), "garden.lines"))),
        recurring_target_percent=read.number_at("recurring.target_percent", PERCENT),
        finance_charge_percent=read.number_at("receivables.finance_charge_percent", PERCENT),
        devices=_devices(read),
        device_organisations=_device_organisations(read),
        allowed_emails=tuple(read.texts(read.at("access.allowed_emails", []), "access.allowed_emails")),
        margin=_margin(read),
        policies=_policies(read),
        report_basis=_basis(read),
        payments=_payments(read),
    )


@functools.cache
def _defaults() -> dict:
    return tomllib.loads(DEFAULT_SETTINGS.read_text(encoding="utf-8"), parse_float=Decimal)


def _margin(read: Reader) -> Margin:
    """[margin]: each key the file leaves out (one written before margin) takes the default's value."""
    read.only_known("margin")
    read.only_known("margin.tools")
    return Margin(
        labor_cost=read.number(read.value("margin.labor_cost"), "margin.labor_cost", PRICE),
        workers=_workers(read),
        tool_per_server=read.number(read.value("margin.tools.server"), "margin.tools.server", PRICE),
        tool_per_desktop=read.number(read.value("margin.tools.desktop"), "margin.tools.desktop", PRICE),
        problem_percent=read.number(read.value("margin.problem_percent"), "margin.problem_percent", PERCENT),
        markup_percent=read.number(read.value("margin.markup_percent"), "margin.markup_percent", MARKUP_PERCENT),
    )


def _policies(read: Reader) -> Policies:
    """[policies]: each key the file leaves out (one written before policies) takes the default's value."""
    read.only_known("policies")
    return Policies(
        hardware_paid_by_invoice=read.flag_at("policies.hardware_paid_by_invoice"),
        agreement_paid_by_first=read.flag_at("policies.agreement_paid_by_first"),
        check_months=read.whole_at("policies.check_months", 0, 120),
        check_methods=_method_names(read, "policies.check_methods", '["Check"]'),
        hourly_terms=read.flag_at("policies.hourly_terms"),
        hourly_paid_by_due=read.flag_at("policies.hourly_paid_by_due"),
        hourly_net_days=read.whole_at("policies.hourly_net_days", 0, 365),
        finance_charges=read.flag_at("policies.finance_charges"),
    )


def _basis(read: Reader) -> str:
    """[reports] basis: accrual or cash; a file written before it takes the default's."""
    basis = read.value("reports.basis")
    if basis not in BASES:
        raise read.error("reports.basis", f"one of {', '.join(repr(b) for b in BASES)} in quotes, e.g. basis = \"cash\"",
                         basis)
    return basis


def _payments(read: Reader) -> Payments:
    """[payments]: each key the file leaves out (one written before payment behaviour) takes the default's."""
    read.only_known("payments")
    return Payments(card_methods=_method_names(read, "payments.card_methods", '["Credit Card", "Visa"]'),
                    late_days=read.whole_at("payments.late_days", 1, 365),
                    slower_days=read.whole_at("payments.slower_days", 1, 365))


def _method_names(read: Reader, key: str, example: str) -> tuple[str, ...]:
    """A list of QuickBooks payment method names (PaymentMethodRef), each trimmed; matched in any case."""
    methods = read.value(key)
    if not isinstance(methods, list) or not all(isinstance(m, str) and m.strip() for m in methods):
        raise read.error(key, f"a list of payment method names in quotes, e.g. {example}", methods)
    return tuple(m.strip() for m in methods)


def _workers(read: Reader) -> dict[str, Decimal]:
    """[margin.workers]: a rate per worker's name, matched to QuickBooks' names as category rules match (case,
    spaces and punctuation aside), so two names that match alike would cost one worker's hours twice."""
    workers = read.table(read.value("margin.workers"), "margin.workers", '[margin.workers] holding "Name" = 52.50')
    seen: dict[str, str] = {}
    for name in workers:
        if not name_key(name):
            raise SettingsError(f'{read.path}: margin.workers."{name}" names no one (no letter or digit); write the '
                                "worker's name as QuickBooks shows it, e.g. \"Dana Reyes\" = 52.50")
        if (first := seen.setdefault(name_key(name), name)) != name:
            raise SettingsError(f'{read.path}: margin.workers has "{first}" and "{name}", which are one name (case, '
                                "spaces and punctuation aside) and would cost that worker's hours twice; keep one")
    return {name: read.number(rate, f'margin.workers."{name}"', PRICE) for name, rate in workers.items()}


# What the playbook's tiers cover, for a settings file written before tiers named their scope: Silver is
# servers, remote, with two hours of remote labor a month; Gold servers and desktops, remote; Platinum
# onsite too. After-hours work is billed at the agreement's after-hours rate under every tier. A tier of
# another name covers nothing until its `covers` is set: its what-if never promises what it may not cover.
PLAYBOOK_COVERS = {
    "silver": (("remote", "server", "business_hours"), Decimal(2)),
    "gold": (("remote", "server", "desktop", "business_hours"), None),
    "platinum": (("remote", "onsite", "server", "desktop", "business_hours"), None),
}


def _tier(read: Reader, name: str, tier) -> Tier:
    key = f"tiers.{name}"
    tier = read.table(tier, key, f"[{key}] with server = 350 and desktop = 45")
    covers, included = PLAYBOOK_COVERS.get(name_key(name), ((), None))
    if "covers" in tier:
        covers = read.scopes(tier["covers"], f"{key}.covers")
        included = None
    if "included_hours" in tier:
        included = read.number(tier["included_hours"], f"{key}.included_hours", HOURS)
    return Tier(name, read.number(tier.get("server", _MISSING), f"{key}.server", PRICE),
                read.number(tier.get("desktop", _MISSING), f"{key}.desktop", PRICE),
                read.flag(tier.get("servers_only", False), f"{key}.servers_only"),
                tuple(covers), included)


# [devices] holds the typed counts by company (realm) and, under this name, the organisations of device exports
ORGANISATIONS = "organisations"


def _devices(read: Reader) -> dict[str, dict[str, Devices]]:
    devices: dict[str, dict[str, Devices]] = {}
    for realm, clients in read.table(read.at("devices", {}), "devices", "[devices.REALM]").items():
        if realm == ORGANISATIONS:
            continue
        where = f"devices.{realm}"
        clients = read.table(clients, where, f'[{where}] holding "Id" = {{ servers = 1, desktops = 10 }}')
        for customer_id, counts in clients.items():
            key = f"{where}.\"{customer_id}\""
            counts = read.table(counts, key, "{ servers = 1, desktops = 10 }")
            devices.setdefault(realm, {})[customer_id] = Devices(
                read.count(counts.get("servers", 0), f"{key}.servers"),
                read.count(counts.get("desktops", 0), f"{key}.desktops"),
                read.text(counts.get("name", ""), f"{key}.name"),
                read.flag(counts.get("override", False), f"{key}.override", ", e.g. override = true"))
    return devices


def _device_organisations(read: Reader) -> dict[str, str]:
    where = f"devices.{ORGANISATIONS}"
    mapping = read.table(read.at(where, {}), where, f'[{where}] holding "Organisation name" = "QuickBooks customer Id"')
    return {organisation: read.text(customer_id, f'{where}."{organisation}"', ', e.g. "Acme Dental" = "58"')
            for organisation, customer_id in mapping.items()}


def save_device_organisation(path: Path, organisation: str, customer_id: str | None) -> None:
    """Map an RMM organisation to a QuickBooks customer Id (None: take the mapping away), keeping the rest of the
    file and its comments."""
    import tomlkit  # a writer's only: reading is tomllib's, and a report only reads (DECISIONS.md, "Starting light")

    with locked(path):
        document = tomlkit.parse(ensure_settings_file(path).read_text(encoding="utf-8"))
        mapping = document.setdefault("devices", tomlkit.table()).setdefault(ORGANISATIONS, tomlkit.table())
        if customer_id is None:
            mapping.pop(organisation, None)
        else:
            mapping[organisation] = customer_id
        _write(path, document)


def save_company_name(path: Path, name: str) -> None:
    """Set the name printed on printouts and the weekly summary (empty: QuickBooks' company name)."""
    import tomlkit

    with locked(path):
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
    import tomlkit

    with locked(path):
        document = tomlkit.parse(ensure_settings_file(path).read_text(encoding="utf-8"))
        devices = document.setdefault("devices", tomlkit.table())
        if replace and realm in devices:
            del devices[realm]
        if counts:
            realm_table = devices.setdefault(realm, tomlkit.table())
            for customer_id, c in counts.items():
                entry = tomlkit.inline_table()
                entry.update({"name": c.name, "servers": c.servers, "desktops": c.desktops})
                if c.override:
                    entry["override"] = True
                realm_table[customer_id] = entry
        _write(path, document)


def save_values(path: Path, values: dict[str, object], check: Callable[[str], None]) -> None:
    """Set values by dotted key ("email.host": "smtp.example.com"), creating the tables on the way and
    keeping the rest of the file and its comments; `check` sees the new text first and raises to refuse
    it, so a value that does not check out is never written."""
    import tomlkit

    with locked(path):
        document = changed(path, values)
        check(tomlkit.dumps(document))
        _write(path, document)


def changed(path: Path, values: dict[str, object]):
    """The settings file's document with these values set by dotted key (nothing written)."""
    import tomlkit

    document = tomlkit.parse(ensure_settings_file(path).read_text(encoding="utf-8"))
    for dotted, value in values.items():
        *tables, key = dotted.split(".")
        table = document
        for name in tables:
            table = table.setdefault(name, tomlkit.table())
        table[key] = value
    return document


def _write(path: Path, document) -> None:
    import tomlkit

    # Every save reads the whole file, changes it and writes it whole: two at once (a device count on the
    # sit-down page while the Data page saves the jobs) would each write what they read, and one change would
    # be lost. Callers hold the file's lock (models.files.locked) across the three steps.
    write_atomically(path, tomlkit.dumps(document))


@dataclass(frozen=True)
class _Range:
    """What a number in the file may be. Amounts stop well inside DECIMAL(18, 2), where the reports
    compute (a price times 100,000 devices times 12 months still fits); percentages are DECIMAL(9, 4)
    there. Zero is allowed where it means something: a free desktop, a waived setup fee, no finance
    charge; not for the contract rate, nor a garden line."""
    low: Decimal
    high: Decimal
    places: int
    zero: bool
    words: str

    def fits(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or not Decimal(value).is_finite():
            return False
        number = Decimal(value)
        return (self.low < number or (self.zero and number == self.low)) and number <= self.high \
            and number == round(number, self.places)


PRICE = _Range(Decimal(0), Decimal(10) ** 9, 2, True,
               "an amount in dollars from 0 to 1,000,000,000, to the cent, e.g. 350 or 45.50")
RATE = _Range(Decimal(0), Decimal(10) ** 9, 2, False,
              "an amount in dollars over 0 and up to 1,000,000,000, to the cent, e.g. 135")
PERCENT = _Range(Decimal(0), Decimal(100), 4, True, "a percentage from 0 to 100 with at most 4 decimals, e.g. 1.5")
SETUP_PERCENT = _Range(Decimal(0), Decimal(1000), 4, True,
                       "a percentage of the monthly fee from 0 to 1000 with at most 4 decimals, e.g. 50")
MARKUP_PERCENT = _Range(Decimal(0), Decimal(1000), 4, True,
                        "a percentage of what it cost from 0 to 1000 with at most 4 decimals, e.g. 20")
HOURS = _Range(Decimal(0), Decimal(744), 2, True, "hours a month from 0 to 744 with at most 2 decimals, e.g. 2")
MAX_DEVICES = 100_000
_MISSING = object()


class Reader:
    """A settings file's values by dotted key, and what is wrong with one in the same words everywhere:
    the file, the key, what a valid value looks like (models/settings/job_settings.py reads its tables with it).
    Each check takes a value and its key; the `_at` ones read the key first, from the file or else from
    `defaults` (the project's default settings) when given."""

    def __init__(self, path: Path, data: dict, defaults: dict | None = None):
        self.path, self.data = path, data
        self.defaults = Reader(DEFAULT_SETTINGS, defaults) if defaults is not None else None

    def value(self, dotted: str):
        """The value at a dotted key, or the default's where the file has none."""
        return self.at(dotted, default=self.defaults.at(dotted)) if self.defaults else self.at(dotted)

    def at(self, dotted: str, default=_MISSING):
        """The value at a dotted key; each table on the way must be a table."""
        value, walked = self.data, []
        for key in dotted.split("."):
            if not isinstance(value, dict):
                where = ".".join(walked)
                raise self.error(where, f"a table like [{where}]", value)
            walked.append(key)
            if key not in value:
                if default is _MISSING:
                    raise self.missing(dotted)
                return default
            value = value[key]
        return value

    def only_known(self, dotted: str) -> None:
        """The file's table at a dotted key holds only the keys the defaults' does: a misspelt switch or amount
        (hourly_paid_by_due_date = false) would otherwise leave the default in force without a word."""
        table = self.at(dotted, default={})
        if not isinstance(table, dict):
            return  # the key's own check says what it should be
        known = self.defaults.at(dotted)
        for key in table:
            if key not in known:
                import difflib  # a misspelling's alone (DECISIONS.md, "Starting light")

                close = difflib.get_close_matches(key, list(known), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                raise SettingsError(f"{self.path}: {dotted}.{key} is not a setting; {hint}[{dotted}] takes "
                                    f"{', '.join(known)}")

    def missing(self, dotted: str) -> SettingsError:
        return SettingsError(f"{self.path}: {dotted} is missing; copy it from {DEFAULT_SETTINGS}, which "
                            "holds every setting with its default value")

    def table(self, value, key: str, example: str) -> dict:
        if not isinstance(value, dict):
            raise self.error(key, f"a table like {example}", value)
        return value

    def number(self, value, key: str, allowed: _Range) -> Decimal:
        if value is _MISSING:
            raise self.missing(key)
        if not allowed.fits(value):
            raise self.error(key, allowed.words, value)
        return Decimal(value)

    def number_at(self, dotted: str, allowed: _Range) -> Decimal:
        return self.number(self.at(dotted), dotted, allowed)

    def lines(self, values, key: str) -> list[Decimal]:
        shape = "a list of different yearly amounts in dollars over 0, to the cent, e.g. [500, 1000]"
        if not isinstance(values, list) or not values:
            raise self.error(key, shape, values)
        for value in values:
            if not RATE.fits(value):
                raise self.error(key, shape, value)
        lines = [Decimal(v) for v in values]
        twice = next((line for line in lines if lines.count(line) > 1), None)
        if twice is not None:
            raise SettingsError(f"{self.path}: {key} must be {shape} (not {twice} twice)")
        return lines

    def whole(self, value, key: str, low: int, high: int, example: str = "") -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(key, f"a whole number from {low:,} to {high:,}{example}", value)
        return value

    def whole_at(self, dotted: str, low: int, high: int) -> int:
        return self.whole(self.value(dotted), dotted, low, high)

    def count(self, value, key: str) -> int:
        return self.whole(value, key, 0, MAX_DEVICES, ", e.g. 10")

    def flag(self, value, key: str, example: str = ", e.g. servers_only = true") -> bool:
        if not isinstance(value, bool):
            raise self.error(key, f"true or false{example}", value)
        return value

    def flag_at(self, dotted: str) -> bool:
        return self.flag(self.value(dotted), dotted, example="")

    def text(self, value, key: str, example: str = ', e.g. name = "Bayside IT"') -> str:
        if not isinstance(value, str):
            raise self.error(key, f"text in quotes{example}", value)
        return value

    def text_at(self, dotted: str) -> str:
        """Text at a dotted key, without the spaces around it."""
        return self.text(self.value(dotted), dotted, example="").strip()

    def texts(self, values, key: str) -> list[str]:
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.error(key, 'a list of emails in quotes, e.g. ["owner@example.com"]', values)
        return values

    def scopes(self, values, key: str) -> tuple[str, ...]:
        if not isinstance(values, list) or not all(isinstance(v, str) and v in LABOR_SCOPES for v in values):
            raise self.error(key, f"a list of the work the tier covers, from {', '.join(LABOR_SCOPES)}, "
                             'e.g. ["remote", "server", "business_hours"]', values)
        return tuple(dict.fromkeys(values))

    def error(self, key: str, what: str, value) -> SettingsError:
        return SettingsError(f"{self.path}: {key} must be {what} (not {_shown(value)})")


def _shown(value) -> str:
    """A value as the message shows it: short, on one line."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:40] + "...", ensure_ascii=False)
    return str(value)[:40]

