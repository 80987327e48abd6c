"""Price-sheet conformance and typed device counts over an export (issue 29): each agreement client's fee against
its tier's list prices for its devices, on a small company whose arithmetic is written out here."""
from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal as D

import pytest

import services
from models.documents import sitdown
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot
from tests.builders import item_line, sales_document
from tests.companies import Company
from tests.helpers import app_page, cli, query, rerun, work_query
from tests.metrics import by, report

GOLD = ("11", "Managed Services:MSA - Gold")
EXPORT = """client,device,kind,last_seen
Acme Dental,ACME-DC01,server,2026-11-19
""" + "".join(f"Acme Dental,ACME-PC{n},desktop,2026-11-19\n" for n in range(1, 11)) + """Cedar Clinic,CEDAR-DC01,server,2026-11-19
""" + "".join(f"Cedar Clinic,CEDAR-PC{n},desktop,2026-11-19\n" for n in range(1, 5)) + """Dune Dental,DUNE-PC1,desktop,2026-11-19
Dune Dental,DUNE-PC2,desktop,2026-11-19
""" + "".join(f"Elm Dental,ELM-PC{n},desktop,2026-11-19\n" for n in range(1, 9)) + """Fir Farms,FIR-PC1,desktop,2026-11-19
Gum Tree,GUM-PC1,desktop,2026-11-19
Hazel Homes LLC,HAZEL-PC1,desktop,2026-11-19
"""


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """November 2026, as of the 22nd, the device export of 20 November; the playbook's prices (Silver $500 a server,
    servers only; Gold $350 + $45 a desktop; Platinum $350 + $60):
    - Acme Dental (1), "MSA - Platinum" $800; export 1 server, 10 desktops: list 350 + 10 x 60 = 950, under list by
      150.00 (a legacy deal). Its October fee is another month's.
    - Birch Law (2), "MSA - Gold" $1,000; in no export, typed 2 servers and 5 desktops: 700 + 225 = 925, over list
      by 75.00.
    - Cedar Clinic (3), "MSA - Silver" $500; export 1 server, 4 desktops: Silver prices the server only, 500, at list.
    - Dune Dental (4), "MSA - Quarterly" $300, an item naming no tier: not priced (no tier named).
    - Elm Dental (5), "MSA - Gold" $600; export 0 servers, 8 desktops, but typed 0 and 12 marked to be used over the
      export: 12 x 45 = 540, over list by 60.00.
    - Fir Farms (6), "MSA - Silver" $400 with 1 desktop and no server: Silver does not fit.
    - Gum Tree (7) pays by the hour only: no agreement client, not listed.
    Agreement clients bill 800 + 1,000 + 500 + 300 + 600 + 400 = 3,600 a month; the four priced ones 2,900, whose
    list is 950 + 925 + 500 + 540 = 2,915: 15.00 a month more at list."""
    db = tmp_path_factory.mktemp("price-sheet") / "wh" / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    settings.save_devices(settings.settings_path(db), "local", {
        "1": settings.Devices(9, 9, "Acme Dental"),  # the export's 1 and 10 replace them
        "2": settings.Devices(2, 5, "Birch Law"),
        "5": settings.Devices(0, 12, "Elm Dental", override=True)})
    company = Company()
    company.add("Item", {"Id": GOLD[0], "Name": "MSA - Gold", "FullyQualifiedName": GOLD[1], "Type": "Service"})
    for customer_id, name in (("1", "Acme Dental"), ("2", "Birch Law"), ("3", "Cedar Clinic"), ("4", "Dune Dental"),
                              ("5", "Elm Dental"), ("6", "Fir Farms"), ("7", "Gum Tree")):
        company.customer(customer_id, name)
    company.invoice("1", "2026-10-01", ("msa", "700"))
    for customer_id, item, amount in (("1", "msa", "800"), ("3", "silver", "500"), ("4", "quarterly", "300"),
                                      ("6", "silver", "400"), ("7", "hourly", "150")):
        company.invoice(customer_id, "2026-11-01", (item, amount))
    for customer_id, amount in (("2", "1000"), ("5", "600")):
        company.add("Invoice", sales_document(customer_id, "2026-11-01", [item_line(amount, GOLD)],
                                              DocNumber=f"G{customer_id}"))
    company.load(db)
    export = db.parent / "export.csv"
    export.write_text(EXPORT, encoding="utf-8")
    assert cli("load-devices", export, "--as-of", "2026-11-20", "--db", db) == 0
    return db


