-- grain: one row per payment towards an invoice, sales receipt or journal entry to A/R: a payment line
-- applied to an invoice or to a journal entry that put a debt on the customer's account (on the payment's
-- date; credit memos used through a payment count the same way), a deposit
-- taken on the invoice itself (Invoice.Deposit, on the invoice's date), or a sales receipt, paid in
-- full on its own date
with applications as (
    select * from intermediate.int_payment_applications where applied_to_type in ('Invoice', 'JournalEntry')
),

receivable_entries as (  -- entries that are a debt (a credit entry is used by a payment, not paid)
    select realm_id, document_id, sum(amount) as amount from marts.fct_receivable_entries group by all
),

sales_receipts as (
    select * from intermediate.int_sales_documents where document_type = 'SalesReceipt' and not is_voided
),

deposits as (
    select * from intermediate.int_sales_documents
    where document_type = 'Invoice' and not is_voided and deposit <> 0
),

final as (
    select applications.realm_id, applications.applied_to_type as document_type,
        applications.applied_to_id as document_id, applications.payment_date as paid_on, applications.amount
    from applications
    left join receivable_entries
        on receivable_entries.realm_id = applications.realm_id and receivable_entries.document_id = applications.applied_to_id
    where applications.applied_to_type = 'Invoice' or receivable_entries.amount > 0
    union all
    select realm_id, document_type, document_id, txn_date, total_amount
    from sales_receipts
    union all
    select realm_id, document_type, document_id, txn_date, deposit
    from deposits
)

select * from final
