-- grain: one row per realm: the QuickBooks company's own record (CompanyInfo)
with source as (
    select * from raw.company_info where not deleted
),

final as (
    select
        realm_id,
        id as company_info_id,
        payload->>'$.CompanyName' as company_name,
        payload->>'$.LegalName' as legal_name,
        payload->>'$.Country' as country,
        last_updated
    from source
    qualify row_number() over (partition by realm_id order by last_updated desc, id) = 1
)

select * from final
