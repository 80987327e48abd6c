-- Report client-labor --by-month: per client and each of the 12 full months before the as-of
-- month (months without revenue shown as zero); $client keeps one client; $basis 'accrual' or 'cash'.
-- Parameters: $as_of, $realm, $rollup, $client, $basis.
with months as (
    select unnest(generate_series(
        first_full_month($as_of), last_full_month($as_of),
        interval 1 month))::date as month
),

lines as (
    select
        realm_id,
        case when $rollup then client_id else customer_id end as customer_id,
        case when $rollup then client else customer end as customer,
        month, category, amount
    from revenue_lines($basis)
    where month in (select month from months) and ($realm is null or realm_id = $realm)
      and customer_id is not null  -- income no customer is named on is no client's
),

chosen as (
    select * from lines where $client is null or customer_id = $client
),

customers as (
    select realm_id, customer_id, any_value(customer) as customer from chosen group by all
),

monthly as (
    select
        realm_id, customer_id, month,
        sum(amount) filter (where category = 'labor_hourly') as labor_hourly,
        sum(amount) filter (where category = 'labor_msa') as labor_msa,
        sum(amount) filter (where category = 'hardware') as hardware,
        sum(amount) filter (where category = 'software') as software,
        sum(amount) filter (where category = 'other') as other,
        sum(amount) filter (where category = 'unmapped') as unmapped
    from chosen
    group by all
)

select
    customers.customer_id, customers.customer, months.month,
    coalesce(labor_hourly, 0)::decimal(18, 2) as labor_hourly,
    coalesce(labor_msa, 0)::decimal(18, 2) as labor_msa,
    (coalesce(labor_hourly, 0) + coalesce(labor_msa, 0))::decimal(18, 2) as labor_total,
    coalesce(hardware, 0)::decimal(18, 2) as hardware,
    coalesce(software, 0)::decimal(18, 2) as software,
    coalesce(other, 0)::decimal(18, 2) as other,
    coalesce(unmapped, 0)::decimal(18, 2) as unmapped,
    customers.realm_id
from customers
cross join months
left join monthly using (realm_id, customer_id, month)
order by customers.customer, customers.customer_id, months.month
