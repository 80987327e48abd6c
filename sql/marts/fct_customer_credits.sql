-- grain: one row per payment with money not applied to any invoice, and per credit memo with credit
-- left: money the client has with us, as QuickBooks shows it now, dated when it arrived
with payments as (
    select * from staging.stg_qbo__payments where unapplied_amount <> 0
),

credit_memos as (
    select * from intermediate.int_sales_documents
    where document_type = 'CreditMemo' and not is_voided and coalesce(remaining_credit, 0) <> 0
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

credits as (
    select realm_id, 'unapplied_payment' as kind, payment_id as source_id, txn_date, customer_id,
        unapplied_amount as amount
    from payments
    union all
    select realm_id, 'credit_memo', document_id, txn_date, customer_id, remaining_credit
    from credit_memos
),

final as (
    select credits.*, coalesce(customers.client_id, credits.customer_id) as client_id
    from credits
    left join customers using (realm_id, customer_id)
)

select * from final
