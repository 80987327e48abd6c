-- grain: one row per payment towards an invoice, sales receipt or journal entry to A/R: a payment line
-- applied to an invoice or to a journal entry that put a debt on the customer's account (on the payment's
-- date; credit memos used through a payment count the same way), a deposit
-- taken on the invoice itself (Invoice.Deposit, on the invoice's date), or a sales receipt, paid in
-- full on its own date. `entry_customer_id`: for a journal entry, whose part of it the payment pays (the
-- paying customer: an entry may put debts on several customers, or move a balance from one to another).
with applications as (
    select * from intermediate.int_payment_applications where applied_to_type in ('Invoice', 'JournalEntry')
),

receivable_entries as (  -- each customer's part of an entry (a debt is paid; a credit is used, not paid)
    select realm_id, document_id, customer_id, amount from marts.fct_receivable_entries
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
        applications.applied_to_id as document_id, applications.payment_date as paid_on, applications.amount,
        receivable_entries.customer_id as entry_customer_id
    from applications
    left join receivable_entries
        on applications.applied_to_type = 'JournalEntry' and receivable_entries.realm_id = applications.realm_id
        and receivable_entries.document_id = applications.applied_to_id
        and receivable_entries.customer_id = applications.customer_id
    where applications.applied_to_type = 'Invoice' or receivable_entries.amount > 0
    union all
    select realm_id, document_type, document_id, txn_date, total_amount, null
    from sales_receipts
    union all
    select realm_id, document_type, document_id, txn_date, deposit, null
    from deposits
)

select * from final
