"""The msp-revenue command line.

It starts light (DECISIONS.md, "Starting light"): the imports at the top are argparse, the standard library
and the light modules the parser is built from (the report registry, paths, settings, months). Each command's
handler imports what it runs — DuckDB's snapshot, the services and through them the connectors, the
documents — so `--help` never loads pandas, pyarrow, DuckDB or the QuickBooks client, and a report never
loads the connectors. tests/test_start_light.py keeps it so.
"""
from __future__ import annotations

import argparse
import atexit
import functools
import importlib
import os
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, NoReturn, TextIO

from models.figures import reports
from models.files import OWNER_ONLY_UMASK, disk_fault, replacing, write_atomically
from models.settings import settings
from models.warehouse import paths
from models.months import after_today, before_the_books, not_history, week_of

# numpy's OpenBLAS starts a thread per core as numpy is imported: ~30 ms of CPU that the everyday sync spends while
# it waits on QuickBooks, for matrix products nothing here makes (docs/DECISIONS.md, "OpenBLAS on one thread").
# Read when numpy is first imported (by pandas: the app, the printouts), after this; an owner's own setting stays.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

EPILOG = (
    "Every command takes --db PATH (default: $MSP_REVENUE_DB, else data/warehouse.duckdb in the "
    "project). The snapshot the app reads (NAME.snapshot.duckdb), the category rules "
    "(categories.toml) and the settings (settings.toml) live beside it."
)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    # What DuckDB, openpyxl or the PDF writer make holds the books before `models.files` renames it into place
    # (owner-only): made owner-only from the first byte, whatever umask the shell gave.
    os.umask(OWNER_ONLY_UMASK)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("msp-revenue: interrupted; what was committed before stays stored", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if args.command != "report" or args.out is not None:  # a report's only pipe is standard output
            raise
        # the reader stopped reading (`| head`): it has what it wanted, and a traceback would read as a fault;
        # standard output goes nowhere, so Python's own flush on the way out does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a program the pipe's signal ended
    except Exception as err:
        if isinstance(err, readable_errors()):
            print(f"msp-revenue: {err}", file=sys.stderr)
            return 1
        fault = disk_fault(err)
        if fault is None:
            raise
        written, wrong, to_do = fault
        folder = written.parent if written else paths.work_db(args.db).parent
        print(f"msp-revenue: the disk holding {folder} {wrong}: {to_do} (or use a folder on another disk) and "
              "run the command again; what was stored before stays stored, and the snapshot the app and reports "
              "read is as it was", file=sys.stderr)
        return 1


# The errors whose message says what was wrong and what to do, printed as one line (exit code 1), by the
# module that defines them. Named rather than imported: only a module already imported can have raised one,
# so catching them loads nothing a command did not (services would bring in every connector).
READABLE_ERRORS = {
    "models.warehouse.work_db": ("WarehouseBusy",),
    "models.warehouse.snapshot": ("SnapshotMissing",),
    "models.settings.categories": ("RulesError",),
    "models.settings.settings": ("SettingsError",),
    "models.settings.owner_files": ("OwnerFileMissing",),
    "models.files": ("FolderInUse",),
    "models.figures.reports": ("UnknownClient", "OptionClash"),
    "models.figures.companies": ("UnknownCompany",),
    "models.settings.scenarios": ("ScenarioError",),
    "services": ("DemoApart", "ConnectorError"),
    "ingest.devices": ("ExportError",),  # ConnectorError: reconnect needed, QuickBooks refused, ...
}


def readable_errors(loaded: bool = True) -> tuple[type[Exception], ...]:
    """The READABLE_ERRORS classes of the modules imported so far (`loaded`), or of all of them."""
    return tuple(getattr(module, name) for module_name, names in READABLE_ERRORS.items()
                 if not loaded or module_name in sys.modules
                 for module in [importlib.import_module(module_name)] for name in names)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="msp-revenue", description="Revenue reporting for IT managed-service providers on QuickBooks Online.",
        epilog=EPILOG,
    )
    parser.add_argument("--db", metavar="PATH", help="the work database (see below)")
    # After the command, --db is only set when given: a default there would overwrite the one given before it.
    after_command = argparse.ArgumentParser(add_help=False)
    after_command.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="the work database (see below)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, run, help: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[after_command], epilog=EPILOG, help=help, description=description)
        sub.set_defaults(run=run)
        return sub

    load = command(
        "load", cmd_load,
        help="load QuickBooks API JSON or JSON Lines files into the warehouse, then build",
        description="Load QuickBooks API JSON as it comes off the wire: query responses, change-data-capture "
                    "responses (deleted stubs included), objects of entity arrays, or JSON Lines records "
                    "{\"stream\": \"invoices\", \"data\": {...}}. Each file loads whole or not at all; with "
                    "several files the good ones still load and the exit code is 1 if any failed.",
    )
    load.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="JSON or JSON Lines files")
    load.add_argument("--realm", default="local", metavar="ID",
                      help="the QuickBooks company (realm) the files belong to (default: local)")
    load.add_argument("--skip-bad-records", action="store_true",
                      help="load a file's good records even if some records in it are bad (they are still reported)")
    load.add_argument("--no-build", action="store_true", help="only store the records; build later")

    load_devices = command(
        "load-devices", cmd_load_devices,
        help="load a device export of a remote-monitoring tool (NinjaOne, Datto RMM, N-able or plain CSV), then build",
        description="Load the device list a remote-monitoring tool exports (CSV or Excel .xlsx), its layout told by "
                    "its columns: NinjaOne, Datto RMM (its _NotBillable_ group honoured), N-able, or the plain CSV "
                    "client,device,kind,last_seen. It is kept as the export of its date (history beside the other "
                    "dates; another export of the same date replaces it), then the warehouse is built and the "
                    "organisations no QuickBooks client matches are listed. Definitions: docs/METRICS.md#devices.",
    )
    load_devices.add_argument("path", type=Path, metavar="FILE", help="the export, .csv or .xlsx")
    load_devices.add_argument("--as-of", dest="as_of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                              help="the date the export is as of, today or earlier (default: today)")
    load_devices.add_argument("--realm", default=None, metavar="ID",
                              help="the QuickBooks company the devices belong to (default: the one the warehouse holds)")

    build = command(
        "build", cmd_build,
        help="rebuild every model from the raw store and publish the snapshot",
        description="Re-derive every model from the raw records with the SQL layers, re-categorise all "
                    "history with the current category rules, run the tie-out checks and publish the snapshot. "
                    "Raw records are parsed once: a build parses again only those stored, replaced or removed "
                    "since the last one.",
    )
    build.add_argument("--full", action="store_true",
                       help="parse every raw record again (the staging kept in the work database is dropped first)")

    demo = command(
        "demo", cmd_demo,
        help="generate the demo MSP company, load it (realm 'demo') and build",
        description="Generate a deterministic synthetic MSP company in QuickBooks JSON shapes and load it "
                    "through the same path as real data, replacing the 'demo' realm.",
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    demo.add_argument("--clients", type=_whole_number("clients", 1), default=60,
                      help="number of clients (default: 60)")
    demo.add_argument("--years", type=_whole_number("years", 1), default=3, help="years of history (default: 3)")
    demo.add_argument("--until", type=_day, metavar="YYYY-MM-DD",
                      help="last day of the story (default: today)")
    demo.add_argument("--out", type=Path, metavar="DIR", help="also write the company as QuickBooks JSON files")
    demo.add_argument("--files-only", action="store_true",
                      help="only write the files --out names: no warehouse is loaded, built or made")
    demo.add_argument("--if-missing", action="store_true",
                      help="do nothing if a snapshot already exists (what `make run` uses)")

    report = command(
        "report", cmd_report, help="print a report from the snapshot",
        description="Print a report from the published snapshot: `report NAME --help` lists the options NAME takes "
                    "(it refuses the others). Definitions: docs/METRICS.md.",
    )
    names = report.add_subparsers(dest="name", metavar="NAME", title="reports", required=True,
                                  action=_ReportsAction)

    def report_parser(entry: reports.Report, prog: str) -> argparse.ArgumentParser:
        # flags are spelled whole: an abbreviation would read another report's --month as forecast's --months
        one = _ReportParser(prog=prog, parents=[after_command], epilog=EPILOG, allow_abbrev=False,
                            description=f"{entry.description[0].upper()}{entry.description[1:]}. Definitions: "
                                        "docs/METRICS.md.")
        one.add_argument("--format", choices=reports.FORMATS, default="table", help="output format (default: table)")
        one.add_argument("--out", type=Path, metavar="FILE",
                         help="write the report to FILE (whole or not at all) instead of printing it")
        for option in entry.options:
            _add_option(one, option)
        return one

    for entry in reports.REPORTS.values():
        names.add_made_when_chosen(entry.name, entry.description, functools.partial(report_parser, entry))

    tiers = command(
        "tiers", cmd_tiers, help="quote every service tier for a number of servers and desktops",
        description="Each tier's monthly, yearly and setup cost for the devices given, at the prices in settings.toml.",
    )
    tiers.add_argument("--servers", type=_whole_number("servers", 0), required=True,
                       help="number of servers, a whole number of 0 or more")
    tiers.add_argument("--desktops", type=_whole_number("desktops", 0), required=True,
                       help="number of desktops, a whole number of 0 or more")
    tiers.add_argument("--format", choices=reports.FORMATS, default="table", help="output format (default: table)")

    weekly = command(
        "weekly", cmd_weekly, help="write the one-page PDF summary of a week",
        description="The owner's week on one page (what the app's This week page shows), as a PDF.",
    )
    weekly.add_argument("--week", type=_week, metavar="YYYY-MM-DD",
                        help="any day of a week that has begun (default: this week); figures are as of its "
                             "Sunday, or today while the week is not over")
    weekly.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")

    export = command(
        "export", cmd_export, help="write the accountant's month-end workbook",
        description="The month-end pack: one workbook with Summary, Revenue by client, Sales register, "
                    "Prepayments, Receivables, Payments received, Unmapped and Tie-out sheets. A month not over "
                    "yet is exported with a warning, and its Summary says so.",
    )
    export.add_argument("kind", choices=["month-end"], help="what to export (month-end)")
    export.add_argument("--month", type=_month, required=True, metavar="YYYY-MM", help="the month")
    export.add_argument("--out", type=Path, metavar="FILE.xlsx",
                        help="the workbook (default: month-end-YYYY-MM.xlsx in the current folder)")
    export.add_argument("--csv-dir", type=Path, metavar="DIR", help="also write one CSV per sheet into DIR")
    export.add_argument("--realm", metavar="ID", help="only this QuickBooks company (default: all)")

    connect = command(
        "connect", cmd_connect, help="connect a QuickBooks Online company (OAuth 2.0)",
        description="Connect a QuickBooks Online company, one of three ways (docs/CONNECT.md): --refresh-token "
                    "RT --realm ID with a refresh token from Intuit's OAuth 2.0 Playground for your app's keys; or "
                    "Intuit's consent page, the answer pasted back when the redirect URI is https (production "
                    "keys) or taken on http://localhost (development keys). App keys: "
                    "MSP_REVENUE_QBO_CLIENT_ID/_SECRET or qbo.toml beside the warehouse (see qbo.example.toml). "
                    "Tokens are kept in qbo-tokens.json beside the warehouse (mode 0600).",
    )
    connect.add_argument("--refresh-token", metavar="RT",
                         help="a refresh token from Intuit's OAuth 2.0 Playground ('-': read it from standard "
                              "input, so it stays out of the shell's history); needs --realm")
    connect.add_argument("--realm", metavar="ID", help="with --refresh-token: the company's Realm ID")
    connect.add_argument("--paste", action="store_true",
                         help="no browser here: paste the redirect address from another machine's browser")
    connect.add_argument("--no-browser", action="store_true", help="print the address but do not open a browser")
    connect.add_argument("--timeout", type=float, default=300, help="seconds to wait for the answer (default 300)")

    disconnect = command(
        "disconnect", cmd_disconnect, help="revoke and forget a company's QuickBooks tokens",
        description="Revoke the refresh token at Intuit and delete the company's tokens. Its data stays.")
    disconnect.add_argument("--realm", metavar="ID", help="the company (needed when several are connected)")

    command(
        "status", cmd_status, help="connection, tokens, last syncs, snapshot age, tie-out",
        description="What is connected, how old the access token is, how long the refresh token lasts (and the "
                    "5-year limit when Intuit reports it), the last sync per entity, the snapshot's age and "
                    "whether revenue ties out to QuickBooks.")

    sync_cmd = command(
        "sync", cmd_sync, help="sync a connected QuickBooks company, then build",
        description="Incremental by default once a full sync exists (change data capture since the last sync); "
                    "--full reads every entity again and finds deletes by comparing Ids. Afterwards QuickBooks' "
                    "ProfitAndLoss is fetched for the months touched, and the warehouse is built and published.")
    sync_cmd.add_argument("--full", action="store_true", help="read everything again")
    sync_cmd.add_argument("--realm", metavar="ID", help="the company (needed when several are connected)")
    sync_cmd.add_argument("--cash-tie-out", action="store_true",
                          help="also fetch QuickBooks' cash-basis ProfitAndLoss for `report tie-out --basis cash` "
                               "(fetched anyway when [reports] basis is \"cash\")")

    jobs_cmd = command(
        "jobs", cmd_jobs, help="run the scheduled jobs that are due, or list them",
        description="The unattended jobs in settings.toml ([jobs], [email]): the nightly sync of each connected "
                    "company, the weekly summary to the owner, the month-end workbook to the accountant, alerts to "
                    "the owner. run-due runs what is due and not yet done for its day, week or month (once, however "
                    "often it is called: call it every few minutes from cron or a systemd timer) and exits 1 when "
                    "something failed; a failed job is tried again later. list shows each job's last run and next run.")
    jobs_cmd.add_argument("action", choices=["run-due", "list"], help="run-due or list")
    jobs_cmd.add_argument("--now", type=_moment, metavar="YYYY-MM-DDTHH:MM",
                          help="act as if it were this moment (in the jobs' time zone unless it has an offset), "
                               "to try a schedule")
    jobs_cmd.add_argument("--runner", default="command", help=argparse.SUPPRESS)  # the app's own runner says "app"

    whatif = command(
        "whatif", cmd_whatif, help="list, save or delete the forecast's what-if scenarios",
        description="What-if scenarios of the forecast, kept in scenarios.toml beside the warehouse and never in the "
                    "books: raise the tier prices or hourly rates by a percentage (30 days' notice: from the first "
                    "1st 30 days after --notice), weed the clients under a yearly labor line (as long after notice), "
                    "sign the clients most likely to take a tier (billed from the 1st after --notice). `report "
                    "forecast --scenario NAME` shows one against the base forecast. Definitions: "
                    "docs/METRICS.md#what-ifs.")
    whatif.add_argument("action", choices=["list", "save", "delete"], help="list, save or delete")
    whatif.add_argument("name", nargs="?", metavar="NAME", help="with save and delete: the scenario's name")
    whatif.add_argument("--notice", type=_day, metavar="YYYY-MM-DD",
                        help="with save: the day notice is given and clients sign (default: the as-of date of "
                             "each report)")
    whatif.add_argument("--raise-tiers", type=_decimal("a percentage from 0 to 100, e.g. 5", 0, 100), metavar="PERCENT",
                        help="with save: the agreements' fees this many percent more")
    whatif.add_argument("--raise-hourly", type=_decimal("a percentage from 0 to 100, e.g. 10", 0, 100),
                        metavar="PERCENT",
                        help="with save: hourly work this many percent more")
    whatif.add_argument("--weed-below", type=_decimal("an amount in dollars, e.g. 500", 0), metavar="AMOUNT",
                        help="with save: the clients under this yearly labor line (the garden's) leave")
    whatif.add_argument("--sign", type=_signing, action="append", metavar="TIER=N|TIER=CLIENT[,CLIENT]",
                        help="with save: the first N of a tier's Most Likely to Sign list, or named clients (by Id "
                             "or name), sign that tier; again for another tier")
    whatif.add_argument("--as-of", type=_as_of, metavar="YYYY-MM-DD",
                        help="with save: check the scenario against the warehouse as `report forecast --scenario "
                             "--as-of` this day would (default today); one it cannot use is not saved")

    app = command(
        "app", cmd_app, help="start the app (Streamlit) on 127.0.0.1",
        description="Start the Streamlit app on the warehouse. It listens on 127.0.0.1 unless --address says "
                    "otherwise, and refuses to listen beyond this machine without a login: Streamlit's OIDC "
                    "login ([auth] in .streamlit/secrets.toml) and allowed emails in settings.toml. While it runs, "
                    "it runs the scheduled jobs that are due itself (`jobs run-due` every MSP_REVENUE_JOBS_EVERY "
                    "seconds, default 300; 0 turns it off), claimed as any runner's, so a cron or container "
                    "runner beside it never sends anything twice.",
    )
    app.add_argument("--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    app.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    return parser


def cmd_load(args: argparse.Namespace) -> int:
    import services

    db = paths.work_db(args.db)
    missing = [p for p in args.paths if not p.is_file()]
    for path in missing:
        print(f"msp-revenue: {path}: no such file", file=sys.stderr)
    files = [p for p in args.paths if p.is_file()]
    results = services.load(db, files, args.realm, args.skip_bad_records, progress=_print_source, notice=_note)
    failed = bool(missing) or any(not r.ok for r in results)
    built = _build(db) if any(r.loaded for r in results) and not args.no_build else 0
    if failed:
        print("msp-revenue: some input was not loaded; fix what is named above and load those files again",
              file=sys.stderr)
    return 1 if failed or built else 0


def cmd_load_devices(args: argparse.Namespace) -> int:
    import services
    from models.warehouse.snapshot import open_snapshot

    db = paths.work_db(args.db)
    export, realm = services.load_devices(db, args.path, args.as_of or date.today(), args.realm)
    counted = [d for d in export.devices if d.billable and d.kind != "other"]
    print(f"{args.path.name}: {export.layout} export, {len(export.devices)} device(s) "
          f"({sum(d.kind == 'server' for d in counted)} server(s), {sum(d.kind == 'desktop' for d in counted)} "
          f"desktop(s) counted) kept for QuickBooks company {realm}", file=sys.stderr)
    for note in export.notes:
        _note(note)
    built = _build(db)
    con = open_snapshot(paths.snapshot(db))
    try:
        organisations = reports.run(con, "device-organisations", reports.Options(realm=realm), _settings(db)).records()
    finally:
        con.close()
    for row in (o for o in organisations if o["client_id"] is None):
        _note(f"organisation {row['organisation']!r} ({row['devices']} device(s)) matches no QuickBooks client "
              f"({row['why_unmatched']}): "
              f"map it under [devices.organisations] in {settings.settings_path(db).name} "
              f"(\"{row['organisation']}\" = \"customer Id\") or on the app's Devices page, then build")
    return built


def cmd_build(args: argparse.Namespace) -> int:
    return _build(paths.work_db(args.db), full=args.full)


def cmd_demo(args: argparse.Namespace) -> int:
    import services

    if args.files_only and args.out is None:
        print(f"{paths.COMMAND} demo: error: --files-only writes only the files: name their folder with --out DIR",
              file=sys.stderr)
        return 2
    db = paths.work_db(args.db)
    if args.if_missing and paths.snapshot(db).exists():
        print(f"warehouse snapshot exists at {paths.snapshot(db)}; leaving it as it is")
        return 0
    started = time.perf_counter()
    print(f"generating the demo company ({args.clients} clients, {args.years} years, seed {args.seed})...",
          file=sys.stderr)
    if args.files_only:
        written = services.write_demo_files(args.out, args.seed, args.clients, args.years, args.until)
        print(f"wrote {', '.join(str(path) for path in written)}", file=sys.stderr)
        return 0
    result = services.make_demo(db, args.seed, args.clients, args.years, args.until, args.out)
    _print_source(result)
    print(f"loaded in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return _build(db) if result.ok else 1


def cmd_report(args: argparse.Namespace) -> int:
    from models.figures import companies
    from models.warehouse.snapshot import open_snapshot

    report = reports.REPORTS[args.name]
    # an option not given is not in args (its default is suppressed), so Options' own defaults apply
    given = {o.name: getattr(args, o.name) for o in report.options if o.value != "period" and o.name in args}
    if period := _period(args):
        given["period"] = period
    if report.name == "lines":
        _refuse_options_the_figure_does_not_read(given)
        _refuse_forecast_lines_of_the_past(given)
    if report.name == "forecast":
        _refuse_cash_options_without_cash(given)
    db = paths.work_db(args.db)
    scenario = _scenario(db, given)
    con = open_snapshot(paths.snapshot(db))
    try:
        companies.check_realm(con, given.get("realm"))
        if "client" in given:
            given["client"] = reports.find_client(con, given["client"], given.get("realm"), given.get("rollup", True))
        owner = _settings(db)
        if scenario:
            from models.figures import whatifs

            given["scenario"] = whatifs.resolve(con, scenario, given.get("as_of") or date.today(), given.get("realm"),
                                                owner)
        options = reports.Options(**given)
        if args.format == "csv":  # written as DuckDB hands the rows over: every line of every year, held by no one
            with _report_output(args.out) as out, reports.stream(con, report.name, options, owner) as rows:
                reports.write_csv(out, rows.columns, rows.batches)
            return 0
        result = reports.run(con, report.name, options, owner)
    finally:
        con.close()
    with _report_output(args.out) as out:
        # a table of headers alone says nothing: a person is told why; csv and json stay empty tables for programs
        empty = args.format == "table" and not result.rows
        out.write(reports.no_rows(report.name, options, owner) + "\n" if empty else reports.render(result, args.format))
    return 0


@contextmanager
def _report_output(out: Path | None) -> Iterator[TextIO]:
    """Standard output, or the file --out names, written to a temporary file renamed over it when the report
    is whole: a report that fails on the way leaves the file as it was."""
    if out is None:
        yield sys.stdout
        return
    with replacing(out) as temporary, temporary.open("w", encoding="utf-8", newline="") as written:
        yield written
    print(f"wrote {out}", file=sys.stderr)


# The flags of the report options whose flag is not their name (underscores as hyphens; a negated switch
# as --no-NAME)
_FLAGS = {"period": ("--from", "--to"), "categories": ("--category",)}


def _flags(option: reports.Option) -> tuple[str, ...]:
    dashed = option.name.replace("_", "-")
    return _FLAGS.get(option.name) or ((f"--no-{dashed}",) if option.value == "negated" else (f"--{dashed}",))


def _add_option(parser: argparse.ArgumentParser, option: reports.Option) -> None:
    """The report option as its flag(s); not given, it is left out of the namespace."""
    kinds: dict[str, dict] = {
        "switch": {"action": "store_true"}, "negated": {"action": "store_false"},
        "past_day": {"type": _as_of, "metavar": "YYYY-MM-DD"}, "days": {"type": _days, "metavar": "YYYY-MM-DD,YYYY-MM-DD"},
        "month": {"type": _month, "metavar": "YYYY-MM"}, "text": {"metavar": option.metavar},
        "amounts": {"type": _amounts, "metavar": "A,B"}, "categories": {"type": _categories, "metavar": "C[,C]"},
        "figure": {"choices": list(reports.LINE_KINDS), "metavar": "FIGURE"},
        "months": {"type": _whole_number("months", 1, reports.MOST_FORECAST_MONTHS), "metavar": "N"},
        "weeks": {"type": _whole_number("weeks", 1, reports.MOST_FORECAST_WEEKS), "metavar": "N"},
        "basis": {"choices": list(settings.BASES), "metavar": "accrual|cash"},
    }
    if option.value == "period":
        first, last = _flags(option)
        parser.add_argument(first, dest="first_day", type=_day, metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                            help=f"{option.help} (with {last})")
        parser.add_argument(last, dest="last_day", type=_day, metavar="YYYY-MM-DD", default=argparse.SUPPRESS,
                            help=f"... to this day (with {first})")
        return
    parser.add_argument(*_flags(option), dest=option.name, default=argparse.SUPPRESS, help=option.help,
                        **kinds[option.value])


class _MadeWhenChosen(dict):
    """Names to parsers, each made (by the partial it is stored as) the first time it is looked up."""

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        parser = super().__getitem__(name)
        if isinstance(parser, functools.partial):
            parser = self[name] = parser()
        return parser


class _ReportsAction(argparse._SubParsersAction):
    """`report NAME`'s choices, each report's parser made when it is chosen: making all 26 with their options for a
    command that runs one was two thirds of the parser's making (DECISIONS.md, "Starting light")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_parser_map = self.choices = _MadeWhenChosen()

    def add_made_when_chosen(self, name: str, help: str, make: Callable[[str], argparse.ArgumentParser]) -> None:
        """As add_parser(name, help=help), `make(prog)` making the parser when `name` is looked up."""
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), help))  # what `report --help` lists
        self._name_parser_map[name] = functools.partial(make, prog=f"{self._prog_prefix} {name}")


class _ReportParser(argparse.ArgumentParser):
    """A report's own parser: an option it does not take is refused (exit status 2), naming the reports that
    take it, as the registry declares them."""

    def parse_known_args(self, args=None, namespace=None):
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            report = reports.REPORTS[self.prog.rsplit(" ", 1)[-1]]
            takes = (f"takes {_and(tuple(f for o in report.options for f in _flags(o)))}" if report.options
                     else "takes no option but --format")
            flags = [extra.split("=")[0] for extra in extras if extra.startswith("-")]
            where = ", ".join(f"{flag} is for {_takers(flag) or 'no report'}" for flag in flags)
            self.error(f"report {report.name} {takes}; " + (where or f"not {' '.join(extras)}"))
        return parsed, extras


def _refuse_options_the_figure_does_not_read(given: dict) -> None:
    kind = given.get("kind", "revenue")
    reads = ("as_of", "realm", "kind", *reports.LINE_KINDS[kind][1])
    options = {o.name: o for o in reports.REPORTS["lines"].options}
    refused = [options[name] for name in options if name in given and name not in reads]
    if refused:
        raise SystemExit(f"msp-revenue: report lines --kind {kind} reads "
                         f"{_and(tuple(f for name in reads for f in _flags(options[name])))}, "
                         f"not {_and(tuple(f for o in refused for f in _flags(o)))}")
    if "month" in given and "period" in given:
        raise SystemExit("msp-revenue: report lines takes --month or --from/--to, not both")


def _refuse_forecast_lines_of_the_past(given: dict) -> None:
    """A forecast's lines, and a what-if's, are of what is to come: asked for a month or days already past, they
    would list nothing, which reads as nothing committed, coming in or moved."""
    kind, as_of = given.get("kind", "revenue"), given.get("as_of") or date.today()
    if kind.startswith(("forecast:", "scenario:")) and "month" in given and given["month"] <= as_of.replace(day=1):
        raise SystemExit(f"msp-revenue: report lines --kind {kind} --month takes a month after the as-of month "
                         f"({as_of:%Y-%m}); the MRR of that month and before is history: --kind mrr")
    if kind.startswith("cash:") and "period" in given and given["period"][0] <= as_of:
        raise SystemExit(f"msp-revenue: report lines --kind {kind} --from takes a day after the as-of date "
                         f"({as_of.isoformat()}): the cash forecast is of the days to come")


def _scenario(db: Path, given: dict):
    """The saved what-if scenario --scenario names (before the snapshot is opened: a name saved nowhere is refused
    first); a scenario's changes are the MRR forecast's and report lines --kind scenario:COLUMN's."""
    kind = given.get("kind", "")
    if kind.startswith("scenario:") and "scenario" not in given:
        raise SystemExit(f"msp-revenue: report lines --kind {kind} lists a what-if scenario's changes: name it with "
                         "--scenario NAME (whatif list shows them)")
    if "scenario" not in given:
        return None
    if given.get("cash"):
        raise SystemExit("msp-revenue: report forecast --scenario compares the MRR forecast by month (with the cash "
                         "of each month in it); leave out --cash")
    from models.settings import scenarios

    return scenarios.find(scenarios.scenarios_path(db), given["scenario"])


def _refuse_cash_options_without_cash(given: dict) -> None:
    """--weeks, --by-month and --months each cut one of the forecasts; an option the forecast asked for does not
    read is refused, not left unread: the figures would print as if it had been applied."""
    if not given.get("cash") and (cash_only := [f"--{name.replace('_', '-')}" for name in ("weeks", "by_month")
                                                if name in given]):
        raise SystemExit(f"msp-revenue: report forecast {_and(tuple(cash_only))} "
                         f"{'are' if len(cash_only) > 1 else 'is'} for the cash forecast: add --cash (the MRR "
                         "forecast is by month, over --months)")
    if given.get("cash") and "weeks" in given and given.get("by_month"):
        raise SystemExit("msp-revenue: report forecast --cash takes --weeks or --by-month, not both")
    if given.get("cash") and "months" in given and not given.get("by_month"):
        raise SystemExit("msp-revenue: report forecast --cash is by week (--weeks); --months counts months with "
                         "--by-month")


def _takers(flag: str) -> str:
    """The reports that take a report option's flag, as the registry declares them."""
    return ", ".join(name for name, report in reports.REPORTS.items()
                     if any(flag in _flags(option) for option in report.options))


def _and(words: tuple[str, ...]) -> str:
    return " and ".join(filter(None, [", ".join(words[:-1]), words[-1]]))


def cmd_tiers(args: argparse.Namespace) -> int:
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        from models.warehouse.sqlfiles import apply_macros

        apply_macros(con, table_macros=False)
        result = reports.quote_tiers(con, args.servers, args.desktops, _settings(paths.work_db(args.db)))
    finally:
        con.close()
    sys.stdout.write(reports.render(result, args.format))
    return 0


def cmd_weekly(args: argparse.Namespace) -> int:
    from models.documents import weekly
    from models.figures.companies import company_names, printed_name
    from models.months import week_as_of
    from models.warehouse.snapshot import open_snapshot

    today = date.today()
    as_of = week_as_of(args.week or today, today)
    db = paths.work_db(args.db)
    owner = _settings(db)
    con = open_snapshot(paths.snapshot(db))
    try:
        document = weekly.summary_pdf(weekly.load(con, owner, as_of), printed_name(owner, company_names(con), None))
    finally:
        con.close()
    write_atomically(args.out, document)
    print(f"wrote the week of {week_of(as_of)[0].isoformat()} (as of {as_of.isoformat()}) to {args.out}",
          file=sys.stderr)
    return 0


def cmd_connect(args: argparse.Namespace) -> int:
    import services

    db = paths.work_db(args.db)
    if args.refresh_token is not None or args.realm is not None:
        if args.refresh_token is None or args.realm is None:
            raise SystemExit("msp-revenue: give --refresh-token and --realm together (both from Intuit's OAuth 2.0 "
                             "Playground; see docs/CONNECT.md)")
        token = sys.stdin.readline() if args.refresh_token == "-" else args.refresh_token
        realm = services.connect_with_refresh_token(db, token, args.realm, notice=_note)
        print(f"connected QuickBooks company {realm}; next: {paths.COMMAND} sync", file=sys.stderr)
        return 0
    realm = services.connect(db, ask=lambda: input("Paste the address your browser was sent to: "), paste=args.paste,
                             open_browser=not (args.no_browser or args.paste), timeout=args.timeout,
                             show=lambda text: print(text, flush=True))
    print(f"connected QuickBooks company {realm}; next: {paths.COMMAND} sync", file=sys.stderr)
    return 0


def cmd_disconnect(args: argparse.Namespace) -> int:
    import services

    realm, revoked = services.disconnect(paths.work_db(args.db), args.realm)
    print(f"forgot the tokens of QuickBooks company {realm}"
          + ("" if revoked else " (Intuit could not be told to revoke them; remove the app from the company's "
                                "connected apps to be sure)"), file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    for line in status_lines(paths.work_db(args.db)):
        print(line)
    return 0


def status_lines(db: Path) -> list[str]:
    """What is connected, the snapshot, the last load per entity, and the tie-out to QuickBooks."""
    from models.figures.companies import company_names
    from models.figures.freshness import compared_income, difference_lines, freshness, last_syncs
    from models.warehouse.snapshot import open_snapshot

    snapshot = paths.snapshot(db)
    if not snapshot.exists():
        return _connections(db) + [
            f"warehouse: not built yet ({paths.COMMAND} sync, load or demo)"]
    owner = _settings(db)
    con = open_snapshot(snapshot)
    try:
        info = freshness(con)
        loads = reports.run(con, "load-history", reports.Options(), owner)
        tie_out = compared_income(con, owner)
        held = reports.run(con, "held-records", reports.Options(), owner)
        last_synced, names = last_syncs(con), company_names(con)
    finally:
        con.close()
    lines = _connections(db, last_synced, names)
    lines.append(f"snapshot: built {info.age_text()}, {info.revenue_lines:,} revenue lines, "
                 f"companies {', '.join(info.realms) or 'none'}")
    for load in sorted(loads.records(), key=lambda r: (r["realm_id"], r["entity"])):
        lines.append(f"  last load of {load['entity']:14s} ({load['realm_id']}): "
                     f"{load['last_loaded_at']:%Y-%m-%d %H:%M} UTC by {load['last_source']}")
    compared = {r["month"] for r in tie_out}
    differences = difference_lines(tie_out)
    if not compared:
        lines.append("tie-out to QuickBooks: not compared yet (it follows a sync)")
    elif not differences:
        lines.append(f"tie-out to QuickBooks: ties out ({len(compared)} month(s) compared)")
    else:
        lines.append(f"tie-out to QuickBooks: {len(differences)} difference(s):")
        lines += differences
    if not info.ties_out:
        lines.append(f"checks failing: {', '.join(info.failed_checks)}")
    if held.rows:
        lines.append(f"held back: {len(held.rows)} record(s) QuickBooks sent that the models cannot read "
                     "(a later valid version takes its place):")
        lines += [f"  {r['entity']} {r['record_id']} ({r['realm_id']}): {r['reason']}" for r in held.records()[:20]]
    return lines


def _connections(db: Path, last_synced: dict | None = None, names: dict | None = None) -> list[str]:
    import services

    try:
        connections = services.connections(db, last_synced, names)
    except services.ConnectorError as err:  # the token file cannot be read: one line, and the rest still shows
        return [f"warning: {err}"]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return ([c.summary() for c in connections]
            + [f"warning: {w}" for c in connections for w in c.warnings(now)]
            + _not_connected_lines({c.realm_id for c in connections}, last_synced or {}, names or {}))


def _not_connected_lines(connected: set[str], last_synced: dict, names: dict) -> list[str]:
    """The companies the warehouse holds synced data of but that are no longer connected (disconnected), or,
    with nothing connected nor synced, that the data came from files or the demo."""
    apart = sorted(set(last_synced) - connected)
    if not connected and not apart:
        return [f"QuickBooks: not connected (run {paths.COMMAND} connect); the warehouse holds file or demo data"]
    return [f"{names.get(realm, f'QuickBooks company {realm}')}: not connected (disconnected); its data was last "
            f"synced {last_synced[realm]:%Y-%m-%d %H:%M} UTC and is no longer kept up to date "
            f"(run {paths.COMMAND} connect to sync again)" for realm in apart]


def cmd_sync(args: argparse.Namespace) -> int:
    import services

    db = paths.work_db(args.db)
    built: list[int] = []
    prepared: list = []

    def meanwhile(con, held) -> None:  # while the sync waits on QuickBooks' first answers, on its work database
        _build_imports()
        if not args.full:  # a full sync's build starts empty: nothing of the last snapshot to start from
            from models.warehouse.build import prepare_build

            prepared.append(held.enter_context(prepare_build(con, db)))

    def build(con, result, tie_out) -> None:  # on the sync's work database, while QuickBooks' income is asked for
        print(f"synced company {result.realm_id} ({result.mode}): {sum(result.records.values()):,} records in "
              f"{result.pages} pages, {sum(result.deleted.values())} deleted, {result.seconds:.1f}s", file=sys.stderr)
        if result.held:
            _note(f"{result.held} record(s) QuickBooks sent cannot be read and are held back; `{paths.COMMAND} "
                  "status` lists them and the field each one fails on")
        for entity, why in sorted(result.failed.items()):
            print(f"msp-revenue: {entity} was not synced: {why}", file=sys.stderr)
        # run_sync closes `con` once this returns (storing the tie-out first, if the build failed before asking)
        built.append(_build(db, con=con, tie_out=tie_out, closing=True, prepared=prepared[0] if prepared else None))

    result = services.sync(db, args.realm, args.full, notice=_note, then=build,
                           cash_tie_out=args.cash_tie_out, meanwhile=meanwhile)
    return 1 if result.failed else built[0]


def _build_imports() -> None:
    """What the build imports, imported while the sync waits on QuickBooks: its modules, then what it reads of sql/
    (10-15 ms the build no longer starts with). Not numpy: no Python function is registered with DuckDB
    (models/warehouse/name_keys.py)."""
    import models.figures.freshness  # noqa: F401
    from models.warehouse import build

    build.read_ahead()


def cmd_export(args: argparse.Namespace) -> int:
    from models.documents import month_end_workbook
    from models.figures import companies, month_end
    from models.warehouse.snapshot import open_snapshot

    db = paths.work_db(args.db)
    con = open_snapshot(paths.snapshot(db))
    try:
        companies.check_realm(con, args.realm)
        pack = month_end.build(con, _settings(db), args.month, args.realm)
    finally:
        con.close()
    if pack.not_over:
        print(f"warning: {pack.not_over}", file=sys.stderr)
    out = args.out or Path(f"month-end-{args.month:%Y-%m}.xlsx")
    month_end_workbook.write_xlsx(pack, out)
    print(f"wrote {out} ({len(pack.sheets)} sheets; {pack.tie_out})", file=sys.stderr)
    if args.csv_dir:
        files = month_end_workbook.write_csv_dir(pack, args.csv_dir)
        print(f"wrote {len(files)} CSV files to {args.csv_dir}", file=sys.stderr)
    return 0 if pack.ties_out else 1


def cmd_jobs(args: argparse.Namespace) -> int:
    import jobs
    from models.jobs import job_list

    db = paths.work_db(args.db)
    if args.action == "run-due":
        return 1 if jobs.run_due(db, args.now, say=lambda line: print(line, file=sys.stderr), runner=args.runner) else 0
    lines, runs, tz = jobs.overview(db, args.now)
    for line in lines:
        row = line.row(tz)
        print(f"{row['job']}: {row['schedule']}\n  last: {row['last run']} {row['result']}".rstrip()
              + (f" to {row['sent to']}" if row["sent to"] else "") + f"\n  next: {row['next run']}")
    for row in job_list.not_done_rows(runs, tz):
        print(f"not done: {row['job']} {row['period']}: {row['what happened']}")
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    from models.settings import scenarios

    path = scenarios.scenarios_path(paths.work_db(args.db))
    saving = ("notice", "raise_tiers", "raise_hourly", "weed_below", "sign", "as_of")
    if args.action != "save" and (given := [f"--{o.replace('_', '-')}" for o in saving if getattr(args, o)]):
        raise SystemExit(f"msp-revenue: whatif {args.action} takes no {_and(tuple(given))} (they are for save)")
    if args.action == "list":
        saved = scenarios.read_all(path)
        for name, scenario in saved.items():
            print(f"{name}: {scenarios.described(scenario)}")
        if not saved:
            print(f"no what-if scenario saved in {path.name} yet: save one with `whatif save NAME` and what it "
                  "changes, e.g. `whatif save \"Raise two rates\" --raise-tiers 5 --raise-hourly 10`",
                  file=sys.stderr)
        return 0
    if not args.name:
        raise SystemExit(f"msp-revenue: whatif {args.action} needs the scenario's NAME")
    if args.action == "delete":
        scenarios.delete(path, args.name)
        print(f"deleted what-if scenario {args.name!r} from {path.name}", file=sys.stderr)
        return 0
    scenario = scenarios.Scenario(args.name, args.notice, args.raise_tiers or 0, args.raise_hourly or 0,
                                args.weed_below, tuple(args.sign or ()))
    from models.figures import whatifs
    from models.warehouse.snapshot import open_snapshot

    db = paths.work_db(args.db)
    con = open_snapshot(paths.snapshot(db))
    try:  # as report forecast --scenario would read it, for every company
        replaced = whatifs.save(con, path, scenario, args.as_of or date.today(), None, _settings(db))
    finally:
        con.close()
    print(f"{'replaced' if replaced else 'saved'} what-if scenario {args.name!r} in {path.name}: "
          f"{scenarios.described(scenario)}", file=sys.stderr)
    return 0


def _decimal(words: str, least: int, most: int | None = None) -> Callable:
    """An argument type: a number from `least` (to `most`), exact; the scenario's own check sees it again."""
    from decimal import Decimal, InvalidOperation

    def number(text: str) -> Decimal:
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < least or (most is not None and value > most):
            raise argparse.ArgumentTypeError(f"{words} (not {text!r})")
        return value
    return number


def _signing(text: str) -> tuple[str, int | tuple[str, ...]]:
    tier, equals, who = text.partition("=")
    if not equals or not tier.strip() or not who.strip():
        raise argparse.ArgumentTypeError(f"TIER=N or TIER=CLIENT[,CLIENT], e.g. Gold=3 (not {text!r})")
    if who.strip().isdigit():
        return tier.strip(), int(who)
    return tier.strip(), tuple(c.strip() for c in who.split(",") if c.strip())


def cmd_app(args: argparse.Namespace) -> int:
    import os

    from models.figures.freshness import first_steps
    from models.settings.access import REFUSAL, auth_section, decide

    db = paths.work_db(args.db)
    access = decide(args.address, auth_section(paths.PROJECT_DIR), list(_settings(db).allowed_emails))
    if access.refuse:
        print("msp-revenue: " + REFUSAL.format(address=args.address), file=sys.stderr)
        return 1
    if not paths.snapshot(db).exists():
        print(f"msp-revenue: no warehouse at {db} yet. " + first_steps(db), file=sys.stderr)
        return 1
    # dashboards.server: `streamlit run` with the pages' libraries imported before the first visit
    command = [sys.executable, "-m", "dashboards.server", "run", str(paths.PROJECT_DIR / "streamlit_app.py"),
               "--server.address", args.address, "--server.port", str(args.port)]
    os.environ[paths.ENV_VAR] = str(db)
    os.chdir(paths.PROJECT_DIR)
    os.execv(command[0], command)


def _period(args: argparse.Namespace) -> tuple[date, date] | None:
    first_day, last_day = getattr(args, "first_day", None), getattr(args, "last_day", None)
    if (first_day is None) != (last_day is None):
        raise SystemExit("msp-revenue: give --from and --to together")
    if first_day and first_day > last_day:
        # a usage error, as argparse's own are: exit status 2
        print(f"msp-revenue: --from {first_day} is after --to {last_day}; give the first day of the period "
              "with --from and the last with --to", file=sys.stderr)
        raise SystemExit(2)
    return (first_day, last_day) if first_day else None


def _settings(db: Path) -> settings.Settings:
    return settings.read(settings.settings_path(db))


def _build(db: Path, full: bool = False, **on) -> int:
    """`on`: the sync's open work database, its tie-out, that it closes it and what it prepared of the build
    (models.warehouse.build.build's `con`, `tie_out`, `closing` and `prepared`)."""
    from models.figures.freshness import first_steps
    from models.warehouse.build import build, checks

    result = build(db, progress=lambda step: print(f"  {step}", file=sys.stderr), full=full, **on)
    print(f"built {result.revenue_lines} revenue lines in {result.seconds:.1f}s; snapshot: {result.snapshot}",
          file=sys.stderr)
    print(f"  {result.what}", file=sys.stderr)
    if not result.revenue_lines:
        print(first_steps(db), file=sys.stderr)
    for check, rows in result.failed_checks.items():
        print(f"msp-revenue: check {check} found {rows} row(s) that do not tie out "
              f"(see sql/{checks()[check].source})", file=sys.stderr)
    if result.unmapped_lines:
        # the owner maps items on the app's Categories page; the rules file is for whoever edits it by hand
        print(f"note: ${result.unmapped_amount:,} on {result.unmapped_lines} line(s) in revenue is unmapped; map the "
              f"items on the app's Categories page (or add rules to {paths.category_rules(db).name} and run "
              f"`{paths.COMMAND} build`)", file=sys.stderr)
    return 1 if result.failed_checks else 0


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr)


def _print_source(result) -> None:
    stored = ", ".join(
        f"{name} {c.received} ({c.inserted} new, {c.updated} updated, {c.unchanged} not newer than stored)"
        for name, c in result.loaded.items()
    )
    skipped = ", ".join(f"{name} {n}" for name, n in sorted(result.skipped.items()))
    print(f"{result.source}:", file=sys.stderr)
    if stored:
        print(f"  stored: {stored}", file=sys.stderr)
    if skipped:
        print(f"  skipped (not used by the warehouse): {skipped}", file=sys.stderr)
    for error in result.errors[:20]:
        print(f"  error: {error}", file=sys.stderr)
    if len(result.errors) > 20:
        print(f"  ... and {len(result.errors) - 20} more errors", file=sys.stderr)
    if result.rejected:
        print("  nothing from this file was stored (use --skip-bad-records to store its good records)",
              file=sys.stderr)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give the date as YYYY-MM-DD, e.g. 2026-10-31 (not {text!r})") from None


def _as_of(text: str) -> date:
    day = _day(text)
    if why := not_history(day, date.today()):
        raise argparse.ArgumentTypeError(why)
    return day


def _week(text: str) -> date:
    day = _day(text)
    if why := before_the_books(week_of(day)[0]):
        raise argparse.ArgumentTypeError(f"{why}; give a later week")
    if why := after_today(week_of(day)[0], date.today()):
        raise argparse.ArgumentTypeError(f"the week of {day} has not begun: its Monday {why}; give a week that has "
                                         "begun")
    return day


def _days(text: str) -> tuple[date, date]:
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"give the first and last day, e.g. 2026-11-09,2026-11-15 (not {text!r})")
    first, last = (_day(part.strip()) for part in parts)
    if first > last:
        raise argparse.ArgumentTypeError(f"the first day {first} is after the last {last}")
    return first, last


def _moment(text: str) -> str:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"give the moment as YYYY-MM-DDTHH:MM, e.g. 2026-07-06T07:00 (not {text!r})") \
            from None
    return text


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError("give the month as YYYY-MM, e.g. 2026-10") from None


def _categories(text: str) -> tuple[str, ...]:
    from models.settings.categories import CATEGORY_ORDER

    chosen = tuple(part.strip() for part in text.split(","))
    unknown = [c for c in chosen if c not in CATEGORY_ORDER]
    if unknown:
        raise argparse.ArgumentTypeError(f"no category {', '.join(unknown)}; the categories: {', '.join(CATEGORY_ORDER)}")
    return chosen


def _amounts(text: str) -> tuple:
    from decimal import Decimal, InvalidOperation

    try:
        return tuple(Decimal(part.strip()) for part in text.split(","))
    except InvalidOperation:
        raise argparse.ArgumentTypeError("give amounts separated by commas, e.g. 500,1000") from None


def _whole_number(of: str, least: int, most: int | None = None) -> Callable[[str], int]:
    """An argument type: a whole number of `of`, at least `least` (and at most `most`)."""
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = least - 1
        if value < least or (most is not None and value > most):
            within = f"{least} to {most}" if most is not None else f"{least} or more"
            raise argparse.ArgumentTypeError(f"give a whole number of {of}, {within} (not {text!r})")
        return value
    return whole


def run(argv: list[str] | None = None) -> NoReturn:
    """The command as `msp-revenue` runs it: `main`, then the process ends."""
    end(main(argv))


def end(code: int | None) -> NoReturn:
    """End the process with `code` the way Python's own exit does, without tearing the interpreter down. What the
    exit does that matters is done first, in its order: the threads that are not daemons waited for (and the
    thread pools' own exit hooks), `atexit`'s handlers run (logging's flush, temporary folders' removal), the
    standard streams flushed. What it then does, freeing every module and object one by one (~30-40 ms of an
    everyday sync with DuckDB and requests loaded: docs/BENCHMARKS.md), the kernel does at once; every
    connection the commands open is closed before they return, and what they write is renamed into place by then.
    A flush that fails (the reader of a pipe gone) is left to Python's own exit, which reports it as it always has."""
    threading._shutdown()  # what Python's exit calls first; no public name does the same
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        sys.exit(code)
    os._exit(code or 0)


if __name__ == "__main__":
    run()
