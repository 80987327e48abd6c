-- grain: one row per live QuickBooks customer (clients, sub-customers and jobs)
with source as (
    select * from raw.customers where not deleted
),

-- each payload parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same function)
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.DisplayName',               -- 1
            '$.FullyQualifiedName',        -- 2
            '$.CompanyName',               -- 3
            '$.ParentRef.value',           -- 4
            '$.Job',                       -- 5
            '$.Active',                    -- 6
            '$.Balance',                   -- 7
            '$.MetaData.CreateTime'        -- 8
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as customer_id,
        f[1] as display_name,
        f[2] as fully_qualified_name,
        f[3] as company_name,
        f[4] as parent_customer_id,
        coalesce((f[5])::boolean, false) as is_job,
        coalesce((f[6])::boolean, true) as is_active,
        (f[7])::decimal(18, 2) as balance,
        (f[8])::timestamptz as created_at,
        last_updated
    from parsed
)

select * from final
