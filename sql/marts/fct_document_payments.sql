-- grain: one row per payment towards an invoice or sales receipt: a payment line applied to an
-- invoice (on the payment's date; credit memos used through a payment count the same way), a deposit
-- taken on the invoice itself (Invoice.Deposit, on the invoice's date), or a sales receipt, paid in
-- full on its own date
with applications as (
    select * from intermediate.int_payment_applications where applied_to_type = 'Invoice'
),

sales_receipts as (
    select * from intermediate.int_sales_documents where document_type = 'SalesReceipt' and not is_voided
),

deposits as (
    select * from intermediate.int_sales_documents
    where document_type = 'Invoice' and not is_voided and deposit <> 0
),

final as (
    select realm_id, 'Invoice' as document_type, applied_to_id as document_id, payment_date as paid_on, amount
    from applications
    union all
    select realm_id, document_type, document_id, txn_date, total_amount
    from sales_receipts
    union all
    select realm_id, document_type, document_id, txn_date, deposit
    from deposits
)

select * from final
