-- grain: one row per realm, basis, month and income account in the months QuickBooks' ProfitAndLoss was fetched
-- for on that basis (accrual after every sync; cash when the owner reports on a cash basis): QuickBooks' income
-- against ours, and the difference (zero when they tie out). Ours is split by where it comes from, so the owner
-- sees why revenue lines and the ProfitAndLoss differ: sales lines, journal entries and deposits that post to
-- income accounts directly, and (cash basis) the payments QuickBooks books as Unapplied Cash Payment Income.
with theirs as (
    select * from staging.stg_qbo__profit_and_loss
),

fetched_months as (
    select realm_id, basis, month from intermediate.int_profit_and_loss_months
),

booked as (
    select realm_id, 'accrual' as basis, month, account_id,
        case when source = 'invoice_lines' then 'sales_lines' else source end as source, amount
    from intermediate.int_income_by_account_month
    union all
    select realm_id, 'cash' as basis, month, account_id, source, amount
    from marts.fct_cash_income_by_account_month
),

ours as (
    select
        realm_id, basis, month, account_id,
        sum(amount) as amount,
        sum(amount) filter (where source = 'sales_lines') as sales_lines,
        sum(amount) filter (where source = 'journal_entries') as journal_entries,
        sum(amount) filter (where source = 'deposits') as deposits,
        sum(amount) filter (where source = 'unapplied_payments') as unapplied_payments
    from booked
    where (realm_id, basis, month) in (select (realm_id, basis, month) from fetched_months)
    group by all
),

accounts as (
    select * from staging.stg_qbo__accounts
),

final as (
    select
        coalesce(theirs.realm_id, ours.realm_id) as realm_id,
        coalesce(theirs.basis, ours.basis) as basis,
        coalesce(theirs.month, ours.month) as month,
        coalesce(theirs.account_id, ours.account_id) as account_id,
        -- '' is QuickBooks' unapplied cash account when neither its record nor the cash report names it yet
        coalesce(accounts.fully_qualified_name, theirs.account, nullif(coalesce(theirs.account_id, ours.account_id), ''),
            unapplied_cash_account_name()) as account,
        coalesce(theirs.amount, 0)::decimal(18, 2) as quickbooks,
        coalesce(ours.amount, 0)::decimal(18, 2) as ours,
        (coalesce(ours.amount, 0) - coalesce(theirs.amount, 0))::decimal(18, 2) as difference,
        coalesce(ours.sales_lines, 0)::decimal(18, 2) as sales_lines,
        coalesce(ours.journal_entries, 0)::decimal(18, 2) as journal_entries,
        coalesce(ours.deposits, 0)::decimal(18, 2) as deposits,
        coalesce(ours.unapplied_payments, 0)::decimal(18, 2) as unapplied_payments
    from theirs
    full outer join ours using (realm_id, basis, month, account_id)
    left join accounts
        on accounts.realm_id = coalesce(theirs.realm_id, ours.realm_id)
        and accounts.account_id = coalesce(theirs.account_id, ours.account_id)
)

select * from final
