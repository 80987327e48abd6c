"""Category rules: item, then item category path, then income account, then class; else unmapped."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.settings.categories import RulesError, load
from models.names import name_key
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


def test_a_line_without_a_class_takes_its_document_s(db, tmp_path):
    """A class rule decides a line of no class of its own on a document of that class (QuickBooks' class per
    transaction), and not the same item's line on a document without one."""
    stamp = {"MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}}
    consulting = ("9", "Consulting")
    document = {
        "Account": [{**a, **stamp} for a in ACCOUNTS],
        "Item": [{"Id": "9", "Name": "Consulting", "FullyQualifiedName": "Consulting", "Type": "Service",
                  "IncomeAccountRef": {"value": "42"}, **stamp}],
        "Class": [{"Id": "70", "Name": "Hourly Labor", "FullyQualifiedName": "Hourly Labor", **stamp}],
        "Invoice": [invoice("100", [item_line("10.00", item=consulting)], ClassRef={"value": "70"}),
                    invoice("101", [item_line("20.00", item=consulting)])],
    }
    rules = db.with_name("categories.toml")
    assert cli("load", write_json(tmp_path / "company.json", document), "--db", db) == 0
    rules.write_text(rules.read_text().replace("[classes]\n", '[classes]\n"hourly labor" = "labor_hourly"\n'))
    assert cli("build", "--db", db) == 0
    assert query(db, "select document_id, class_id, category, rule, rule_pattern from marts.fct_revenue_lines "
                     "order by document_id") == [("100", "70", "labor_hourly", "class", "hourly labor"),
                                                 ("101", None, "unmapped", "unmapped", None)]


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


# (Id, name) of items in scripts other than Latin, and Latin with accents or full-width letters
SCRIPT_ITEMS = [("21", "Оборудование 1"), ("22", "Поддержка 1"), ("23", "硬件"), ("24", "Ремонт"),
                ("25", "Café Support"), ("26", "Cafe Support"), ("27", "ＳＴＲＡＳＳＥ Kit"), ("28", "صيانة شهرية")]


def test_rules_match_names_in_any_script(db, tmp_path):
    """Names compare by Unicode case folding and NFKC, keeping letters of every script: a rule for
    "Оборудование 1" maps that item and not "Поддержка 1" (both were "1" when only a-z counted), "РЕМОНТ"
    folds to "Ремонт", "straße kit" is the full-width "ＳＴＲＡＳＳＥ Kit", and accents are letters: a rule
    for "café support" leaves "Cafe Support" unmapped. An Arabic agreement item spreads over its months."""
    items = [{"Id": i, "Name": name, "FullyQualifiedName": name, "Type": "Service",
              "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}} for i, name in SCRIPT_ITEMS]
    lines = [item_line("30.00", item=(i, name)) for i, name in SCRIPT_ITEMS]
    assert cli("load", write_json(tmp_path / "company.json", {"Item": items, "Invoice": [invoice("100", lines)]}),
               "--db", db, "--no-build") == 0
    db.with_name("categories.toml").write_text(
        '[items]\n"Оборудование 1" = "hardware"\n"硬件" = "hardware"\n"РЕМОНТ" = "labor_hourly"\n'
        '"café support" = "software"\n"straße kit" = "other"\n"صيانة شهرية" = "labor_msa"\n'
        '[agreement_months]\n"صيانة  شهرية" = 3\n', encoding="utf-8")
    assert cli("build", "--db", db) == 0
    assert {item: category for item, (category, *_) in categories(db).items()} == {
        "21": "hardware", "22": "unmapped", "23": "hardware", "24": "labor_hourly",
        "25": "software", "26": "unmapped", "27": "other", "28": "labor_msa",
    }
    # 30.00 over three months: 10.00 each, from the invoice's month
    assert query(db, "select month, sum(amount) from marts.fct_mrr_lines group by month order by month") == [
        (date(2026, 3, 1), Decimal("10.00")), (date(2026, 4, 1), Decimal("10.00")),
        (date(2026, 5, 1), Decimal("10.00"))]


@pytest.mark.parametrize("a, b, same", [
    ("Labor - Hourly", "LaborHourly", True), ("Ремонт", "РЕМОНТ", True), ("straße", "STRASSE", True),
    ("ＬＡＢＯＲ", "labor", True), ("ﬁx", "fix", True), ("Оборудование 1", "Поддержка 1", False),
    ("Café", "Cafe", False), ("कि", "क", False),  # a vowel sign is part of the word
])
def test_name_keys(a, b, same):
    assert (name_key(a) == name_key(b)) is same and name_key(a)


def test_a_rule_in_another_script_is_accepted_and_a_clash_across_case_is_found(tmp_path):
    path = tmp_path / "categories.toml"
    path.write_text('[items]\n"硬件" = "hardware"\n"Ремонт" = "labor_hourly"\n', encoding="utf-8")
    assert [rule.pattern for rule in load(path).rules] == ["硬件", "Ремонт"]
    path.write_text('[items]\n"Ремонт" = "labor_hourly"\n"РЕМОНТ" = "hardware"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="are the same name with different categories"):
        load(path)
    path.write_text('[items]\n"— 😀 —" = "hardware"\n', encoding="utf-8")
    with pytest.raises(RulesError, match="no letters or digits"):
        load(path)


def test_labor_scope_rules_decide_where_what_and_when_each_on_its_own(db):
    """scoped_labor_company's hourly lines under the default rules plus one item rule
    "Server Maintenance" = ["onsite", "server"]. Each scope is the first rule kind that tells it:
    - After-Hours Support, class Remote: where remote (class), when after_hours (item beats the category's
      business_hours), what unknown (no rule tells servers or desktops);
    - Onsite Support, class Onsite: onsite (class), business_hours (category "Labor - Hourly");
    - Remote Support without a class: where unknown, business_hours;
    - Server Maintenance, class Remote: onsite and server (the item beats the class), business_hours.
    Agreement lines (MSA - Gold) are not hourly labor: no scope rows."""
    from tests.companies import scoped_labor_company

    scoped_labor_company(db)
    rules = db.with_name("categories.toml")
    rules.write_text(rules.read_text().replace(
        "[labor_scopes.items]\n", '[labor_scopes.items]\n"Server Maintenance" = ["onsite", "server"]\n'))
    assert cli("build", "--db", db) == 0
    rows = query(db, "select item, coalesce(class, '-'), scope_where, scope_what, scope_when, count(*) "
                     "from marts.fct_labor_scopes group by all order by all")
    assert rows == [
        ("After-Hours Support", "Remote", "remote", None, "after_hours", 1),
        ("Onsite Support", "Onsite", "onsite", None, "business_hours", 1),
        ("Remote Support", "-", None, None, "business_hours", 1),
        ("Remote Support", "Remote", "remote", None, "business_hours", 2),
        ("Server Maintenance", "Remote", "onsite", "server", "business_hours", 2),
    ]


@pytest.mark.parametrize("content, message", [
    ('[labor_scopes.items]\n"X" = "remotely"\n', "[labor_scopes.items] \"X\" = 'remotely': give one of remote, onsite"),
    ('[labor_scopes.items]\n"X" = ["remote", "onsite"]\n', "names two scopes of the same kind"),
    ('[labor_scopes.products]\n"X" = "remote"\n', "unknown section [labor_scopes.products]"),
    ('[labor_scopes.classes]\n"Remote" = "remote"\n"REMOTE" = "onsite"\n', "are the same name"),
])
def test_a_bad_labor_scope_rule_is_explained(tmp_path, content, message):
    path = tmp_path / "categories.toml"
    path.write_text(content)
    with pytest.raises(RulesError) as err:
        load(path)
    assert str(path) in str(err.value) and message in str(err.value)
