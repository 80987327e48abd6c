-- Report margin --by-month: per client and month of the 12 full months before $as_of's month, the margin
-- report's figures for the month (docs/METRICS.md, margin); `under_problem_line` marks a month under the
-- problem line, `problem_client` one that ends a run of two or more such months. Parameters: as margin.sql.
with months as (
    select * from client_margin_months(
        first_full_month($as_of), last_full_month($as_of), $as_of, $realm, $client, $labor_cost, $tool_server,
        $tool_desktop, $worker_rates::struct(worker_key varchar, rate decimal(18, 2))[],
        $devices::struct(realm_id varchar, customer_id varchar, servers integer, desktops integer)[])
),

judged as (
    select
        *,
        revenue - covered_labor_cost - billed_labor_cost - tool_cost - hardware_software_cost - other_direct_cost
            as margin,
        under_margin(revenue - covered_labor_cost - billed_labor_cost - tool_cost - hardware_software_cost
                     - other_direct_cost, revenue, $problem_percent) as under
    from months
),

names as (
    select realm_id, client_id, any_value(client) as client
    from marts.dim_customers
    group by all
)

select
    judged.client_id,
    names.client,
    month,
    revenue::decimal(18, 2) as revenue,
    (covered_labor_cost + billed_labor_cost)::decimal(18, 2) as labor_cost,
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
    $markup_target::decimal(9, 2) as markup_target_pct,
    other::decimal(18, 2) as other_revenue,
    exact_ratio(covered_minutes, 60)::decimal(18, 2) as covered_hours,
    exact_ratio(billed_minutes, 60)::decimal(18, 2) as billed_hours,
    exact_ratio(default_rate_minutes, 60)::decimal(18, 2) as default_rate_hours,
    under as under_problem_line,
    under and coalesce(lag(under) over w, false) and lag(month) over w = month - interval 1 month as problem_client,
    judged.realm_id
from judged
left join names on names.realm_id = judged.realm_id and names.client_id = judged.client_id
window w as (partition by judged.realm_id, judged.client_id order by month)
order by names.client, judged.client_id, month
