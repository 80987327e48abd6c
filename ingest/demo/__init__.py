"""Demo connector: a synthetic MSP company, loaded through the same path as real QuickBooks data."""
from __future__ import annotations

from datetime import date
from itertools import chain
from pathlib import Path

import duckdb

from ingest.demo.company import generate
from ingest.load import SourceResult, store
from ingest.records import dumps_exact, extract, locate
from models.settings import Devices, save_company_name, save_devices

DEMO_REALM = "demo"


def load_demo(
    con: duckdb.DuckDBPyConnection, settings_file: Path, seed: int = 7, clients: int = 60, years: int = 3,
    until: date | None = None, out: Path | None = None,
) -> SourceResult:
    """Generate the demo company and replace the demo realm with it (other realms are untouched);
    its clients' device counts go into the settings file, for the tier what-if."""
    demo = generate(seed=seed, clients=clients, years=years, until=until)
    if out is not None:
        write_documents(demo.documents, out)
    names = ("demo company (query response)", "demo company (change data capture)")
    found = chain.from_iterable(locate(doc, name) for doc, name in zip(demo.documents, names))
    result = store(con, DEMO_REALM, f"demo seed={seed} clients={clients} years={years}", extract(found),
                   replace_realm=True)
    if result.ok:
        save_devices(settings_file, DEMO_REALM,
                     {cid: Devices(servers, desktops, name) for cid, (name, servers, desktops) in demo.devices.items()},
                     replace=True)
        save_company_name(settings_file, "Northwind IT Services (demo)", only_if_default=True)
    return result


def write_documents(documents: list[dict], folder: Path) -> list[Path]:
    """The demo as QuickBooks API JSON files, loadable with `msp-revenue load`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, document in zip(("query.json", "cdc.json"), documents):
        path = folder / name
        path.write_text(dumps_exact(document) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
