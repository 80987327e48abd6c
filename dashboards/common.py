"""What every page shares: the snapshot, cached reports, the as-of date; the sidebar the router draws."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

import services
from models.documents import charts, exports
from models.figures import drilldown, reports, totals, whatifs
from models.settings import scenarios
from models.settings import settings
from models.warehouse import paths
from models.figures.formatting import POINTS_COLUMNS, SHARE_COLUMNS, column_label, grid_values
from models.figures.companies import company_names, printed_name
from models.figures.freshness import compared_bases, first_steps, freshness, last_syncs, tie_out_text
from models.markdown import markdown_text
from models.months import EARLIEST_AS_OF, closed_months, not_history
from models.settings.owner_files import OwnerFileMissing
from models.warehouse.snapshot import SnapshotReader


@st.cache_resource
def _reader(snapshot_path: str) -> SnapshotReader:
    return SnapshotReader(paths.Path(snapshot_path))


def reader() -> SnapshotReader:
    """The process-wide reader of the snapshot the app shows, or a stop with instructions."""
    snapshot = paths.snapshot(paths.work_db())
    if not snapshot.exists():
        _show_first_steps()
        st.stop()
    return _reader(str(snapshot))


def _show_first_steps() -> None:
    steps = first_steps(paths.work_db()).splitlines() + ["Then reload this page."]
    st.info("\n\n".join(markdown_text(step) for step in steps), icon=":material/start:")


def nothing_loaded(title: str | None = None) -> bool:
    """Whether the warehouse holds nothing yet; then what to do first is shown instead of figures of $0.00
    (and, given a page's title, the page stops there)."""
    if not freshness(reader().cursor()).empty:
        return False
    if title:
        st.title(title)
    _show_first_steps()
    if title:
        st.stop()
    return True


def settings_file() -> paths.Path:
    return settings.ensure_settings_file(settings.settings_path(paths.work_db()))


def owner_settings() -> settings.Settings:
    """The settings file as it is now: edits take effect on the next run of a page. One the reports
    cannot use stops the page with what the message says (file, key, way out): the browser is never
    shown an exception's details."""
    try:
        return settings.load(settings_file())
    except (settings.SettingsError, OwnerFileMissing) as err:
        st.error(markdown_text(str(err)))
        st.stop()


def allowed_emails(exposed: bool) -> list[str]:
    """Who may log in to an exposed app ([access] allowed_emails). Exposed, a settings file that cannot be read
    allows nobody and is not shown (a logged-in stranger is not told the server's paths or values: the owner
    finds it with the command line); on this machine it stops the page with what the message says."""
    if not exposed:
        return list(owner_settings().allowed_emails)
    try:
        return list(settings.read(settings.settings_path(paths.work_db())).allowed_emails)
    except (settings.SettingsError, OwnerFileMissing):
        return []


def connected_companies(where=st.sidebar) -> list[services.Connection]:
    """The connected companies, with when each last synced and its name (from the snapshot shown); none
    when the token file cannot be read, and `where` says why."""
    con = reader().cursor()
    try:
        return services.connections(paths.work_db(), last_syncs(con), company_names(con))
    except services.ConnectorError as err:
        where.error(markdown_text(str(err)), icon=":material/sync_problem:")
        return []


# How a cache keys the settings it is given: by their text (every field, exactly), not Streamlit's walk through
# each field of each client's device counts, which took a tenth of a second a call at 1,000 clients.
SETTINGS_KEY = {settings.Settings: repr}


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=SETTINGS_KEY)
def _report(snapshot_identity: tuple, name: str, options: reports.Options,
            owner: settings.Settings) -> reports.Result:
    # Everything the result depends on is in the key: the snapshot (so a newly published one is
    # never served stale), the report, its options (the client, where it has one) and the settings.
    return reports.run(reader().cursor(), name, options, owner)


