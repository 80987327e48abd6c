"""What every page shares: the snapshot connection, cached reports, the freshness badge."""
from __future__ import annotations

import streamlit as st

from models import paths, reports, settings
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


def owner_settings() -> settings.Settings:
    """The settings file as it is now: edits take effect on the next run of a page."""
    path = settings.ensure_settings_file(settings.settings_path(paths.work_db()))
    return settings.load(path)


@st.cache_data(show_spinner=False, max_entries=256)
def _report(snapshot_identity: tuple, name: str, options: reports.Options,
            owner: settings.Settings) -> reports.Result:
    # Everything the result depends on is in the key: the snapshot (so a newly published one is
    # never served stale), the report, its options (the client, where it has one) and the settings.
    return reports.run(reader().cursor(), name, options, owner)


def report(name: str, options: reports.Options | None = None) -> reports.Result:
    return _report(reader().identity(), name, options or reports.Options(), owner_settings())


def freshness_badge() -> None:
    info = freshness(reader().cursor())
    status = "ties out" if info.ties_out else "does not tie out: " + ", ".join(info.failed_checks)
    icon = ":material/check_circle:" if info.ties_out else ":material/error:"
    st.caption(f"{icon} Data built {info.age_text()} · {info.revenue_lines:,} revenue lines · {status}")
