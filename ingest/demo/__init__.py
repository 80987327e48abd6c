"""Demo connector: a synthetic MSP company, loaded through the same path as real QuickBooks data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.demo.devices import demo_export, plain_csv
from ingest.devices import DeviceExport
from ingest.load import SourceResult, store
from ingest.records import dumps_exact, extract, locate
from models.files import write_atomically
from models.settings.settings import Devices

if TYPE_CHECKING:
    import duckdb

DEMO_REALM = "demo"
DEMO_SILVER_ITEM = "MSA - Silver"  # billed per server (ingest/demo/company.py): a device-kind rule names it


@dataclass(frozen=True)
class DemoLoad:
    result: SourceResult
    devices: dict[str, Devices]  # customer Id -> device counts, for the tier what-if
    documents: list[dict]        # the company as QuickBooks API documents (query and CDC responses)
    export: DeviceExport         # its remote-monitoring tool's device export, as of export_date
    export_date: date


def load_demo(con: duckdb.DuckDBPyConnection, seed: int = 7, clients: int = 60, years: int = 3,
              until: date | None = None) -> DemoLoad:
    """Generate the demo company and replace the demo realm with it (other realms are untouched).
    Returns what the owner's files need (device counts); saving them is the caller's business."""
    demo = _generated(seed, clients, years, until)
    names = ("demo company (query response)", "demo company (change data capture)")
    found = chain.from_iterable(locate(doc, name) for doc, name in zip(demo.documents, names))
    result = store(con, DEMO_REALM, f"demo seed={seed} clients={clients} years={years}", extract(found),
                   replace_realm=True)
    devices = {cid: Devices(servers, desktops, name) for cid, (name, servers, desktops) in demo.devices.items()}
    export_date = until or date.today()
    return DemoLoad(result, devices, demo.documents, demo_export(demo.devices, export_date), export_date)


def write_demo_files(folder: Path, seed: int = 7, clients: int = 60, years: int = 3,
                     until: date | None = None) -> list[Path]:
    """Generate the demo company and write it as QuickBooks API JSON files and its device export only: no
    warehouse is opened."""
    demo = _generated(seed, clients, years, until)
    return write_documents(demo.documents, folder, demo_export(demo.devices, until or date.today()))


def _generated(seed: int, clients: int, years: int, until: date | None):
    """The demo company. Its generator is imported here, not at the top: it is most of this package's import, and
    every sync imports the package for DEMO_REALM (a real company replaces the demo one)."""
    from ingest.demo.company import generate

    return generate(seed=seed, clients=clients, years=years, until=until)


def write_documents(documents: list[dict], folder: Path, export: DeviceExport | None = None) -> list[Path]:
    """The demo as QuickBooks API JSON files, loadable with `msp-revenue load`, and its device export as the plain
    CSV (`devices.csv`, which the load-devices command reads)."""
    paths = []
    for name, document in zip(("query.json", "cdc.json"), documents):
        paths.append(write_atomically(folder / name, dumps_exact(document) + "\n"))
    if export is not None:
        paths.append(write_atomically(folder / "devices.csv", plain_csv(export)))
    return paths
