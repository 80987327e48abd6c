-- grain: one row per payment with money not applied to any invoice, and per credit memo: money the
-- client has with us, dated when it arrived; `source_type` and `source_id` name the payment or memo. `amount` is as QuickBooks shows it now; a credit memo's
-- credit on an earlier date adds back what payments dated after it used of it (`used` lists them in
-- fct_payment_applications). `cancelled_months`: what the memo's lines gave back of service months
-- after its date — credit from cancelled prepaid months, cash the client can have back.
with payments as (
    select * from staging.stg_qbo__payments where unapplied_amount <> 0
),

credit_memos as (
    select * from intermediate.int_sales_documents
    where document_type = 'CreditMemo' and not is_voided
),

cancelled as (
    select realm_id, document_id, sum(refund_amount) as cancelled_months
    from marts.fct_refunded_months
    where document_type = 'CreditMemo' and earn_date > refund_date
    group by all
),

customers as (
    select * from intermediate.int_customers__hierarchy
),

credits as (
    select realm_id, 'unapplied_payment' as kind, 'Payment' as source_type, payment_id as source_id, txn_date,
        customer_id,
        unapplied_amount as amount, 0::decimal(18, 2) as cancelled_months
    from payments
    union all
    select credit_memos.realm_id, 'credit_memo', 'CreditMemo', credit_memos.document_id, credit_memos.txn_date,
        credit_memos.customer_id, coalesce(credit_memos.remaining_credit, 0),
        coalesce(cancelled.cancelled_months, 0)
    from credit_memos
    left join cancelled using (realm_id, document_id)
),

final as (
    select credits.*, coalesce(customers.client_id, credits.customer_id) as client_id
    from credits
    left join customers using (realm_id, customer_id)
)

select * from final
