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
        (payload->>'$.PurchaseCost')::decimal(20, 7) as purchase_cost,  -- what the MSP pays for one, when set
        payload->>'$.ExpenseAccountRef.value' as expense_account_id,  -- cost of goods sold, for stock items
        payload->>'$.AssetAccountRef.value' as asset_account_id,      -- stock items: where buying one posts
        coalesce((payload->>'$.Active')::boolean, true) as is_active,
        last_updated
    from source
)

select * from final
