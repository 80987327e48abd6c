-- What clients owe on open documents as of as_of: invoices, and journal entries that put a debt on a
-- customer's account (an opening balance entered to A/R), dated by as_of, with their balance as of that
-- date (total less what payments dated by as_of applied to them), how many days past due they are then
-- and the aging bucket that puts them in (current: not yet due; days_1_30, days_31_60, days_61_90,
-- days_90_plus). A journal entry has no terms: it is due on its date.
create or replace temp macro open_invoices(as_of, only_realm) as table
with invoices as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, due_date, customer_id,
        customer_name_on_document, total_amount, currency
    from marts.fct_sales_documents
    where document_type = 'Invoice' and not is_voided and txn_date <= as_of
      and (only_realm is null or realm_id = only_realm)
    union all
    select
        realm_id, document_type, document_id, doc_number, txn_date, txn_date, customer_id, client, amount, currency
    from marts.fct_receivable_entries
    where amount > 0 and txn_date <= as_of and (only_realm is null or realm_id = only_realm)
),

paid as (  -- an entry's part is paid by its own customer's payments
    select realm_id, document_type, document_id, entry_customer_id, sum(amount) as paid
    from marts.fct_document_payments
    where document_type in ('Invoice', 'JournalEntry') and paid_on <= as_of
    group by all
),

customers as (
    select * from marts.dim_customers
)

select
    invoices.realm_id,
    invoices.document_type,
    invoices.document_id,
    invoices.doc_number,
    invoices.txn_date,
    coalesce(invoices.due_date, invoices.txn_date) as due_date,
    invoices.customer_id,
    coalesce(customers.client_id, invoices.customer_id) as client_id,
    coalesce(customers.client, customers.customer, invoices.customer_name_on_document) as client,
    (invoices.total_amount - coalesce(paid.paid, 0))::decimal(18, 2) as open_balance,
    date_diff('day', coalesce(invoices.due_date, invoices.txn_date), as_of::date) as days_past_due,
    case
        when days_past_due <= 0 then 'current'
        when days_past_due <= 30 then 'days_1_30'
        when days_past_due <= 60 then 'days_31_60'
        when days_past_due <= 90 then 'days_61_90'
        else 'days_90_plus'
    end as bucket,
    invoices.currency
from invoices
left join paid
    on paid.realm_id = invoices.realm_id and paid.document_type = invoices.document_type
    and paid.document_id = invoices.document_id
    and (invoices.document_type = 'Invoice' or paid.entry_customer_id = invoices.customer_id)
left join customers on customers.realm_id = invoices.realm_id and customers.customer_id = invoices.customer_id
where invoices.total_amount - coalesce(paid.paid, 0) <> 0;
