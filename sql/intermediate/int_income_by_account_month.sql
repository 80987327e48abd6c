-- grain: one row per realm, month and income account: income as QuickBooks' ProfitAndLoss books it —
-- every item line into its income account (the line's, else the item's), every discount into its
-- discount account; credit memos and refund receipts negative; voided documents nothing
with lines as (
    select * from intermediate.int_sales_lines__expanded
),

documents as (
    select * from intermediate.int_sales_documents where not is_voided
),

items as (
    select realm_id, item_id, income_account_id from staging.stg_qbo__items
),

booked as (
    select
        lines.realm_id,
        date_trunc('month', documents.txn_date)::date as month,
        coalesce(lines.account_id, items.income_account_id, '') as account_id,
        documents.sign * case when lines.line_kind = 'discount' then -lines.amount else lines.amount end as amount
    from lines
    join documents using (realm_id, document_type, document_id)
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
),

final as (
    select realm_id, month, account_id, sum(amount)::decimal(18, 2) as amount
    from booked
    group by all
)

select * from final
