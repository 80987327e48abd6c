"""Which QuickBooks companies a warehouse holds, and the name each is printed under."""
from __future__ import annotations

import duckdb

from models.figures.reports import run_query
from models.settings.settings import Settings


def company_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Realm -> the company's name (QuickBooks' CompanyInfo, else "QuickBooks company <realm>")."""
    return dict(run_query(con, "companies").rows)


def printed_name(settings: Settings, names: dict[str, str], realm: str | None) -> str:
    """The name on a printout or the weekly summary: the one the owner set in settings, else the
    company's own name in QuickBooks (the only company's when `realm` is None)."""
    if settings.company_name:
        return settings.company_name
    if realm is None and len(names) == 1:
        realm = next(iter(names))
    return names.get(realm, "") if realm else ", ".join(sorted(names.values()))
