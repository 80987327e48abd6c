"""The playbook's payment rules per client (issue 27) on a small company whose arithmetic is written out here."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from models.figures import drilldown, reports
from models.figures.formatting import money_text
from models.figures.vocabulary import POLICY_LABELS
from models.settings import settings
from tests.builders import item_line, sales_document
from tests.companies import Company
from tests.helpers import AS_OF, app_on, cli, copied_warehouse, texts
from tests.metrics import by, report

FINANCE_CHARGE = ("9", "Finance Charge")


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Three clients, as of 22 November 2026: the 12 full months are November 2025 - October 2026.

    Alder (10), hardware and software paid before they are invoiced, and finance charges:
    - A1, 5 March 2026: hardware 1,000 + software 200, paid 600 on 1 March (ahead) and 600 on 10 March: paid in
      full after its date, a partial payment by then does not count: 1 breach, 1,200.00 at stake
    - A2, 2 April: hardware 500 paid that day; A4, a sales receipt of hardware 250 on 5 May: paid on their date
    - A3, 15 October 2025 (before the 12 months: not looked at for hardware), 300 due 14 November 2025, never
      paid: past due on each 1st from December 2025 to October 2026, 11 of them, 1.5% of 300 = 4.50 each: 11,
      49.50 due; F1, a finance charge of 4.50 invoiced 1 February 2026 (paid that day): 1, 4.50 invoiced
    Birch (20), agreement months:
    - January by card on a sales receipt of the 1st: on time
    - February invoiced on the 1st, the card charged on the 9th: late, 800
    - March invoiced on the 1st, 400 paid on 25 February and 400 on 4 March: paid in full after its 1st, late, 800
    - April, May, June paid by one check of 2,400 on 25 March: on time, three months at once
    - July paid by a check of 800 on 28 June: by its 1st, but a check for less than three months, 800
      -> 3 breaches, 2,400.00
    Cedar (30), hourly work:
    - C1, 4 May, 600 due 24 May (net 20), paid 20 May: kept
    - C2, 1 June, 300 due 1 July (net 30), paid 25 June: not on net 20 (paid by its own due date)
    - C3, 6 July, 450 due 26 July, 200 paid 20 July and 250 on 3 August: paid late, 450; past due on 1 August with
      250 open: a finance charge of 3.75 due
    - C5, 20 October, 200 with no due date: not on net 20, and due on its date, unpaid: late
    - C4, 10 November, 150: the as-of month, not looked at
      -> terms 2 breaches, 500.00; paid late 2, 650.00; finance charges due 1, 3.75"""
    db = tmp_path_factory.mktemp("policies") / "wh" / "warehouse.duckdb"
    company = Company()
    company.entities["Item"].append({"Id": FINANCE_CHARGE[0], "Name": FINANCE_CHARGE[1], "Type": "Service",
                                     "FullyQualifiedName": FINANCE_CHARGE[1],
                                     "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}})
    company.customer("10", "Alder")
    a1 = company.invoice("10", "2026-03-05", ("hardware", "1000.00"), ("software", "200.00"), due="2026-03-25")
    company.paid("10", "2026-03-01", "600.00", (a1, "600.00"))
    company.paid("10", "2026-03-10", "600.00", (a1, "600.00"))
    a2 = company.invoice("10", "2026-04-02", ("hardware", "500.00"))
    company.paid("10", "2026-04-02", "500.00", (a2, "500.00"))
    company.invoice("10", "2025-10-15", ("hardware", "300.00"), due="2025-11-14")
    company.document("SalesReceipt", "10", "2026-05-05", ("hardware", "250.00"))
    f1 = company.add("Invoice", sales_document("10", "2026-02-01", [item_line("4.50", FINANCE_CHARGE)],
                                               DocNumber="F1", DueDate="2026-02-01"))
    company.paid("10", "2026-02-01", "4.50", (f1, "4.50"))

    company.customer("20", "Birch")
    company.document("SalesReceipt", "20", "2026-01-01", ("msa", "800.00", "2026-01-01"))
    b2 = company.invoice("20", "2026-02-01", ("msa", "800.00", "2026-02-01"), due="2026-02-01")
    company.paid("20", "2026-02-09", "800.00", (b2, "800.00"), method="Credit Card")
    b3 = company.invoice("20", "2026-03-01", ("msa", "800.00", "2026-03-01"), due="2026-03-01")
    company.paid("20", "2026-02-25", "400.00", (b3, "400.00"), method="Credit Card")
    company.paid("20", "2026-03-04", "400.00", (b3, "400.00"), method="Credit Card")
    quarter = [company.invoice("20", f"2026-{m:02d}-01", ("msa", "800.00", f"2026-{m:02d}-01"),
                               due=f"2026-{m:02d}-01") for m in (4, 5, 6)]
    company.paid("20", "2026-03-25", "2400.00", *[(b, "800.00") for b in quarter])
    b7 = company.invoice("20", "2026-07-01", ("msa", "800.00", "2026-07-01"), due="2026-07-01")
    company.paid("20", "2026-06-28", "800.00", (b7, "800.00"))

    company.customer("30", "Cedar")
    c1 = company.invoice("30", "2026-05-04", ("hourly", "600.00"), due="2026-05-24")
    company.paid("30", "2026-05-20", "600.00", (c1, "600.00"))
    c2 = company.invoice("30", "2026-06-01", ("hourly", "300.00"), due="2026-07-01")
    company.paid("30", "2026-06-25", "300.00", (c2, "300.00"))
    c3 = company.invoice("30", "2026-07-06", ("hourly", "450.00"), due="2026-07-26")
    company.paid("30", "2026-07-20", "200.00", (c3, "200.00"))
    company.paid("30", "2026-08-03", "250.00", (c3, "250.00"))
    company.invoice("30", "2026-10-20", ("hourly", "200.00"))
    company.invoice("30", "2026-11-10", ("hourly", "150.00"), due="2026-11-30")
    return company.load(db)


EXPECTED = {  # client -> rule -> (breaches, money at stake), as the docstring above works them out
    "Alder": {"hardware_unpaid_at_invoice": (1, "1200.00"), "finance_charges_due": (11, "49.50"),
              "finance_charges_invoiced": (1, "4.50")},
    "Birch": {"agreement_paid_late": (3, "2400.00")},
    "Cedar": {"hourly_terms_not_net20": (2, "500.00"), "hourly_paid_late": (2, "650.00"),
              "finance_charges_due": (1, "3.75")},
}


def test_each_rule_counts_its_breaches_and_their_money(books):
    rows = by(report(books, "policies"), "client")
    assert set(rows) == set(EXPECTED)
    for client, rules in EXPECTED.items():
        for rule in reports.POLICY_FIGURES:
            count, amount = rules.get(rule, (0, "0.00"))
            assert (rows[client][rule], rows[client][f"{rule}_amount"]) == (count, D(amount)), (client, rule)


@pytest.mark.parametrize("rule", reports.POLICY_FIGURES)
def test_every_cell_opens_to_documents_that_add_up_to_it(books, rule):
    """A client's cell, and the whole column: the lines' amounts add up to the money, the breaches they name are
    the count."""
    every = report(books, "lines", kind=f"policies:{rule}")
    for row in report(books, "policies"):
        lines = report(books, "lines", kind=f"policies:{rule}", client=row["client_id"])
        assert sum((line["amount"] for line in lines), D(0)) == row[f"{rule}_amount"], (row["client"], rule)
        assert len({line["breach"] for line in lines}) == row[rule], (row["client"], rule)
        assert lines == [line for line in every if line["client_id"] == row["client_id"]]
    assert {line["category"] for line in every} <= {rule}


def test_the_lines_say_why(books):
    (late,) = [line for line in report(books, "lines", kind="policies:agreement_paid_late")
               if line["txn_date"].month == 7]
    assert late["detail"] == "2026-07: a check for less than 3 months"
    terms = {line["detail"] for line in report(books, "lines", kind="policies:hourly_terms_not_net20")}
    assert terms == {"due in 30 days", "no due date"}


def _settings_copy(books, tmp_path, values: dict):
    path = tmp_path / "settings.toml"
    path.write_bytes(settings.settings_path(books).read_bytes())
    settings.save_values(path, values, check=lambda _: None)
    return settings.load(path)


def test_a_rule_switched_off_finds_nothing_and_the_check_rule_has_its_own_setting(books, tmp_path):
    from models.warehouse import paths
    from models.warehouse.snapshot import open_snapshot

    owner = _settings_copy(books, tmp_path, {"policies.hourly_terms": False, "policies.check_months": 0,
                                             "policies.hourly_net_days": 30})
    con = open_snapshot(paths.snapshot(books))
    try:
        rows = by(reports.run(con, "policies", reports.Options(as_of=AS_OF), owner).records(), "client")
    finally:
        con.close()
    assert rows["Cedar"]["hourly_terms_not_net20"] is None and rows["Cedar"]["hourly_terms_not_net20_amount"] is None
    assert (rows["Birch"]["agreement_paid_late"], rows["Birch"]["agreement_paid_late_amount"]) == (2, D("1600.00"))


def test_a_settings_file_written_before_policies_takes_the_defaults(books, tmp_path):
    path = tmp_path / "settings.toml"
    text = settings.settings_path(books).read_text(encoding="utf-8")
    path.write_text(text[:text.index("[policies]")] + text[text.index("# Gross margin"):], encoding="utf-8")
    assert settings.load(path).policies == settings.load(settings.DEFAULT_SETTINGS).policies
    assert settings.load(path).policies.hourly_net_days == 20 and settings.load(path).policies.check_months == 3


@pytest.mark.parametrize(("values", "error"), [
    ({"policies.hourly_terms": "yes"}, r"policies\.hourly_terms must be true or false"),
    ({"policies.hourly_net_days": -1}, r"policies\.hourly_net_days must be a whole number from 0 to 365"),
    ({"policies.check_methods": "Check"}, r"policies\.check_methods must be a list of payment method names"),
    ({"policies.hourly_paid_by_due_date": False},  # a misspelt switch left the rule on without a word
     r"policies\.hourly_paid_by_due_date is not a setting; did you mean hourly_paid_by_due\? \[policies\] takes "),
])
def test_a_bad_policies_setting_names_the_file_and_key(books, tmp_path, values, error):
    with pytest.raises(settings.SettingsError, match=r"settings\.toml: " + error):
        _settings_copy(books, tmp_path, values)


def test_one_client_from_the_command_line(books, capsys):
    assert cli("report", "policies", "--client", "Birch", "--as-of", "2026-11-22", "--format", "csv",
               "--db", books) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("20,Birch,0,0.00,3,2400.00,")


def test_the_demo_company_breaks_every_rule(demo_db):
    """The demo's clients break each rule somewhere: hardware resold on net 20, hourly invoices paid late, a card
    agreement month charged on the 12th, an hourly invoice on net 30 (ingest/demo), finance charges due and not
    invoiced (the 20 clients of the tests' demo have no slow payer, whose charges the default 60 invoice)."""
    rows = report(demo_db, "policies")
    for rule in reports.POLICY_FIGURES[:-1]:
        assert any(row[rule] for row in rows), rule
    assert any(row["finance_charges_due_amount"] > row["finance_charges_invoiced_amount"] for row in rows)


def test_the_policies_page_shows_the_reports_figures(monkeypatch, demo_db):
    app = app_on(monkeypatch, demo_db, "dashboards/policies.py")
    clients = report(demo_db, "policies", AS_OF)
    for rule, words in POLICY_LABELS.items():
        assert next(m.value for m in app.metric if m.label == words) == \
            money_text(sum((r[f"{rule}_amount"] for r in clients), D(0)))
    grid = app.dataframe[0]  # then how clients pay (tests/test_payment_behaviour.py)
    assert len(grid.value) == len(clients) + 1  # and the total row


def test_a_cell_names_its_rule_and_client(books):
    row = by(report(books, "policies"), "client")["Birch"]
    for column in ("agreement_paid_late", "agreement_paid_late_amount"):
        figure = drilldown.client_policy(AS_OF, row, column)
        assert (figure.kind, figure.client) == ("policies:agreement_paid_late", "20")
    assert drilldown.client_policy(AS_OF, row, "client") is None


def test_every_rule_switched_off_is_said_on_the_page_not_read_as_no_breach(monkeypatch, books, tmp_path):
    db = copied_warehouse(books, tmp_path / "all-off")
    settings.save_values(settings.settings_path(db), {f"policies.{switch}": False
                                                      for switch in set(reports.POLICY_SWITCHES.values())},
                         check=lambda _: None)
    app = app_on(monkeypatch, db, "dashboards/policies.py")
    assert not app.exception, [e.message for e in app.exception]
    assert any("Every payment rule is switched off" in text for text in texts(app))
    # no rule's headline nor "nothing broken"; the section on how clients pay below still shows
    assert not app.success and not [m for m in app.metric if m.label in POLICY_LABELS.values()]


def test_the_page_says_no_check_rule_when_check_months_is_0(monkeypatch, books, tmp_path):
    db = copied_warehouse(books, tmp_path / "no-check-rule")
    settings.save_values(settings.settings_path(db), {"policies.check_months": 0}, check=lambda _: None)
    intro = app_on(monkeypatch, db, "dashboards/policies.py").markdown[0].value
    assert "each agreement month paid by its 1st, hourly work invoiced on net 20" in intro
    assert "a check for" not in intro  # it read "(a check for 0 months at once)"
