"""Category rules: the owner's TOML file, checked and turned into rows for the build."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


from models.names import name_key
from models.files import replacing
from models.settings.owner_files import ensure_copy

DEFAULT_RULES = Path(__file__).with_name("default_categories.toml")

# section in the TOML file -> rule kind in settings.category_rules, in order of precedence
SECTIONS = {
    "items": "item",
    "item_categories": "item_category",
    "income_accounts": "income_account",
    "classes": "class",
}
# The category vocabulary, once: each code with the one name people read, in the order reports,
# charts, printouts and the workbook list them. `unmapped` is no rule's target: it is what is left.
CATEGORY_LABELS = {
    "labor_msa": "MSA labor", "labor_hourly": "Hourly labor", "hardware": "Hardware",
    "software": "Software", "other": "Other", "unmapped": "Unmapped",
}
CATEGORY_ORDER = tuple(CATEGORY_LABELS)
# The sub-kinds of `other` a rule may name, by their names: a setup fee, and a finance charge (the item report
# policies finds the finance charges invoiced by).
SUBCATEGORY_LABELS = {"setup_fee": "Setup fee", "finance_charge": "Finance charge"}
# The kinds of rule a revenue line can have been decided by, as the owner reads them.
RULE_LABELS = {"item": "Item", "item_category": "Item category", "income_account": "Income account",
               "class": "Class", "unmapped": "No rule"}
CATEGORIES = tuple(c for c in CATEGORY_ORDER if c != "unmapped")
# what a rule may name -> (category, subcategory)
TARGETS = {**{c: (c, None) for c in CATEGORIES}, **{sub: ("other", sub) for sub in SUBCATEGORY_LABELS}}
# The labor-scope vocabulary, once: what a scope rule may name -> (the aspect of the work it tells, the
# words people read). A tier covers a set of these; an hourly line's aspect no rule tells is unknown.
LABOR_SCOPES = {
    "remote": ("where", "Remote"), "onsite": ("where", "Onsite"),
    "server": ("what", "Servers"), "desktop": ("what", "Desktops"),
    "business_hours": ("when", "Business hours"), "after_hours": ("when", "After hours"),
}
SCOPE_ASPECTS = ("where", "what", "when")
# What a device-kind rule may say a line's quantity counts ([device_kinds.*]): the devices a device export counts
DEVICE_KINDS = ("server", "desktop")


class RulesError(ValueError):
    """The rules file cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: str
    category: str
    subcategory: str | None


@dataclass(frozen=True)
class ScopeRule:
    kind: str
    pattern: str
    scope: str  # a LABOR_SCOPES word

    @property
    def aspect(self) -> str:
        return LABOR_SCOPES[self.scope][0]


@dataclass(frozen=True)
class DeviceKindRule:
    kind: str         # item | item_category | income_account | class
    pattern: str
    device_kind: str  # a DEVICE_KINDS word: what one of the line's quantity is


@dataclass(frozen=True)
class RuleSet:
    rules: list[Rule]
    agreement_months: dict[str, int]  # agreement item name -> months one line covers
    scope_rules: list[ScopeRule] = field(default_factory=list)
    device_kind_rules: list[DeviceKindRule] = field(default_factory=list)


def category_name(category: str, subcategory: str | None = None) -> str:
    """A line's category by name: "MSA labor", "Setup fee" (not "Other"); a code outside the vocabulary as it is."""
    return SUBCATEGORY_LABELS.get(subcategory or "") or CATEGORY_LABELS.get(category, category)


def rule_name(rule: str) -> str:
    """The kind of rule that decided a line, by name: "Item category", not item_category."""
    return RULE_LABELS.get(rule, rule)


def ensure_rules_file(path: Path) -> Path:
    """The owner's rules file, copied from the defaults the first time."""
    return ensure_copy(path, DEFAULT_RULES)


