"""Category rules: item, then item category path, then income account, then class; else unmapped."""
from __future__ import annotations

from decimal import Decimal

import pytest

from models.categories import RulesError, load
from tests.builders import invoice, item_line
from tests.helpers import cli, query, write_json

ACCOUNTS = [
    {"Id": "40", "Name": "Hardware", "FullyQualifiedName": "Hardware", "AccountType": "Income"},
    {"Id": "41", "Name": "Sales", "FullyQualifiedName": "Sales", "AccountType": "Income"},
    {"Id": "42", "Name": "Service Revenue", "FullyQualifiedName": "Service Revenue", "AccountType": "Income"},
    {"Id": "43", "Name": "Monthly", "FullyQualifiedName": "Managed Services:Monthly", "AccountType": "Income",
     "ParentRef": {"value": "44"}},
    {"Id": "44", "Name": "Managed Services", "FullyQualifiedName": "Managed Services", "AccountType": "Income"},
]
ITEMS = [
    # (Id, FullyQualifiedName, income account)
    ("1", "HARDWARE:Servers:PowerEdge", "41"),     # category path, nested, upper case
    ("2", "Labor-Hourly:Remote Support", "41"),    # punctuation differs from "Labor - Hourly"
    ("3", "Managed Services:Gold", "41"),
    ("4", "Setup:MSA Setup Fee", "41"),
    ("5", "Cabling", "40"),                        # no category: income account Hardware decides
    ("6", "Widget", "41"),                         # nothing matches: unmapped
    ("7", "Software:Antivirus", "40"),             # category beats account
    ("8", "Retainer", "43"),                       # parent account "Managed Services" decides
    ("9", "Consulting", "42"),                     # only a class rule can decide
]


def company(tmp_path):
    items = [{"Id": i, "Name": fqn.split(":")[-1], "FullyQualifiedName": fqn, "Type": "Service",
              "IncomeAccountRef": {"value": acct}} for i, fqn, acct in ITEMS]
    classes = [{"Id": "70", "Name": "Hourly Labor", "FullyQualifiedName": "Hourly Labor"}]
    lines = [item_line("10.00", item=(i, fqn)) for i, fqn, _ in ITEMS]
    lines[-1]["SalesItemLineDetail"]["ClassRef"] = {"value": "70"}
    stamp = {"MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}}
    document = {
        "Account": [{**a, **stamp} for a in ACCOUNTS],
        "Item": [{**i, **stamp} for i in items],
        "Class": [{**c, **stamp} for c in classes],
        "Invoice": [invoice("100", lines)],
    }
    return write_json(tmp_path / "company.json", document)


def categories(db) -> dict[str, tuple]:
    rows = query(db, "select item_id, category, subcategory, rule, rule_pattern from marts.fct_revenue_lines")
    return {row[0]: tuple(row[1:]) for row in rows}


def test_default_rules_recognise_the_playbook_set_up(db, tmp_path):
    assert cli("load", company(tmp_path), "--db", db) == 0
    assert categories(db) == {
        "1": ("hardware", None, "item_category", "Hardware"),
        "2": ("labor_hourly", None, "item_category", "Labor - Hourly"),
        "3": ("labor_msa", None, "item_category", "Managed Services"),
        "4": ("other", "setup_fee", "item_category", "Setup"),
        "5": ("hardware", None, "income_account", "Hardware"),
        "6": ("unmapped", None, "unmapped", None),
        "7": ("software", None, "item_category", "Software"),
        "8": ("labor_msa", None, "income_account", "Managed Services"),
        "9": ("unmapped", None, "unmapped", None),  # no class rules by default
    }


def test_item_rules_come_first_and_changing_a_rule_recategorises_history(db, tmp_path):
    assert cli("load", company(tmp_path), "--db", db) == 0
    rules = db.with_name("categories.toml")
    text = rules.read_text()
    rules.write_text(text.replace("[items]\n", '[items]\n"widget" = "other"\n"id:7" = "hardware"\n'
                                               '"Managed Services:Gold" = "labor_hourly"\n')
                 .replace("[classes]\n", '[classes]\n"hourly labor" = "labor_hourly"\n'))
    assert cli("build", "--db", db) == 0
    after = categories(db)
    assert after["6"] == ("other", None, "item", "widget")
    assert after["7"] == ("hardware", None, "item", "id:7")
    assert after["3"] == ("labor_hourly", None, "item", "Managed Services:Gold")
    assert after["9"] == ("labor_hourly", None, "class", "hourly labor")
    assert query(db, "select count(*) from marts.fct_revenue_lines where category = 'unmapped'") == [(0,)]
    total = query(db, "select sum(amount) from marts.mart_revenue_by_category")[0][0]
    assert total == Decimal("90.00")  # re-categorising moves money between categories, never loses it


@pytest.mark.parametrize("content, message", [
    ('[items]\n"X" = "hardwre"\n', "[items] \"X\" = 'hardwre' is not a category; use one of labor_msa, labor_hourly, hardware, software"),
    ('[products]\n"X" = "hardware"\n', "unknown section [products]; use [items], [item_categories]"),
    ('[items]\n"Labor-Hourly" = "labor_hourly"\n"labor hourly" = "labor_msa"\n', "are the same name with different categories"),
    ('[items\n', "not valid TOML"),
])
def test_a_bad_rules_file_is_explained(tmp_path, content, message):
    path = tmp_path / "categories.toml"
    path.write_text(content)
    with pytest.raises(RulesError) as err:
        load(path)
    assert str(path) in str(err.value) and message in str(err.value)
