-- grain: one row per employee and per vendor (a contractor whose time is logged as a vendor's), live or
-- inactive: whose hours a time activity names, and what QuickBooks says an hour of theirs costs
-- (`CostRate`, minor version 63 on) and bills (`BillRate`); either is null where it was never set.
with workers as (
    select realm_id, id, 'Employee' as worker_type, payload from raw.employees where not deleted
    union all
    select realm_id, id, 'Vendor', payload from raw.vendors where not deleted
),

final as (
    select
        realm_id,
        worker_type,
        id as worker_id,
        payload->>'$.DisplayName' as worker,
        coalesce((payload->>'$.Active')::boolean, true) as is_active,
        (payload->>'$.CostRate')::decimal(20, 7) as cost_rate,
        (payload->>'$.BillRate')::decimal(20, 7) as bill_rate,
        (payload->>'$.HiredDate')::date as hired_date,
        (payload->>'$.ReleasedDate')::date as released_date
    from workers
)

select * from final
