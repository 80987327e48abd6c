"""The client sit-down: one client's last 12 full months of labor and the tier what-if, on screen
and as a printout to hand across the table. Everything here is about one client only. The printout never
shows what the client cost; the owner's own copy may end with a page of owner's notes that does (its margin),
after a box of the client's outstanding billing issues (what is still open: invoices past due, money the payment
rules asked for already, finance charges not invoiced)."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd

from models.documents import charts, pdf
from models.figures import drilldown, reports
from models.figures.formatting import column_label, money_text, month_text, months_text, percent_text
from models.figures.vocabulary import BILLING_ISSUE_LABELS
from models.money import ZERO
from models.months import full_months_before
from models.settings.settings import Devices, Settings

MONTH_COLUMNS = ("labor_hourly", "labor_msa", "labor_total", "hardware", "software")
NO_LABOR = "No labor in these 12 months."
# The owner's notes page: report margin's figures for the client, money first, then the rest
NOTES_MONEY = ("revenue", "labor_cost", "tool_cost", "direct_cost", "gross_margin", "agreement_revenue",
               "agreement_cost", "agreement_margin", "effective_rate")
NOTES_TITLE = "Owner's notes, not for the client"
# The owner's copy's box of outstanding billing issues: what is still open (reports.billing_issues), not
# the 12 months' breaches, most of them long settled, which report policies keeps
ISSUES_TITLE = "Outstanding billing issues"
NO_ISSUES = "None: no invoice open past its due date or owing what the payment rules asked to be paid already."
ISSUES_HISTORY = "Payment rules broken over the 12 months, settled or not: the Policies page (report policies)."

@dataclass(frozen=True)
class SitDown:
    realm_id: str
    client_id: str
    client: str
    as_of: date
    first_month: date
    last_month: date
    months: pd.DataFrame      # client-labor --by-month rows of this client
    tiers: pd.DataFrame       # tiers rows of this client
    devices: Devices | None   # the counts the tiers are priced for (client_device_counts: which, in devices_by)
    devices_from: date | None = None  # the date of the device export they come from; None: typed in the settings
    devices_by: str = "typed"         # client_device_counts' counted_by: device export, typed or typed override

    def total(self, column: str) -> Decimal:
        return sum(self.months[column], ZERO) if len(self.months) else ZERO

    def has_labor(self) -> bool:
        """Any month with labor: without, a labor chart would be an empty frame."""
        return bool(len(self.months)) and any(self.months["labor_total"] != 0)


def load(con: duckdb.DuckDBPyConnection, settings: Settings, realm_id: str, client_id: str, as_of: date) -> SitDown:
    first, last = full_months_before(as_of)
    options = reports.Options(as_of=as_of, realm=realm_id, client=client_id)
    months = reports.run(con, "client-labor", reports.Options(**{**options.__dict__, "by_month": True}), settings).frame()
    tiers = reports.run(con, "tiers", options, settings).frame()
    name = months["customer"].iloc[0] if len(months) else (tiers["customer"].iloc[0] if len(tiers) else client_id)
    counted = tiers[tiers["devices_counted_by"].notna()] if len(tiers) else tiers
    if len(counted):
        first_row = counted.iloc[0]
        return SitDown(realm_id, client_id, name, as_of, first, last, months, tiers,
                       Devices(int(first_row["servers"]), int(first_row["desktops"]), name),
                       None if pd.isna(first_row["devices_counted_from"]) else first_row["devices_counted_from"],
                       first_row["devices_counted_by"])
    return SitDown(realm_id, client_id, name, as_of, first, last, months, tiers,
                   settings.devices.get(realm_id, {}).get(client_id))


@dataclass(frozen=True)
class BillingIssue:
    """One outstanding billing issue: a document still open (past due, or owing hardware and software or agreement
    months already), or the finance charges due but not invoiced (no document of its own)."""
    issue: str            # BILLING_ISSUE_LABELS' labels of its reasons
    txn_date: date        # the document's date; the finance charges': the last 1st one was due
    document_type: str | None
    doc_number: str | None
    detail: str           # why: due date and days past due, what the rules asked for, the charges' sums
    amount: Decimal       # what is still open (the finance charges: due less invoiced)

    def document(self) -> str:
        if self.document_type is None:
            return "—"
        return f"{self.document_type} {self.doc_number or '(no number)'}"


@dataclass(frozen=True)
class OwnersNotes:
    """What the owner's own copy adds on a page of its own: the client's outstanding billing issues, and its
    margin over the same 12 months (report margin --client's row; None when the client had neither revenue nor
    cost in them)."""
    margin: dict | None
    issues: tuple[BillingIssue, ...] = ()


def owners_notes(con: duckdb.DuckDBPyConnection, settings: Settings, sit: SitDown) -> OwnersNotes:
    options = reports.Options(as_of=sit.as_of, realm=sit.realm_id, client=sit.client_id)
    rows = reports.run(con, "margin", options, settings).records()
    return OwnersNotes(rows[0] if rows else None, billing_issues(con, settings, sit))


def billing_issues(con: duckdb.DuckDBPyConnection, settings: Settings, sit: SitDown) -> tuple[BillingIssue, ...]:
    """This client's outstanding billing issues as of the printout's date (reports.billing_issues)."""
    options = reports.Options(as_of=sit.as_of, realm=sit.realm_id, client=sit.client_id)
    return tuple(BillingIssue(", ".join(BILLING_ISSUE_LABELS[r] for r in row["reasons"]), row["txn_date"],
                              row["document_type"], row["doc_number"], row["detail"], row["amount"])
                 for row in reports.billing_issues(con, options, settings).records())


def issues_box(notes: OwnersNotes) -> pdf.Table:
    """The owner's copy's box of outstanding billing issues: each with its document's number and money, and their
    total; none says so. One table, so a client with many splits across pages."""
    if not notes.issues:
        return pdf.box(ISSUES_TITLE, [pdf.paragraph(NO_ISSUES, pdf.BODY)])
    rows = [[issue.issue, issue.document(), issue.txn_date.isoformat(), issue.detail, money_text(issue.amount)]
            for issue in notes.issues]
    total = ["Total", "", "", "", money_text(sum((issue.amount for issue in notes.issues), ZERO))]
    return pdf.table(pdf.TableData(["Issue", "Document", "Date", "Why", "Money"], rows, total), numeric_from=4,
                     width=pdf.BOX_WIDTH, wraps=3, title=ISSUES_TITLE)


def notes_story(sit: SitDown, notes: OwnersNotes) -> list:
    """The owner's notes page: the client's outstanding billing issues, then its margin over the printout's 12
    months, after a page break so the client's pages can be handed across the table without it."""
    flow = [pdf.PageBreak(), pdf.paragraph(NOTES_TITLE, pdf.TITLE),
            pdf.paragraph(f"{sit.client}: billing issues as of {sit.as_of.isoformat()}; margin over "
                          f"{period_text(sit)} (report margin)", pdf.SUBTITLE),
            pdf.Spacer(1, 8), issues_box(notes), pdf.Spacer(1, 3), pdf.paragraph(ISSUES_HISTORY, pdf.SUBTITLE),
            pdf.Spacer(1, 10)]
    row = notes.margin
    if row is None:
        return flow + [pdf.paragraph("No revenue or cost for this client in these 12 months.", pdf.BODY)]
    figures = [[column_label(c), money_text(row[c])] for c in NOTES_MONEY]
    figures.insert(5, [column_label("gross_margin_pct"), percent_text(row["gross_margin_pct"])])
    flow += [pdf.table(pdf.TableData(["Figure", "12 months"], figures))]
    if row["problem_months"]:
        flow += [pdf.Spacer(1, 6), pdf.paragraph(
            f"Under the margin line two full months running: {months_text(row['problem_months'])}.", pdf.BODY)]
    return flow


