-- Report agreement-rate: per client with agreement revenue in the 12 full months before $as_of (by
-- service month, as MRR: from lines dated by $as_of), the hours technicians logged for it (time activities by date, jobs rolled
-- up): covered by the agreement (not billable) and billed on top; the effective hourly rate of the
-- agreement (agreement revenue / covered hours), the hourly labor billed on top, and the contract
-- rate to compare with. Parameters: $as_of, $realm, $contract_rate.
with agreements as (
    select realm_id, client_id, any_value(client) as client, sum(amount) as msa_revenue
    from marts.fct_mrr_lines
    where month between first_full_month($as_of) and last_full_month($as_of) and txn_date <= $as_of
      and ($realm is null or realm_id = $realm)
    group by all
    having sum(amount) <> 0
),

time_worked as (
    select realm_id, client_id,
        sum(minutes_worked) filter (where billable_status = 'NotBillable') as covered_minutes,
        sum(minutes_worked) filter (where billable_status <> 'NotBillable') as billed_minutes
    from marts.fct_time_worked
    where txn_date >= first_full_month($as_of)
      and txn_date < last_full_month($as_of) + interval 1 month
    group by all
),

hourly as (
    select realm_id, client_id, sum(amount) as labor_hourly
    from marts.fct_revenue_lines
    where category = 'labor_hourly' and month between first_full_month($as_of) and last_full_month($as_of)
    group by all
)

select
    agreements.client_id as customer_id,
    agreements.client as customer,
    agreements.msa_revenue::decimal(18, 2) as msa_revenue,
    exact_ratio(coalesce(time_worked.covered_minutes, 0), 60)::decimal(18, 2) as hours,
    exact_ratio(coalesce(time_worked.billed_minutes, 0), 60)::decimal(18, 2) as billed_hours,
    round(exact_ratio(agreements.msa_revenue * 60, time_worked.covered_minutes), 2)::decimal(18, 2)
        as effective_rate,
    $contract_rate::decimal(18, 2) as contract_rate,
    (round(exact_ratio(agreements.msa_revenue * 60, time_worked.covered_minutes), 2) - $contract_rate)::decimal(18, 2)
        as rate_vs_contract,
    coalesce(hourly.labor_hourly, 0)::decimal(18, 2) as labor_hourly,
    agreements.realm_id
from agreements
left join time_worked using (realm_id, client_id)
left join hourly using (realm_id, client_id)
order by effective_rate nulls first, customer
