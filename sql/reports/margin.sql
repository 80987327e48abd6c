-- Report margin: per client, over the 12 full months before $as_of's month (docs/METRICS.md, margin): revenue,
-- labor, tool and direct cost, gross margin, the agreement's own margin and effective rate, hardware and
-- software markup against the playbook's, and whether two months running fell under the problem line (the
-- months of each such run). Jobs count for their client; $client keeps one.
-- Parameters: $as_of, $realm, $client, $labor_cost, $tool_server, $tool_desktop, $worker_rates, $devices,
-- $problem_percent, $markup_target.
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

runs as (  -- a month under the line whose month before or after is under it too belongs to a run of two or more
    select
        judged.*,
        under and (
            coalesce(lag(under) over w, false) and lag(month) over w = month - interval 1 month
            or coalesce(lead(under) over w, false) and lead(month) over w = month + interval 1 month
        ) as in_run
    from judged
    window w as (partition by realm_id, client_id order by month)
),

clients as (
    select
        realm_id, client_id,
        sum(revenue) as revenue, sum(labor_hourly) as labor_hourly, sum(agreement_revenue) as agreement_revenue,
        sum(hardware_software) as hardware_software, sum(other) as other,
        sum(covered_minutes) as covered_minutes, sum(billed_minutes) as billed_minutes,
        sum(default_rate_minutes) as default_rate_minutes,
        sum(covered_labor_cost) as covered_labor_cost, sum(billed_labor_cost) as billed_labor_cost,
        sum(tool_cost) as tool_cost, sum(hardware_software_cost) as hardware_software_cost,
        sum(other_direct_cost) as other_direct_cost,
        string_agg(strftime(month, '%Y-%m'), ', ' order by month) filter (where in_run) as problem_months
    from runs
    group by all
),

names as (
    select realm_id, client_id, any_value(client) as client
    from marts.dim_customers
    group by all
)

select
    clients.client_id,
    names.client,
    revenue::decimal(18, 2) as revenue,
    (covered_labor_cost + billed_labor_cost)::decimal(18, 2) as labor_cost,
    tool_cost::decimal(18, 2) as tool_cost,
    (hardware_software_cost + other_direct_cost)::decimal(18, 2) as direct_cost,
    (revenue - covered_labor_cost - billed_labor_cost - tool_cost - hardware_software_cost - other_direct_cost)
        ::decimal(18, 2) as gross_margin,
    margin_percent(revenue - covered_labor_cost - billed_labor_cost - tool_cost - hardware_software_cost
                   - other_direct_cost, revenue) as gross_margin_pct,
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
    problem_months is not null as problem_client,
    coalesce(problem_months, '') as problem_months,
    clients.realm_id
from clients
left join names on names.realm_id = clients.realm_id and names.client_id = clients.client_id
order by gross_margin_pct nulls first, names.client, clients.client_id