def twelve_months_figure(sit: SitDown, column: str) -> drilldown.Figure:
    """The lines behind one of the client's 12-month totals (labor, hourly, agreement, ...)."""
    return drilldown.twelve_months(sit.as_of, drilldown.category_of(column), sit.client_id, sit.client, sit.realm_id)


def month_figure(sit: SitDown, month: date, column: str) -> drilldown.Figure:
    """The lines behind one month of the client's table or chart (the month's cell: all its revenue)."""
    return drilldown.revenue_in_month(month, drilldown.category_of(column), sit.client_id, sit.client, sit.realm_id)


def clients(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: date, realm: str | None = None) -> pd.DataFrame:
    """Clients to pick from: every client with revenue in the 12 full months, largest labor first."""
    return reports.run(con, "garden", reports.Options(as_of=as_of, realm=realm), settings).frame()


def month_table(sit: SitDown) -> pdf.TableData:
    rows = [[month_text(row.month)] + [money_text(getattr(row, c)) for c in MONTH_COLUMNS]
            for row in sit.months.itertuples(index=False)]
    total = ["Total"] + [money_text(sit.total(c)) for c in MONTH_COLUMNS]
    return pdf.TableData(["Month"] + [column_label(c) for c in MONTH_COLUMNS], rows, total)


