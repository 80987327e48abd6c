-- The margin report's sums per client and month over [first_month, last_month] (docs/METRICS.md, margin): the
-- lines client_margin_lines lists (same parameters), added up by the part of the month they count in by the same
-- rules, from the lines grouped at build time (marts.mart_client_margin_months) and agreement revenue; then the
-- month's gross margin and whether it is under the problem line (problem_percent of its revenue). Rows: a client
-- and month with any line.
create or replace temp macro client_margin_months(first_month, last_month, dated_by, only_realm, only_client,
                                                  labor_cost, tool_server, tool_desktop, worker_rates, devices,
                                                  problem_percent)
as table
with agreement_months as (
    select * from client_agreement_months(first_month, last_month, dated_by, only_realm, only_client, tool_server,
                                          tool_desktop, devices)
),

parts as (  -- each group by the part it counts in, as client_margin_lines puts each of its lines
    select
        grouped.realm_id, grouped.client_id, grouped.month,
        case source
            when 'revenue' then category
            when 'time' then labor_part(billed, covered.month is not null)
            when 'cost' then direct_part(sold)
            when 'purchase_cost' then 'direct_hardware_software'
        end as part,
        source <> 'revenue' as cost,
        case when source = 'time' then labor_cost_of(amount, owner_rate, labor_cost, minutes_each, lines)
             else amount end as amount,
        coalesce(minutes, 0) as minutes,
        source = 'time' and amount is null and owner_rate is null as at_default
    from marts.mart_client_margin_months as grouped
    left join agreement_months as covered
        on covered.realm_id = grouped.realm_id and covered.client_id = grouped.client_id
       and covered.month = grouped.month and covered.managed
    left join client_margin_items(first_month, last_month, only_realm, only_client)
        on item_realm = grouped.realm_id and item_client = grouped.client_id and margin_item = item_id
    left join owner_rates(worker_rates) on rate_worker_key = worker_key
    where in_margin_window(grouped.month, grouped.realm_id, grouped.client_id, first_month, last_month, only_realm,
                           only_client)
      and (source <> 'purchase_cost' or not coalesce(costed, false))
    union all
    select realm_id, client_id, month, 'labor_msa', false, agreement_revenue, 0, false
    from agreement_months
    union all
    select realm_id, client_id, month, 'tools', true, tool_cost, 0, false
    from agreement_months
    where tool_cost is not null
),

sums as (
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
from parts
group by realm_id, client_id, month
),

margins as (
    select *,
        revenue - covered_labor_cost - billed_labor_cost - unbilled_labor_cost - tool_cost - hardware_software_cost
            - other_direct_cost as margin
    from sums
)

select *, under_margin(margin, revenue, problem_percent) as under from margins;
