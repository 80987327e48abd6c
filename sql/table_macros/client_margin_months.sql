-- The margin report's sums per client and month over [first_month, last_month] (docs/METRICS.md, margin): the
-- lines client_margin_lines lists (same parameters), added up by the part of the month they count in, then the
-- month's gross margin and whether it is under the problem line (problem_percent of its revenue). Rows: a client
-- and month with any line.
create or replace temp macro client_margin_months(first_month, last_month, dated_by, only_realm, only_client,
                                                  labor_cost, tool_server, tool_desktop, worker_rates, devices,
                                                  problem_percent)
as table
with sums as (
select
    realm_id,
    client_id,
    month,
    coalesce(sum(amount) filter (where not cost), 0)::decimal(18, 2) as revenue,
    coalesce(sum(amount) filter (where part = 'labor_hourly'), 0)::decimal(18, 2) as labor_hourly,
    coalesce(sum(amount) filter (where part = 'labor_msa'), 0)::decimal(18, 2) as agreement_revenue,
    coalesce(sum(amount) filter (where part in ('hardware', 'software')), 0)::decimal(18, 2) as hardware_software,
    coalesce(sum(amount) filter (where part in ('other', 'unmapped')), 0)::decimal(18, 2) as other,
    coalesce(sum(minutes) filter (where part = 'labor_covered'), 0) as covered_minutes,
    coalesce(sum(minutes) filter (where part = 'labor_billed'), 0) as billed_minutes,
    coalesce(sum(minutes) filter (where at_default), 0) as default_rate_minutes,
    coalesce(sum(amount) filter (where part = 'labor_covered'), 0)::decimal(18, 2) as covered_labor_cost,
    coalesce(sum(amount) filter (where part = 'labor_billed'), 0)::decimal(18, 2) as billed_labor_cost,
    coalesce(sum(amount) filter (where part = 'labor_unbilled'), 0)::decimal(18, 2) as unbilled_labor_cost,
    coalesce(sum(amount) filter (where part = 'tools'), 0)::decimal(18, 2) as tool_cost,
    coalesce(sum(amount) filter (where part = 'direct_hardware_software'), 0)::decimal(18, 2) as hardware_software_cost,
    coalesce(sum(amount) filter (where part = 'direct_other'), 0)::decimal(18, 2) as other_direct_cost
from client_margin_lines(first_month, last_month, dated_by, only_realm, only_client, labor_cost, tool_server,
                         tool_desktop, worker_rates, devices)
group by realm_id, client_id, month
),

margins as (
    select *,
        revenue - covered_labor_cost - billed_labor_cost - unbilled_labor_cost - tool_cost - hardware_software_cost
            - other_direct_cost as margin
    from sums
)

select *, under_margin(margin, revenue, problem_percent) as under from margins;
