"""Which QuickBooks companies a warehouse holds, and the name each is printed under."""
from __future__ import annotations

import duckdb

from models.figures.reports import run_query
from models.settings.settings import Settings


def company_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Realm -> the company's name (QuickBooks' CompanyInfo, else "QuickBooks company <realm>")."""
    return dict(run_query(con, "companies").rows)


class UnknownCompany(ValueError):
    """A --realm that names no QuickBooks company in the warehouse."""


def check_realm(con: duckdb.DuckDBPyConnection, realm: str | None) -> None:
    """Refuse a realm the warehouse does not hold: its figures would be zeros that look like a quiet company."""
    if realm is None:
        return
    names = company_names(con)
    if realm not in names:
        held = ", ".join(f"{r} ({n})" for r, n in sorted(names.items())) or "none (load or sync one first)"
        raise UnknownCompany(f"no QuickBooks company {realm!r} in this warehouse; it holds: {held}")


def printed_name(settings: Settings, names: dict[str, str], realm: str | None) -> str:
    """The name on a printout or the weekly summary: the one the owner set in settings, else the
    company's own name in QuickBooks (the only company's when `realm` is None)."""
    if settings.company_name:
        return settings.company_name
    if realm is None and len(names) == 1:
        realm = next(iter(names))
    return names.get(realm, "") if realm else ", ".join(sorted(names.values()))
