"""Mapping an item or an account on the Categories page: the names people read, and what a new rule
moves before it is saved."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from models.categories import CATEGORY_LABELS, LABOR_SCOPES, TARGETS
from models.formatting import column_label, money_text
from models.money import ZERO

# The kinds of rule a revenue line can have been decided by, as the owner reads them.
RULE_NAMES = {"item": "Item", "item_category": "Item category", "income_account": "Income account",
              "class": "Class", "unmapped": "No rule"}
# An income-account rule only decides lines no item or item-category rule decides (README: Categories).
DECIDED_BEFORE_ACCOUNTS = ("item", "item_category")
# The rules-file section for each way of mapping, and the report column naming what it maps.
SECTION_COLUMNS = {"items": "item", "income_accounts": "income_account"}
TABLE_COLUMNS = ["category", "rule", "rule_pattern", "item", "item_category_path", "income_account", "lines",
                 "amount", "last_used"]


def target_name(target: str) -> str:
    """What a rule's target is called: "Hardware", "MSA labor", "Setup fee"."""
    return CATEGORY_LABELS.get(target) or column_label(target)


def line_category_name(category: str, subcategory: str | None) -> str:
    """A line's category by name; a setup fee is named as such rather than as "Other"."""
    return target_name(subcategory if subcategory in TARGETS else category)


def table(lines: pd.DataFrame) -> pd.DataFrame:
    """The categories report with names instead of codes, for the page's table."""
    shown = lines.copy()
    shown["category"] = [line_category_name(c, s) for c, s in zip(lines["category"], lines["subcategory"])]
    shown["rule"] = [RULE_NAMES.get(rule, rule) for rule in lines["rule"]]
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
        return f"Move {self.lines} lines ({money_text(self.amount)}) to {target_name(self.target)}"

    def preview(self) -> str:
        if not self.lines:
            said = f'"{self.name}": every line is already {target_name(self.target)}; saving would move nothing.'
        else:
            said = (f'"{self.name}": {self.lines} lines, {money_text(self.amount)}, now {" and ".join(self.now)}, '
                    f"would become {target_name(self.target)}.")
        if self.staying:
            said += f" {self.staying} more lines stay where they are: an item or item-category rule decides them."
        return said

    def done(self) -> str:
        return (f'"{self.name}" is now {target_name(self.target)}: {self.lines} lines ({money_text(self.amount)}) '
                "moved and every report rebuilt.")

    def undone(self) -> str:
        return f'Undone: the {self.lines} lines of "{self.name}" are back in {" and ".join(self.now)}.'


def what_moves(lines: pd.DataFrame, section: str, name: str, target: str) -> Move:
    """The lines of `name` (an item, or an income account) in the categories report that a rule mapping
    it to `target` would move, and their money."""
    rows = lines[lines[SECTION_COLUMNS[section]] == name]
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