def report(name: str, **options) -> pd.DataFrame:
    """A report as of the date chosen in the sidebar, for the company chosen there, as a data frame
    (money stays Decimal)."""
    chosen = reports.Options(as_of=as_of(), realm=realm(), **options)
    return _report(reader().identity(), name, chosen, owner_settings()).frame()


def scenarios_file() -> paths.Path:
    return scenarios.scenarios_path(paths.work_db())


def saved_scenarios() -> dict[str, scenarios.Scenario]:
    """The what-if scenarios saved beside the warehouse; a file that does not read is said (file, scenario, key)
    and none are offered, so the rest of the page still shows."""
    try:
        return scenarios.read_all(scenarios_file())
    except scenarios.ScenarioError as err:
        st.error(markdown_text(str(err)))
        return {}


def scenario_changes(scenario: scenarios.Scenario) -> whatifs.ScenarioChanges:
    """The scenario as of the sidebar's date, for the sidebar's company (who it weeds and signs)."""
    return _scenario_changes(reader().identity(), scenario, as_of(), realm(), owner_settings())


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=SETTINGS_KEY)
def _scenario_changes(snapshot_identity: tuple, scenario: scenarios.Scenario, day: date, company: str | None,
                      owner: settings.Settings) -> whatifs.ScenarioChanges:
    return whatifs.resolve(reader().cursor(), scenario, day, company, owner)


def as_of() -> date:
    """The as-of date every page uses, chosen in the sidebar: the address's ?as_of=YYYY-MM-DD (so a
    page with a date can be bookmarked), else today; it holds across pages for the session."""
    today = date.today()
    if "as_of" not in st.session_state:
        st.session_state["as_of"] = _date_in_address() or today
    if why := not_history(st.session_state["as_of"], today):
        st.sidebar.warning(f"Figures are shown as of today instead: {why}.", icon=":material/event_busy:")
        st.session_state["as_of"] = today
    return st.session_state["as_of"]


def _date_in_address() -> date | None:
    text = st.query_params.get("as_of")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        st.sidebar.warning(f"The address asks for as_of={text}, which is no date (give YYYY-MM-DD); showing today.")
        return None


def realm() -> str | None:
    """The QuickBooks company the pages show, chosen in the sidebar; None when the warehouse holds one."""
    return st.session_state.get("realm")


def company_name() -> str:
    """The name printed on PDFs: the owner's (settings), else the chosen company's own in QuickBooks."""
    return printed_name(owner_settings(), _company_names(reader().identity()), realm())


@st.cache_data(show_spinner=False, max_entries=16)
def _company_names(snapshot_identity) -> dict[str, str]:
    return company_names(reader().cursor())


def sidebar() -> None:
    """The as-of date, the company (when the warehouse holds several), the freshness badge and the
    connection's warnings, drawn once by the router for every page."""
    as_of()
    st.sidebar.date_input("As of", key="as_of", min_value=EARLIEST_AS_OF, max_value=date.today(),
                          help="Every figure is computed as of this date (today or earlier).")
    st.query_params["as_of"] = as_of().isoformat()
    names = _company_names(reader().identity())
    if len(names) > 1:
        if st.session_state.get("realm") not in names:
            asked = st.query_params.get("company")
            st.session_state["realm"] = asked if asked in names else next(iter(names))
        st.sidebar.selectbox("Company", list(names), format_func=names.get, key="realm")
        st.query_params["company"] = realm()
    else:
        st.session_state.pop("realm", None)
    info = freshness(reader().cursor())
    connections = connected_companies()
    compared = len(set().union(*(report("tie-out", basis=basis)["month"]  # cached per snapshot, like every report
                                 for basis in compared_bases(owner_settings()))))
    if info.empty:
        st.sidebar.caption(f":material/info: Data built {info.age_text()} · nothing loaded yet: nothing to tie out")
    else:
        icon = ":material/check_circle:" if info.ties_out else ":material/error:"
        st.sidebar.caption(f"{icon} Data built {info.age_text()} · {info.revenue_lines:,} revenue lines · "
                           + tie_out_text(info.failed_checks, compared, bool(connections), info.held_records))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for connection in connections:
        for warning in connection.warnings(now):
            st.sidebar.warning(warning, icon=":material/sync_problem:")


