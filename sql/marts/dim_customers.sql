-- grain: one row per live customer (client, sub-customer or job), with its immediate parent and
-- the client at the top of its ParentRef chain
with customers as (
    select * from intermediate.int_customers__hierarchy
),

final as (
    select * from customers
)

select * from final
