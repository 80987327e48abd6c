"""What every page shares: the snapshot, cached reports, the as-of date; the sidebar the router draws."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

import services
from models import paths, reports, settings
from models.formatting import column_label
from models.freshness import freshness, last_syncs
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


def settings_file() -> paths.Path:
    return settings.ensure_settings_file(settings.settings_path(paths.work_db()))


def owner_settings() -> settings.Settings:
    """The settings file as it is now: edits take effect on the next run of a page."""
    return settings.load(settings_file())


@st.cache_data(show_spinner=False, max_entries=512)
def _report(snapshot_identity: tuple, name: str, options: reports.Options,
            owner: settings.Settings) -> reports.Result:
    # Everything the result depends on is in the key: the snapshot (so a newly published one is
    # never served stale), the report, its options (the client, where it has one) and the settings.
    return reports.run(reader().cursor(), name, options, owner)


def report(name: str, **options) -> pd.DataFrame:
    """A report as of the date chosen in the sidebar, as a data frame (money stays Decimal)."""
    chosen = reports.Options(as_of=as_of(), **options)
    return _report(reader().identity(), name, chosen, owner_settings()).frame()


def as_of() -> date:
    """The as-of date every page uses, chosen in the sidebar (default today)."""
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = date.today()
    return st.session_state["as_of"]


def sidebar() -> None:
    """The as-of date and the freshness badge, drawn once by the router for every page."""
    as_of()
    st.sidebar.date_input("As of", key="as_of", help="Every figure is computed as of this date.")
    con = reader().cursor()
    info = freshness(con)
    status = "ties out" if info.ties_out else "does not tie out: " + ", ".join(info.failed_checks)
    icon = ":material/check_circle:" if info.ties_out else ":material/error:"
    st.sidebar.caption(f"{icon} Data built {info.age_text()} · {info.revenue_lines:,} revenue lines · {status}")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for connection in services.connections(paths.work_db(), last_syncs(con)):
        for warning in connection.warnings(now):
            st.sidebar.warning(warning, icon=":material/sync_problem:")


def money_columns(frame: pd.DataFrame, *columns: str) -> dict:
    """Friendly labels for every column, and Decimal money shown as dollars (display only; the
    values stay exact)."""
    config = {c: st.column_config.Column(column_label(c)) for c in frame.columns}
    config.update({c: st.column_config.NumberColumn(column_label(c), format="dollar") for c in columns if c in frame.columns})
    return config


def percent_columns(frame: pd.DataFrame, *columns: str) -> dict:
    return {c: st.column_config.NumberColumn(column_label(c), format="percent") for c in columns if c in frame.columns}

