"""Mapping an item or an account on the Categories page: the names people read, and what a new rule
moves before it is saved."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from models.settings import categories
from models.settings.categories import LABOR_SCOPES, TARGETS
from models.figures.formatting import money_text
from models.money import ZERO
from models.files import replacing

# An income-account rule only decides lines no item or item-category rule decides (README: Categories).
DECIDED_BEFORE_ACCOUNTS = ("item", "item_category")
# The rules-file section for each way of mapping, and the report column naming what it maps.
SECTION_COLUMNS = {"items": "item", "income_accounts": "income_account"}
# The choice that takes a name's own rule away: its lines go back to what the other rules say, or unmapped.
UNMAP = "unmapped"
CHOICES = (*TARGETS, UNMAP)
# Lines without an item map by their account, so the item list never offers this.
ITEMLESS = "(no item)"
TABLE_COLUMNS = ["category", "rule", "rule_pattern", "item", "item_category_path", "income_account", "lines",
                 "amount", "last_used"]


def target_name(target: str) -> str:
    """What a rule's target is called: "Hardware", "MSA labor", "Setup fee"."""
    return categories.category_name(*TARGETS.get(target, (target, None)))


def choice_name(choice: str) -> str:
    """A choice of the mapping form by name: a category, or taking the name's own rule away."""
    return "Back to unmapped (take its rule away)" if choice == UNMAP else target_name(choice)


def line_category_name(category: str, subcategory: str | None) -> str:
    """A line's category by name; a setup fee is named as such rather than as "Other"."""
    return categories.category_name(category, subcategory if subcategory in TARGETS else None)


def table(lines: pd.DataFrame) -> pd.DataFrame:
    """The categories report with names instead of codes, for the page's table."""
    shown = lines.copy()
    shown["category"] = [line_category_name(c, s) for c, s in zip(lines["category"], lines["subcategory"])]
    shown["rule"] = [categories.rule_name(rule) for rule in lines["rule"]]
    return shown[TABLE_COLUMNS]


SCOPE_COLUMNS = {"scope_where": "Where", "scope_what": "On", "scope_when": "When"}


def scope_table(scopes: pd.DataFrame) -> pd.DataFrame:
    """The labor-scopes report in words for the Categories page: "Remote", "After hours", and "unknown"
    where no labor-scope rule tells (the sit-down's tier what-if does not guess it either)."""
    shown = scopes[["item", "class", "income_account", *SCOPE_COLUMNS, "lines", "amount"]].copy()
    for column in ("class", "income_account"):
        shown[column] = [value if isinstance(value, str) else "" for value in shown[column]]
    for column in SCOPE_COLUMNS:
        shown[column] = [LABOR_SCOPES[value][1] if isinstance(value, str) else "unknown" for value in shown[column]]
    return shown.rename(columns=SCOPE_COLUMNS)


@dataclass(frozen=True)
class Move:
    """What saving a rule would change, from the categories report as it is now."""
    section: str
    name: str
    target: str
    lines: int
    amount: Decimal
    now: tuple[str, ...]      # the categories (by name) the moving lines have now
    staying: int              # lines of that name another rule keeps where they are

    def button_label(self) -> str:
        if self.target == UNMAP:
            return f"Put {self.lines} lines ({money_text(self.amount)}) back to unmapped"
        return f"Move {self.lines} lines ({money_text(self.amount)}) to {target_name(self.target)}"

    def preview(self) -> str:
        if self.target == UNMAP and not self.lines:
            said = f'"{self.name}" has no rule of its own; there is nothing to put back.'
        elif self.target == UNMAP:
            said = (f'"{self.name}": {self.lines} lines, {money_text(self.amount)}, now {" and ".join(self.now)}, '
                    f"would lose their rule and be unmapped, unless {_other_rules(self.section)} decides them.")
        elif not self.lines:
            said = f'"{self.name}": every line is already {target_name(self.target)}; saving would move nothing.'
        else:
            said = (f'"{self.name}": {self.lines} lines, {money_text(self.amount)}, now {" and ".join(self.now)}, '
                    f"would become {target_name(self.target)}.")
        if self.staying:
            said += f" {self.staying} more lines stay where they are: an item or item-category rule decides them."
        return said

    def done(self) -> str:
        if self.target == UNMAP:
            return (f'"{self.name}" has no rule now: {self.lines} lines ({money_text(self.amount)}) are unmapped '
                    f"unless {_other_rules(self.section)} decides them, and every report is rebuilt.")
        return (f'"{self.name}" is now {target_name(self.target)}: {self.lines} lines ({money_text(self.amount)}) '
                "moved and every report rebuilt.")

    def undone(self) -> str:
        return f'Undone: the {self.lines} lines of "{self.name}" are back in {" and ".join(self.now)}.'


