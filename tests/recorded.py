"""The recorded QuickBooks data in tests/fixtures: real sandbox records and real HTTP exchanges."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SANDBOX_JSONL = FIXTURES / "qbo-sandbox" / "expected_records.jsonl"
CASSETTES = FIXTURES / "qbo-cassettes"


def cassette_bodies(relative: str) -> list[dict]:
    """The JSON response bodies of a recorded exchange, in the order they were recorded."""
    recording = yaml.safe_load((CASSETTES / relative).read_text(encoding="utf-8"))
    return [json.loads(i["response"]["body"]["string"]) for i in recording["http_interactions"]]
