-- grain: one row per realm, month, account and source: income as QuickBooks' ProfitAndLoss books it
-- in its Income section — every item line into its income account (the line's, else the item's),
-- every discount into its discount account (source 'invoice_lines' for invoices, which a cash basis books when
-- paid instead, 'sales_lines' for the other sales documents; credit memos and refund receipts negative, voided
-- documents nothing), and journal-entry and deposit lines that post to an income account ('journal_entries',
-- 'deposits'). Only accounts of type Income count: QuickBooks shows Other Income, cost of goods and expense
-- accounts in sections of their own.
with lines as (
    select * from intermediate.int_sales_lines__expanded
),

documents as (
    select * from intermediate.int_sales_documents where not is_voided
),

items as (
    select realm_id, item_id, income_account_id from staging.stg_qbo__items
),

postings as (
    select * from staging.stg_qbo__account_postings
),

accounts as (
    select * from staging.stg_qbo__accounts
),

sales_lines as (
    select
        lines.realm_id,
        date_trunc('month', documents.txn_date)::date as month,
        coalesce(lines.account_id, items.income_account_id, '') as account_id,
        case when documents.document_type = 'Invoice' then 'invoice_lines' else 'sales_lines' end as source,
        documents.sign * case when lines.line_kind = 'discount' then -lines.amount else lines.amount end as amount
    from lines
    join documents using (realm_id, document_type, document_id)
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
),

booked as (
    select * from sales_lines
    union all
    select realm_id, date_trunc('month', txn_date)::date as month, coalesce(account_id, '') as account_id, source, amount
    from postings
),

final as (
    select booked.realm_id, booked.month, booked.account_id, booked.source, sum(booked.amount)::decimal(18, 2) as amount
    from booked
    left join accounts on accounts.realm_id = booked.realm_id and accounts.account_id = booked.account_id
    -- an account the warehouse has no record of (a file load without accounts) is taken as income;
    -- a posting to a known account that is not of type Income is not income in QuickBooks' sense
    where (accounts.account_id is null and booked.source in ('sales_lines', 'invoice_lines'))
        or accounts.account_type = 'Income'
    group by all
)

select * from final
