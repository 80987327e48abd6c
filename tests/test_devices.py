"""Real device counts (issue 29): RMM device exports loaded, matched to clients and reconciled against the device
lines billed, on a small company whose arithmetic is written out here."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from ingest.devices import ExportError, read_export
from models.settings import categories, settings
from models.warehouse import paths
from tests.builders import item_line, sales_document
from tests.companies import Company
from tests.helpers import app_page, cli, query, work_query
from tests.metrics import by, report

FIXTURES = Path(__file__).parent / "fixtures" / "devices"
DESKTOP, SERVER = ("20", "Managed Services:Managed Desktop"), ("21", "Managed Services:Server Monitoring")
RULES = '[device_kinds.items]\n"Managed Desktop" = "desktop"\n"Server Monitoring" = "server"\n'

OCTOBER = """client,device,kind,last_seen
Acme Dental,ACME-DC01,server,2026-10-14
Acme Dental,ACME-PC1,desktop,2026-10-14
Acme Dental,CEDAR-PC3,desktop,2026-10-10
Cedar Clinic,CEDAR-PC1,desktop,2026-10-14
Cedar Clinic,CEDAR-PC2,desktop,2026-10-14
"""
NOVEMBER = """client,device,kind,last_seen
Acme Dental,ACME-DC01,server,2026-11-19
Acme Dental,ACME-PC1,desktop,2026-11-19
Acme Dental,ACME-PC1,desktop,2026-11-02
Acme Dental,ACME-PC2,desktop,2026-11-18
Acme Dental,ACME-PC3,desktop,
Acme Dental,ACME-PRN,printer,2026-11-19
Birch Law LLP,BIRCH-FS1,server,2026-11-19
Birch Law LLP,BIRCH-PC1,desktop,2026-11-19
Cedar Clinic,CEDAR-PC1,desktop,2026-11-19
Cedar Clinic,CEDAR-PC2,desktop,2026-11-19
Cedar Clinic,CEDAR-PC3,desktop,2026-11-19
Dune Dental,DUNE-PC1,desktop,2026-11-19
"""


def _line(item: tuple[str, str], qty: int, rate: str) -> dict:
    return item_line(str(D(rate) * qty), item, qty=str(qty))


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """Acme Dental (90), Birch Law (91; its RMM calls it "Birch Law LLP", mapped in the settings), Cedar Clinic (92,
    billed through its job Annex, 93). The rules say "Managed Desktop" bills desktops, "Server Monitoring" servers.

    November 2026 (as of the 22nd; the export of 20 November):
    - Acme: deployed 1 server, 3 desktops (ACME-PC1 listed twice counts once; the printer is not counted);
      billed 1 server x 100 and 2 desktops x 45: under-billed by 1 desktop x 45 = 45.00
    - Birch: deployed 1 server, 1 desktop; billed 2 servers x 90 and 2 desktops x 60 (a credit memo of 1 x 60
      gives money back, takes no device off): over-billed, (1 - 2) x 90 + (1 - 2) x 60 = -150.00
    - Cedar: 3 desktops deployed, 3 billed x 50 on its job: matched, 0.00; it has no server line, so its servers
      are not compared (billed empty).
    - Dune Dental (1 desktop) matches no client: listed, not counted.
    Typed counts (settings): Acme 9 and 9, which its export's 1 and 3 replace; Elm Dental (94, in no export) 1 and 2,
    which stay. Acme's tools in its one agreement month (October) at the playbook's $8 a desktop: 3 x 8 = 24.00.
    October 2026 (as of the 31st; the export of 15 October): Acme ran 1 server and 2 desktops (CEDAR-PC3 was at
    Acme then; it moved to Cedar by November) and was billed 5 desktops x 45, no server line yet (its servers not
    compared): over-billed, (2 - 5) x 45 = -135.00. Cedar, with no device line in October or the 12 months before,
    is billed a flat fee as far as this report knows: not listed."""
    db = tmp_path_factory.mktemp("devices") / "wh" / "warehouse.duckdb"
    db.parent.mkdir(parents=True)
    rules = paths.category_rules(db)
    categories.ensure_rules_file(rules)
    rules.write_text(rules.read_text(encoding="utf-8").replace("[device_kinds.items]\n", RULES), encoding="utf-8")
    settings.save_device_organisation(settings.settings_path(db), "Birch Law LLP", "91")
    settings.save_devices(settings.settings_path(db), "local", {"90": settings.Devices(9, 9, "Acme Dental"),
                                                               "94": settings.Devices(1, 2, "Elm Dental")})
    company = Company()
    for item_id, name in (DESKTOP, SERVER):
        company.add("Item", {"Id": item_id, "Name": name.split(":")[-1], "FullyQualifiedName": name, "Type": "Service"})
    company.customer("90", "Acme Dental")
    company.customer("91", "Birch Law")
    company.customer("92", "Cedar Clinic")
    company.customer("93", "Cedar Clinic:Annex", parent="92")
    company.customer("94", "Elm Dental")
    for customer, lines, day in (
            ("90", [_line(DESKTOP, 5, "45")], "2026-10-01"),
            ("90", [_line(SERVER, 1, "100"), _line(DESKTOP, 2, "45")], "2026-11-01"),
            ("91", [_line(SERVER, 2, "90"), _line(DESKTOP, 2, "60")], "2026-11-01"),
            ("93", [_line(DESKTOP, 3, "50")], "2026-11-01")):
        company.add("Invoice", _document(customer, day, lines))
    company.add("CreditMemo", {**_document("91", "2026-11-10", [_line(DESKTOP, 1, "60")]), "RemainingCredit": D(0)})
    company.load(db)
    for text, day in ((OCTOBER, "2026-10-15"), (NOVEMBER, "2026-11-20")):
        export = db.parent / f"export-{day}.csv"
        export.write_text(text, encoding="utf-8")
        assert cli("load-devices", export, "--as-of", day, "--db", db) == 0
    return db


def _document(customer: str, day: str, lines: list[dict]) -> dict:
    return sales_document(customer, day, lines, DocNumber=f"D{customer}{day}")


COLUMNS = ("servers_deployed", "desktops_deployed", "servers_billed", "desktops_billed", "monthly_difference", "status")


def test_reconciliation_of_a_small_company(books):
    rows = report(books, "devices", "2026-11-22")
    assert [r["client"] for r in rows] == ["Acme Dental", "Birch Law", "Cedar Clinic"]
    got = {r["client_id"]: tuple(r[c] for c in COLUMNS) for r in rows}
    assert got == {
        "90": (1, 3, D(1), D(2), D("45.00"), "under-billed"),
        "91": (1, 1, D(2), D(2), D("-150.00"), "over-billed"),
        "92": (0, 3, None, D(3), D("0.00"), "matched"),  # billed per desktop only: servers not compared
    }
    assert {r["client_id"]: (r["server_rate"], r["desktop_rate"]) for r in rows} == {
        "90": (D("100.00"), D("45.00")), "91": (D("90.00"), D("60.00")), "92": (None, D("50.00"))}
    assert {r["deployed_as_of"].isoformat() for r in rows} == {"2026-11-20"}


def test_each_load_is_kept_by_its_date(books):
    rows = by(report(books, "devices", "2026-10-31"), "client_id")
    assert list(rows) == ["90"]
    assert tuple(rows["90"][c] for c in COLUMNS) == (1, 2, None, D(5), D("-135.00"), "over-billed")
    assert work_query(books, "select export_date::varchar, count(*) from raw.device_exports group by 1 order by 1") == [
        ("2026-10-15", 5), ("2026-11-20", 11)]


def test_one_client(books):
    assert [r["client_id"] for r in report(books, "devices", "2026-11-22", client="91")] == ["91"]


def test_unmatched_organisations_are_listed_not_dropped(books):
    assert query(books, "select organisation, client_id, matched_by, why_unmatched, devices from "
                        "marts.mart_device_organisations where export_date = '2026-11-20' order by 1") == [
        ("Acme Dental", "90", "name", None, 5),  # ACME-PC1 twice: once
        ("Birch Law LLP", "91", "mapping", None, 2),
        ("Cedar Clinic", "92", "name", None, 3),
        ("Dune Dental", None, None, "no client has its name: map it to one", 1)]


@pytest.mark.parametrize("column, devices, amount", [
    ("desktops_deployed", D(3), D("135.00")),
    ("servers_billed", D(1), D("100.00")),
    ("monthly_difference", D(1), D("45.00")),  # 4 devices run less 3 billed, the desktop at 45
])
def test_lines_behind_a_cell_add_up_to_it(books, column, devices, amount):
    rows = report(books, "lines", "2026-11-22", kind=f"devices:{column}", client="90")
    billed_less = -1 if column == "monthly_difference" else 1
    assert sum(r["devices"] * (1 if r["document_type"].startswith("Device") else billed_less) for r in rows) == devices
    assert sum(r["amount"] for r in rows) == amount


def test_a_device_moving_between_clients_counts_where_the_latest_export_puts_it(books):
    def where(as_of):
        rows = report(books, "lines", as_of, kind="devices:desktops_deployed")
        return {r["client"] for r in rows if r["doc_number"] == "CEDAR-PC3"}
    assert (where("2026-10-31"), where("2026-11-22")) == ({"Acme Dental"}, {"Cedar Clinic"})


@pytest.mark.parametrize("name, layout, servers, desktops, not_counted", [
    ("ninjaone.csv", "NinjaOne", 2, 4, 1),       # the printer
    ("datto.csv", "Datto RMM", 2, 2, 3),         # _NotBillable_ laptop and site, the switch
    ("nable.xlsx", "N-able", 3, 2, 1),           # ESXi host a server; the UPS other
    ("plain.csv", "plain", 1, 2, 0),             # ACME-FRONT twice: once
])
def test_real_shaped_exports(name, layout, servers, desktops, not_counted):
    export = read_export(FIXTURES / name)
    counted = [d for d in export.devices if d.billable and d.kind != "other"]
    assert export.layout == layout
    assert (sum(d.kind == "server" for d in counted), sum(d.kind == "desktop" for d in counted),
            len(export.devices) - len(counted)) == (servers, desktops, not_counted)


def test_an_unknown_layout_is_refused_naming_the_columns_expected(books, capsys):
    assert cli("load-devices", FIXTURES / "unknown.csv", "--db", books) == 1
    err = capsys.readouterr().err
    assert "'Computer', 'Owner', 'Seen' are not a device export we know" in err
    assert "NinjaOne: 'Organization'" in err and "Datto RMM: 'Site Name'" in err and "client,device,kind,last_seen" in err
    assert work_query(books, "select count(distinct export_date) from raw.device_exports") == [(2,)]


def test_a_bad_date_refuses_the_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("client,device,kind,last_seen\nAcme,PC1,desktop,2026-11-19\nAcme,PC2,desktop,31/12/2026\n",
                   encoding="utf-8")
    with pytest.raises(ExportError, match=r"line 3: last seen '31/12/2026' is not a date"):
        read_export(bad)


def test_the_devices_page_shows_the_report_and_the_organisations(monkeypatch, books):
    app = app_page(monkeypatch, books, "dashboards/devices.py", date(2026, 11, 22))
    assert {m.label: m.value for m in app.metric} == {"Not billed a month": "$45.00",
                                                     "Billed for devices not running": "$150.00"}
    devices_grid, organisations_grid = (next(g for g in app.dataframe if column in g.value.columns)
                                        for column in ("monthly_difference", "matched_by"))
    assert len(devices_grid.value) == 3 + 1  # and the total row
    assert len(organisations_grid.value) == 4
    (warning,) = app.warning
    assert "1 organisation(s) match no QuickBooks client" in warning.value


def test_the_tier_what_if_and_tool_cost_count_the_export_where_there_is_one(books):
    tiers = {r["customer_id"]: r for r in report(books, "tiers", "2026-11-22")}
    assert (tiers["90"]["servers"], tiers["90"]["desktops"], tiers["90"]["devices_counted_from"].isoformat()) == \
        (1, 3, "2026-11-20")
    assert (tiers["94"]["servers"], tiers["94"]["desktops"], tiers["94"]["devices_counted_from"]) == (1, 2, None)
    (acme,) = report(books, "margin", "2026-11-22", client="90")
    assert acme["tool_cost"] == D("24.00")
    (tools,) = report(books, "lines", "2026-11-22", kind="margin:tool_cost", client="90")
    assert "(device export of 2026-11-20)" in tools["detail"]


def test_text_from_an_export_is_data(tmp_path, capsys):
    """An organisation named like a formula is stored as written, and neutralised in every CSV out."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    company = Company()
    company.customer("1", "Acme")
    company.load(db)
    export = tmp_path / "devices.csv"
    export.write_text('client,device,kind,last_seen\n"=HYPERLINK(""http://x"",""y"")",@PC1,desktop,2026-11-19\n',
                      encoding="utf-8")
    assert cli("load-devices", export, "--as-of", "2026-11-20", "--db", db) == 0
    assert "matches no QuickBooks client" in capsys.readouterr().err
    assert work_query(db, "select organisation, device from raw.device_exports") == [
        ('=HYPERLINK("http://x","y")', "@PC1")]
    assert cli("report", "device-organisations", "--as-of", "2026-11-22", "--format", "csv", "--db", db) == 0
    out = capsys.readouterr().out
    assert "'=HYPERLINK" in out and "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out
