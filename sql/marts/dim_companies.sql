-- grain: one row per QuickBooks company (realm) in the warehouse, with the name people know it by:
-- its CompanyInfo name when a sync or load brought one, else "QuickBooks company <realm>"
with info as (
    select * from staging.stg_qbo__company_info
),

realms as (
    select realm_id from info
    union
    select distinct realm_id from intermediate.int_sales_documents
),

final as (
    select
        realms.realm_id,
        coalesce(nullif(trim(info.company_name), ''), nullif(trim(info.legal_name), ''),
                 'QuickBooks company ' || realms.realm_id) as company_name,
        info.company_name is not null as named_by_quickbooks
    from realms
    left join info using (realm_id)
)

select * from final