# A share as the grid writes it, from its points (grid_values): one decimal, as the headlines' percent_text;
# the grid's own "percent" writes up to two ("11.56%" beside a headline's "9.7%").
PERCENT_FORMAT = "%.1f%%"


def headers_in_words(columns) -> dict:
    """Each column under its label, never its name: "what happened" reads "What happened", realm_id
    "QuickBooks company"."""
    return {c: st.column_config.Column(column_label(c)) for c in columns}


def money_columns(frame: pd.DataFrame, *columns: str) -> dict:
    """Friendly labels for every column, Decimal money shown as dollars and shares as percentages (display
    only; the values stay exact)."""
    config = headers_in_words(frame.columns)
    config.update({c: st.column_config.NumberColumn(column_label(c), format="dollar") for c in columns if c in frame.columns})
    config.update({c: st.column_config.NumberColumn(column_label(c), format=PERCENT_FORMAT)
                   for c in (*SHARE_COLUMNS, *POINTS_COLUMNS) if c in frame.columns})
    return config


def closed_month(label: str, key: str, help: str | None = None) -> date | None:
    """A month that is over on the as-of date, picked from a list (newest first, "November 2026") from the
    first month with revenue; none while no month with revenue is over."""
    months = report("revenue-by-category")["month"]
    choices = closed_months(min(months), as_of()) if len(months) else []
    if not choices:
        st.info("No month with revenue is over yet.")
        return None
    if st.session_state.get(key) not in choices:  # a month from another as-of date: the newest instead
        st.session_state[key] = choices[0]
    return st.selectbox(label, choices, format_func=lambda month: f"{month:%B %Y}", key=key, help=help)


# Two things side by side, each this wide: two fit beside each other in a wide window, and a narrow one
# (1024 px, the sidebar open) puts the second under the first instead of squeezing both until their
# columns run past the edge.
SIDE_BY_SIDE_WIDTH = 470


def side_by_side() -> tuple:
    row = st.container(horizontal=True, gap="medium")
    return row.container(width=SIDE_BY_SIDE_WIDTH), row.container(width=SIDE_BY_SIDE_WIDTH)



# -- every figure opens to its lines ---------------------------------------------------------------------
# Each clickable thing is a fragment: a click reruns it alone (not the whole page) and opens the dialog.


def headline(label: str, value: str, figure: drilldown.Figure | None = None, note: str | None = None,
             **metric) -> None:
    """A headline figure, a note under it (plain text), and the button that opens the lines behind it;
    as wide as its text (a fragment alone would take an equal share of the row and cut it). In a row of
    headlines each is as tall as the row, its figure at the top and its button at the bottom: the buttons
    of a row stand in one line, whichever figures have a change or a note under them."""
    with st.container(width="content", height="stretch", vertical_alignment="distribute", gap=None):
        with st.container(gap=None):
            st.metric(label, value, width="content", **metric)
            if note:
                st.caption(markdown_text(note))
        if figure is not None:
            _lines_button(label, figure)


@st.fragment
def _lines_button(label: str, figure: drilldown.Figure) -> None:
    """The button that opens the lines behind a headline: a fragment, so its click reruns it alone."""
    if st.button("Lines", key=f"lines:{label}", type="tertiary", icon=":material/list:",
                 help=f"The documents and lines behind {label.lower()}"):
        _lines_dialog(figure)


@st.fragment
def chart_opening_lines(chart, key: str, figure_of) -> None:
    """A chart whose clicked bar opens its lines: figure_of gets the bar's month and category."""
    event = st.altair_chart(chart, width="stretch", key=key, selection_mode=charts.BAR, on_select="rerun")
    points = event.selection.get(charts.BAR) or []
    _open_when_new(key, points, lambda: figure_of(date.fromisoformat(points[0]["month"]), points[0]["category_code"]))


