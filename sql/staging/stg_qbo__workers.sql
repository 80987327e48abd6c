-- grain: one row per employee and per vendor (a contractor whose time is logged as a vendor's), live or
-- inactive: whose hours a time activity names, and what QuickBooks says an hour of theirs costs
-- (`CostRate`, minor version 63 on) and bills (`BillRate`); either is null where it was never set.
with workers as (
    select realm_id, id, 'Employee' as worker_type, payload from raw.employees where not deleted
    union all
    select realm_id, id, 'Vendor', payload from raw.vendors where not deleted
),

-- each payload parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same function)
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.DisplayName',               -- 1
            '$.Active',                    -- 2
            '$.CostRate',                  -- 3
            '$.BillRate',                  -- 4
            '$.HiredDate',                 -- 5
            '$.ReleasedDate'               -- 6
        ]) as f
    from workers
),

final as (
    select
        realm_id,
        worker_type,
        id as worker_id,
        f[1] as worker,
        coalesce((f[2])::boolean, true) as is_active,
        (f[3])::decimal(20, 7) as cost_rate,
        (f[4])::decimal(20, 7) as bill_rate,
        (f[5])::date as hired_date,
        (f[6])::date as released_date
    from parsed
)

select * from final
