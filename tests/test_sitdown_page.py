"""The client sit-down page (streamlit's AppTest): the tier what-if as the PDF says it, a chart only
where there is labor, and group printouts that always belong to the group on screen."""
from __future__ import annotations


from streamlit.testing.v1 import AppTest

from tests.helpers import AS_OF, app_on, cli, rerun
from tests.metrics import report

GROUP_DOWNLOADS = ("Download their printouts (one PDF)", "Download their printouts (zip, one PDF each)")


def sitdown_page(monkeypatch, db):
    return app_on(monkeypatch, db, "dashboards/sitdown.py")


def group_downloads(app: AppTest) -> list[str]:
    return [b.label for b in app.download_button if b.label in GROUP_DOWNLOADS]


def test_tier_table_on_screen_says_not_offered_and_marks_the_current_tier(monkeypatch, demo_db):
    tiers = report(demo_db, "tiers", AS_OF)
    not_offered = next(r for r in tiers if r["monthly"] is None)
    app = sitdown_page(monkeypatch, demo_db)
    app.selectbox(key="sitdown_client").set_value((not_offered["realm_id"], not_offered["customer_id"]))
    rerun(app)
    table = next(d.value for d in app.dataframe if "tier" in [str(c).lower() for c in d.value.columns])
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert "not offered" in cells
    assert not [c for c in cells if c in ("None", "nan", "NaN", "<NA>")]
    assert any(c.startswith("saves the client ") or c.endswith(" more a year") or c == "what the client paid"
               or c.startswith("not known") for c in cells)
    current = [r["tier"] for r in tiers if r["customer_id"] == not_offered["customer_id"] and r["current_tier"]]
    assert [c for c in cells if c.endswith("(current tier)")] == [f"{t} (current tier)" for t in current]


def test_group_printouts_follow_the_limit(monkeypatch, demo_db):
    labor = sorted(r["labor_total"] for r in report(demo_db, "garden", AS_OF))
    three, one = int(labor[2]) + 1, int(labor[0]) + 1  # limits with the 3 and the 1 smallest clients under
    app = sitdown_page(monkeypatch, demo_db)
    limit = next(n for n in app.number_input if n.label.startswith("Clients with 12-month labor under"))
    limit.set_value(three)
    rerun(app).button(key="batch_prepare").click()
    rerun(app)
    assert group_downloads(app) == list(GROUP_DOWNLOADS)
    # a changed limit: the printouts prepared for the old group are not offered for the new one
    next(n for n in app.number_input if n.label.startswith("Clients with 12-month labor under")).set_value(one)
    rerun(app)
    assert group_downloads(app) == []
    assert app.button(key="batch_prepare").label == "Prepare 1 printouts"
    app.button(key="batch_prepare").click()
    rerun(app)
    assert group_downloads(app) == list(GROUP_DOWNLOADS)


def test_a_clients_name_is_text_on_the_page_not_markdown(monkeypatch, tmp_path):
    """A name written as a markdown link shows as those characters, never a live link."""
    from tests.builders import invoice, item_line
    from tests.helpers import write_json

    db = tmp_path / "wh" / "w.duckdb"
    name = "[Pay here](https://evil.example) *now*"
    company = {"Customer": [{"Id": "1", "DisplayName": name, "FullyQualifiedName": name,
                             "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}}],
               "Invoice": [invoice("1", [item_line("100.00", ("4", "Labor - Hourly:Remote Support"))])]}
    assert cli("load", write_json(tmp_path / "c.json", company), "--db", db) == 0
    app = sitdown_page(monkeypatch, db)
    heading = next(h.value for h in app.subheader if "labor" in h.value)
    assert heading.startswith(r"\[Pay here\]\(https\://evil\.example\) \*now\*") and "](" not in heading


def test_an_agreement_clients_tiers_on_screen_say_what_the_printout_says(monkeypatch, db):
    """scoped_labor_company's Acme Consulting on Gold (worked in test_metrics_hand_computed): Gold is what
    the client paid, Platinum costs $1,050.00 more, Silver is not known; no tier is said to save; the notes
    under the table say how much work is of unknown scope."""
    from tests.companies import scoped_labor_company

    scoped_labor_company(db)
    app = sitdown_page(monkeypatch, db)
    app.selectbox(key="sitdown_client").set_value(("local", "10"))
    rerun(app)
    table = next(d.value for d in app.dataframe if "Against paid" in d.value.columns)
    verdicts = dict(zip(table["Tier"], table["Against paid"]))
    assert verdicts == {"Silver": "not known (see below)", "Gold (current tier)": "what the client paid",
                        "Platinum": "costs $1,050.00 more a year"}
    captions = " ".join(c.value for c in app.caption).replace("\\", "")  # markdown escapes, as shown
    assert "Scope unknown: for $150.00 of hourly work" in captions and "saves" not in captions


def test_the_owners_notes_page_is_asked_for_never_given_by_default(monkeypatch, demo_db):
    app = sitdown_page(monkeypatch, demo_db)
    (switch,) = [t for t in app.toggle if t.key == "owners_notes"]
    assert switch.value is False  # the printout is the client's unless the owner asks for the notes
    switch.set_value(True)
    rerun(app)
    assert not app.exception and not app.error
    assert "Download printout (PDF)" in [b.label for b in app.download_button]


def test_a_group_s_printouts_with_the_owners_notes_are_named_the_owners_copy(monkeypatch, demo_db):
    """Each client's pages of a group's printouts end with what the client cost when the switch is on: the one
    PDF and the zip say so in their names, as one client's printout does (they were labor-reviews.pdf/.zip)."""
    import streamlit

    named: dict[str, str] = {}
    download = streamlit.download_button

    def recorded(label, data, *args, **kwargs):
        named[label] = kwargs.get("file_name")
        return download(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recorded)
    app = sitdown_page(monkeypatch, demo_db)
    next(t for t in app.toggle if t.key == "owners_notes").set_value(True)
    smallest = min(r["labor_total"] for r in report(demo_db, "garden", AS_OF))
    next(n for n in app.number_input if n.label.startswith("Clients with 12-month labor under")).set_value(
        int(smallest) + 1)
    rerun(app).button(key="batch_prepare").click()
    rerun(app)
    assert group_downloads(app) == list(GROUP_DOWNLOADS)
    assert named["Download printout (PDF)"].endswith("-owners-copy.pdf")
    assert [named[label] for label in GROUP_DOWNLOADS] == ["labor-reviews-owners-copy.pdf",
                                                           "labor-reviews-owners-copy.zip"]
