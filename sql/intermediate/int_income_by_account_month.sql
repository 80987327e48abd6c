-- grain: one row per realm, month, account and source: income as QuickBooks' ProfitAndLoss books it
-- in its Income section — every item line into its income account (the line's, else the item's),
-- every discount into its discount account (int_sales_lines__booked; source 'invoice_lines' for invoices, which
-- a cash basis books when paid instead, 'sales_lines' for the other sales documents; credit memos and refund
-- receipts negative, voided documents nothing), and journal-entry and deposit lines that post to an income account ('journal_entries',
-- 'deposits'). Only accounts of type Income count: QuickBooks shows Other Income, cost of goods and expense
-- accounts in sections of their own.
with booked_lines as (
    select * from intermediate.int_sales_lines__booked
),

postings as (
    select * from staging.stg_qbo__account_postings
),

accounts as (
    select * from staging.stg_qbo__accounts
),

sales_lines as (
    select
        realm_id,
        date_trunc('month', txn_date)::date as month,
        account_id,
        case when document_type = 'Invoice' then 'invoice_lines' else 'sales_lines' end as source,
        amount
    from booked_lines
),

booked as (
    select * from sales_lines
    union all
    select realm_id, date_trunc('month', txn_date)::date as month, coalesce(account_id, '') as account_id, source, amount
    from postings
),

-- summed before the accounts are looked up: whether a sum is income is of its account and source alone, so the
-- lookup reads a row per sum, not one per line
sums as (
    select realm_id, month, account_id, source, sum(amount) as amount
    from booked
    group by all
),

final as (
    select sums.realm_id, sums.month, sums.account_id, sums.source, sums.amount::decimal(18, 2) as amount
    from sums
    left join accounts on accounts.realm_id = sums.realm_id and accounts.account_id = sums.account_id
    -- an account the warehouse has no record of (a file load without accounts) is taken as income;
    -- a posting to a known account that is not of type Income is not income in QuickBooks' sense
    where (accounts.account_id is null and sums.source in ('sales_lines', 'invoice_lines'))
        or accounts.account_type = 'Income'
)

select * from final
