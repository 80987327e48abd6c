"""The one way the command line and the app's pages reach the connectors and the work database.

Connectors return data; what the owner keeps (settings, tokens, the warehouse) is saved here or by
the warehouse code they call. Work started from the app runs as its own process, the one writer of
the work database (DESIGN.md #3): a load or sync already running makes it stop with a clear
message instead of waiting.
"""
from __future__ import annotations

import logging
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

from ingest import writer
from ingest.devices import DeviceExport, ExportError, read_export
from ingest.devices.store import store_export
from ingest.demo import DEMO_REALM, DEMO_SILVER_ITEM, load_demo, write_demo_files, write_documents
from ingest.load import SourceResult, load_files
from ingest import qbo
from ingest.qbo import ConnectorError, SyncResult
from models.files import make_folder, write_atomically
from models.settings import categories, settings
from models.warehouse import paths, run_log
from models.warehouse.work_db import open_work_db, stored_realms, transaction

log = logging.getLogger(__name__)

__all__ = ["ConnectorError", "Connection", "DemoApart", "Outcome", "SourceResult", "SyncResult", "connect",
           "begin_connect", "connect_with_refresh_token", "connections", "disconnect", "finish_connect", "jobs_every", "load", "load_devices", "load_devices_in_child", "make_demo",
           "rebuild_in_child", "run_in_child", "run_jobs_while_app_runs", "save_qbo_keys", "sync", "sync_in_child",
           "write_demo_files"]


class DemoApart(ValueError):
    """The demo company and real QuickBooks companies never share a warehouse."""


def load(db: Path, files: list[Path], realm: str, skip_bad: bool, progress: Callable[[SourceResult], None],
         notice: Callable[[str], None] = lambda _: None) -> list[SourceResult]:
    """Store QuickBooks JSON files in the work database, each file whole or not at all. A real
    company's records replace the demo company, if the warehouse held it (said through `notice`)."""
    con = open_work_db(db)
    try:
        results = load_files(con, files, realm, skip_bad, progress=progress)
        if any(r.loaded for r in results):
            _drop_demo(con, db, realm, notice)
        return results
    finally:
        con.close()


def _drop_demo(con, db: Path, realm: str, notice: Callable[[str], None]) -> None:
    """Real data arrived: the demo company leaves this warehouse, so no figure, garden or printout
    ever mixes the two."""
    if realm == DEMO_REALM or DEMO_REALM not in stored_realms(con):
        return
    with transaction(con):
        writer.forget_realm(con, DEMO_REALM)
    settings.save_devices(settings.settings_path(db), DEMO_REALM, {}, replace=True)
    notice(f"the demo company was removed from {db.name}: it now holds QuickBooks company {realm}, and the demo "
           f"never mixes with real data ({paths.COMMAND} demo --db data/demo/warehouse.duckdb makes a demo apart)")


def load_devices(db: Path, path: Path, export_date: date, realm: str | None) -> tuple[DeviceExport, str]:
    """Read an RMM device export and keep it as the company's export of `export_date` (the company: `realm`, or the
    one company the warehouse holds). Returns the export read and the company it was kept for."""
    export = read_export(path)
    con = open_work_db(db)
    try:
        realm = realm or _only_company(con, db)
        store_export(con, realm, export_date, path.name, export)
    finally:
        con.close()
    return export, realm


def _only_company(con, db: Path) -> str:
    companies = stored_realms(con)
    if len(companies) != 1:
        held = f"holds QuickBooks companies {', '.join(sorted(companies))}" if companies else "holds no company yet"
        raise ExportError(f"{db} {held}: name the company the devices belong to with --realm ID"
                          + ("" if companies else f" (or load the books first: {paths.COMMAND} load, sync or demo)"))
    return next(iter(companies))


