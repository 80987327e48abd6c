-- grain: one row per customer, with its immediate parent and its top-level client (a job or
-- sub-customer rolls up to the client at the top of its ParentRef chain)
with recursive customers as (
    select * from staging.stg_qbo__customers
),

chain as (
    select realm_id, customer_id, customer_id as ancestor_id, parent_customer_id as next_id, 0 as depth
    from customers
    union all
    select chain.realm_id, chain.customer_id, parent.customer_id, parent.parent_customer_id, chain.depth + 1
    from chain
    join customers as parent on parent.realm_id = chain.realm_id and parent.customer_id = chain.next_id
    where chain.depth < 50  -- QuickBooks allows five levels; this only guards against a broken cycle
),

top_level as (
    select realm_id, customer_id, arg_max(ancestor_id, depth) as client_id
    from chain
    group by all
),

final as (
    select
        customers.realm_id,
        customers.customer_id,
        customers.display_name as customer,
        customers.fully_qualified_name,
        customers.parent_customer_id,
        parent.display_name as parent_customer,
        top_level.client_id,
        client.display_name as client,
        customers.is_job,
        customers.is_active
    from customers
    join top_level using (realm_id, customer_id)
    left join customers as parent
        on parent.realm_id = customers.realm_id and parent.customer_id = customers.parent_customer_id
    left join customers as client
        on client.realm_id = customers.realm_id and client.customer_id = top_level.client_id
)

select * from final
