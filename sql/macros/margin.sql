-- The margin report's figures from a client's (or a month's) sums (docs/METRICS.md, margin), in one place for
-- the 12-month and the by-month report; divisions exact (exact_ratio), shares in percent to 2 decimals.
-- Gross margin in percent of revenue; null without revenue.
create or replace temp macro margin_percent(margin, revenue) as
    case when revenue > 0 then round(exact_ratio(margin * 100, revenue), 2)::decimal(18, 2) end;
-- Under the problem line: a margin below threshold percent of revenue (multiplied, never divided); a month with
-- no revenue is under it when it cost anything.
create or replace temp macro under_margin(margin, revenue, threshold) as
    case when revenue > 0 then margin * 100 < threshold * revenue else margin < 0 end;
-- The agreement's effective hourly rate net of tools: agreement revenue less tool cost per covered hour.
create or replace temp macro effective_rate(agreement_revenue, tool_cost, covered_minutes) as
    round(exact_ratio((agreement_revenue - tool_cost) * 60, covered_minutes), 2)::decimal(18, 2);
-- Markup on what it cost: (sold - cost) / cost in percent; null without a known cost.
create or replace temp macro markup_percent(sold, cost) as
    case when cost > 0 then round(exact_ratio((sold - cost) * 100, cost), 2)::decimal(18, 2) end;
-- A row of the margin report's window: its month in [first_month, last_month], of the realm and client asked for
-- (null: any).
create or replace temp macro in_margin_window(month, realm_id, client_id, first_month, last_month, only_realm,
                                              only_client) as
    month between first_month and last_month and (only_realm is null or realm_id = only_realm)
    and (only_client is null or client_id = only_client);
-- Which part of a client's month time counts in: billed, else the agreement's when the month had agreement
-- revenue, else no agreement's (warranty, goodwill).
create or replace temp macro labor_part(billed, covered) as
    case when billed then 'labor_billed' when covered then 'labor_covered' else 'labor_unbilled' end;
-- What `lines` time activities of minutes_each minutes cost: QuickBooks' cost (quickbooks_cost, already at its
-- rate), else each at the owner's rate for the worker, else at the default rate, to the cent, half away from zero.
create or replace temp macro labor_cost_of(quickbooks_cost, owner_rate, default_rate, minutes_each, lines) as
    coalesce(quickbooks_cost, lines * exact_share(coalesce(owner_rate, default_rate), minutes_each, 60));
-- Which part a cost naming the client counts in: the cost of hardware or software it bought of us (the line
-- names such an item), else another direct cost.
create or replace temp macro direct_part(sold) as
    case when sold then 'direct_hardware_software' else 'direct_other' end;
-- Whole minutes as hours to the cent: 5m/3 cents, never a tie (a third or two from a whole cent), rounded to the
-- nearest in integers (the same as exact_ratio(minutes, 60) to the cent, at a fraction of its cost per report).
create or replace temp macro hours_of(minutes) as
    (((10 * minutes + 3 * sign(minutes)) // 6) * 0.01)::decimal(18, 2);