def make_demo(db: Path, seed: int, clients: int, years: int, until: date | None, out: Path | None) -> SourceResult:
    """Replace the demo realm with a newly generated demo company, and give its clients' device counts
    (and, unless the owner named their company, its name) to the settings file."""
    con = open_work_db(db)
    try:
        real = stored_realms(con) - {DEMO_REALM}
        if real:
            raise DemoApart(f"{db} holds QuickBooks company {', '.join(sorted(real))}: the demo company never mixes "
                            f"with real data. Make it in a warehouse of its own: {paths.COMMAND} demo --db "
                            "data/demo/warehouse.duckdb")
        demo = load_demo(con, seed, clients, years, until)
        if demo.result.ok:
            store_export(con, DEMO_REALM, demo.export_date, "demo devices", demo.export)
    finally:
        con.close()
    if out is not None:
        write_documents(demo.documents, out, demo.export)
    if demo.result.ok:
        settings.save_devices(settings.settings_path(db), DEMO_REALM, demo.devices, replace=True)
        # the demo bills Silver per server: the rule that says so, so report devices has lines to count
        categories.save_device_kind_rule(categories.ensure_rules_file(paths.category_rules(db)), "items",
                                         DEMO_SILVER_ITEM, "server")
    return demo.result


def sync(db: Path, realm: str | None, full: bool, notice: Callable[[str], None] = lambda _: None,
         then: qbo.Then | None = None, cash_tie_out: bool = False,
         meanwhile: qbo.Meanwhile | None = None) -> SyncResult:
    """Sync a connected company; its records replace the demo company, if the warehouse held it. `then` (the
    build) runs afterwards on the sync's open work database, while QuickBooks' ProfitAndLoss is asked for (its
    cash-basis one too when the owner reports on a cash basis or `cash_tie_out` asks); `meanwhile` (its imports
    and start) while the sync waits on QuickBooks' answers."""
    def replacing_demo(con, result: SyncResult, tie_out) -> None:
        _drop_demo(con, db, result.realm_id, notice)
        if then is not None:
            then(con, result, tie_out)

    return qbo.run_sync(db, realm, full, then=replacing_demo, cash_tie_out=cash_tie_out, meanwhile=meanwhile)


def connect(db: Path, ask: Callable[[], str], paste: bool, open_browser: bool, timeout: float,
            show: Callable[[str], None]) -> str:
    """Connect a QuickBooks company (OAuth 2.0) and keep its tokens; returns the company's realm Id."""
    tokens = qbo.connect_company(qbo.load_config(db), qbo.TokenStore(qbo.tokens_path(db)), ask, paste=paste,
                                   open_browser=open_browser, timeout=timeout, show=show)
    return tokens.realm_id


def connect_with_refresh_token(db: Path, refresh_token: str, realm: str,
                               notice: Callable[[str], None] = lambda _: None) -> str:
    """Connect with a refresh token from Intuit's OAuth 2.0 Playground; returns the realm Id."""
    tokens = qbo.connect_with_refresh_token(qbo.load_config(db), qbo.TokenStore(qbo.tokens_path(db)),
                                            refresh_token, realm, show=notice)
    return tokens.realm_id


def save_qbo_keys(db: Path, client_id: str, client_secret: str, environment: str, redirect_uri: str) -> Path:
    """Keep the app's QuickBooks keys in qbo.toml beside the warehouse (the owner's only)."""
    return qbo.save_keys(db, client_id, client_secret, environment, redirect_uri)


def begin_connect(db: Path, notice: Callable[[str], None] = lambda _: None) -> str:
    """Intuit's consent page address for connecting from the app; the attempt waits beside the warehouse."""
    return qbo.begin_consent(qbo.load_config(db), qbo.TokenStore(qbo.tokens_path(db)),
                             qbo.pending_path(db), show=notice)


def finish_connect(db: Path, answer: str, notice: Callable[[str], None] = lambda _: None) -> str:
    """Complete the attempt with the address Intuit sent the browser to; returns the realm Id."""
    tokens = qbo.finish_consent(qbo.load_config(db), qbo.TokenStore(qbo.tokens_path(db)),
                                qbo.pending_path(db), answer, show=notice)
    return tokens.realm_id


