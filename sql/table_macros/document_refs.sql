-- Every document a line of report lines can name, by (realm, type, Id): sales documents (invoices, sales
-- receipts, refund receipts, credit memos) and payments (their reference number as the number), with
-- the customer or job on it.
create or replace temp macro document_refs() as table
with documents as (
    select realm_id, document_type, document_id, doc_number, txn_date, currency, customer_id
    from marts.fct_sales_documents
    union all
    select realm_id, 'Payment', payment_id, reference, txn_date, currency, customer_id
    from marts.fct_payments
)

select documents.*, customers.customer
from documents
left join marts.dim_customers as customers using (realm_id, customer_id);