def on_agreement(sit: SitDown) -> bool:
    """Agreement revenue in the 12 months: its labor paid includes a tier's fee, so each tier is weighed as
    its fee plus the hourly work it would not have covered, against the fee and hourly work paid."""
    return sit.total("labor_msa") != 0


def current_row(sit: SitDown):
    """The current tier's row when it is priced at what the client pays (the widest, should its items name two)."""
    rows = [row for row in sit.tiers.itertuples(index=False) if row.current_tier and row.priced_at_fee]
    return rows[-1] if rows else None


def against_paid(sit: SitDown) -> bool:
    """Whether a year on the current tier at the client's fee is what it paid (its agreement ran the whole 12 months
    at that fee), so the tiers are weighed against what was paid; else against that year."""
    on_fee = current_row(sit)
    return on_fee is None or on_fee.what_if_yearly == on_fee.labor_12m


def current_tier(sit: SitDown) -> str | None:
    current = sit.tiers[sit.tiers["current_tier"]] if len(sit.tiers) else sit.tiers
    return current["tier"].iloc[0] if len(current) else None


def tier_table(sit: SitDown) -> pdf.TableData:
    """Each tier's prices and, in words, what a year of it means for the client against its labor paid:
    for a break/fix client the tier's fee against the hourly labor; for a client on an agreement the fee
    plus the hourly work the tier would not have covered, against the fee and hourly work paid."""
    if not on_agreement(sit):
        return _break_fix_tier_table(sit)
    unknown = unknown_scope(sit) != 0
    header = ["Tier", "Per month", "Per year", "Not covered"] + (["Unknown"] if unknown else []) \
        + ["Fee + hourly", "Against paid" if against_paid(sit) else "Against current tier"]
    rows = []
    for row in sit.tiers.itertuples(index=False):
        name = f"{row.tier} (current tier)" if row.current_tier else row.tier
        if row.monthly is None or pd.isna(row.monthly):
            rows.append([name, "not offered"] + [""] * (len(header) - 2))
            continue
        rows.append([name, money_text(row.monthly), money_text(row.yearly), money_text(row.hourly_not_covered)]
                    + ([money_text(row.hourly_unknown_scope) if row.hourly_unknown_scope else ""] if unknown else [])
                    + [money_text(row.what_if_yearly), what_if_text(row)])
    return pdf.TableData(header, rows)


def _break_fix_tier_table(sit: SitDown) -> pdf.TableData:
    rows = []
    for row in sit.tiers.itertuples(index=False):
        name = f"{row.tier} (current tier)" if row.current_tier else row.tier
        if row.monthly is None or pd.isna(row.monthly):
            rows.append([name, "not offered", "", "", ""])
        else:
            rows.append([name, money_text(row.monthly), money_text(row.yearly), money_text(row.setup_fee),
                         against_labor_text(row.yearly_vs_labor)])
    return pdf.TableData(["Tier", "Per month", "Per year", "Setup fee", "Against the labor paid"], rows)


def against_labor_text(yearly_vs_labor: Decimal) -> str:
    """A year of the tier against the 12 months' labor, in the words said across the table."""
    if yearly_vs_labor < 0:
        return f"saves the client {money_text(-yearly_vs_labor)} a year"
    if yearly_vs_labor > 0:
        return f"costs {money_text(yearly_vs_labor)} more a year"
    return "costs the same as the labor paid"


