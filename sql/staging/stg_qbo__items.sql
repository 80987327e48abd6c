-- grain: one row per live QuickBooks item (products, services, bundles and item categories)
with source as (
    select * from raw.items where not deleted
),

final as (
    select
        realm_id,
        id as item_id,
        payload->>'$.Name' as name,
        coalesce(payload->>'$.FullyQualifiedName', payload->>'$.Name') as fully_qualified_name,
        payload->>'$.Type' as item_type,
        payload->>'$.ParentRef.value' as parent_item_id,
        payload->>'$.IncomeAccountRef.value' as income_account_id,
        (payload->>'$.UnitPrice')::decimal(20, 7) as unit_price,
        coalesce((payload->>'$.Active')::boolean, true) as is_active,
        last_updated
    from source
)

select * from final
