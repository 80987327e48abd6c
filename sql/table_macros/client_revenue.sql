-- Revenue per client (or per customer, when rollup is false) and category over the months
-- [first_month, last_month], by transaction month: the basis of client-labor, garden and tiers.
-- only_client (null for all) keeps one client: its own lines and, rolled up, its jobs'. Revenue that
-- names no customer (a journal entry or deposit to income without one) is no client's: left out.
-- on_basis: 'accrual' or 'cash' (revenue_lines).
-- (Parameter names must differ from column names: a parameter would shadow the column.)
create or replace temp macro client_revenue(first_month, last_month, only_realm, rollup, only_client, on_basis) as table
with lines as (
    select * from revenue_lines(on_basis)
    where month between first_month and last_month and (only_realm is null or realm_id = only_realm)
      and customer_id is not null
      and (only_client is null or (case when rollup then client_id else customer_id end) = only_client)
)

select
    realm_id,
    case when rollup then client_id else customer_id end as customer_id,
    any_value(case when rollup then client else customer end) as customer,
    sum(amount) filter (where category = 'labor_hourly')::decimal(18, 2) as labor_hourly,
    sum(amount) filter (where category = 'labor_msa')::decimal(18, 2) as labor_msa,
    sum(amount) filter (where category in ('labor_hourly', 'labor_msa'))::decimal(18, 2) as labor_total,
    sum(amount) filter (where category = 'hardware')::decimal(18, 2) as hardware,
    sum(amount) filter (where category = 'software')::decimal(18, 2) as software,
    sum(amount) filter (where category = 'other')::decimal(18, 2) as other,
    sum(amount) filter (where category = 'unmapped')::decimal(18, 2) as unmapped
from lines
group by realm_id, case when rollup then client_id else customer_id end;
