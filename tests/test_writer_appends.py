"""The writer's batches, all new (a new warehouse's pages and first load) or some stored: each key ends in its newest
version, a key twice in one batch included, and only what raw takes is noted for the parse."""
from __future__ import annotations

from datetime import datetime

from ingest import writer
from ingest.records import RawRecord, to_payload
from models.warehouse.work_db import open_work_db, transaction
from tests.builders import invoice, item_line


def version(record_id: str, day: int, amount: str, realm: str = "a") -> tuple[str, RawRecord]:
    payload = invoice(record_id, [item_line(amount)], updated=f"2026-03-{day:02d}T10:00:00-08:00", sync=str(day))
    return realm, RawRecord("Invoice", record_id, datetime(2026, 3, day, 18), day, False, to_payload(payload))


def test_batches_new_or_stored_end_in_their_newest_versions_each_noted_for_the_parse(tmp_path):
    con = open_work_db(tmp_path / "w.duckdb")

    def write(*versions: tuple[str, RawRecord]) -> writer.WriteCounts:
        with transaction(con):
            realms = {realm for realm, _ in versions}
            return [writer.write(con, realm, [r for rr, r in versions if rr == realm], "test")["Invoice"]
                    for realm in sorted(realms)]

    def stored() -> list[tuple]:
        return con.execute("select realm_id, id, sync_token, payload->>'$.TotalAmt' from raw.invoices "
                           "order by all").fetchall()

    def noted() -> list[tuple]:
        notes = con.execute("select realm_id, id from raw.unparsed order by all").fetchall()
        con.execute("delete from raw.unparsed")  # as a build's parse empties them
        return notes

    try:
        # all new, one key twice (the newer first): the newest kept
        assert write(version("1", 6, "11.00"), version("1", 5, "10.00"), version("2", 5, "20.00")) == [
            writer.WriteCounts(3, 2, 0)]
        assert stored() == [("a", "1", 6, "11.00"), ("a", "2", 5, "20.00")]
        assert noted() == [("a", "1"), ("a", "2")]
        # one key stored (newer), one new: the stored version replaced
        assert write(version("2", 7, "21.00"), version("3", 5, "30.00")) == [writer.WriteCounts(2, 1, 1)]
        assert stored() == [("a", "1", 6, "11.00"), ("a", "2", 7, "21.00"), ("a", "3", 5, "30.00")]
        assert noted() == [("a", "2"), ("a", "3")]
        # only older or the same versions of stored keys: nothing changes, nothing to parse
        assert write(version("1", 5, "10.00"), version("2", 7, "21.00")) == [writer.WriteCounts(2, 0, 0)]
        assert noted() == []
        # new keys again, also another realm's record of a stored Id: both added
        assert write(version("4", 5, "40.00"), version("1", 5, "10.00", realm="b")) == [
            writer.WriteCounts(1, 1, 0), writer.WriteCounts(1, 1, 0)]
        assert stored() == [("a", "1", 6, "11.00"), ("a", "2", 7, "21.00"), ("a", "3", 5, "30.00"),
                            ("a", "4", 5, "40.00"), ("b", "1", 5, "10.00")]
        assert noted() == [("a", "4"), ("b", "1")]
    finally:
        con.close()
