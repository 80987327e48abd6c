-- grain: one row per realm, month and income account of QuickBooks' own ProfitAndLoss, as a sync
-- fetched it
with source as (
    select * from raw.qbo_profit_and_loss
),

final as (
    select realm_id, month, account_id, account, amount, fetched_at
    from source
)

select * from final
