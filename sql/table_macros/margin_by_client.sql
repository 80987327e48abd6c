-- The margin report's rows (docs/METRICS.md, margin): per client over the 12 full months before as_of's month,
-- or per client and month when by_month; the parameters are client_margin_lines', and problem_percent and
-- markup_target. `problem_months`: the months of each run of two or more under the problem line in the rows'
-- span; `problem_client`: over the 12 months, any such run; by month, a month that ends one;
-- `under_problem_line`: the month (by month), or any month, was under it.
create or replace temp macro margin_by_client(as_of, by_month, only_realm, only_client, labor_cost, tool_server,
                                              tool_desktop, worker_rates, devices, problem_percent, markup_target)
as table
with months as (
    select * from client_margin_months(
        first_full_month(as_of), last_full_month(as_of), as_of, only_realm, only_client, labor_cost, tool_server,
        tool_desktop, worker_rates, devices, problem_percent)
),

neighbours as (  -- whether the month before, and the month after, was under the line too
    select
        months.*,
        coalesce(lag(under) over w, false) and lag(month) over w = month - interval 1 month as after_under,
        coalesce(lead(under) over w, false) and lead(month) over w = month + interval 1 month as before_under
    from months
    window w as (partition by realm_id, client_id order by month)
),

runs as (  -- a month under the line next to another under it belongs to a run of two or more
    select *, under and after_under as ends_run, under and (after_under or before_under) as in_run
    from neighbours
),

grouped as (
    select
        realm_id, client_id, case when by_month then month end as month,
        sum(revenue) as revenue, sum(labor_hourly) as labor_hourly, sum(agreement_revenue) as agreement_revenue,
        sum(hardware_software) as hardware_software, sum(other) as other,
        sum(covered_minutes) as covered_minutes, sum(billed_minutes) as billed_minutes,
        sum(default_rate_minutes) as default_rate_minutes,
        sum(covered_labor_cost) as covered_labor_cost, sum(billed_labor_cost) as billed_labor_cost,
        sum(unbilled_labor_cost) as unbilled_labor_cost,
        sum(tool_cost) as tool_cost, sum(hardware_software_cost) as hardware_software_cost,
        sum(other_direct_cost) as other_direct_cost, sum(margin) as margin,
        string_agg(strftime(month, '%Y-%m'), ', ' order by month) filter (where in_run) as problem_months,
        bool_or(under) as under, bool_or(ends_run) as ends_run
    from runs
    group by realm_id, client_id, case when by_month then month end
),

names as (
    select realm_id, client_id, any_value(client) as client from marts.dim_customers group by all
)

select
    grouped.client_id,
    names.client,
    grouped.month,
    revenue::decimal(18, 2) as revenue,
    (covered_labor_cost + billed_labor_cost + unbilled_labor_cost)::decimal(18, 2) as labor_cost,
    tool_cost::decimal(18, 2) as tool_cost,
    (hardware_software_cost + other_direct_cost)::decimal(18, 2) as direct_cost,
    margin::decimal(18, 2) as gross_margin,
    margin_percent(margin, revenue) as gross_margin_pct,
    agreement_revenue::decimal(18, 2) as agreement_revenue,
    (covered_labor_cost + tool_cost)::decimal(18, 2) as agreement_cost,
    (agreement_revenue - covered_labor_cost - tool_cost)::decimal(18, 2) as agreement_margin,
    effective_rate(agreement_revenue, tool_cost, covered_minutes) as effective_rate,
    labor_hourly::decimal(18, 2) as labor_hourly,
    hardware_software::decimal(18, 2) as hardware_software,
    hardware_software_cost::decimal(18, 2) as hardware_software_cost,
    markup_percent(hardware_software, hardware_software_cost) as markup_pct,
    markup_target::decimal(9, 2) as markup_target_pct,
    other::decimal(18, 2) as other_revenue,
    hours_of(covered_minutes) as covered_hours,
    hours_of(billed_minutes) as billed_hours,
    hours_of(default_rate_minutes) as default_rate_hours,
    under as under_problem_line,
    case when by_month then ends_run else problem_months is not null end as problem_client,
    coalesce(problem_months, '') as problem_months,
    grouped.realm_id
from grouped
left join names on names.realm_id = grouped.realm_id and names.client_id = grouped.client_id;
