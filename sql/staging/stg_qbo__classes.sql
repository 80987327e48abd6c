-- grain: one row per live QuickBooks class
with source as (
    select * from raw.classes where not deleted
),

-- each payload parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same function)
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.Name',                      -- 1
            '$.FullyQualifiedName',        -- 2
            '$.ParentRef.value',           -- 3
            '$.Active'                     -- 4
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as class_id,
        f[1] as name,
        coalesce(f[2], f[1]) as fully_qualified_name,
        f[3] as parent_class_id,
        coalesce((f[4])::boolean, true) as is_active
    from parsed
)

select * from final
