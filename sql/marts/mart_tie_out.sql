-- grain: one row per realm, month and income account in the months QuickBooks' ProfitAndLoss was
-- fetched for: QuickBooks' income against ours, and the difference (zero when they tie out)
with theirs as (
    select * from staging.stg_qbo__profit_and_loss
),

ours as (
    select * from intermediate.int_income_by_account_month
    where (realm_id, month) in (select (realm_id, month) from theirs)
),

accounts as (
    select * from staging.stg_qbo__accounts
),

final as (
    select
        coalesce(theirs.realm_id, ours.realm_id) as realm_id,
        coalesce(theirs.month, ours.month) as month,
        coalesce(theirs.account_id, ours.account_id) as account_id,
        coalesce(accounts.fully_qualified_name, theirs.account, coalesce(theirs.account_id, ours.account_id))
            as account,
        coalesce(theirs.amount, 0)::decimal(18, 2) as quickbooks,
        coalesce(ours.amount, 0)::decimal(18, 2) as ours,
        (coalesce(ours.amount, 0) - coalesce(theirs.amount, 0))::decimal(18, 2) as difference
    from theirs
    full outer join ours using (realm_id, month, account_id)
    left join accounts
        on accounts.realm_id = coalesce(theirs.realm_id, ours.realm_id)
        and accounts.account_id = coalesce(theirs.account_id, ours.account_id)
)

select * from final