@st.fragment
def table_opening_lines(frame: pd.DataFrame, key: str, figure_of, title: str | None = None,
                        total: totals.TotalRow | None = None, total_figure_of=None, wide: bool = False,
                        **shown) -> None:
    """A table whose clicked cell opens its lines (figure_of gets the cell's row and column), with its
    downloads; with `total`, a total row under it (whose cell opens total_figure_of(column)) and shown whole;
    `wide`: more columns than a narrow window holds (_scrolls_sideways)."""
    rows = _with_total(frame, total, shown)
    # Drawn anew (a widget of a new key) after each opening, so no cell stays selected: the same cell
    # clicked again after the dialog closes is a new selection that opens its lines (a click on a cell
    # still selected shows the grid's raw cell value instead).
    generation = f"table_generation:{key}"
    event = st.dataframe(grid_values(rows), placeholder=MISSING, key=f"{key}:{st.session_state.get(generation, 0)}",
                         selection_mode="single-cell", hide_index=True, width="stretch", on_select="rerun",
                         **_scrolls_sideways(rows, wide, _dollars_drawn_plainly(rows, shown)))
    if wide:
        st.caption(SCROLL_CUE)
    cells = event.selection.cells
    pending = f"lines_pending:{key}"
    if cells:
        row, column = cells[0]
        figure = figure_of(frame.iloc[row], column) if row < len(frame) else (
            total_figure_of(column) if total_figure_of else None)
        if figure is not None:
            st.session_state[pending] = figure
        st.session_state[generation] = st.session_state.get(generation, 0) + 1
        st.rerun(scope="fragment")
    if pending in st.session_state:
        _lines_dialog(st.session_state.pop(pending))
    downloads(frame, title or key, shown.get("column_order"), total)


def _with_total(frame: pd.DataFrame, total: totals.TotalRow | None, shown: dict) -> pd.DataFrame:
    """The rows as shown: with the total row, and then the table as tall as its rows (`shown`'s height),
    since a total is read under every row it adds up."""
    if total is None:
        return frame
    shown.setdefault("height", "content")
    return totals.with_total_row(frame, total)


def _open_when_new(key: str, selection: list, figure_of) -> None:
    """Open the lines of a selection just made; a selection still there when the page runs again for
    something else opens nothing."""
    seen = f"lines_opened:{key}"
    if selection and st.session_state.get(seen) != selection:
        figure = figure_of()
        if figure is not None:
            _lines_dialog(figure)
    st.session_state[seen] = selection


def table(frame: pd.DataFrame, key: str, title: str | None = None, total: totals.TotalRow | None = None,
          wide: bool = False, **shown) -> None:
    """A table with its downloads; with `total`, a total row under it and shown whole; `wide`: more
    columns than a narrow window holds (_scrolls_sideways)."""
    rows = _with_total(frame, total, shown)
    st.dataframe(grid_values(rows), placeholder=MISSING, key=key, hide_index=True, width="stretch",
                 **_scrolls_sideways(rows, wide, _dollars_drawn_plainly(rows, shown)))
    if wide:
        st.caption(SCROLL_CUE)
    downloads(frame, title or key, shown.get("column_order"), total)


# The grid's "dollar" format makes a new number formatter for each cell each time it draws it: 8,690 of them on a
# load of the Margin page (250 clients x 8 money columns), most of the time the browser spent on it
# (docs/BENCHMARKS.md). This printf format draws the same "$1,234.56" with string work alone, but it writes a
# negative amount "$-5.00": a column holding one keeps "dollar", which writes "-$5.00" as money_text does.
DOLLARS_PLAINLY = "$%,.2f"


def _dollars_drawn_plainly(rows: pd.DataFrame, shown: dict) -> dict:
    """`shown` with each "dollar" column that holds no negative amount drawn with DOLLARS_PLAINLY."""
    config = shown.get("column_config") or {}
    plain = {}
    for column, spec in config.items():
        number = (spec.get("type_config") or {}) if isinstance(spec, dict) else {}
        if number.get("format") == "dollar" and column in rows.columns and not (rows[column].dropna() < 0).any():
            plain[column] = {**spec, "type_config": {**number, "format": DOLLARS_PLAINLY}}
    return {**shown, "column_config": {**config, **plain}} if plain else shown