def what_if_text(row) -> str:
    """A tier's fee plus the hourly work it would not have covered, against a year on the current tier at what the
    client pays (what it paid, when its agreement ran the whole 12 months), in words that never call a tier cheaper
    unless it is so whatever the unknown work was: work of unknown scope may or may not have been covered (by this
    tier, or by the current one in the months before its agreement), and a tier covering less than the current one
    would have billed work the current one took in unbilled, so its figure is only a least cost."""
    if row.current_tier:
        return "what the client paid" if row.what_if_yearly == row.labor_12m else "a year at the client's fee"
    least, unknown, current_unknown = row.what_if_vs_paid, row.hourly_unknown_scope, row.current_unknown_scope
    if row.covers_less_than_current:
        return (f"costs at least {money_text(least - current_unknown)} more a year" if least > current_unknown
                else "not known (see below)")
    if unknown or current_unknown:
        if least + unknown < 0:
            return f"saves the client at least {money_text(-(least + unknown))} a year"
        if least - current_unknown > 0:
            return f"costs at least {money_text(least - current_unknown)} more a year"
        return "not known (scope unknown)"
    return against_labor_text(least)


def unknown_scope(sit: SitDown) -> Decimal:
    """The most hourly work whose scope leaves some tier's cover unknown: a tier covering every value of a
    scope (Platinum: remote and onsite) needs no rule for it, so the amount differs from tier to tier."""
    return max(sit.tiers["hourly_unknown_scope"], default=ZERO) if len(sit.tiers) else ZERO


def tier_notes(sit: SitDown) -> list[str]:
    """What the tier table weighs, in sentences under it: on screen and on the printout alike."""
    if not on_agreement(sit):
        return [f"For {devices_text(sit.devices, sit.devices_from, sit.devices_by).rstrip('.')}, compared with the "
                f"{money_text(sit.total('labor_total'))} paid for labor in the last 12 full months."]
    paid = (f"the {money_text(sit.total('labor_total'))} the client paid for labor in the last 12 full months "
            f"(agreement {money_text(sit.total('labor_msa'))}, hourly {money_text(sit.total('labor_hourly'))})")
    on_fee = current_row(sit)
    against = paid if against_paid(sit) else (
        f"a year on {on_fee.tier} at the client's fee ({money_text(on_fee.what_if_yearly)}: 12 months of "
        f"{money_text(on_fee.monthly)} and the hourly work {on_fee.tier} would not have covered), not against {paid}, "
        "as its agreement did not run the whole 12 months at that fee")
    notes = [f"For {devices_text(sit.devices, sit.devices_from, sit.devices_by).rstrip('.')}: each tier's fee for a year plus the hourly work it would "
             f"not have covered (\"Not covered\"), against {against}."]
    if on_fee is not None:
        notes.append(f"{on_fee.tier}'s price is what the client pays now: {money_text(on_fee.monthly)} a month (its "
                     f"agreement in {month_text(sit.last_month)}); the other tiers are at list prices.")
    unknown = unknown_scope(sit)
    if unknown:
        notes.append(f"Scope unknown: for {money_text(unknown)} of hourly work no labor-scope rule says whether it was "
                     "remote or onsite, on servers or desktops, or after hours, so whether a tier would have covered it "
                     "is not guessed (\"Unknown\"). Add labor-scope rules (Categories page) to settle it.")
    changes = [row for row in sit.tiers.itertuples(index=False) if not row.current_tier and not pd.isna(row.monthly)]
    if changes:
        notes.append("Setup fee to change tier: " + ", ".join(f"{row.tier} {money_text(row.setup_fee)}" for row in changes)
                     + ".")
    current = current_tier(sit)
    if current and sit.tiers["covers_less_than_current"].any():
        narrower = list(sit.tiers[sit.tiers["covers_less_than_current"]]["tier"])
        named = " and ".join([", ".join(narrower[:-1]), narrower[-1]] if len(narrower) > 1 else narrower)
        notes.append(f"{current} covered work that was never billed, so it is not in these hourly figures; "
                     f"{named} would have billed some of it, so {'each' if len(narrower) > 1 else 'it'} would cost "
                     "at least the figure shown.")
    return notes