def disconnect(db: Path, realm: str | None) -> tuple[str, bool]:
    """Revoke and forget a company's tokens, and the first requests its next sync would have sent;
    returns (realm, whether Intuit confirmed the revocation)."""
    realm, revoked = qbo.disconnect_company(qbo.load_config(db), qbo.TokenStore(qbo.tokens_path(db)), realm)
    qbo.forget_first_requests(db, realm)
    return realm, revoked


# Warn this long before the refresh token lapses (Intuit drops it 100 days after its last use) or
# reaches its 5-year limit, and when the last sync is older than this.
REFRESH_WARNING_DAYS = 14
HARD_LIMIT_WARNING_DAYS = 60
SYNC_WARNING_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Connection:
    """A connected QuickBooks company, how long its tokens last, and when it last synced."""
    realm_id: str
    access_age_minutes: float
    access_minutes_left: float    # 0 or less: expired
    refresh_days_left: float
    hard_limit_days_left: float | None  # Intuit's 5-year limit, when it reports one
    last_synced_at: datetime | None     # UTC; None: never synced
    name: str | None = None             # QuickBooks' CompanyInfo name, once a sync has fetched it

    @property
    def company(self) -> str:
        return self.name or f"QuickBooks company {self.realm_id}"

    def summary(self) -> str:
        access = "expired" if self.access_minutes_left <= 0 else f"{self.access_minutes_left:.0f} min left"
        named = self.company if self.realm_id in self.company else f"{self.name} (realm {self.realm_id})"
        line = (f"{named}: connected; access token {self.access_age_minutes:.0f} min old "
                f"({access}); refresh token {self.refresh_days_left:.0f} days left")
        if self.hard_limit_days_left is not None:
            line += f" (5-year limit in {self.hard_limit_days_left:,.0f} days)"
        synced = f"{self.last_synced_at:%Y-%m-%d %H:%M} UTC" if self.last_synced_at else "never"
        return line + f"; last sync {synced}"

    def warnings(self, now: datetime) -> list[str]:
        """What the owner must act on before the connection stops working or the numbers go stale."""
        company = self.company
        found = []
        if self.refresh_days_left <= 0:
            found.append(f"{company}: the connection has lapsed (no sync for 100 days): run {paths.COMMAND} connect")
        elif self.refresh_days_left < REFRESH_WARNING_DAYS:
            found.append(f"{company}: the connection lapses in {self.refresh_days_left:.0f} days unless it syncs "
                         "(Intuit drops a connection unused for 100 days): sync now")
        if self.hard_limit_days_left is not None and self.hard_limit_days_left < HARD_LIMIT_WARNING_DAYS:
            found.append(f"{company}: the connection reaches Intuit's 5-year limit in "
                         f"{max(self.hard_limit_days_left, 0):.0f} days: run {paths.COMMAND} connect before then")
        if self.last_synced_at is None:
            found.append(f"{company}: connected but never synced: run {paths.COMMAND} sync (or Sync now on the Data page)")
        elif now - self.last_synced_at > SYNC_WARNING_AGE:
            days = (now - self.last_synced_at) / timedelta(days=1)
            found.append(f"{company}: last synced {days:.1f} days ago, so the figures may be stale: sync now")
        return found


