-- grain: one row per realm, basis, month and income account of QuickBooks' own ProfitAndLoss, as a sync fetched
-- it: on an accrual basis after every sync, on a cash basis when the owner reports on one (issue 27)
with accrual as (
    select * from raw.qbo_profit_and_loss
),

cash as (
    select * from raw.qbo_cash_profit_and_loss
),

final as (
    select realm_id, 'accrual' as basis, month, account_id, account, amount, fetched_at from accrual
    union all
    select realm_id, 'cash' as basis, month, account_id, account, amount, fetched_at from cash
)

select * from final
