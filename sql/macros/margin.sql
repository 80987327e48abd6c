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