def connections(db: Path, last_synced: dict[str, datetime] | None = None,
                names: dict[str, str] | None = None) -> list[Connection]:
    """The connected companies; `last_synced` (realm -> UTC time, the last-sync report) says when
    each last synced, `names` (realm -> CompanyInfo name, from the snapshot) what each is called."""
    now = time.time()
    return [
        Connection(realm, (now - t.obtained_at) / 60, (t.access_expires_at - now) / 60,
                   (t.refresh_expires_at - now) / 86400,
                   (t.refresh_hard_expires_at - now) / 86400 if t.refresh_hard_expires_at else None,
                   (last_synced or {}).get(realm), (names or {}).get(realm))
        for realm, t in qbo.TokenStore(qbo.tokens_path(db)).read_all().items()
    ]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def run_in_child(db: Path, arguments: list[str], what: str, on_line: Callable[[str], None] = lambda _: None,
                 timeout: float = 3600) -> Outcome:
    """Run `msp-revenue ARGUMENTS --db DB` in a child process, handing each line a person may read to
    on_line as it comes. All it says goes to the log beside the warehouse; the Outcome's message is
    what the browser shows (run_log.Report.message), `what` naming the work ("the rebuild")."""
    command = [sys.executable, "-m", "cli", *arguments, "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=paths.PROJECT_DIR)
    report = run_log.Report()
    # the child's lines are read in a thread of their own, so a child that says nothing cannot keep the
    # time limit from firing; on_line still runs here (a page's progress belongs to the page's thread)
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(process.stderr, lines), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        while (line := lines.get(timeout=max(deadline - time.monotonic(), 0))) is not None:
            shown = report.add(line)
            if shown:
                on_line(shown)
        process.wait(timeout=max(deadline - time.monotonic(), 0))
    except (queue.Empty, subprocess.TimeoutExpired):
        process.kill()
        process.wait()
        reader.join(timeout=5)
        while not lines.empty():  # what it said before it was stopped, for the log
            report.add(lines.get_nowait() or "")
        report.add(f"{run_log.CLI_ERROR}stopped after {timeout:.0f}s")  # said as the command line says an error
    log = run_log.record(db, f"msp-revenue {' '.join(arguments)} (exit {process.returncode})", "\n".join(report.lines))
    ok = process.returncode == 0
    return Outcome(ok, report.message(ok, what, log))


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


JOBS_EVERY_VAR = "MSP_REVENUE_JOBS_EVERY"  # seconds between looks for due jobs (the container's runner reads it too)


def jobs_every(environ: dict[str, str]) -> float:
    """How often the app looks for due jobs: MSP_REVENUE_JOBS_EVERY seconds (default 300; 0: never)."""
    text = environ.get(JOBS_EVERY_VAR, "300").strip() or "300"
    try:
        every = float(text)
    except ValueError:
        raise ValueError(f"{JOBS_EVERY_VAR}={text!r} is not a number of seconds: set it to e.g. 300, "
                         "or 0 to leave the scheduled jobs to cron or the container") from None
    if not 0 <= every < float("inf"):
        raise ValueError(f"{JOBS_EVERY_VAR}={text!r}: give a number of seconds from 0 (never) up")
    return every


def run_jobs_while_app_runs(db: Path, every: float, stop: threading.Event) -> None:
    """The app's own jobs runner: `jobs run-due` in a child process every `every` seconds (the first look
    within a minute of starting, after the first pages are served) until `stop` is set. The child claims
    each job as any runner does, so the app and a cron or container runner never do a job twice; what it
    says goes to the log beside the warehouse, and the Data page shows when a runner last looked."""
    wait = min(every, 60.0)
    while not stop.wait(wait):
        try:
            run_in_child(db, ["jobs", "run-due", "--runner", "app"], "the scheduled jobs", timeout=max(every, 3600))
        except Exception as err:  # one look that cannot start (no process, a full disk) must not end the runner
            log.warning("the scheduled jobs could not be looked for (%s); trying again in %.0f s",
                        type(err).__name__, every)
        wait = every


def load_devices_in_child(db: Path, name: str, data: bytes, as_of: date) -> Outcome:
    """An export uploaded in the app, kept beside the warehouse (device-exports/, the owner's only) and loaded by
    `load-devices` in a child process, the one writer of the work database, as the export of `as_of`."""
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    kept = write_atomically(make_folder(db.parent / "device-exports") / f"{datetime.now():%Y%m%d-%H%M%S}{suffix}", data)
    return run_in_child(db, ["load-devices", str(kept), "--as-of", as_of.isoformat()], "the device load")


def rebuild_in_child(db: Path) -> Outcome:
    return run_in_child(db, ["build"], "the rebuild")


def sync_in_child(db: Path, on_line: Callable[[str], None], full: bool = False) -> Outcome:
    return run_in_child(db, ["sync"] + (["--full"] if full else []), "the sync", on_line)
