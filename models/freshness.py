"""What the app says about the data behind every page: when it was built, and whether it ties out."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from models.reports import run_query


@dataclass(frozen=True)
class Freshness:
    built_at: datetime  # UTC
    realms: list[str]
    revenue_lines: int
    failed_checks: list[str]

    def age_text(self, now: datetime | None = None) -> str:
        seconds = ((now or datetime.now(timezone.utc).replace(tzinfo=None)) - self.built_at).total_seconds()
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
            if seconds >= size:
                n = int(seconds // size)
                return f"{n} {unit}{'s' if n != 1 else ''} ago"
        return "just now"

    @property
    def ties_out(self) -> bool:
        return not self.failed_checks


def freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    built_at, realms, lines, failed = run_query(con, "build_info").rows[0]
    return Freshness(built_at, list(realms), lines, list(failed))


def last_syncs(con: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    """Realm -> when its last QuickBooks sync finished (UTC)."""
    return {realm: at for realm, at in run_query(con, "last_sync").rows if at is not None}
