-- grain: one row per realm: the QuickBooks company's own record (CompanyInfo)
with source as (
    select * from raw.company_info where not deleted
),

-- each payload parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same function)
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.CompanyName',               -- 1
            '$.LegalName',                 -- 2
            '$.Country'                    -- 3
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as company_info_id,
        f[1] as company_name,
        f[2] as legal_name,
        f[3] as country,
        last_updated
    from parsed
    qualify row_number() over (partition by realm_id order by last_updated desc, id) = 1
)

select * from final
