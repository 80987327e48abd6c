-- What --client can name: one row per customer (client, or with $rollup false any customer) and name
-- whose QuickBooks Id is $client or whose name starts with it, ignoring case; by_id and by_name say
-- which matched exactly. Customers come from their records and from the revenue lines, so a client
-- whose record was never loaded (a partial file load) is found by the name its documents carry.
-- Parameters: $client, $realm (null for all), $rollup.
with customers as (
    select * from marts.dim_customers
),

lines as (
    select * from marts.fct_revenue_lines
),

named as (
    select realm_id, client_id as customer_id, client as customer from customers
    union
    select realm_id, customer_id, customer from customers where not $rollup
    union
    select realm_id, client_id, client from lines
    union
    select realm_id, customer_id, customer from lines where not $rollup
),

final as (
    select
        realm_id,
        customer_id,
        customer,
        customer_id = $client as by_id,
        lower(customer) = lower($client) as by_name
    from named
    where ($realm is null or realm_id = $realm)
      and (customer_id = $client or starts_with(lower(customer), lower($client)))
)

select * from final
order by customer, realm_id, customer_id
