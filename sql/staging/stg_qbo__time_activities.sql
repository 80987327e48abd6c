-- grain: one row per live time activity (hours a technician logged)
with source as (
    select * from raw.time_activities where not deleted
),

final as (
    select
        realm_id,
        id as time_activity_id,
        (payload->>'$.TxnDate')::date as txn_date,
        payload->>'$.CustomerRef.value' as customer_id,
        payload->>'$.ItemRef.value' as item_id,
        coalesce(payload->>'$.EmployeeRef.name', payload->>'$.VendorRef.name') as worker,
        coalesce(payload->>'$.NameOf', case when payload->>'$.EmployeeRef.value' is not null then 'Employee'
                                            when payload->>'$.VendorRef.value' is not null then 'Vendor' end)
            as worker_type,
        coalesce(payload->>'$.EmployeeRef.value', payload->>'$.VendorRef.value') as worker_id,
        (payload->>'$.CostRate')::decimal(18, 2) as cost_rate,  -- what an hour of it cost, when QuickBooks has it
        payload->>'$.BillableStatus' as billable_status,
        (payload->>'$.HourlyRate')::decimal(18, 2) as hourly_rate,
        -- minutes worked: Hours and Minutes when given, else the span from StartTime to EndTime less breaks
        case
            when payload->>'$.Hours' is not null or payload->>'$.Minutes' is not null then
                (coalesce((payload->>'$.Hours')::decimal(10, 4), 0) * 60
                    + coalesce((payload->>'$.Minutes')::decimal(10, 4), 0))::integer
            else
                coalesce(date_diff('minute', (payload->>'$.StartTime')::timestamptz,
                                   (payload->>'$.EndTime')::timestamptz), 0)
                - (coalesce((payload->>'$.BreakHours')::decimal(10, 4), 0) * 60
                    + coalesce((payload->>'$.BreakMinutes')::decimal(10, 4), 0))::integer
        end as minutes_worked,
        payload->>'$.Description' as description
    from source
)

select * from final
