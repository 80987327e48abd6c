-- grain: one row per live QuickBooks item (products, services, bundles and item categories)
with source as (
    select * from raw.items where not deleted
),

-- each payload parsed once: its paths in one json_extract_string, each read as `->>` reads it (the same function)
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.Name',                      -- 1
            '$.FullyQualifiedName',        -- 2
            '$.Type',                      -- 3
            '$.ParentRef.value',           -- 4
            '$.IncomeAccountRef.value',    -- 5
            '$.UnitPrice',                 -- 6
            '$.PurchaseCost',              -- 7
            '$.ExpenseAccountRef.value',   -- 8
            '$.AssetAccountRef.value',     -- 9
            '$.Active'                     -- 10
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as item_id,
        f[1] as name,
        coalesce(f[2], f[1]) as fully_qualified_name,
        f[3] as item_type,
        f[4] as parent_item_id,
        f[5] as income_account_id,
        (f[6])::decimal(20, 7) as unit_price,
        (f[7])::decimal(20, 7) as purchase_cost,  -- what the MSP pays for one, when set
        f[8] as expense_account_id,  -- cost of goods sold, for stock items
        f[9] as asset_account_id,    -- stock items: where buying one posts
        coalesce((f[10])::boolean, true) as is_active,
        last_updated
    from parsed
)

select * from final