COLUMNS = ("tier", "servers", "desktops", "actual_monthly", "list_monthly", "difference", "status",
           "devices_counted_by")


def test_price_sheet_of_a_small_company(books):
    rows = report(books, "price-sheet", "2026-11-22")
    assert [r["client"] for r in rows] == ["Acme Dental", "Elm Dental", "Birch Law", "Cedar Clinic", "Dune Dental",
                                           "Fir Farms"]
    assert {r["client_id"]: tuple(r[c] for c in COLUMNS) for r in rows} == {
        "1": ("Platinum", 1, 10, D("800.00"), D("950.00"), D("150.00"), "under list", "device export"),
        "5": ("Gold", 0, 12, D("600.00"), D("540.00"), D("-60.00"), "over list", "typed override"),
        "2": ("Gold", 2, 5, D("1000.00"), D("925.00"), D("-75.00"), "over list", "typed"),
        "3": ("Silver", 1, 4, D("500.00"), D("500.00"), D("0.00"), "at list", "device export"),
        "4": (None, 0, 2, D("300.00"), None, None, "no tier named", "device export"),
        "6": ("Silver", 0, 1, D("400.00"), None, None, "tier does not fit", "device export"),
    }
    assert sum(r["actual_monthly"] for r in rows) == D("3600.00")
    priced = [r for r in rows if r["list_monthly"] is not None]
    assert (sum(r["actual_monthly"] for r in priced), sum(r["list_monthly"] for r in priced),
            sum(r["difference"] for r in priced)) == (D("2900.00"), D("2915.00"), D("15.00"))
    assert {r["client_id"]: r["devices_counted_from"] for r in rows if r["devices_counted_from"]} == {
        c: date(2026, 11, 20) for c in ("1", "3", "4", "6")}


def test_one_client_and_another_month(books):
    assert [r["client_id"] for r in report(books, "price-sheet", "2026-11-22", client="2")] == ["2"]
    (october,) = report(books, "price-sheet", "2026-10-31")
    # before any export: Acme's typed 9 servers and 9 desktops, at Platinum 9 x 350 + 9 x 60
    assert (october["client_id"], october["actual_monthly"], october["list_monthly"], october["devices_counted_by"]) \
        == ("1", D("700.00"), D("3690.00"), "typed")


@pytest.mark.parametrize("column, client, amounts", [
    ("actual_monthly", "1", [D("800.00")]),
    ("list_monthly", "1", [D("350.00"), D("600.00")]),                   # 1 server x 350, 10 desktops x 60
    ("difference", "1", [D("-800.00"), D("350.00"), D("600.00")]),
    ("list_monthly", "3", [D("500.00")]),                                # Silver prices no desktop
    ("difference", "5", [D("-600.00"), D("0.00"), D("540.00")]),         # 0 servers, the 12 typed desktops x 45
    ("difference", "4", []),                                             # not priced: no difference to open
])
def test_lines_behind_a_cell_add_up_to_it(books, column, client, amounts):
    rows = report(books, "lines", "2026-11-22", kind=f"price-sheet:{column}", client=client)
    assert sorted(r["amount"] for r in rows) == sorted(amounts)
    (sheet,) = report(books, "price-sheet", "2026-11-22", client=client)
    assert sum((r["amount"] for r in rows), D(0)) == (sheet[column] or D(0))


def test_lines_say_where_the_counts_came_from(books):
    details = {r["detail"] for r in report(books, "lines", "2026-11-22", kind="price-sheet:list_monthly")
               if r["document_type"] == "Device count"}
    assert "10 desktop(s) x 60.00 (Platinum list price; device export of 2026-11-20)" in details
    assert "12 desktop(s) x 45.00 (Gold list price; typed counts, over the device export)" in details
    assert "5 desktop(s) x 45.00 (Gold list price; typed counts)" in details


