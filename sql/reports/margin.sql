-- Report margin: per client, over the 12 full months before $as_of's month (docs/METRICS.md, margin): revenue,
-- labor, tool and direct cost, gross margin, the agreement's own margin and effective rate, hardware and
-- software markup against the playbook's, and whether two months running fell under the problem line (the
-- months of each such run). Jobs count for their client; $client keeps one. Thinnest margin first.
-- Parameters: $as_of, $realm, $client, $labor_cost, $tool_server, $tool_desktop, $problem_percent,
-- $markup_target; the tables worker_rates and client_devices (registered by the report: models/figures/reports.py).
select * exclude (month, under_problem_line)
from margin_by_client(
    $as_of, false, $realm, $client, $labor_cost, $tool_server, $tool_desktop, 'worker_rates', 'client_devices',
    $problem_percent, $markup_target)
order by gross_margin_pct nulls first, client, client_id