MISSING = ""  # what a grid shows for no value: nothing, where it would write "None"
SCROLL_CUE = ":material/swap_horiz: Scroll the table sideways for every column; its first column (and a client's name) stays in place."


def _scrolls_sideways(rows: pd.DataFrame, wide: bool, shown: dict) -> dict:
    """`shown` for a table with more columns than a narrow window holds, whole cents and all: its first
    column pinned while the others scroll. SCROLL_CUE goes right under it: the grid's scroll bar shows
    only under the pointer, so columns past the edge would look lost."""
    if not wide:
        return shown
    order = shown.get("column_order") or list(rows.columns)
    config = dict(shown.get("column_config") or {})
    config[order[0]] = {**(config.get(order[0]) or st.column_config.Column()), "pinned": True}
    # a client's name whole (a grid left to size itself in a narrow window cut "Evergreen Physical Thera…"), and
    # pinned too: a row's figures scrolled away from its name (the garden's Rank alone) could be anyone's
    for name in ("customer", "client"):
        if name in order:
            config[name] = {**(config.get(name) or st.column_config.Column(column_label(name))), "width": "medium",
                            "pinned": True}
    return {**shown, "column_config": config}


def downloads(frame: pd.DataFrame, title: str, columns: list[str] | None = None,
              total: totals.TotalRow | None = None) -> None:
    """The table as CSV and as Excel, the columns shown, in the month-end workbook's formats (Excel with
    the total row as SUM formulas); the files are made when a button is clicked, not on every run of the page."""
    chosen = exports.exportable(frame, list(columns or frame.columns))
    day, stem = as_of(), exports.file_stem(title, as_of())
    with st.container(horizontal=True, gap="small"):
        st.download_button("CSV", lambda: exports.csv_bytes(frame, chosen), file_name=f"{stem}.csv",
                           mime="text/csv", icon=":material/download:", type="tertiary", on_click="ignore",
                           key=f"csv:{title}")
        st.download_button("Excel", lambda: exports.xlsx_bytes(frame, chosen, title, day, total),
                           file_name=f"{stem}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", type="tertiary", on_click="ignore", key=f"xlsx:{title}")


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=SETTINGS_KEY)
def _over_time(_measure, name: str, snapshot_identity, day: date, settings_now, company) -> pd.DataFrame:
    # keyed by the measure's name (the function itself is not hashed) and all it depends on
    return _measure(reader().cursor(), settings_now, day, company)


def month_end_trend(measure, chart, figure_of, key: str) -> None:
    """A trend of a figure at each month end (a trends function), each bar opening its lines as they
    stood that day: figure_of gets the bar's month, part and the as-of date."""
    day = as_of()
    parts = _over_time(measure, measure.__name__, reader().identity(), day, owner_settings(), realm())
    chart_opening_lines(chart(parts, day), key, lambda month, part: figure_of(month, part, day))


def figure_lines(figure: drilldown.Figure) -> pd.DataFrame:
    """The lines behind a figure, as of the sidebar's date, cached like every report."""
    return _report(reader().identity(), "lines", drilldown.options(figure, as_of(), realm()), owner_settings()).frame()


@st.dialog("The lines behind the figure", width="large")
def _lines_dialog(figure: drilldown.Figure) -> None:
    frame = figure_lines(figure)
    st.text(drilldown.summary_text(figure, frame))  # names are data: text, never markdown
    shown = drilldown.lines_table(frame)
    table(shown, "lines_table", figure.title,
          column_order=[c for c in shown.columns if c != "link" or shown["link"].notna().any()],
          column_config={**money_columns(shown, "amount"),
                         "txn_date": st.column_config.DateColumn(column_label("txn_date")),
                         "link": st.column_config.LinkColumn(column_label("link"), display_text="Open")})

