"""What-if scenarios of the forecast as the owner saves them: named changes it is weighing (raise the tier prices or
the hourly rates, weed the clients below a garden line, sign the clients most likely to take a tier), kept in
`scenarios.toml` beside the warehouse and never in the books (docs/METRICS.md#what-ifs). Read strictly, as the
settings are; written whole under the file's lock. models/figures/whatifs.py turns one into the changes a forecast
computes with.
"""
from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import tomlkit

from models.files import locked, write_atomically
from models.settings.settings import PERCENT, RATE, Reader, SettingsError

KEYS = ("notice", "raise_tiers_percent", "raise_hourly_percent", "weed_below", "sign")
MOST_SIGNED = 1000
LONGEST_NAME = 80

class ScenarioError(ValueError):
    """A scenario that cannot be used: the message names the file or the scenario, what is wrong and the fix."""


@dataclass(frozen=True)
class Scenario:
    """A what-if as the owner saved it."""
    name: str
    notice: date | None = None                   # the day notice is given and clients sign; None: the as-of date
    raise_tiers_percent: Decimal = Decimal(0)    # agreements' fees this much more, after notice
    raise_hourly_percent: Decimal = Decimal(0)   # hourly work this much more, after notice
    weed_below: Decimal | None = None            # clients whose 12-month labor is under this line leave
    sign: tuple[tuple[str, int | tuple[str, ...]], ...] = ()  # tier -> the first N most likely, or named clients


def scenarios_path(db: Path) -> Path:
    return db.with_name("scenarios.toml")


def read_all(path: Path) -> dict[str, Scenario]:
    """Every saved scenario by name; none while there is no file (reads never write)."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"{path}: cannot read the what-if scenarios ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: not valid TOML ({err}); fix the line it names") from None
    read = Reader(path, data)
    try:
        table = read.table(data.get("scenarios", {}), "scenarios", '[scenarios."Raise two rates"]')
        return {name: _scenario(read, name, entry) for name, entry in table.items()}
    except SettingsError as err:
        raise ScenarioError(str(err)) from None


def find(path: Path, name: str) -> Scenario:
    """The scenario called `name`, or an error naming it and the ones there are."""
    saved = read_all(path)
    if name in saved:
        return saved[name]
    close = difflib.get_close_matches(name, list(saved), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    there = ", ".join(repr(n) for n in saved) or "none yet"
    raise ScenarioError(f"no what-if scenario {name!r} in {path.name}; {hint}saved: {there} "
                        "(whatif save NAME makes one)")


def _scenario(read: Reader, name: str, entry) -> Scenario:
    where = f'scenarios."{name}"'
    entry = read.table(entry, where, f"[{where}] holding raise_tiers_percent = 5")
    _check_name(name)
    for key in entry:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise SettingsError(f"{read.path}: {where}.{key} is not a what-if; {hint}a scenario takes "
                                f"{', '.join(KEYS)}")
    notice = entry.get("notice")
    if notice is not None and (not isinstance(notice, date) or hasattr(notice, "hour")):
        raise read.error(f"{where}.notice", "a day written without quotes, e.g. notice = 2027-01-04", notice)
    weed = entry.get("weed_below")
    return Scenario(
        name=name, notice=notice,
        raise_tiers_percent=read.number(entry.get("raise_tiers_percent", 0), f"{where}.raise_tiers_percent", PERCENT),
        raise_hourly_percent=read.number(entry.get("raise_hourly_percent", 0), f"{where}.raise_hourly_percent",
                                         PERCENT),
        weed_below=None if weed is None else read.number(weed, f"{where}.weed_below", RATE),
        sign=_signed(read, where, entry.get("sign", {})))


def _signed(read: Reader, where: str, sign) -> tuple[tuple[str, int | tuple[str, ...]], ...]:
    key = f"{where}.sign"
    sign = read.table(sign, key, '{ Gold = 3, Platinum = ["Acme Dental"] }')
    chosen: list[tuple[str, int | tuple[str, ...]]] = []
    for tier, who in sign.items():
        if isinstance(who, list):
            if not who or not all(isinstance(c, str) and c.strip() for c in who):
                raise read.error(f"{key}.{tier}", 'a list of clients by QuickBooks Id or name, e.g. ["Acme Dental"]',
                                 who)
            chosen.append((tier, tuple(c.strip() for c in who)))
        else:
            chosen.append((tier, read.whole(who, f"{key}.{tier}", 1, MOST_SIGNED,
                                            " (the first N of its Most Likely to Sign list), e.g. 3")))
    return tuple(chosen)


def _check_name(name: str) -> None:
    if not name.strip() or len(name) > LONGEST_NAME or name != name.strip():
        raise ScenarioError(f"a what-if scenario's name is 1 to {LONGEST_NAME} characters without spaces around it "
                            f"(not {name!r})")


def save(path: Path, scenario: Scenario) -> bool:
    """Save (or replace) a scenario by its name, keeping the others and the file's comments; written whole. True
    when it replaced one of that name. Checked against the warehouse first: models/figures/whatifs.py's save."""
    _check_name(scenario.name)
    with locked(path):
        replaced = scenario.name in read_all(path)  # a file that does not read is never written over
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else _new_document()
        entry = tomlkit.table()
        if scenario.notice:
            entry["notice"] = scenario.notice
        if scenario.raise_tiers_percent:
            entry["raise_tiers_percent"] = _number(scenario.raise_tiers_percent)
        if scenario.raise_hourly_percent:
            entry["raise_hourly_percent"] = _number(scenario.raise_hourly_percent)
        if scenario.weed_below is not None:
            entry["weed_below"] = _number(scenario.weed_below)
        if scenario.sign:
            signed = tomlkit.inline_table()
            signed.update({tier: list(who) if isinstance(who, tuple) else who for tier, who in scenario.sign})
            entry["sign"] = signed
        document.setdefault("scenarios", tomlkit.table())[scenario.name] = entry
        text = tomlkit.dumps(document)
        _parses(path, text, scenario.name)
        write_atomically(path, text)
    return replaced


