-- Each client's hourly run-rate as of a date, per realm and client (docs/METRICS.md#hourly-run-rate): its hourly
-- labor (labor_hourly revenue lines, tax excluded, jobs rolled up) of the 3 full months before as_of's month, a
-- third of it a month, to the cent, half up. Three months, not twelve: hourly work follows the clients an MSP has
-- now. The one definition: the cash forecast (cash_forecast_parts) and the what-ifs (scenario_parts) both read it,
-- so a what-if's hourly change is reckoned on the hourly money the base cash forecast expects.
-- Columns: what it was computed from (first_month, last_month, hourly_3m), the run_rate, and invoiced_so_far:
-- the hourly work invoiced in as_of's month by as_of (the cash forecast takes it off that month's run-rate).
-- A client whose 3 months' hourly work came to nothing, or was credited back, has no run-rate.
create or replace temp macro hourly_run_rates(as_of, only_realm) as table
with hourly as (
    select realm_id, client_id, any_value(client) as client, month, (sum(amount) * 100)::hugeint as cents
    from marts.fct_revenue_lines
    where category = 'labor_hourly' and client_id is not null and txn_date <= as_of::date
      and month between (last_full_month(as_of) - interval 2 month)::date and date_trunc('month', as_of::date)::date
      and (only_realm is null or realm_id = only_realm)
    group by realm_id, client_id, month
),

by_client as (
    select
        realm_id, client_id, any_value(client) as client,
        coalesce(sum(cents) filter (where month < date_trunc('month', as_of::date)), 0) as cents_3m,
        coalesce(sum(cents) filter (where month = date_trunc('month', as_of::date)), 0) as cents_so_far
    from hourly
    group by realm_id, client_id
),

final as (
    select
        realm_id, client_id, client,
        (last_full_month(as_of) - interval 2 month)::date as first_month,
        last_full_month(as_of) as last_month,
        (cents_3m / 100)::decimal(18, 2) as hourly_3m,
        (floor_div(2 * cents_3m + 3, 6) / 100)::decimal(18, 2) as run_rate,
        (cents_so_far / 100)::decimal(18, 2) as invoiced_so_far
    from by_client
)

select * from final
where run_rate > 0;
