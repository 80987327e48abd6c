-- grain: one row per live time activity, with the client its customer rolls up to (a job's hours
-- count for its client), and what QuickBooks says an hour of it cost: the activity's own CostRate, else its
-- worker's (employee or vendor); null when QuickBooks has neither (the margin report then takes the owner's
-- rate for the worker, else the default: docs/METRICS.md, margin)
with time_activities as (
    select * from staging.stg_qbo__time_activities
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

workers as (
    select * from staging.stg_qbo__workers
),

final as (
    select
        time_activities.* exclude (cost_rate, worker),
        -- the name on the time activity, else its worker's record's (a reference QuickBooks wrote without one)
        coalesce(time_activities.worker, workers.worker) as worker,
        coalesce(customers.client_id, time_activities.customer_id) as client_id,
        name_key(coalesce(time_activities.worker, workers.worker, '')) as worker_key,  -- for [margin.workers]
        coalesce(time_activities.cost_rate, workers.cost_rate::decimal(18, 2)) as quickbooks_cost_rate,
        case when time_activities.cost_rate is not null then 'time activity'
             when workers.cost_rate is not null then 'worker' end as quickbooks_cost_rate_from
    from time_activities
    left join customers
        on customers.realm_id = time_activities.realm_id and customers.customer_id = time_activities.customer_id
    left join workers
        on workers.realm_id = time_activities.realm_id and workers.worker_type = time_activities.worker_type
       and workers.worker_id = time_activities.worker_id
)

select * from final
