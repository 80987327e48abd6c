-- grain: one row per realm, month, account and source: income as QuickBooks' cash-basis ProfitAndLoss books it in
-- its Income section (docs/DECISIONS.md, "Cash-basis tie-out"), what the cash tie-out compares. An invoice's
-- lines are their shares of each sum paid towards it, spread over its lines as QuickBooks books them
-- (fct_invoice_payment_shares' lines as booked: item lines whole into their income accounts, a discount line's
-- share into its discount account), in the month it is cash ('sales_lines'); other sales documents, journal-entry
-- and deposit lines as on an accrual basis (int_income_by_account_month); and 'unapplied_payments', what
-- QuickBooks books to its Unapplied Cash Payment Income account (sub-type UnappliedCashPaymentIncome): a
-- payment's unapplied amount on its date, and what it pays towards an invoice dated later, on its date and back
-- out on the invoice's. Those are not revenue here (a prepayment until applied, and on the invoice's date), only
-- what explains QuickBooks' figure.
with on_their_dates as (
    select * from intermediate.int_income_by_account_month where source <> 'invoice_lines'
),

shares as (  -- the parts that are lines as booked, each with its line's account
    select * from marts.fct_invoice_payment_shares where is_booked_line
),

accounts as (
    select * from staging.stg_qbo__accounts
),

-- the applications to invoices, with each invoice's date (fct_payment_applications' applied_to_date: none when the
-- warehouse holds no such invoice), but to a voided one
applications as (
    select * from marts.fct_payment_applications where applied_to_type = 'Invoice' and applied_to_date is not null
),

voided_invoices as (
    select realm_id, document_id as applied_to_id from intermediate.int_sales_documents
    where document_type = 'Invoice' and is_voided
),

payments as (
    select realm_id, txn_date, unapplied_amount from staging.stg_qbo__payments where unapplied_amount <> 0
),

-- QuickBooks' unapplied cash account: its record, else (its record not read yet: made by the sync's own cash
-- report) the account QuickBooks' cash-basis ProfitAndLoss names so; with neither, '' (mart_tie_out names it)
cash_report_accounts as (
    select distinct realm_id, account_id from staging.stg_qbo__profit_and_loss
    where basis = 'cash' and account = unapplied_cash_account_name()
),

unapplied_account as (
    select realm_id, account_id
    from (
        select realm_id, account_id, 0 as preference from accounts
        where account_sub_type = 'UnappliedCashPaymentIncome'
        union all
        select realm_id, account_id, 1 from cash_report_accounts
    )
    qualify row_number() over (partition by realm_id order by preference, account_id) = 1
),

-- the shares summed by month and account before the accounts are looked up (whether a sum is income is of its
-- account alone): the lookup reads a row per sum, not one per share
invoice_sums as (
    select
        realm_id,
        date_trunc('month', cash_date)::date as month,
        booked_account_id as account_id,
        sum(amount) as amount
    from shares
    group by all
),

invoice_lines as (
    select invoice_sums.*
    from invoice_sums
    left join accounts on accounts.realm_id = invoice_sums.realm_id and accounts.account_id = invoice_sums.account_id
    -- as int_income_by_account_month: an account the warehouse has no record of is taken as income
    where accounts.account_id is null or accounts.account_type = 'Income'
),

paid_ahead as (
    select realm_id, payment_date, applied_to_date as txn_date, amount
    from applications
    anti join voided_invoices using (realm_id, applied_to_id)
    where payment_date < applied_to_date
),

unapplied as (
    select realm_id, txn_date as day, unapplied_amount as amount from payments
    union all
    select realm_id, payment_date, amount from paid_ahead
    union all
    select realm_id, txn_date, -amount from paid_ahead
),

booked as (
    select realm_id, month, account_id, source, amount from on_their_dates
    union all
    select realm_id, month, account_id, 'sales_lines', amount from invoice_lines
    union all
    select unapplied.realm_id, date_trunc('month', unapplied.day)::date, coalesce(unapplied_account.account_id, ''),
        'unapplied_payments', unapplied.amount
    from unapplied
    left join unapplied_account using (realm_id)
),

final as (
    select realm_id, month, account_id, source, sum(amount)::decimal(18, 2) as amount
    from booked
    group by all
)

select * from final
