-- grain: one row per live time activity, with the client its customer rolls up to (a job's hours
-- count for its client)
with time_activities as (
    select * from staging.stg_qbo__time_activities
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

final as (
    select
        time_activities.*,
        coalesce(customers.client_id, time_activities.customer_id) as client_id
    from time_activities
    left join customers
        on customers.realm_id = time_activities.realm_id and customers.customer_id = time_activities.customer_id
)

select * from final