def _other_rules(section: str) -> str:
    return "an item-category, income-account or class rule" if section == "items" else "a class rule"


def what_moves(lines: pd.DataFrame, section: str, name: str, target: str) -> Move:
    """The lines of `name` (an item, or an income account) in the categories report that a rule mapping
    it to `target` would move, and their money; for UNMAP, the lines its own rule decides."""
    rows = lines[lines[SECTION_COLUMNS[section]] == name]
    if target == UNMAP:
        own = rows[rows["rule"] == categories.SECTIONS[section]]
        now = dict.fromkeys(line_category_name(c, s) for c, s in zip(own["category"], own["subcategory"]))
        return Move(section, name, target, int(own["lines"].sum()), sum(own["amount"], ZERO), tuple(now), 0)
    if section == "income_accounts":
        decided = rows[rows["rule"].isin(DECIDED_BEFORE_ACCOUNTS)]
        rows = rows.drop(decided.index)
    else:
        decided = rows.iloc[0:0]
    category, subcategory = TARGETS[target]
    moving = rows[[(c, s if isinstance(s, str) else None) != (category, subcategory)
                   for c, s in zip(rows["category"], rows["subcategory"])]]
    now = dict.fromkeys(line_category_name(c, s) for c, s in zip(moving["category"], moving["subcategory"]))
    return Move(section, name, target, int(moving["lines"].sum()), sum(moving["amount"], ZERO), tuple(now),
                int(decided["lines"].sum()))



def first_unmapped(lines: pd.DataFrame, section: str) -> str | None:
    """The name the mapping form offers first: the first unmapped one by name."""
    column = SECTION_COLUMNS[section]
    unmapped = lines[lines["category"] == "unmapped"][column].dropna()
    return min(set(unmapped) - {ITEMLESS}, default=None)


def choices(lines: pd.DataFrame, section: str) -> list[str]:
    """The names the mapping form offers: every item (or income account) with lines."""
    return sorted(set(lines[SECTION_COLUMNS[section]].dropna()) - {ITEMLESS})


def save(rules_file: Path, move: Move) -> tuple[str, str] | None:
    """Write `move` to the rules file and record it beside the file, so its undo outlives a refresh.
    Returns the entry it replaced, as categories.save_rule does."""
    if move.target == UNMAP:
        previous = categories.remove_rule(rules_file, move.section, move.name)
    else:
        previous = categories.save_rule(rules_file, move.section, move.name, move.target)
    record = {"move": {**asdict(move), "amount": str(move.amount)}, "previous": previous}
    with replacing(last_change_file(rules_file)) as temporary:
        temporary.write_text(json.dumps(record), encoding="utf-8")
    return previous


def undo(rules_file: Path, move: Move, previous: tuple[str, str] | None) -> None:
    """Put the rule `move` changed back as it was, and forget the change."""
    categories.restore_rule(rules_file, move.section, move.name, previous)
    last_change_file(rules_file).unlink(missing_ok=True)


def last_change(rules_file: Path) -> tuple[Move, tuple[str, str] | None] | None:
    """The last change saved from the page, with the entry it replaced, while it can still be undone."""
    try:
        record = json.loads(last_change_file(rules_file).read_text(encoding="utf-8"))
        move = record["move"]
        return (Move(**{**move, "amount": Decimal(move["amount"]), "now": tuple(move["now"])}),
                tuple(record["previous"]) if record["previous"] else None)
    except (OSError, ValueError, KeyError, TypeError):  # none, or a record this version cannot read: no undo
        return None


def last_change_file(rules_file: Path) -> Path:
    """Beside the rules file: the last change made on the page, so its undo survives a refresh."""
    return rules_file.with_name(f"{rules_file.stem}.last-change.json")