def load(path: Path) -> RuleSet:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise RulesError(f"{path}: cannot read the category rules ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise RulesError(f"{path}: not valid TOML ({err}); fix the line it names") from None
    rules: list[Rule] = []
    months = _agreement_months(path, data.pop("agreement_months", {}))
    scope_rules = _scope_rules(path, data.pop("labor_scopes", {}))
    device_kind_rules = _device_kind_rules(path, data.pop("device_kinds", {}))
    for section, entries in data.items():
        if section not in SECTIONS:
            raise RulesError(
                f"{path}: unknown section [{section}]; use "
                f"{', '.join(f'[{s}]' for s in SECTIONS)}, [agreement_months], [labor_scopes.items] (...) or "
                f"[device_kinds.items] (...)"
            )
        if not isinstance(entries, dict):
            raise RulesError(f"{path}: [{section}] must hold lines like \"Name\" = \"category\"")
        seen: dict[str, tuple[str, str]] = {}
        for pattern, target in entries.items():
            where = f"{path}: [{section}] \"{pattern}\""
            if target not in TARGETS:
                raise RulesError(f"{where} = {target!r} is not a category; use one of {', '.join(TARGETS)}")
            key = name_key(pattern)
            if not key:
                raise RulesError(f"{where}: the name has no letters or digits (spaces, punctuation and symbols are ignored)")
            if key in seen and seen[key][1] != target:
                raise RulesError(f"{where} and \"{seen[key][0]}\" are the same name with different categories")
            seen[key] = (pattern, target)
            category, subcategory = TARGETS[target]
            rules.append(Rule(SECTIONS[section], pattern, category, subcategory))
    return RuleSet(rules, months, scope_rules, device_kind_rules)


def _scope_rules(path: Path, sections) -> list[ScopeRule]:
    """[labor_scopes.items], [labor_scopes.item_categories], ...: each name -> one scope word or a list of
    them, at most one per aspect (where, what, when): "Onsite Server Work" = ["onsite", "server"]."""
    rules: list[ScopeRule] = []
    for section, pattern, scopes, where in _named_sections(path, "labor_scopes", sections, '"Remote" = "remote"'):
        words = [scopes] if isinstance(scopes, str) else scopes
        if not isinstance(words, list) or not words or any(w not in LABOR_SCOPES for w in words):
            raise RulesError(f"{where} = {scopes!r}: give one of {', '.join(LABOR_SCOPES)}, or a list of them "
                             "(one for each of where, what and when)")
        aspects = [LABOR_SCOPES[w][0] for w in words]
        if len(set(aspects)) < len(aspects):
            raise RulesError(f"{where} = {scopes!r} names two scopes of the same kind; keep one of each of "
                             "where (remote, onsite), what (server, desktop) and when (business_hours, after_hours)")
        rules += [ScopeRule(SECTIONS[section], pattern, word) for word in words]
    return rules


def _device_kind_rules(path: Path, sections) -> list[DeviceKindRule]:
    """[device_kinds.items], [device_kinds.item_categories], ...: each name -> the kind of device a line of it
    bills, one per quantity: "Managed Desktop" = "desktop", "Server Monitoring" = "server"."""
    rules: list[DeviceKindRule] = []
    for section, pattern, kind, where in _named_sections(path, "device_kinds", sections, '"Managed Desktop" = "desktop"'):
        if kind not in DEVICE_KINDS:
            raise RulesError(f"{where} = {kind!r}: give one of {', '.join(DEVICE_KINDS)} (the device a line of it bills)")
        rules.append(DeviceKindRule(SECTIONS[section], pattern, kind))
    return rules


def _named_sections(path: Path, top: str, sections, example: str) -> Iterator[tuple[str, str, object, str]]:
    """Each (section, name, value, where) of [TOP.items], [TOP.item_categories], ...; a section that is not one of
    SECTIONS, a name with no letters or digits, or a name given twice is refused."""
    if not isinstance(sections, dict):
        raise RulesError(f"{path}: [{top}] must hold sections like [{top}.classes]")
    for section, entries in sections.items():
        if section not in SECTIONS:
            raise RulesError(f"{path}: unknown section [{top}.{section}]; use "
                             f"{', '.join(f'[{top}.{s}]' for s in SECTIONS)}")
        if not isinstance(entries, dict):
            raise RulesError(f"{path}: [{top}.{section}] must hold lines like {example}")
        seen: dict[str, str] = {}
        for pattern, value in entries.items():
            where = f"{path}: [{top}.{section}] \"{pattern}\""
            key = name_key(pattern)
            if not key:
                raise RulesError(f"{where}: the name has no letters or digits (spaces, punctuation and symbols are ignored)")
            if key in seen:
                raise RulesError(f"{where} and \"{seen[key]}\" are the same name; keep one line for it")
            seen[key] = pattern
            yield section, pattern, value, where


def _agreement_months(path: Path, entries) -> dict[str, int]:
    if not isinstance(entries, dict):
        raise RulesError(f"{path}: [agreement_months] must hold lines like \"MSA - Quarterly\" = 3")
    for name, months in entries.items():
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 36:
            raise RulesError(f"{path}: [agreement_months] \"{name}\" = {months!r}: give the whole number of "
                             "months one line of this item covers (1 to 36)")
    return dict(entries)


def save_rule(path: Path, section: str, pattern: str, target: str) -> tuple[str, str] | None:
    """Add or change one rule in the owner's file, keeping its comments; checked before it is written.
    Returns the entry it replaced, (name, target), or None: what restore_rule needs to undo it."""
    if target not in TARGETS:
        raise RulesError(f"{target!r} is not a category; use one of {', '.join(TARGETS)}")
    return _replace_rule(path, section, pattern, (pattern, target))


def remove_rule(path: Path, section: str, pattern: str) -> tuple[str, str] | None:
    """Take the rule for `pattern` out of the owner's file; returns the entry removed, or None."""
    return _replace_rule(path, section, pattern, None)


def restore_rule(path: Path, section: str, pattern: str, previous: tuple[str, str] | None) -> None:
    """Undo save_rule: the entry for `pattern` as it was (`previous`), or no entry when there was none."""
    _replace_rule(path, section, pattern, previous)


def save_device_kind_rule(path: Path, section: str, pattern: str, device_kind: str) -> tuple[str, str] | None:
    """Say in the owner's file that lines of `pattern` ([device_kinds.SECTION]) bill `device_kind` devices."""
    if device_kind not in DEVICE_KINDS:
        raise RulesError(f"{device_kind!r} is not a kind of device; use one of {', '.join(DEVICE_KINDS)}")
    return _replace_rule(path, section, pattern, (pattern, device_kind), within="device_kinds")


def _replace_rule(path: Path, section: str, pattern: str, entry: tuple[str, str] | None,
                  within: str | None = None) -> tuple[str, str] | None:
    import tomlkit  # a writer's only: reading is tomllib's, and a report only reads (DECISIONS.md, "Starting light")

    if section not in SECTIONS:
        raise RulesError(f"{path}: unknown section [{section}]")
    document = tomlkit.parse(ensure_rules_file(path).read_text(encoding="utf-8"))
    parent = document.setdefault(within, tomlkit.table(is_super_table=True)) if within else document
    table = parent.setdefault(section, tomlkit.table())
    replaced = None
    for existing in list(table):
        if name_key(existing) == name_key(pattern):
            replaced = (existing, str(table[existing]))
            del table[existing]
    if entry is not None:
        table[entry[0]] = entry[1]
    with replacing(path) as temporary:
        temporary.write_text(tomlkit.dumps(document), encoding="utf-8")
        load(temporary)  # a rule that breaks the file is refused before it replaces the owner's file
    return replaced
