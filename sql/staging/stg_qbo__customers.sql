-- grain: one row per live QuickBooks customer (clients, sub-customers and jobs)
with source as (
    select * from raw.customers where not deleted
),

final as (
    select
        realm_id,
        id as customer_id,
        payload->>'$.DisplayName' as display_name,
        payload->>'$.FullyQualifiedName' as fully_qualified_name,
        payload->>'$.CompanyName' as company_name,
        payload->>'$.ParentRef.value' as parent_customer_id,
        coalesce((payload->>'$.Job')::boolean, false) as is_job,
        coalesce((payload->>'$.Active')::boolean, true) as is_active,
        (payload->>'$.Balance')::decimal(18, 2) as balance,
        (payload->>'$.MetaData.CreateTime')::timestamptz as created_at,
        last_updated
    from source
)

select * from final
