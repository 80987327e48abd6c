-- grain: one row per live QuickBooks account. `classification` is QuickBooks' own, else the one its
-- AccountType belongs to (Intuit's Account reference: an Income account is Revenue, an Other Current
-- Liability a Liability, ...): a record without it is still placed, never taken as "not revenue".
with source as (
    select * from raw.accounts where not deleted
),

-- each payload parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same function)
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.Name',                      -- 1
            '$.FullyQualifiedName',        -- 2
            '$.AccountType',               -- 3
            '$.AccountSubType',            -- 4
            '$.Classification',            -- 5
            '$.ParentRef.value',           -- 6
            '$.Active'                     -- 7
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as account_id,
        f[1] as name,
        coalesce(f[2], f[1]) as fully_qualified_name,
        f[3] as account_type,
        f[4] as account_sub_type,
        coalesce(f[5], account_classification(f[3])) as classification,
        f[6] as parent_account_id,
        coalesce((f[7])::boolean, true) as is_active,
        last_updated
    from parsed
)

select * from final
