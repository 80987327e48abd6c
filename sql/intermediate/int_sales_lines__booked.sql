-- grain: one row per item line and discount line of a live, unvoided sales document, as QuickBooks' ProfitAndLoss
-- books it: an item line whole into its income account (the line's, else the item's), a discount line into its
-- discount account, negative; credit memos and refund receipts reversed. Not net of discount shares (those are
-- the revenue lines'): the discount is the discount line's, in its own account. One home for what both tie-outs
-- compare: int_income_by_account_month on the document's date, and on a cash basis an invoice's lines as paid
-- (fct_invoice_payment_shares' 'as_booked' parts).
with lines as (
    select * from intermediate.int_sales_lines__expanded
),

documents as (
    select * from intermediate.int_sales_documents where not is_voided
),

items as (
    select realm_id, item_id, income_account_id from staging.stg_qbo__items
),

final as (
    select
        lines.realm_id,
        lines.document_type,
        lines.document_id,
        documents.txn_date,
        lines.line_index,
        lines.child_index,
        lines.line_kind,
        coalesce(lines.account_id, items.income_account_id, '') as account_id,
        (documents.sign * case when lines.line_kind = 'discount' then -lines.amount else lines.amount end)::decimal(18, 2)
            as amount
    from lines
    join documents using (realm_id, document_type, document_id)
    left join items on items.realm_id = lines.realm_id and items.item_id = lines.item_id
)

select * from final
