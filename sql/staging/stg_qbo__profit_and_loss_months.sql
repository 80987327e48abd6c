-- grain: one row per realm and month whose ProfitAndLoss a sync fetched
with source as (
    select * from raw.qbo_profit_and_loss_months
),

final as (
    select realm_id, month, fetched_at
    from source
)

select * from final
