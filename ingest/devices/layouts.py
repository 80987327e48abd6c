"""The column sets of the device exports we read, and what a device's type says about its kind.

Each layout names, per field, the headers its tool writes (any case, spaces and punctuation ignored, as
`name_key` compares names). Where the headers come from:
- NinjaOne: the device search grid's columns (Organization, Location, Device; ninjaone.com/docs "Groups,
  Organizations, and Locations") with the node class (WINDOWS_SERVER, WINDOWS_WORKSTATION, MAC, LINUX_SERVER:
  the public API's `nodeClass`) and last contact (`lastContact`).
- Datto RMM: the device list's Site Name, Hostname, Device Type (Desktop, Laptop, Server, ESXi Host, Network
  Device, Printer) and Last Seen (the API's siteName, hostname, deviceType, lastSeen); a device in the global
  device group `_NotBillable_` is not billed (rmm.datto.com, Integrated Customer Billing), nor one in a site so
  named.
- N-able: N-central's customer name, device (long) name, device class ("Servers - Windows", "Workstations -
  Windows", "Laptop - Windows") and last check-in; N-sight RMM's Client, Device, Device Type and Last Response.
- Plain: `client,device,kind,last_seen`, for any other tool (kind: server, desktop or anything else, not counted).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from models.names import name_key

FIELDS = ("organisation", "device", "kind", "last_seen")
NOT_BILLABLE = "_NotBillable_"  # Datto RMM's convention for a device group (or site) that is not billed
KINDS = ("server", "desktop", "other")


@dataclass(frozen=True)
class Layout:
    name: str
    headers: dict[str, tuple[str, ...]]  # field -> the headers that hold it, first found wins
    groups: tuple[str, ...] = ()          # headers holding the device's groups (Datto's _NotBillable_)

    def columns(self, header: list[str]) -> dict[str, int] | None:
        """Where each field is in this header row, or None when one is missing."""
        keys = [name_key(h or "") for h in header]
        found = {}
        for field_name, names in self.headers.items():
            at = next((keys.index(name_key(n)) for n in names if name_key(n) in keys), None)
            if at is None:
                return None
            found[field_name] = at
        return found

    def group_columns(self, header: list[str]) -> list[int]:
        keys = [name_key(h or "") for h in header]
        return [i for i, k in enumerate(keys) if k in {name_key(g) for g in self.groups}]

    def expected(self) -> str:
        return ", ".join(" or ".join(repr(n) for n in names) for names in self.headers.values())


# In the order they are tried: the plain layout first, so a file written for it is never read as a tool's.
LAYOUTS = (
    Layout("plain", {"organisation": ("client",), "device": ("device",), "kind": ("kind",),
                     "last_seen": ("last_seen",)}),
    Layout("NinjaOne", {"organisation": ("Organization", "Organization Name"),
                        "device": ("Device", "Display Name", "System Name"),
                        "kind": ("Node Class", "Device Class", "Role", "Device Role"),
                        "last_seen": ("Last Contact", "Last Seen", "Last Update")}),
    Layout("Datto RMM", {"organisation": ("Site Name", "Site"), "device": ("Hostname", "Device Hostname"),
                         "kind": ("Device Type", "Type"), "last_seen": ("Last Seen", "Last Audit")},
           groups=("Device Groups", "Groups", "Device Group", "Site Group")),
    Layout("N-able", {"organisation": ("Customer Name", "Customer", "Client"),
                      "device": ("Device Name", "Long Name", "Device"),
                      "kind": ("Device Class", "Device Type", "Class"),
                      "last_seen": ("Last Check-in", "Last Check In", "Last Appliance Check-in", "Last Response",
                                    "Last Seen")}),
)

_SERVER_WORDS = {"server", "servers", "esxi", "hypervisor"}
_DESKTOP_WORDS = {"desktop", "desktops", "workstation", "workstations", "laptop", "laptops", "notebook", "mac",
                  "macos", "pc"}


def device_kind(text: str) -> str:
    """server, desktop or other, from what a tool calls the device's type: "WINDOWS_SERVER", "Servers -
    Windows", "ESXi Host" are servers; "WINDOWS_WORKSTATION", "Laptop", "MAC" desktops; a printer, a switch or
    a phone is other (listed, never counted)."""
    words = set(re.split(r"[^a-z]+", text.casefold()))
    if words & _SERVER_WORDS:
        return "server"
    if words & _DESKTOP_WORDS:
        return "desktop"
    return "other"
