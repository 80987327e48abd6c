"""The demo company's device export, as its remote-monitoring tool would list every client's devices: every third
client runs a server more than its counts (and so than a Silver agreement bills), and the MSP's own lab is an organisation
no client matches."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from ingest.devices import Device, DeviceExport

LAB = "Bench & Lab (internal)"  # the MSP's own machines: listed as unmatched, never a client's


def demo_export(devices: dict[str, tuple[str, int, int]], as_of: date) -> DeviceExport:
    """Each client's servers and desktops (client Id -> (name, servers, desktops)), every third client with one
    server more, a printer now and then (listed, not counted), and the lab."""
    seen = datetime(as_of.year, as_of.month, as_of.day, 7, 30)
    rows: list[tuple[str, str, str, str]] = []
    for index, (client_id, (name, servers, desktops)) in enumerate(sorted(devices.items(), key=lambda d: int(d[0]))):
        prefix = "".join(word[0] for word in name.split() if word[:1].isalnum()).upper() or client_id
        running = servers + (1 if index % 3 == 0 else 0)
        rows += [(name, f"{prefix}{client_id}-SRV{n}", "WINDOWS_SERVER", "server") for n in range(1, running + 1)]
        rows += [(name, f"{prefix}{client_id}-PC{n:02d}", "WINDOWS_WORKSTATION", "desktop")
                 for n in range(1, desktops + 1)]
        if index % 3 == 0:
            rows.append((name, f"{prefix}{client_id}-PRN1", "NMS_PRINTER", "other"))
    rows += [(LAB, "LAB-HV01", "WINDOWS_SERVER", "server"), (LAB, "LAB-TEST01", "WINDOWS_WORKSTATION", "desktop")]
    listed = [Device(line, organisation, device, device_type, kind, seen - timedelta(hours=line % 40), True)
              for line, (organisation, device, device_type, kind) in enumerate(rows, start=2)]
    return DeviceExport("NinjaOne", listed, [])


def plain_csv(export: DeviceExport) -> str:
    """The export in the plain layout (client,device,kind,last_seen), as `load-devices` reads it back (the demo's
    own names: none starts a formula)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["client", "device", "kind", "last_seen"])
    writer.writerows((d.organisation, d.device, d.kind, d.last_seen.isoformat() if d.last_seen else "")
                     for d in export.devices)
    return out.getvalue()
