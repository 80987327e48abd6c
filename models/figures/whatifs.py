"""What-if scenarios as of a date: the month their raises count from and the clients they weed and sign (the garden
and the tier what-if name them: report garden, report tiers), for report forecast --scenario
(docs/METRICS.md#what-ifs). The scenarios themselves are the owner's file: models/settings/scenarios.py.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from models.figures.scenario_changes import ClientChange, ScenarioChanges, effective_month, signed_month
from models.names import name_key
from models.settings import scenarios
from models.settings.scenarios import Scenario, ScenarioError
from models.settings.settings import Settings

if TYPE_CHECKING:
    import duckdb

def most_likely_to_sign(tiers: list[dict], settings: Settings) -> dict[str, list[dict]]:
    """The playbook's Most Likely to Sign lists, from report tiers' rows: each client paying by the hour (no
    agreement revenue in the 12 months) whose device counts price a tier goes on the list of the tier whose
    what-if comes out lowest against what it paid (the year's fee plus the hourly work the tier would not have
    covered, less the labor paid; ties to the tier listed first in the settings); each list lowest first."""
    order = {tier.name: position for position, tier in enumerate(settings.tiers)}
    best: dict[tuple[str, str], dict] = {}
    for row in tiers:
        if row["on_agreement"] or row["monthly"] is None:
            continue
        key = (row["realm_id"], row["customer_id"])
        rank = (row["what_if_vs_paid"], order.get(row["tier"], len(order)))
        if key not in best or rank < (best[key]["what_if_vs_paid"], order.get(best[key]["tier"], len(order))):
            best[key] = row
    lists: dict[str, list[dict]] = {tier.name: [] for tier in settings.tiers}
    for row in sorted(best.values(), key=lambda r: (r["what_if_vs_paid"], r["customer"] or "", r["customer_id"])):
        lists.setdefault(row["tier"], []).append(row)
    return lists


def resolve(con: duckdb.DuckDBPyConnection, scenario: Scenario, as_of: date, realm: str | None,
            settings: Settings) -> ScenarioChanges:
    """The scenario as of a date: its raises' month and the clients it weeds and signs, each named or an error."""
    from models.figures import reports

    notice = scenario.notice or as_of
    changes: list[ClientChange] = []
    if scenario.sign:
        tiers = reports.run(con, "tiers", reports.Options(as_of=as_of, realm=realm), settings).records()
        changes = _signing(con, scenario, tiers, settings, signed_month(notice), realm)
    if scenario.weed_below is not None:
        garden = reports.run(con, "garden", reports.Options(as_of=as_of, realm=realm), settings).records()
        signed = {(c.realm_id, c.client_id) for c in changes}
        changes += [ClientChange(row["realm_id"], row["customer_id"], row["customer"], "weed", effective_month(notice))
                    for row in garden
                    if row["labor_total"] < scenario.weed_below and (row["realm_id"], row["customer_id"]) not in signed]
    return ScenarioChanges(scenario.name, scenario.raise_tiers_percent, scenario.raise_hourly_percent,
                           effective_month(notice), tuple(changes))


def save(con: duckdb.DuckDBPyConnection, path: Path, scenario: Scenario, as_of: date, realm: str | None,
         settings: Settings) -> bool:
    """Save (or replace) a scenario once it resolves as of a date: one report forecast --scenario would refuse (a
    tier not priced, a client unknown, on an agreement or signed twice) is refused with the same error, not saved.
    True when it replaced one of that name."""
    resolve(con, scenario, as_of, realm, settings)
    return scenarios.save(path, scenario)


def _signing(con, scenario: Scenario, tiers: list[dict], settings: Settings, from_month: date,
             realm: str | None) -> list[ClientChange]:
    from models.figures import reports

    priced = {name_key(t.name): t.name for t in settings.tiers}
    lists = most_likely_to_sign(tiers, settings)
    rows = {(r["customer_id"], r["tier"]): r for r in tiers}
    chosen: dict[str, ClientChange] = {}
    for tier_text, who in scenario.sign:
        tier = priced.get(name_key(tier_text))
        if tier is None:
            raise ScenarioError(f"what-if scenario {scenario.name!r} signs clients on {tier_text!r}, a tier "
                                f"settings.toml does not price; its tiers: {', '.join(priced.values())}")
        if isinstance(who, int):
            picked = lists[tier][:who]
        else:
            picked = []
            for text in who:
                try:
                    client_id = reports.find_client(con, text, realm)
                except reports.UnknownClient as err:
                    raise ScenarioError(f"what-if scenario {scenario.name!r} signs {text!r} on {tier}: {err}") from None
                row = rows.get((client_id, tier))
                if row is None or row["on_agreement"] or row["monthly"] is None:
                    why = ("is on an agreement already (raise its tier instead)" if row and row["on_agreement"]
                           else f"has no {tier} price: its device counts are not known or the tier does not fit "
                                "them (type them on the Client sit-down page)")
                    raise ScenarioError(f"what-if scenario {scenario.name!r} signs {text!r} on {tier}, but the "
                                        f"client {why}")
                picked.append(row)
        for row in picked:
            if row["customer_id"] in chosen:
                raise ScenarioError(f"what-if scenario {scenario.name!r} signs {row['customer']!r} twice (on "
                                    f"{chosen[row['customer_id']].tier} and {tier}); keep one")
            chosen[row["customer_id"]] = ClientChange(
                row["realm_id"], row["customer_id"], row["customer"], "sign", from_month, tier, row["monthly"],
                row["setup_fee"], row["hourly_not_covered"] + row["hourly_unknown_scope"], row["labor_hourly_12m"])
    return list(chosen.values())
