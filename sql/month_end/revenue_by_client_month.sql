-- Month-end revenue by client: client x category for the month [$first_day, $last_day] (jobs rolled
-- up to their client), and a last row "(no client)" for income that names no customer (journal
-- entries and deposits to income accounts without one), so the sheet adds up to the month's revenue.
-- On $basis ('accrual' or 'cash': the workbook's `[reports] basis`).
-- Parameters: $first_day, $last_day, $realm, $basis.
with clients as (
    select customer_id, customer, labor_msa, labor_hourly, hardware, software, other, unmapped, realm_id
    from client_revenue($first_day::date, date_trunc('month', $last_day::date)::date, $realm, true, null, $basis)
),

no_client as (
    select
        null::varchar as customer_id,
        '(no client)' as customer,
        sum(amount) filter (where category = 'labor_msa')::decimal(18, 2) as labor_msa,
        sum(amount) filter (where category = 'labor_hourly')::decimal(18, 2) as labor_hourly,
        sum(amount) filter (where category = 'hardware')::decimal(18, 2) as hardware,
        sum(amount) filter (where category = 'software')::decimal(18, 2) as software,
        sum(amount) filter (where category = 'other')::decimal(18, 2) as other,
        sum(amount) filter (where category = 'unmapped')::decimal(18, 2) as unmapped,
        realm_id
    from revenue_lines($basis)
    where customer_id is null and month between $first_day::date and date_trunc('month', $last_day::date)::date
      and ($realm is null or realm_id = $realm)
    group by realm_id
)

select * from clients
union all
select * from no_client
order by customer_id is null, customer, customer_id
