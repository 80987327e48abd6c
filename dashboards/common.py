"""What every page shares: the snapshot connection, cached reports, the freshness badge."""
from __future__ import annotations

import streamlit as st

from models import paths, reports
from models.freshness import freshness
from models.snapshot import SnapshotReader


@st.cache_resource
def _reader(snapshot_path: str) -> SnapshotReader:
    return SnapshotReader(paths.Path(snapshot_path))


def reader() -> SnapshotReader:
    """The process-wide reader of the snapshot the app shows, or a stop with instructions."""
    snapshot = paths.snapshot(paths.work_db())
    if not snapshot.exists():
        st.error(
            "There is no warehouse yet. Run `msp-revenue demo` to build the demo company, or load your "
            "QuickBooks data with `msp-revenue load`, then reload this page."
        )
        st.stop()
    return _reader(str(snapshot))


@st.cache_data(show_spinner=False, max_entries=256)
def _report(snapshot_identity: tuple, name: str, realm: str | None) -> reports.Result:
    # snapshot_identity is part of the key so a newly published snapshot is never served stale.
    return reports.run(reader().cursor(), name, realm=realm)


def report(name: str, realm: str | None = None) -> reports.Result:
    return _report(reader().identity(), name, realm)


def freshness_badge() -> None:
    info = freshness(reader().cursor())
    status = "ties out" if info.ties_out else "does not tie out: " + ", ".join(info.failed_checks)
    icon = ":material/check_circle:" if info.ties_out else ":material/error:"
    st.caption(f"{icon} Data built {info.age_text()} · {info.revenue_lines:,} revenue lines · {status}")
