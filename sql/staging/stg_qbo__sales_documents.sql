-- grain: one row per live sales document (invoice, sales receipt, credit memo, refund receipt)
with invoices as (
    select 'Invoice' as document_type, * from raw.invoices where not deleted
),

sales_receipts as (
    select 'SalesReceipt' as document_type, * from raw.sales_receipts where not deleted
),

credit_memos as (
    select 'CreditMemo' as document_type, * from raw.credit_memos where not deleted
),

refund_receipts as (
    select 'RefundReceipt' as document_type, * from raw.refund_receipts where not deleted
),

documents as (
    select * from invoices
    union all select * from sales_receipts
    union all select * from credit_memos
    union all select * from refund_receipts
),

final as (
    select
        realm_id,
        document_type,
        id as document_id,
        payload->>'$.DocNumber' as doc_number,
        (payload->>'$.TxnDate')::date as txn_date,
        (payload->>'$.DueDate')::date as due_date,
        payload->>'$.CustomerRef.value' as customer_id,
        payload->>'$.CustomerRef.name' as customer_name_on_document,
        payload->>'$.ClassRef.value' as class_id,
        payload->>'$.SalesTermRef.value' as sales_term_id,
        coalesce((payload->>'$.TotalAmt')::decimal(18, 2), 0) as total_amount,
        coalesce((payload->>'$.TxnTaxDetail.TotalTax')::decimal(18, 2), 0) as total_tax,
        (payload->>'$.Balance')::decimal(18, 2) as balance,
        (payload->>'$.RemainingCredit')::decimal(18, 2) as remaining_credit,
        payload->>'$.CurrencyRef.value' as currency,
        payload->>'$.PrivateNote' as private_note,
        json_extract(payload, '$.Line[*]') as lines,
        last_updated
    from documents
)

select * from final
