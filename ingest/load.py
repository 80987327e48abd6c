"""Store what a connector extracted: one transaction per source, so a bad source changes nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TYPE_CHECKING

from ingest import writer
from models.warehouse.work_db import transaction
from ingest.files import read_file
from ingest.records import Extracted, RawRecord, extract_batches

if TYPE_CHECKING:
    import duckdb


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
    return store_batches(con, realm_id, source, [extracted], skip_bad, replace_realm)


class _Rejected(Exception):
    """The source had errors: what its earlier batches wrote is rolled back."""


def store_batches(
    con: duckdb.DuckDBPyConnection, realm_id: str, source: str, batches: Iterable[Extracted],
    skip_bad: bool = False, replace_realm: bool = False,
) -> SourceResult:
    """`store` for a source read a batch at a time, in one transaction: with an error anywhere (and not
    skip_bad) nothing of it stays stored, and the rest of it is still read so that every error is named."""
    result = SourceResult(source)

    def good_batches() -> Iterator[list[RawRecord]]:
        for extracted in batches:
            result.errors += extracted.errors
            for name, count in extracted.skipped.items():
                result.skipped[name] = result.skipped.get(name, 0) + count
            if not result.errors or skip_bad:
                yield extracted.records

    try:
        with transaction(con):
            if replace_realm:
                writer.forget_realm(con, realm_id)
            result.loaded = writer.write_batches(con, realm_id, good_batches(), source)
            if result.errors and not skip_bad:
                raise _Rejected
    except _Rejected:
        result.loaded, result.rejected = {}, True
    return result


# Records validated and written at a time: enough that DuckDB's upserts stay few, few enough that memory holds
# one batch of a file, not the file (docs/BENCHMARKS.md)
BATCH = 5_000


def load_files(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    realm_id: str,
    skip_bad: bool = False,
    progress: Callable[[SourceResult], None] | None = None,
) -> list[SourceResult]:
    results = []
    for path in paths:
        result = store_batches(con, realm_id, str(path), extract_batches(read_file(path), BATCH), skip_bad)
        results.append(result)
        if progress:
            progress(result)
    return results