def period_text(sit: SitDown) -> str:
    return f"{month_text(sit.first_month)} – {month_text(sit.last_month)}"


# Where device counts came from (client_device_counts' counted_by), in the words the margin's and the price sheet's
# lines use too (the SQL macro device_counts_source)
DEVICE_SOURCES = {"typed": "typed counts", "typed override": "typed counts, over the device export"}


def devices_text(devices: Devices | None, counted_from: date | None = None, counted_by: str = "typed") -> str:
    """The device counts in words, and where they come from: a device export (of its date) or typed by hand."""
    if devices is None:
        return "Device counts not recorded yet."
    source = f" (device export of {counted_from.isoformat()})" if counted_from else f" ({DEVICE_SOURCES[counted_by]})"
    return (f"{devices.servers} server{'s' if devices.servers != 1 else ''}, "
            f"{devices.desktops} desktop{'s' if devices.desktops != 1 else ''}{source}")


def story(sit: SitDown, company_name: str) -> list:
    """One client's printout: header, monthly table with totals, chart (or why none), tier comparison."""
    flow = [
        pdf.paragraph(company_name, pdf.SUBTITLE),
        pdf.paragraph(f"Labor review: {sit.client}", pdf.TITLE),
        pdf.paragraph(f"The 12 full months {period_text(sit)} · labor paid {money_text(sit.total('labor_total'))}",
                      pdf.SUBTITLE),
        pdf.Spacer(1, 8),
        pdf.table(month_table(sit)),
    ]
    if sit.has_labor():
        flow += [pdf.Spacer(1, 6), pdf.chart_image(charts.client_labor_by_month(sit.months), height=2.3 * pdf.inch)]
    else:
        flow += [pdf.Spacer(1, 6), pdf.paragraph(NO_LABOR, pdf.BODY)]
    flow += [
        pdf.paragraph("What each service tier would cost", pdf.HEADING),
        pdf.paragraph(tier_notes(sit)[0], pdf.BODY),
        pdf.Spacer(1, 4),
        pdf.table(tier_table(sit)),
    ]
    flow += [pdf.Spacer(1, 4)] + [pdf.paragraph(note, pdf.BODY) for note in tier_notes(sit)[1:]]
    return flow


def printout_file_name(sit: SitDown, owners_copy: bool = False) -> str:
    """A file name for one client's printout that stays a plain name: the client's name in letters and
    digits of any script (no "/" or ".." to make folders in a zip or a download), and its QuickBooks Id,
    so two clients with the same name never share a file; the owner's copy (with the notes page) says so, so
    it is not the one handed over."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", sit.client))
    client_id = re.sub(r"[^A-Za-z0-9]+", "-", sit.client_id).strip("-")
    return f"labor-review-{'-'.join(words)[:80] or 'client'}-{client_id}{'-owners-copy' if owners_copy else ''}.pdf"


def group_file_name(extension: str, owners_copy: bool = False) -> str:
    """The file name of a group's printouts, one PDF or a zip of them: the owner's copy says so, as one client's
    does, since each client's pages in it end with what the client cost."""
    return f"labor-reviews{'-owners-copy' if owners_copy else ''}.{extension}"


def printout(sits: list[SitDown], company_name: str, prepared: date, notes: list[OwnersNotes] | None = None) -> bytes:
    """The printout of one client, or of several (each starting on its own page), as one PDF; with `notes` (one
    per client), each client's pages end with the owner's notes page."""
    title = f"Labor review: {sits[0].client}" if len(sits) == 1 else f"Labor reviews ({len(sits)} clients)"
    stories = [story(sit, company_name) + (notes_story(sit, notes[i]) if notes else []) for i, sit in enumerate(sits)]
    return pdf.render(stories, title, f"{company_name} · {pdf.prepared_on(prepared)}")


def printout_zip(printouts: list[tuple[SitDown, bytes]], owners_copy: bool = False) -> bytes:
    """One printout per client (each drawn by `printout`), as a zip of PDFs."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for sit, document in printouts:
            bundle.writestr(printout_file_name(sit, owners_copy), document)
    return archive.getvalue()
