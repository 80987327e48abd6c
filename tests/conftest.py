"""Shared fixtures: the team's recorded QuickBooks data, throwaway warehouses, the CLI."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ingest.records import dumps_exact
from models import paths
from cli import main as cli_main
from models.snapshot import open_snapshot

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SANDBOX_JSONL = SHARED / "fixtures" / "qbo-sandbox" / "expected_records.jsonl"
CASSETTES = SHARED / "fixtures" / "qbo-cassettes"
UNTIL = "2026-11-22"
MSP_REVENUE = str(Path(sys.executable).with_name("msp-revenue"))  # the installed console command  # the demo company's last day in tests, so figures do not move with the calendar


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"


def cli(*args: str | Path) -> int:
    return cli_main([str(a) for a in args])


def snapshot(db: Path) -> duckdb.DuckDBPyConnection:
    return open_snapshot(paths.snapshot(db))


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = snapshot(db)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def checksums(db: Path) -> dict[str, str]:
    """The raw tables' checksums (equal checksums: the same stored records)."""
    from models.warehouse import open_work_db, raw_checksums

    con = open_work_db(db)
    try:
        return raw_checksums(con)
    finally:
        con.close()


def write_json(path: Path, document) -> Path:
    """Write a QuickBooks-style document, Decimals as exact JSON numbers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_exact(document), encoding="utf-8")
    return path


def run_cli_process(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The installed console command in its own process, as a user runs it."""
    return subprocess.run([MSP_REVENUE, *map(str, args)], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600)


def invoice(doc_id: str, lines: list[dict], *, customer=("1", "Client A"), day="2026-03-05", tax="0",
            entity_total=None, updated="2026-03-05T10:00:00-08:00", sync="0", **extra) -> dict:
    """A minimal QuickBooks sales document (any type) whose TotalAmt is its lines plus tax."""
    total = sum((Decimal(str(l["Amount"])) * (-1 if l.get("DetailType") == "DiscountLineDetail" else 1)
                 for l in lines if l.get("DetailType") in ("SalesItemLineDetail", "GroupLineDetail", "DiscountLineDetail")),
                Decimal(0)) + Decimal(tax)
    record = {
        "Id": doc_id, "SyncToken": sync, "DocNumber": f"D{doc_id}", "TxnDate": day,
        "CustomerRef": {"value": customer[0], "name": customer[1]},
        "Line": lines, "TxnTaxDetail": {"TotalTax": Decimal(tax)},
        "TotalAmt": entity_total if entity_total is not None else total,
        "MetaData": {"CreateTime": updated, "LastUpdatedTime": updated},
    }
    record.update(extra)
    return record


def item_line(amount: str, item=("1", "Services"), qty="1", **detail) -> dict:
    return {"Amount": Decimal(amount), "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": item[0], "name": item[1]}, "Qty": Decimal(qty),
                                    "UnitPrice": Decimal(amount) / Decimal(qty), **detail}}


def cassette_bodies(relative: str) -> list[dict]:
    """The JSON response bodies of a recorded exchange, in the order they were recorded."""
    import yaml

    recording = yaml.safe_load((CASSETTES / relative).read_text(encoding="utf-8"))
    return [json.loads(i["response"]["body"]["string"]) for i in recording["http_interactions"]]
