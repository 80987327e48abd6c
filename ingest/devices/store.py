"""Keep a device export in the work database, as the company's export of its date."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from ingest.devices import DeviceExport
from models.warehouse import sqlfiles
from models.warehouse.work_db import transaction

if TYPE_CHECKING:
    import duckdb


def store_export(con: duckdb.DuckDBPyConnection, realm: str, export_date: date, source: str,
                 export: DeviceExport) -> None:
    """Replace the company's export of `export_date` with this one, whole or not at all."""
    import pyarrow as pa

    devices = export.devices
    rows = pa.table({
        "line": pa.array([d.line for d in devices], pa.int32()),
        "organisation": pa.array([d.organisation for d in devices], pa.string()),
        "device": pa.array([d.device for d in devices], pa.string()),
        "device_type": pa.array([d.device_type for d in devices], pa.string()),
        "kind": pa.array([d.kind for d in devices], pa.string()),
        "last_seen": pa.array([d.last_seen for d in devices], pa.timestamp("us")),
        "billable": pa.array([d.billable for d in devices], pa.bool_()),
    })
    params = {"realm": realm, "export_date": export_date}
    with transaction(con):
        con.execute(sqlfiles.read("raw/forget_device_export.sql"), params)
        con.register("export_devices", rows)
        try:
            con.execute(sqlfiles.read("raw/store_device_export.sql"),
                        {**params, "source": source, "layout": export.layout,
                         "loaded_at": datetime.now(timezone.utc).replace(tzinfo=None)})
        finally:
            con.unregister("export_devices")
