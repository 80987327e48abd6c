"""The company the drill-down, period and export tests work out by hand, and reading its figures."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal as D

from models.figures import drilldown, reports
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot
from tests.companies import Company

AS_OF = date(2026, 11, 22)


def books() -> Company:
    """Acme (10) with its job Acme Move (11), Beta (20) who prepays by check, Gamma (30) on a quarterly
    agreement spread over three months; as of 22 November 2026."""
    company = Company()
    company.customer("10", "Acme")
    company.customer("11", "Acme Move", parent="10")
    company.customer("20", "Beta")
    company.customer("30", "Gamma")
    sep = company.invoice("10", "2026-09-01", ("msa", "950.00", "2026-09-01"), due="2026-09-21")
    october = company.invoice("10", "2026-10-01", ("msa", "950.00", "2026-10-01"), ("hourly", "300.00"),
                              due="2026-10-21")
    company.invoice("11", "2026-10-15", ("hourly", "450.00"), ("hardware", "1200.00"), due="2026-11-04")
    company.document("CreditMemo", "10", "2026-10-20", ("hourly", "50.00"), RemainingCredit=D("50.00"))
    company.invoice("10", "2026-11-20", ("hourly", "200.00"), due="2026-12-10")
    company.payment("10", "2026-09-15", "950.00", (sep, "950.00"))
    company.payment("10", "2026-10-30", "600.00", (october, "600.00"))
    company.document("SalesReceipt", "20", "2026-10-01", ("silver", "500.00", "2026-10-01"))
    months = [company.invoice("20", day, ("silver", "500.00", day), due=day)
              for day in ("2026-11-01", "2026-12-01", "2027-01-01")]
    company.payment("20", "2026-10-25", "1700.00", *[(invoice, "500.00") for invoice in months], unapplied="200.00")
    company.invoice("30", "2026-07-01", ("hourly", "80.00"), due="2026-07-21")
    company.invoice("30", "2026-09-01", ("quarterly", "1000.00", "2026-09-01"), due="2026-09-21")
    company.invoice("30", "2026-10-05", ("hourly", "120.00"), due="2026-10-25")
    return company


@contextmanager
def opened(db):
    """The snapshot and the settings, as the CLI reads them."""
    con = open_snapshot(paths.snapshot(db))
    try:
        yield con, settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    finally:
        con.close()


def run(both, name: str, **options) -> list[dict]:
    con, owner = both
    return reports.run(con, name, reports.Options(**{"as_of": AS_OF, **options}), owner).records()


def lines(both, kind: str = "revenue", **options) -> list[dict]:
    return run(both, "lines", kind=kind, **options)


def total(rows: list[dict]) -> D:
    return sum((r["amount"] for r in rows), D("0.00"))


def figure_total(both, figure) -> D:
    con, owner = both
    return total(drilldown.lines(con, owner, figure, AS_OF).to_dict("records"))
