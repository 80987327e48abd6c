-- Every document a line of report lines can name, by (realm, type, Id): sales documents (invoices, sales
-- receipts, refund receipts, credit memos), payments (their reference number as the number) and journal
-- entries to A/R, with the customer or job on it (an entry naming several: the first by Id).
create or replace temp macro document_refs() as table
with documents as (
    select realm_id, document_type, document_id, doc_number, txn_date, currency, customer_id
    from marts.fct_sales_documents
    union all
    select realm_id, 'Payment', payment_id, reference, txn_date, currency, customer_id
    from marts.fct_payments
    union all
    select realm_id, document_type, document_id, any_value(doc_number), any_value(txn_date), any_value(currency),
        min(customer_id)
    from marts.fct_receivable_entries
    group by realm_id, document_type, document_id
)

select documents.*, customers.customer
from documents
left join marts.dim_customers as customers using (realm_id, customer_id);
