-- grain: one row per realm, month and cost account in the months QuickBooks' ProfitAndLoss was fetched for:
-- QuickBooks' Cost of Goods Sold, Expenses and Other Expenses against the cost lines we count
-- (marts.fct_cost_lines, a client's and overhead alike), split by where ours come from, and the difference.
-- No build check fails on it: QuickBooks also books costs no entity we read carries (paychecks of QuickBooks
-- Payroll, the cost of stock items sold, bill payments' discounts), and the difference says how much.
with theirs as (
    select * from staging.stg_qbo__profit_and_loss_costs
),

fetched_months as (
    select realm_id, month from intermediate.int_profit_and_loss_months where basis = 'accrual'
),

ours as (
    select
        realm_id, month, account_id,
        sum(amount) as amount,
        sum(amount) filter (where document_type = 'Bill') as bills,
        sum(amount) filter (where document_type = 'Purchase') as expenses,
        sum(amount) filter (where document_type = 'VendorCredit') as vendor_credits,
        sum(amount) filter (where document_type = 'JournalEntry') as journal_entries
    from marts.fct_cost_lines
    where (realm_id, month) in (select (realm_id, month) from fetched_months)
    group by all
),

accounts as (
    select * from staging.stg_qbo__accounts
),

final as (
    select
        coalesce(theirs.realm_id, ours.realm_id) as realm_id,
        coalesce(theirs.month, ours.month) as month,
        coalesce(theirs.account_id, ours.account_id) as account_id,
        coalesce(accounts.fully_qualified_name, theirs.account, theirs.account_id, ours.account_id,
                 'an account not loaded') as account,
        theirs.section,
        coalesce(theirs.amount, 0)::decimal(18, 2) as quickbooks,
        coalesce(ours.amount, 0)::decimal(18, 2) as ours,
        (coalesce(ours.amount, 0) - coalesce(theirs.amount, 0))::decimal(18, 2) as difference,
        coalesce(ours.bills, 0)::decimal(18, 2) as bills,
        coalesce(ours.expenses, 0)::decimal(18, 2) as expenses,
        coalesce(ours.vendor_credits, 0)::decimal(18, 2) as vendor_credits,
        coalesce(ours.journal_entries, 0)::decimal(18, 2) as journal_entries
    from theirs
    full outer join ours
        on ours.realm_id = theirs.realm_id and ours.month = theirs.month
       and ours.account_id is not distinct from theirs.account_id
    left join accounts
        on accounts.realm_id = coalesce(theirs.realm_id, ours.realm_id)
        and accounts.account_id = coalesce(theirs.account_id, ours.account_id)
)

select * from final
