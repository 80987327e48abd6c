-- Report margin --by-month: per client and month of the 12 full months before $as_of's month, the margin
-- report's figures for the month (docs/METRICS.md, margin); `under_problem_line` marks a month under the
-- problem line, `problem_client` one that ends a run of two or more such months. Parameters: as margin.sql.
select * exclude (problem_months)
from margin_by_client(
    $as_of, true, $realm, $client, $labor_cost, $tool_server, $tool_desktop, 'worker_rates', 'client_devices',
    $problem_percent, $markup_target)
order by client, client_id, month
