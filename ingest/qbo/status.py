"""`msp-revenue status`: what is connected, token ages, last syncs, snapshot age, tie-out."""
from __future__ import annotations

import time
from pathlib import Path


from ingest.qbo import config as qbo_config
from ingest.qbo.auth import TokenStore
from models import paths
from models.freshness import freshness
from models.snapshot import open_snapshot


def connected_companies(db: Path) -> list[str]:
    """A line per connected company: realm, token ages, how long the refresh token lasts."""
    lines = []
    now = time.time()
    for realm, tokens in TokenStore(qbo_config.tokens_path(db)).read_all().items():
        age = (now - tokens.obtained_at) / 60
        access = "expired" if tokens.access_expires_at <= now else f"{(tokens.access_expires_at - now) / 60:.0f} min left"
        refresh_days = (tokens.refresh_expires_at - now) / 86400
        line = (f"QuickBooks company {realm}: connected; access token {age:.0f} min old ({access}); "
                f"refresh token {refresh_days:.0f} days left")
        if tokens.refresh_hard_expires_at:
            line += f" (5-year limit in {(tokens.refresh_hard_expires_at - now) / 86400:,.0f} days)"
        if refresh_days < 14:
            line += " — sync soon, or reconnect"
        lines.append(line)
    return lines


def status_lines(db: Path) -> list[str]:
    lines = connected_companies(db) or [
        "QuickBooks: not connected (run msp-revenue connect); the warehouse holds file or demo data"]
    snapshot = paths.snapshot(db)
    if not snapshot.exists():
        return lines + ["warehouse: not built yet (msp-revenue sync, load or demo)"]
    con = open_snapshot(snapshot)
    try:
        info = freshness(con)
        lines.append(f"snapshot: built {info.age_text()}, {info.revenue_lines:,} revenue lines, "
                     f"companies {', '.join(info.realms) or 'none'}")
        for realm, entity, loaded_at, source in con.execute(
                "select realm_id, entity, last_loaded_at, last_source from marts.mart_load_history "
                "order by realm_id, entity").fetchall():
            lines.append(f"  last load of {entity:14s} ({realm}): {loaded_at:%Y-%m-%d %H:%M} UTC by {source}")
        differences = con.execute(
            "select month, account, quickbooks, ours, difference from marts.mart_tie_out where difference <> 0 "
            "order by month, account").fetchall()
        compared = con.execute("select count(distinct month) from marts.mart_tie_out").fetchone()[0]
    finally:
        con.close()
    if not compared:
        lines.append("tie-out to QuickBooks: not compared yet (it follows a sync)")
    elif not differences:
        lines.append(f"tie-out to QuickBooks: ties out ({compared} month(s) compared)")
    else:
        lines.append(f"tie-out to QuickBooks: {len(differences)} difference(s):")
        lines += [f"  {m:%Y-%m} {a}: QuickBooks {q}, ours {o}, difference {d}" for m, a, q, o, d in differences]
    if not info.ties_out:
        lines.append(f"checks failing: {', '.join(info.failed_checks)}")
    return lines
