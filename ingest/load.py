"""Store what a connector extracted: one transaction per source, so a bad source changes nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from ingest import writer
from models.warehouse.work_db import transaction
from ingest.files import read_file
from ingest.records import Extracted


@dataclass
class SourceResult:
    source: str
    loaded: dict[str, writer.WriteCounts] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rejected: bool = False  # nothing of this source was stored

    @property
    def ok(self) -> bool:
        return not self.errors


def store(
    con: duckdb.DuckDBPyConnection, realm_id: str, source: str, extracted: Extracted,
    skip_bad: bool = False, replace_realm: bool = False,
) -> SourceResult:
    """Write a source's records unless it has errors (then nothing, unless skip_bad keeps the good
    ones). With replace_realm the realm's stored records are replaced by these, atomically."""
    result = SourceResult(source, skipped=dict(extracted.skipped), errors=list(extracted.errors))
    if extracted.errors and not skip_bad:
        result.rejected = True
        return result
    with transaction(con):
        if replace_realm:
            writer.forget_realm(con, realm_id)
        result.loaded = writer.write(con, realm_id, extracted.records, source)
    return result


def load_files(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    realm_id: str,
    skip_bad: bool = False,
    progress: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    results = []
    for path in paths:
        result = store(con, realm_id, str(path), read_file(path), skip_bad)
        results.append(result)
        if progress:
            progress(result)
    return results
