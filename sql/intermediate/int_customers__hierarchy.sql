-- grain: one row per customer, with its immediate parent and its top-level client (a job or
-- sub-customer rolls up to the client at the top of its ParentRef chain). A job whose parent was
-- deleted still rolls up to that parent, as in QuickBooks: the deleted record carries no name any
-- more, so the names come from the job's FullyQualifiedName ("Parent:Job"), one segment per level.
with recursive customers as (
    select * from staging.stg_qbo__customers
),

known as (  -- what a chain can climb to: live customers, and deleted ones (where it stops)
    select realm_id, customer_id, parent_customer_id from customers
    union all
    select realm_id, customer_id, null from staging.stg_qbo__deleted_customers
),

chain as (
    select realm_id, customer_id, customer_id as ancestor_id, parent_customer_id as next_id, 0 as depth
    from customers
    union all
    select chain.realm_id, chain.customer_id, parent.customer_id, parent.parent_customer_id, chain.depth + 1
    from chain
    join known as parent on parent.realm_id = chain.realm_id and parent.customer_id = chain.next_id
    where chain.depth < 50  -- QuickBooks allows five levels; this only guards against a broken cycle
),

top_level as (
    select realm_id, customer_id, arg_max(ancestor_id, depth) as client_id, max(depth) as client_depth
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
        case when customers.parent_customer_id is not null
            then coalesce(parent.display_name, name_at_depth(customers.fully_qualified_name, 1)) end as parent_customer,
        top_level.client_id,
        coalesce(client.display_name, name_at_depth(customers.fully_qualified_name, top_level.client_depth))
            as client,
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
