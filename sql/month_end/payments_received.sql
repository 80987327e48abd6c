-- Month-end payments received: every payment dated in [$first_day, $last_day] with what each was
-- applied to (one row per application; a payment applied to nothing has one row). Parameters:
-- $first_day, $last_day, $realm.
with payments as (
    select * from marts.fct_payments
    where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
),

applications as (
    select * from marts.fct_payment_applications
),

documents as (
    select realm_id, document_type, document_id, doc_number, txn_date from marts.fct_sales_documents
),

customers as (
    select * from marts.dim_customers
)

select
    payments.txn_date as received_on,
    coalesce(customers.client, payments.customer_id) as customer,
    payments.payment_method,
    payments.reference,
    payments.total_amount as payment_total,
    payments.unapplied_amount,
    applications.applied_to_type,
    documents.doc_number as applied_to_number,
    documents.txn_date as applied_to_date,
    applications.amount as applied_amount,
    payments.payment_id,
    payments.realm_id
from payments
left join applications using (realm_id, payment_id)
left join documents
    on documents.realm_id = payments.realm_id and documents.document_type = applications.applied_to_type
    and documents.document_id = applications.applied_to_id
left join customers on customers.realm_id = payments.realm_id and customers.customer_id = payments.customer_id
order by payments.txn_date, customer, payments.payment_id, applications.line_index
