-- grain: one row per realm, month and cost account (Cost of Goods Sold, Expenses, Other Expenses) of QuickBooks'
-- own ProfitAndLoss, as a sync fetched it
with source as (
    select * from raw.qbo_profit_and_loss_costs
),

final as (
    select realm_id, month, account_id, account, section, amount, fetched_at
    from source
)

select * from final