def _number(value):
    """A number as TOML writes it from its exact text (tomlkit would go through a float)."""
    return tomlkit.parse(f"number = {Decimal(value):f}")["number"]


def _parses(path: Path, text: str, name: str) -> None:
    """The text about to be written reads back to a valid scenario (a value out of range is never saved)."""
    data = tomllib.loads(text, parse_float=Decimal)
    try:
        _scenario(Reader(path, data), name, data["scenarios"][name])
    except SettingsError as err:
        raise ScenarioError(str(err)) from None


def delete(path: Path, name: str) -> None:
    """Remove a saved scenario; an unknown name is an error naming it."""
    with locked(path):
        find(path, name)
        document = tomlkit.parse(path.read_text(encoding="utf-8"))
        del document["scenarios"][name]
        write_atomically(path, tomlkit.dumps(document))


def _new_document():
    document = tomlkit.document()
    document.add(tomlkit.comment("What-if scenarios of the forecast (report forecast --scenario NAME, the Forecast "
                                 "page). They never touch the books."))
    document.add(tomlkit.comment("notice: the day notice is given and clients sign (default: the as-of date); "
                                 "percents 0 to 100; weed_below: a yearly labor line;"))
    document.add(tomlkit.comment('sign: per tier, the first N of its Most Likely to Sign list or named clients, '
                                 'e.g. { Gold = 3, Platinum = ["Acme Dental"] }'))
    return document


def percent(text: str, what: str) -> Decimal:
    """A percentage as typed ("5", "2.5"), exact; anything else an error saying what it is for."""
    try:
        value = Decimal(text.strip() or "0")
    except ArithmeticError:
        value = None
    if value is None or not PERCENT.fits(value):
        raise ScenarioError(f"{what} must be {PERCENT.words} (not {text!r})")
    return value


def described(scenario: Scenario) -> str:
    """A scenario in words, for `whatif list` and the page."""
    parts = []
    if scenario.raise_tiers_percent:
        parts.append(f"tier prices +{scenario.raise_tiers_percent}%")
    if scenario.raise_hourly_percent:
        parts.append(f"hourly rates +{scenario.raise_hourly_percent}%")
    if scenario.weed_below is not None:
        parts.append(f"weed clients under ${scenario.weed_below:,} of labor a year")
    for tier, who in scenario.sign:
        parts.append(f"sign {tier}: " + (f"the {who} most likely" if isinstance(who, int) else ", ".join(who)))
    notice = f"notice {scenario.notice.isoformat()}" if scenario.notice else "notice on the as-of date"
    return "; ".join(parts or ["no change"]) + f" ({notice})"
