-- grain: one row per realm, basis and month whose ProfitAndLoss a sync fetched
with accrual as (
    select * from raw.qbo_profit_and_loss_months
),

cash as (
    select * from raw.qbo_cash_profit_and_loss_months
),

final as (
    select realm_id, 'accrual' as basis, month, fetched_at from accrual
    union all
    select realm_id, 'cash' as basis, month, fetched_at from cash
)

select * from final