def test_a_typed_override_counts_over_the_export_everywhere(books):
    """Elm's export says 8 desktops; the typed 12 marked to be used over it price its tiers and cost its tools."""
    tiers = by([r for r in report(books, "tiers", "2026-11-22") if r["tier"] == "Gold"], "customer_id")
    assert (tiers["5"]["desktops"], tiers["5"]["devices_counted_by"], tiers["5"]["devices_counted_from"]) == \
        (12, "typed override", None)
    assert (tiers["1"]["desktops"], tiers["1"]["devices_counted_by"]) == (10, "device export")
    (tools,) = report(books, "lines", "2026-12-05", kind="margin:tool_cost", client="5")
    assert tools["amount"] == D("96.00")  # November under agreement, 12 desktops x the playbook's 8
    assert tools["detail"].endswith("(typed counts, over the device export)")
    owner = settings.load(settings.settings_path(books))
    assert owner.devices["local"]["5"].override and not owner.devices["local"]["2"].override
    assert 'override = true' in settings.settings_path(books).read_text(encoding="utf-8")


def test_the_sitdown_says_where_its_counts_came_from(books):
    owner = settings.load(settings.settings_path(books))
    con = open_snapshot(paths.snapshot(books))
    try:
        texts = {c: sitdown.devices_text((s := sitdown.load(con, owner, "local", c, date(2026, 11, 22))).devices,
                                         s.devices_from, s.devices_by) for c in ("1", "2", "5")}
    finally:
        con.close()
    assert texts == {"1": "1 server, 10 desktops (device export of 2026-11-20)",
                     "2": "2 servers, 5 desktops (typed counts)",
                     "5": "0 servers, 12 desktops (typed counts, over the device export)"}


def test_an_override_that_is_not_true_or_false_is_refused_naming_it(tmp_path):
    path = tmp_path / "settings.toml"
    settings.save_devices(path, "local", {"5": settings.Devices(0, 12, "Elm Dental", override=True)})
    path.write_text(path.read_text(encoding="utf-8").replace("override = true", 'override = "yes"'), encoding="utf-8")
    with pytest.raises(settings.SettingsError, match=r'devices\.local\."5"\.override must be true or false'):
        settings.load(path)


@pytest.fixture
def own_books(books, tmp_path):
    """A copy of the books a test may change (a mapping saved, an export loaded)."""
    shutil.copytree(books.parent, tmp_path / "wh")
    return tmp_path / "wh" / books.name


def test_the_devices_page_shows_the_price_sheet(monkeypatch, books):
    app = app_page(monkeypatch, books, "dashboards/devices.py", date(2026, 11, 22))
    assert {m.label: m.value for m in app.metric} == {"At list a month": "$2,915.00", "Under list a month": "$150.00"}
    sheets = [grid for grid in app.dataframe if "list_monthly" in grid.value.columns]
    assert len(sheets) == 1 and len(sheets[0].value) == 6 + 1  # and the total row
    assert any("Loaded as the export of 2026-11-22" in c.value for c in app.caption)


def test_the_devices_page_maps_an_organisation_to_a_client_picked_by_name(monkeypatch, own_books):
    app = app_page(monkeypatch, own_books, "dashboards/devices.py", date(2026, 11, 22))
    organisation, client = [s for s in app.selectbox if s.label in ("Organisation", "QuickBooks client")]
    assert "Birch Law (Id 2)" in client.options and "Gum Tree (Id 7)" in client.options
    organisation.set_value("Hazel Homes LLC")
    client.set_value("7")
    next(b for b in app.button if b.label == "Map and rebuild").click()
    rerun(app)
    assert settings.load(settings.settings_path(own_books)).device_organisations == {"Hazel Homes LLC": "7"}
    assert query(own_books, "select client_id, matched_by from marts.mart_device_organisations "
                            "where organisation = 'Hazel Homes LLC'") == [("7", "mapping")]


def test_an_upload_is_loaded_as_of_the_pages_date(own_books):
    outcome = services.load_devices_in_child(own_books, "rmm.csv",
                                             b"client,device,kind,last_seen\nGum Tree,GUM-PC1,desktop,2026-11-01\n",
                                             date(2026, 11, 3))
    assert outcome.ok, outcome.message
    assert work_query(own_books, "select export_date::varchar, count(*) from raw.device_exports group by 1 "
                                 "order by 1") == [("2026-11-03", 1), ("2026-11-20", 29)]
