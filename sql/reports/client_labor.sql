-- Report client-labor: per client, revenue over the 12 full months before the as-of month, labor
-- split hourly / agreement, with hardware, software and other for context. Jobs and sub-customers
-- roll up to their client unless $rollup is false; $client keeps one client; $basis 'accrual' or 'cash'.
-- Parameters: $as_of, $realm, $rollup, $client, $basis.
select
    customer_id, customer,
    coalesce(labor_hourly, 0)::decimal(18, 2) as labor_hourly,
    coalesce(labor_msa, 0)::decimal(18, 2) as labor_msa,
    coalesce(labor_total, 0)::decimal(18, 2) as labor_total,
    coalesce(hardware, 0)::decimal(18, 2) as hardware,
    coalesce(software, 0)::decimal(18, 2) as software,
    coalesce(other, 0)::decimal(18, 2) as other,
    coalesce(unmapped, 0)::decimal(18, 2) as unmapped,
    realm_id
from client_revenue(
    first_full_month($as_of), last_full_month($as_of),
    $realm, $rollup, $client, $basis
)
order by labor_total desc, customer, customer_id
