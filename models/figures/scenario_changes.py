"""A what-if scenario as of a date, as the forecast computes with it: the month its raises and weedings count from,
and the clients it moves (docs/METRICS.md#what-ifs). A value of its own, so the report registry can bind it without
the code that resolves it (models/figures/whatifs.py, which runs reports)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from models.months import add_months

if TYPE_CHECKING:
    import pyarrow as pa

# The playbook's notice: "agreements can be amended with 30 days' notice", and clients who do not sign get a
# thirty-day notice letter. A raise or a weeding takes effect on the first 1st at least this long after notice.
NOTICE_DAYS = 30


@dataclass(frozen=True)
class ClientChange:
    """A client a scenario moves, from `from_month`: weeded (gone), or signed on `tier`."""
    realm_id: str
    client_id: str
    client: str
    change: str                                  # "weed" or "sign"
    from_month: date
    tier: str | None = None
    monthly: Decimal | None = None               # the tier's fee a month for its devices
    setup_fee: Decimal | None = None
    hourly_12m: Decimal | None = None            # the 12 months' hourly work the tier would not have covered
    hourly_paid_12m: Decimal | None = None       # the 12 months' hourly work paid: hourly_12m's share of the run-rate


@dataclass(frozen=True)
class ScenarioChanges:
    """A scenario as of a date: what report forecast --scenario computes with (hashable: the app caches by it)."""
    name: str
    raise_tiers_percent: Decimal
    raise_hourly_percent: Decimal
    raise_from: date                             # the first month a raise or a weeding counts in
    clients: tuple[ClientChange, ...] = ()

    @classmethod
    def unchanged(cls, as_of: date) -> ScenarioChanges:
        """A scenario that changes nothing: the base forecast against itself."""
        return cls("", Decimal(0), Decimal(0), effective_month(as_of))

    def params(self) -> dict:
        return {"raise_tiers": self.raise_tiers_percent, "raise_hourly": self.raise_hourly_percent,
                "raise_from": self.raise_from}

    def relations(self) -> dict[str, pa.Table]:
        import pyarrow as pa

        money = pa.decimal128(18, 2)
        rows = self.clients
        return {"scenario_clients": pa.table({
            "realm_id": pa.array([c.realm_id for c in rows], pa.string()),
            "client_id": pa.array([c.client_id for c in rows], pa.string()),
            "client": pa.array([c.client for c in rows], pa.string()),
            "change": pa.array([c.change for c in rows], pa.string()),
            "tier": pa.array([c.tier for c in rows], pa.string()),
            "monthly": pa.array([c.monthly for c in rows], money),
            "setup_fee": pa.array([c.setup_fee for c in rows], money),
            "hourly_12m": pa.array([c.hourly_12m for c in rows], money),
            "hourly_paid_12m": pa.array([c.hourly_paid_12m for c in rows], money),
            "from_month": pa.array([c.from_month for c in rows], pa.date32()),
        })}


def effective_month(notice: date) -> date:
    """The first month a raise or a weeding counts in: the first 1st at least NOTICE_DAYS after notice."""
    day = notice + timedelta(days=NOTICE_DAYS)
    return day if day.day == 1 else add_months(day.replace(day=1), 1)


def signed_month(notice: date) -> date:
    """A client signing on `notice` is billed its agreement from the next 1st (agreements are billed on the 1st)."""
    return add_months(notice.replace(day=1), 1)
