-- grain: one row per live QuickBooks item, with what the MSP pays for one (`purchase_cost`, QuickBooks'
-- PurchaseCost; null when unset): the cost of hardware and software sold where no bill names the item for the
-- client (docs/METRICS.md, margin)
with items as (
    select * from staging.stg_qbo__items
),

final as (
    select realm_id, item_id, name, fully_qualified_name, item_type, unit_price, purchase_cost, is_active
    from items
)

select * from final
