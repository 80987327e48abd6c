-- grain: one row per realm, basis and month whose ProfitAndLoss a sync fetched (noted with it, or holding income
-- or costs), so a month QuickBooks books nothing in is still compared: what the tie-outs of income and of costs
-- read (costs are fetched on an accrual basis only)
with noted as (
    select realm_id, basis, month from staging.stg_qbo__profit_and_loss_months
),

final as (
    select realm_id, basis, month from noted
    union
    select realm_id, basis, month from staging.stg_qbo__profit_and_loss
    union
    select realm_id, 'accrual', month from staging.stg_qbo__profit_and_loss_costs
)

select * from final
