-- grain: one row per live time activity (hours a technician logged)
with source as (
    select * from raw.time_activities where not deleted
),

-- Each payload parsed once: json_extract_string reads the list of paths in one pass, each as `->>` would
-- (the same function); a `->>` per field parsed it again for each.
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.TxnDate',                   -- 1
            '$.CustomerRef.value',         -- 2
            '$.ItemRef.value',             -- 3
            '$.EmployeeRef.name',          -- 4
            '$.VendorRef.name',            -- 5
            '$.NameOf',                    -- 6
            '$.EmployeeRef.value',         -- 7
            '$.VendorRef.value',           -- 8
            '$.CostRate',                  -- 9
            '$.BillableStatus',            -- 10
            '$.HourlyRate',                -- 11
            '$.Hours',                     -- 12
            '$.Minutes',                   -- 13
            '$.StartTime',                 -- 14
            '$.EndTime',                   -- 15
            '$.BreakHours',                -- 16
            '$.BreakMinutes',              -- 17
            '$.Description'                -- 18
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as time_activity_id,
        (f[1])::date as txn_date,
        f[2] as customer_id,
        f[3] as item_id,
        coalesce(f[4], f[5]) as worker,
        coalesce(f[6], case when f[7] is not null then 'Employee' when f[8] is not null then 'Vendor' end)
            as worker_type,
        coalesce(f[7], f[8]) as worker_id,
        (f[9])::decimal(18, 2) as cost_rate,  -- what an hour of it cost, when QuickBooks has it
        f[10] as billable_status,
        (f[11])::decimal(18, 2) as hourly_rate,
        -- minutes worked: Hours and Minutes when given, else the span from StartTime to EndTime less breaks
        case
            when f[12] is not null or f[13] is not null then
                (coalesce((f[12])::decimal(10, 4), 0) * 60 + coalesce((f[13])::decimal(10, 4), 0))::integer
            else
                coalesce(date_diff('minute', (f[14])::timestamptz, (f[15])::timestamptz), 0)
                - (coalesce((f[16])::decimal(10, 4), 0) * 60 + coalesce((f[17])::decimal(10, 4), 0))::integer
        end as minutes_worked,
        f[18] as description
    from parsed
)

select * from final
